package verify

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/fixture"
	"github.com/netkata/netkata/internal/workbook"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checker opens the workbook in dir for checks without -race (the fixture
// needs none, and race builds are slow).
func checker(t *testing.T, dir string) (*Checker, *workbook.Lesson) {
	t.Helper()
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	require.NotEmpty(t, w.Lessons)
	return &Checker{Workbook: w, Timeout: 2 * time.Minute, Parallel: 2, Tmp: t.TempDir()}, w.Lessons[0]
}

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old, "fixture file %s changed; update the test", path)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o666))
}

func write(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(text), 0o666))
}

// mutant returns the lesson's mutant called name.
func mutant(t *testing.T, l *workbook.Lesson, name string) *workbook.Mutant {
	t.Helper()
	ms, err := l.Mutants()
	require.NoError(t, err)
	for _, m := range ms {
		if m.Name == name {
			return m
		}
	}
	t.Fatalf("no mutant %s in %s", name, l.Name)
	return nil
}

// halfDiff is a patch of the fixture solution's Half, returning expr.
func halfDiff(expr string) string {
	return "--- a/arith.go\n+++ b/arith.go\n@@ -7,5 +7,5 @@\n \n // Half returns n divided by two, rounded toward zero.\n func Half(n int) (int, error) {\n-\treturn n / 2, nil\n+\treturn " + expr + "\n }\n"
}

func TestRunReportsEveryCheckInOrder(t *testing.T) {
	t.Parallel()
	c, _ := checker(t, fixture.Workbook(t))
	var reported []Result
	all := c.Run(context.Background(), "01", func(r Result) { reported = append(reported, r) })
	require.Equal(t, all, reported, "Run returns what it reports, in the same order")
	var kinds []string
	for _, r := range all {
		assert.True(t, r.OK, "%s %s: %s\n%s", r.Kind, r.Name, r.Text, r.Detail)
		assert.Empty(t, r.Failed, r.Text)
		kinds = append(kinds, string(r.Kind)+" "+r.Name)
	}
	assert.Equal(t, []string{
		"build go build ./...", "build go vet ./...", "build gofmt",
		"parity ", "layout ", "solution ", "stubs ",
		"mutant double-adds-one", "mutant double-squares", "mutant half-rounds-up", "mutant half-shifts",
		"variant double-by-multiplication", "variant double-in-a-helper-file", "variant half-by-division-of-negation",
	}, kinds)
	assert.Equal(t, "layout: 2 steps, 2 tests, 1 stub files with solutions, 4 mutants, 3 variants, hints for every step", all[4].Text)
	assert.Regexp(t, `^solution: 2 tests pass with -shuffle=on \(`, all[5].Text)
	assert.Regexp(t, `^stubs: all 2 tests fail, as they should \(`, all[6].Text)
	assert.Regexp(t, `^mutant half-shifts caught by TestStep2_Half \(`, all[10].Text)
	assert.Equal(t, "01-demo", all[5].Lesson)
	assert.Positive(t, all[5].Elapsed, "the go test run is timed")
}

func TestRunReportsStrayLessonFolders(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "lessons/2-oops"), 0o777))
	// Nothing else to run: the stray is all there is.
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "lessons/01-demo")))
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "solutions/01-demo")))
	c, err := workbook.Open(dir)
	require.NoError(t, err)
	all := (&Checker{Workbook: c, Timeout: time.Minute, Tmp: t.TempDir()}).Run(context.Background(), "", func(Result) {})
	require.GreaterOrEqual(t, len(all), 2)
	assert.Equal(t, Result{Kind: Lessons, Text: "lessons: no lesson folders found under lessons/ (nothing ran is not a pass)"}, all[0])
	assert.Equal(t, Lessons, all[1].Kind)
	assert.False(t, all[1].OK)
	assert.Contains(t, all[1].Text, "lessons/2-oops is not a lesson folder")
}

