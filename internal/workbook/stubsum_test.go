package workbook

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStubSumFollowsWhatARunDependsOn: the sum changes with every file a
// run of the lesson's tests reads (code, tests, test data, scenarios), not
// with its Markdown, and not with where the workbook is.
func TestStubSumFollowsWhatARunDependsOn(t *testing.T) {
	l := scenarioWorkbook(t, 1, map[string]string{"echo": "# Step 1: echo.\nexec echo\n"})
	root := filepath.Dir(filepath.Dir(l.Dir))
	sum := func() string {
		t.Helper()
		s, err := l.StubSum()
		require.NoError(t, err)
		return s
	}
	first := sum()
	assert.Len(t, first, 64, "a sha256 in hex")
	assert.Equal(t, first, sum(), "the same files, the same sum")

	// Another checkout of the same files has the same sum.
	other := t.TempDir()
	require.NoError(t, os.CopyFS(other, os.DirFS(root)))
	w, err := Open(other)
	require.NoError(t, err)
	s, err := w.Lessons[0].StubSum()
	require.NoError(t, err)
	assert.Equal(t, first, s, "the sum does not depend on where the workbook is")

	write := func(rel, text string) {
		t.Helper()
		p := filepath.Join(root, rel)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o777))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o666))
	}
	test, err := os.ReadFile(filepath.Join(l.Dir, "a_test.go"))
	require.NoError(t, err)
	write("lessons/01-demo/a_test.go", strings.ReplaceAll(string(test), "\n", "\r\n"))
	assert.Equal(t, first, sum(), "CRLF line ends (git on Windows) keep the sum")
	write("lessons/01-demo/README.md", "# Demo\n\n## Step 1: S\n\nTestStep1_A, reworded\n")
	write("lessons/01-demo/hints.md", "## Step 1\n\n- a hint\n")
	assert.Equal(t, first, sum(), "Markdown does not change how the tests run")

	last := first
	for _, rel := range []string{"lessons/01-demo/a.go", "lessons/01-demo/testdata/in.txt", "lessons/01-demo/cmd/x/main.go", "testscripts/01-demo/echo.txtar", "lessons/01-demo/a_test.go"} {
		write(rel, "changed "+rel)
		got := sum()
		assert.NotEqual(t, last, got, "the sum must change when %s changes", rel)
		last = got
	}
}

func TestStubSumsFile(t *testing.T) {
	l := scenarioWorkbook(t, 1, nil)
	root := filepath.Dir(filepath.Dir(l.Dir))
	sums, err := ReadStubSums(root)
	require.NoError(t, err, "no file is no error")
	assert.Empty(t, sums)

	// A lesson that is gone loses its line; the others keep theirs.
	stale := "02-gone " + strings.Repeat("ab", 32) + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(root, StubSumsFile), []byte(stale), 0o666))
	w, err := Open(root)
	require.NoError(t, err)
	require.Empty(t, w.Strays, "%s is no stray lesson", StubSumsFile)
	require.NoError(t, w.WriteStubSums(w.Lessons))
	b, err := os.ReadFile(filepath.Join(root, StubSumsFile))
	require.NoError(t, err)
	want, err := l.StubSum()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "# "), "the file says what it is:\n%s", b)
	assert.Contains(t, string(b), "\n01-demo "+want+"\n")
	assert.NotContains(t, string(b), "02-gone")
	sums, err = ReadStubSums(root)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"01-demo": want}, sums)

	for _, bad := range []string{"01-demo\n", "01-demo nothex\n", "01-demo " + strings.Repeat("ab", 31) + "\n", "demo " + want + "\n"} {
		_, err := parseStubSums(strings.NewReader("# comment\n\n" + bad))
		assert.ErrorContains(t, err, StubSumsFile+":3: ", "line 3 (%q) is not NN-name <sum>", bad)
	}
}

// TestCheckManySkipsShippedLessons: a lesson whose files have the sum in
// StubSumsFile does not run with SkipShipped: it stands as failing every
// step, which kata verify proved of those files. Here the tests pass, so
// a result that says they fail shows that nothing ran.
func TestCheckManySkipsShippedLessons(t *testing.T) {
	l := scenarioWorkbook(t, 1, nil)
	root := filepath.Dir(filepath.Dir(l.Dir))
	w, err := Open(root)
	require.NoError(t, err)
	require.NoError(t, w.WriteStubSums(w.Lessons))
	l = w.Lessons[0]
	ctx := context.Background()

	r := CheckMany(ctx, root, []*Lesson{l}, CheckOptions{SkipShipped: true})[0]
	require.NoError(t, r.Err)
	assert.True(t, r.Shipped, "the files are as shipped")
	assert.Equal(t, 0, r.Passed(), "a lesson as shipped fails every step without a run")
	assert.Contains(t, r.Steps[0].Failing, "TestStep1_A")
	assert.Empty(t, r.Trouble)

	r = CheckMany(ctx, root, []*Lesson{l}, CheckOptions{})[0]
	require.NoError(t, r.Err)
	assert.False(t, r.Shipped)
	assert.Equal(t, 1, r.Passed(), "without SkipShipped the tests run (and pass)")

	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "a.go"), []byte("package demo\n"), 0o666))
	r = CheckMany(ctx, root, []*Lesson{l}, CheckOptions{SkipShipped: true})[0]
	require.NoError(t, r.Err)
	assert.False(t, r.Shipped, "a lesson the student changed runs")
	assert.Equal(t, 1, r.Passed())
}

