package main

import (
	"bytes"
	"context"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/workbook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newIn runs kata new-step or new-lesson (args[0]) in dir and returns its
// output and error.
func newIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := map[string]func(context.Context, *env, []string) error{"new-step": runNewStep, "new-lesson": runNewLesson}[args[0]]
	err := cmd(context.Background(), &env{stdout: &out, stderr: &out, dir: dir}, args[1:])
	return out.String(), err
}

// layoutProblems returns verify's layout problems for a lesson of the
// workbook in dir, as text.
func layoutProblems(t *testing.T, dir, lesson string) []string {
	t.Helper()
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	l, err := w.Lesson(lesson)
	require.NoError(t, err)
	var got []string
	for _, err := range l.CheckLayout() {
		got = append(got, err.Error())
	}
	return got
}

// requireGofmt checks that the Go file at path is formatted as gofmt would.
func requireGofmt(t *testing.T, path string) {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	formatted, err := format.Source(src)
	require.NoError(t, err, "%s does not parse:\n%s", path, src)
	require.Equal(t, string(formatted), string(src), "%s is not gofmt'ed", path)
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestNewStepWritesAStepThatFailsOnlyOnItsHints(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	out, err := newIn(t, dir, "new-step", "01", "Triple it (三倍)")
	require.NoError(t, err, "kata new-step 01 \"Triple it (三倍)\":\n%s", out)

	lesson := filepath.Join(dir, "lessons", "01-demo")
	for _, f := range []string{
		filepath.Join(lesson, "3_tripleit_test.go"),
		filepath.Join(lesson, "tripleit.go"),
		filepath.Join(dir, "solutions", "01-demo", "tripleit.go"),
	} {
		requireGofmt(t, f)
	}
	assert.Contains(t, readFile(t, filepath.Join(lesson, "3_tripleit_test.go")), "func TestStep3_TripleIt(t *testing.T) {")
	stub := readFile(t, filepath.Join(lesson, "tripleit.go"))
	assert.Contains(t, stub, "// TODO(step 3)")
	assert.Contains(t, stub, "return ErrTODO")

	readmeText := readFile(t, filepath.Join(lesson, "README.md"))
	assert.True(t, strings.HasSuffix(readmeText, "## Step 3: Triple it (三倍)\n\n"+
		"<!-- TODO(step 3): the theory of this step, then what to write in tripleit.go; the contract itself is in TripleIt's doc comment. -->\n\n"+
		"Tests:\n- `TestStep3_TripleIt` TODO(step 3): what it proves, in one line.\n"), "README.md:\n%s", readmeText)
	assert.Contains(t, readFile(t, filepath.Join(lesson, "hints.md")), "- Divide by two, then mind the sign.\n\n## Step 3: Triple it (三倍)\n<!-- TODO(step 3)")

	// Of verify's layout check, only the hints are missing: the stub and
	// the solution agree, the README names the test, the stub has its TODO.
	assert.Equal(t, []string{"lessons/01-demo/hints.md: step 3 has 0 hints, want at least 2"}, layoutProblems(t, dir, "01"))

	for _, want := range []string{
		"created  lessons/01-demo/3_tripleit_test.go",
		"created  solutions/01-demo/tripleit.go",
		"added to lessons/01-demo/README.md",
		`go test -overlay "$(go run ./cmd/kata overlay 01)" -run '^TestStep3_' ./lessons/01-demo/...`,
		"[ ] hints.md, step 3: two hints or more",
		"[ ] solutions/01-demo/mutants/: a mistake",
	} {
		assert.Contains(t, out, want)
	}
}

func TestNewStepNeverOverwrites(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	lesson := filepath.Join(dir, "lessons", "01-demo")
	readmeBefore := readFile(t, filepath.Join(lesson, "README.md"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions", "01-demo", "triple.go"), []byte("package demo\n"), 0o666))

	_, err := newIn(t, dir, "new-step", "01", "Triple")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "solutions/01-demo/triple.go exists already; kata never overwrites a file")
	assert.Equal(t, readmeBefore, readFile(t, filepath.Join(lesson, "README.md")), "README.md changed, though new-step refused")
	assert.NoFileExists(t, filepath.Join(lesson, "triple.go"))
	assert.NoFileExists(t, filepath.Join(lesson, "3_triple_test.go"))

	// A name the package declares already is refused before anything is written.
	_, err = newIn(t, dir, "new-step", "01", "Half")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lessons/01-demo already declares Half (arith.go)")

	// -concept picks other file names.
	out, err := newIn(t, dir, "new-step", "01", "Triple", "-concept", "times3")
	require.NoError(t, err, out)
	assert.FileExists(t, filepath.Join(lesson, "3_times3_test.go"))
	assert.FileExists(t, filepath.Join(lesson, "times3.go"))
}

func TestNewStepUsage(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no title", []string{"new-step", "01"}, "want a lesson and a step title, got 1 arguments"},
		{"empty title", []string{"new-step", "01", " "}, "the step title must be one non-empty line"},
		{"no ASCII word", []string{"new-step", "01", "三倍"}, `"" cannot name the step's files: give -concept NAME`},
		{"bad concept", []string{"new-step", "01", "Triple", "-concept", "Tri-ple"}, `"Tri-ple" cannot name the step's files`},
		{"bad lesson name", []string{"new-lesson", "2-x", "X"}, `"2-x" is not a lesson folder name`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newIn(t, dir, tc.args...)
			require.ErrorIs(t, err, errUsage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := newIn(t, dir, "new-lesson", "01-again", "Again")
	require.Error(t, err)
	assert.NotErrorIs(t, err, errUsage)
	assert.Contains(t, err.Error(), "lesson 01 exists already (lessons/01-demo)")
}

func TestNewStepGoesBeforeTheSectionAfterTheSteps(t *testing.T) {
	t.Parallel()
	text := "# Lesson 02: x\n\n## Step 1: A\n\nTests: `TestStep1_A`.\n\n## Programs\n\nrun it\n"
	got := insertStep(text, "## Step 2: B\n")
	assert.Equal(t, "# Lesson 02: x\n\n## Step 1: A\n\nTests: `TestStep1_A`.\n\n## Step 2: B\n\n## Programs\n\nrun it\n", got)
	assert.Equal(t, "# T\n\ntheory\n\n## Step 1: A\n", insertStep("# T\n\ntheory\n", "## Step 1: A\n"))
}

func TestNewLessonFailsOnlyOnWhatAPersonWrites(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	out, err := newIn(t, dir, "new-lesson", "02-dns-names", "Names (域名)", "-step", "A query")
	require.NoError(t, err, out)
	lesson := filepath.Join(dir, "lessons", "02-dns-names")
	for _, f := range []string{"lesson.go", "main_test.go", "1_aquery_test.go", "aquery.go"} {
		requireGofmt(t, filepath.Join(lesson, f))
	}
	assert.Contains(t, readFile(t, filepath.Join(lesson, "lesson.go")), "package dnsnames")
	assert.True(t, strings.HasPrefix(readFile(t, filepath.Join(lesson, "README.md")), "# Lesson 02: Names (域名)\n"))
	assert.Equal(t, []string{
		"lessons/02-dns-names/hints.md: step 1 has 0 hints, want at least 2",
		"solutions/02-dns-names/mutants: 0 mutants, want at least 4",
	}, layoutProblems(t, dir, "02"))
	assert.Contains(t, out, "solutions/02-dns-names/mutants/ and variants/: at least 4 mutants and 3 variants")
}