func TestSolutionFailsWhenItIsTheStub(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	stub, err := os.ReadFile(filepath.Join(dir, "lessons/01-demo/arith.go"))
	require.NoError(t, err)
	write(t, filepath.Join(dir, "solutions/01-demo/arith.go"), string(stub))
	c, l := checker(t, dir)
	r := c.Solution(context.Background(), l, nil)
	assert.False(t, r.OK)
	assert.Equal(t, Solution, r.Kind)
	assert.Equal(t, "solution: 2 of 2 tests do not pass on the reference", r.Text)
	assert.Equal(t, []string{"TestStep1_Double", "TestStep2_Half"}, r.Failed)
	assert.Contains(t, r.Detail, "TestStep1_Double fails\nTestStep2_Half fails\n")
}

func TestStubsFailWhenATestPassesOnTheStub(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	// This test skips every case the stub gets wrong.
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"),
		"if err != nil || got != 2*n {", "if err == nil && got != 2*n {")
	c, l := checker(t, dir)
	r := c.Stubs(context.Background(), l)
	assert.False(t, r.OK)
	assert.Equal(t, "stubs: TestStep1_Double pass on the stub: a test that passes on a stub teaches nothing", r.Text)
	assert.Equal(t, []string{"TestStep1_Double"}, r.Failed)
}

// TestStubsNeedTheLessonsSum: the stubs check vouches for the sum in
// lessons/stubs.sum (a student's kata does not run a lesson whose files
// have it), so a sum that is missing or not the files' fails it, and
// -write (WriteSums) puts the files' sum there.
func TestStubsNeedTheLessonsSum(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	c, l := checker(t, dir)
	ctx := context.Background()
	require.True(t, c.Stubs(ctx, l).OK, "the fixture ships its sum")

	// A changed test (still failing on the stub) makes the sum stale.
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), "func TestStep1_Double(", "// A comment.\nfunc TestStep1_Double(")
	r := c.Stubs(ctx, l)
	assert.False(t, r.OK)
	assert.Regexp(t, `^stubs: all 2 tests fail, but lessons/stubs.sum has another sum for the lesson \([0-9a-f]{12}\), not its files' \([0-9a-f]{12}\); run go run ./cmd/kata verify -write -lesson 01 `, r.Text)

	require.NoError(t, os.Remove(filepath.Join(dir, workbook.StubSumsFile)))
	r = c.Stubs(ctx, l)
	assert.False(t, r.OK)
	assert.Contains(t, r.Text, "lessons/stubs.sum has no sum for the lesson; run go run ./cmd/kata verify -write -lesson 01")

	c.WriteSums = true
	for _, r := range c.Run(ctx, "01", func(Result) {}) {
		assert.True(t, r.OK, "%s %s: %s\n%s", r.Kind, r.Name, r.Text, r.Detail)
	}
	sums, err := workbook.ReadStubSums(dir)
	require.NoError(t, err)
	want, err := l.StubSum()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"01-demo": want}, sums)
}

func TestMutantThatSurvivesShowsTheTestsOutput(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	write(t, filepath.Join(dir, "solutions/01-demo/mutants/half-times-two-over-four.patch"),
		"Mutant: half computed another way that the tests cannot tell apart.\nCaught by: TestStep2_Half\n\n"+halfDiff("(n * 2) / 4, nil"))
	c, l := checker(t, dir)
	r := c.Mutant(context.Background(), l, mutant(t, l, "half-times-two-over-four"))
	assert.False(t, r.OK)
	assert.Equal(t, Mutant, r.Kind)
	assert.Equal(t, "half-times-two-over-four", r.Name)
	assert.Equal(t, "mutant half-times-two-over-four SURVIVED: TestStep2_Half passed with it (half computed another way that the tests cannot tell apart.)", r.Text)
	assert.Equal(t, []string{"TestStep2_Half"}, r.Failed)
	assert.Contains(t, r.Detail, "output of TestStep2_Half with the mutant:\n")
	assert.Contains(t, r.Detail, "--- PASS: TestStep2_Half")
}

func TestMutantCaughtOnlyByTheCompilerFails(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	write(t, filepath.Join(dir, "solutions/01-demo/mutants/typo.patch"), "Mutant: a typo.\nCaught by: TestStep2_Half\n\n"+halfDiff("n / 2"))
	c, l := checker(t, dir)
	r := c.Mutant(context.Background(), l, mutant(t, l, "typo"))
	assert.False(t, r.OK)
	assert.Equal(t, "mutant typo does not compile: it is caught by the compiler, not by a test", r.Text)
	assert.NotEmpty(t, r.Detail, "the compiler's output is shown")
}