// TestStubSumCountsLinkedFiles: go builds a file that is a symbolic link,
// so a link the student adds (or a file replaced by one) changes the sum;
// a broken link is no sum at all, never the shipped one.
func TestStubSumCountsLinkedFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	cases := []struct {
		name   string
		link   string // in the lesson folder
		target string // "" for a broken link
	}{
		{"a new file that links elsewhere", "extra.go", "package demo\n\nfunc init() {}\n"},
		{"a new test that links elsewhere", "extra_test.go", "package demo\n"},
		{"a broken link", "extra.go", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := scenarioWorkbook(t, 1, nil)
			shipped, err := l.StubSum()
			require.NoError(t, err)
			target := filepath.Join(t.TempDir(), "elsewhere.go")
			if c.target != "" {
				require.NoError(t, os.WriteFile(target, []byte(c.target), 0o666))
			}
			require.NoError(t, os.Symlink(target, filepath.Join(l.Dir, c.link)))
			got, err := l.StubSum()
			if c.target == "" {
				assert.Error(t, err, "StubSum with a broken link = %q", got)
				return
			}
			require.NoError(t, err)
			assert.NotEqual(t, shipped, got, "a linked %s must change the sum", c.link)
		})
	}
}

// TestStubSumLeavesOutWhatGoTestLeavesBehind: files that go test -c,
// -coverprofile and -cpuprofile write where they run (and .gitignore
// keeps out of git) change no run and are never shipped, so they keep the
// sum: else a maintainer's verify would fail a correct tree, and
// verify -write would commit a sum no clone has.
func TestStubSumLeavesOutWhatGoTestLeavesBehind(t *testing.T) {
	for _, junk := range []string{"demo.test", "c.out", "cpu.prof", "cmd/x/x.test"} {
		t.Run(junk, func(t *testing.T) {
			l := scenarioWorkbook(t, 1, nil)
			shipped, err := l.StubSum()
			require.NoError(t, err)
			p := filepath.Join(l.Dir, filepath.FromSlash(junk))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o777))
			require.NoError(t, os.WriteFile(p, []byte("\x7fELF..."), 0o666))
			got, err := l.StubSum()
			require.NoError(t, err)
			assert.Equal(t, shipped, got, "lessons/01-demo/%s changed the sum", junk)
		})
	}
	t.Run("test data", func(t *testing.T) {
		l := scenarioWorkbook(t, 1, nil)
		shipped, err := l.StubSum()
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(l.Dir, "testdata"), 0o777))
		require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "testdata", "want.out"), []byte("x"), 0o666))
		got, err := l.StubSum()
		require.NoError(t, err)
		assert.NotEqual(t, shipped, got, "testdata/want.out is test data: a test may read it")
	})
}

// TestStubSumOfABigFile: a big file in a lesson folder (lesson 04's
// client and lesson 10's fetcher save into "." by default) is no file as
// shipped: the lesson has no sum, so it runs, and kata neither reads the
// file whole into memory nor spends seconds hashing it on every run.
func TestStubSumOfABigFile(t *testing.T) {
	l := scenarioWorkbook(t, 1, nil)
	f, err := os.Create(filepath.Join(l.Dir, "ubuntu.iso"))
	require.NoError(t, err)
	require.NoError(t, f.Truncate(512<<20)) // sparse: no disk used
	require.NoError(t, f.Close())

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	sum, err := l.StubSum()
	runtime.ReadMemStats(&after)
	assert.Error(t, err, "StubSum = %s", sum)
	assert.ErrorContains(t, err, "ubuntu.iso")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "StubSum allocated %d MB", (after.TotalAlloc-before.TotalAlloc)>>20)
	assert.Empty(t, shipped([]*Lesson{l}, map[string]string{l.Name: strings.Repeat("ab", 32)}), "a lesson without a sum is not as shipped")
}

// TestStubSumIsTheSameOnEveryOS: the sum orders files by their path with
// "/" between folders, as it hashes them, so a clone on Windows (where
// "\" sorts after letters and digits, "/" before them) has the shipped
// sums: here "x/f.txt" comes before "x0.txt".
func TestStubSumIsTheSameOnEveryOS(t *testing.T) {
	root := t.TempDir()
	l := &Lesson{Name: "01-demo", Dir: filepath.Join(root, "lessons", "01-demo"), ScriptDir: filepath.Join(root, "testscripts", "01-demo")}
	for rel, text := range map[string]string{"x/f.txt": "f\n", "x0.txt": "x0\n", "a.go": "package demo\n"} {
		p := filepath.Join(l.Dir, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o777))
		require.NoError(t, os.WriteFile(p, []byte(text), 0o666))
	}
	got, err := l.StubSum()
	require.NoError(t, err)
	assert.Equal(t, "0c5292496961a6a57991c5a41d81919ecb023e1ae2ab7ab3b543a21eb069ccd6", got, "the sum (by the same rule, Windows sorted x0.txt first and got 68b23de2...)")
}