func TestVariantThatFailsNamesItsTests(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	// Not a correct variant at all: a right shift rounds -5 down to -3.
	write(t, filepath.Join(dir, "solutions/01-demo/variants/half-shifts-right.patch"),
		"Variant: a right shift instead of a division.\n\n"+halfDiff("n >> 1, nil"))
	c, l := checker(t, dir)
	vs, err := l.Variants()
	require.NoError(t, err)
	for _, vr := range vs {
		r := c.Solution(context.Background(), l, vr)
		if vr.Name != "half-shifts-right" {
			assert.True(t, r.OK, "the other variants still pass: %s\n%s", r.Text, r.Detail)
			continue
		}
		assert.False(t, r.OK)
		assert.Equal(t, Variant, r.Kind)
		assert.Equal(t, "variant half-shifts-right: 1 of 2 tests do not pass on this correct variant (a right shift instead of a division.)", r.Text)
		assert.Equal(t, []string{"TestStep2_Half"}, r.Failed)
		assert.Contains(t, r.Detail, "TestStep2_Half fails\n")
		assert.Contains(t, r.Detail, "Half(-5) = -3, <nil>; want -2, nil", "the failing test's output is shown")
	}
}

func TestLayoutRejectsMalformedVariants(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	vdir := filepath.Join(dir, "solutions/01-demo/variants")
	diff := halfDiff("n / 2.0, nil")
	write(t, filepath.Join(vdir, "no-header.patch"), diff)
	write(t, filepath.Join(vdir, "caught.patch"), "Variant: x.\nCaught by: TestStep2_Half\n\n"+diff)
	write(t, filepath.Join(vdir, "notes.txt"), "x")
	c, l := checker(t, dir)
	r := c.Layout(l)
	assert.False(t, r.OK)
	assert.Equal(t, Layout, r.Kind)
	assert.Equal(t, "layout: 3 problems", r.Text)
	assert.Contains(t, r.Detail, "no-header.patch: the patch must start with a \"Variant: <how it differs from the reference>\" line")
	assert.Contains(t, r.Detail, "caught.patch: a variant is a correct solution")
	assert.Contains(t, r.Detail, "notes.txt: only NAME.patch files belong in a variants folder")
}

func TestUnformattedListsFilesGofmtWouldChange(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "good.go"), "package x\n")
	write(t, filepath.Join(dir, "bad.go"), "package  x\n")
	write(t, filepath.Join(dir, "broken.go"), "package\n")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "vendor"), 0o777))
	write(t, filepath.Join(dir, "vendor", "skipped.go"), "package  x\n")
	bad, err := Unformatted(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"bad.go", "broken.go"}, bad)
}

func TestShortTimeoutsAllowOnlyTestsThatPassWithIt(t *testing.T) {
	s := &shortTimeouts{pass: map[string]bool{"TestStep1_A": true, "TestStep2_B": true}}
	assert.True(t, s.allow([]string{"TestStep1_A", "TestStep2_B"}))
	assert.False(t, s.allow([]string{"TestStep1_A", "TestStep3_C"}), "one test that needs the long timeout keeps it")
	assert.False(t, s.allow(nil), "no tests, no short timeout")
}

func TestTimeoutDoesNotCountBuilding(t *testing.T) {
	// -timeout bounds running a test binary. Here the go command waits 3s
	// before it starts, as a build on a busy machine may: with a 1s timeout,
	// the check must still pass.
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in go command is a shell script")
	}
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err)
	bin := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\nsleep 3\nexec '"+goCmd+"' \"$@\"\n"), 0o755))
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	c, l := checker(t, fixture.Workbook(t))
	c.Timeout = time.Second
	r := c.Solution(context.Background(), l, nil)
	assert.True(t, r.OK, "%s\n%s", r.Text, r.Detail)
	assert.GreaterOrEqual(t, r.Elapsed, 3*time.Second, "the go command waited before building")
}
