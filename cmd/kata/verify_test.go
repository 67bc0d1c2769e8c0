package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/workbook"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyFixture copies testdata/fixture, a tiny workbook with one lesson, to
// a temporary folder the test may break.
func copyFixture(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir("testdata/fixture", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/fixture", p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o777)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o666)
	})
	require.NoError(t, err)
	return dst
}

// verifyIn runs kata verify in dir and returns its output and error.
func verifyIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runVerify(context.Background(), &env{stdout: &out, stderr: &errOut, dir: dir}, args)
	return out.String() + errOut.String(), err
}

var summaryRE = regexp.MustCompile(`(?m)^verify: (\d+) passed, (\d+) failed\n\z`)

func edit(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old, "fixture file %s changed; update the test", path)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o666))
}

func TestVerifyPassesOnFixture(t *testing.T) {
	t.Parallel()
	out, err := verifyIn(t, copyFixture(t))
	require.NoError(t, err, "verify on the fixture workbook:\n%s", out)
	m := summaryRE.FindStringSubmatch(out)
	require.NotNil(t, m, "verify must end with one line 'verify: N passed, M failed'; got:\n%s", out)
	assert.Equal(t, "0", m[2], out)
	for _, want := range []string{
		"ok    01-demo            layout: 2 steps, 2 tests, 1 stub files with solutions, 4 mutants, 3 variants",
		"ok    01-demo            variant double-in-a-helper-file: 2 tests pass",
		"ok    01-demo            variant half-by-division-of-negation: 2 tests pass",
		"ok    01-demo            solution: 2 tests pass",
		"ok    01-demo            stubs: all 2 tests fail",
		"ok    01-demo            mutant half-shifts caught by TestStep2_Half",
		"ok    01-demo            mutant double-squares caught by TestStep1_Double",
		"ok    01-demo            parity: README.zh-CN.md and hints.zh-CN.md agree with English: 2 steps, 2 test names, 0 code blocks, 4 hints, 0 links",
	} {
		assert.Contains(t, out, want)
	}
}

func TestVerifyFailsWhenSolutionIsTheStub(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	stub, err := os.ReadFile(filepath.Join(dir, "lessons/01-demo/arith.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions/01-demo/arith.go"), stub, 0o666))
	out, err := verifyIn(t, dir, "-lesson", "01")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            solution: 2 of 2 tests do not pass on the reference")
	assert.Regexp(t, `verify: \d+ passed, [1-9]\d* failed\n$`, out)
}

func TestVerifyFailsWhenATestPassesOnTheStub(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	// A test that forgets to check the error passes on a stub returning 0, ErrTODO for n == 0 only;
	// this one skips every case the stub gets wrong.
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"),
		"if err != nil || got != 2*n {", "if err == nil && got != 2*n {")
	out, err := verifyIn(t, dir, "-lesson", "01")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            stubs: TestStep1_Double pass on the stub: a test that passes on a stub teaches nothing")
}

func TestVerifyFailsWhenAMutantSurvives(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	patch := "Mutant: half computed another way that the tests cannot tell apart.\nCaught by: TestStep2_Half\n\n" +
		"--- a/arith.go\n+++ b/arith.go\n@@ -7,5 +7,5 @@\n \n // Half returns n divided by two, rounded toward zero.\n func Half(n int) (int, error) {\n-\treturn n / 2, nil\n+\treturn (n * 2) / 4, nil\n }\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions/01-demo/mutants/half-times-two-over-four.patch"), []byte(patch), 0o666))
	out, err := verifyIn(t, dir, "-lesson", "01")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            mutant half-times-two-over-four SURVIVED: TestStep2_Half passed with it")
	assert.Contains(t, out, "      output of TestStep2_Half with the mutant:\n", "the named test's output is shown")
	assert.Contains(t, out, "--- PASS: TestStep2_Half")
}

func TestVerifyFailsWhenAVariantFails(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	// Not a correct variant at all: a right shift rounds -5 down to -3.
	patch := "Variant: a right shift instead of a division.\n\n" +
		"--- a/arith.go\n+++ b/arith.go\n@@ -7,5 +7,5 @@\n \n // Half returns n divided by two, rounded toward zero.\n func Half(n int) (int, error) {\n-\treturn n / 2, nil\n+\treturn n >> 1, nil\n }\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions/01-demo/variants/half-shifts-right.patch"), []byte(patch), 0o666))
	out, err := verifyIn(t, dir, "-lesson", "01")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            variant half-shifts-right: 1 of 2 tests do not pass on this correct variant (a right shift instead of a division.)")
	assert.Contains(t, out, "      TestStep2_Half fails\n", "the failing test is named")
	assert.Contains(t, out, "Half(-5) = -3, <nil>; want -2, nil", "the failing test's output is shown")
	assert.Contains(t, out, "ok    01-demo            variant double-in-a-helper-file: 2 tests pass", "the other variants still pass")
}

func TestVerifyRejectsMalformedVariants(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	vdir := filepath.Join(dir, "solutions/01-demo/variants")
	diff := "--- a/arith.go\n+++ b/arith.go\n@@ -7,5 +7,5 @@\n \n // Half returns n divided by two, rounded toward zero.\n func Half(n int) (int, error) {\n-\treturn n / 2, nil\n+\treturn n / 2.0, nil\n }\n"
	require.NoError(t, os.WriteFile(filepath.Join(vdir, "no-header.patch"), []byte(diff), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(vdir, "caught.patch"), []byte("Variant: x.\nCaught by: TestStep2_Half\n\n"+diff), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(vdir, "notes.txt"), []byte("x"), 0o666))
	// Only the layout matters here: -j 1 and a short limit keep the rest cheap.
	out, err := verifyIn(t, dir, "-lesson", "01", "-j", "1")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            layout: 3 problems")
	assert.Contains(t, out, "no-header.patch: the patch must start with a \"Variant: <how it differs from the reference>\" line")
	assert.Contains(t, out, "caught.patch: a variant is a correct solution")
	assert.Contains(t, out, "notes.txt: only NAME.patch files belong in a variants folder")
}

func TestVerifyReportsMutantCaughtOnlyByTheCompiler(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	patch := "Mutant: a typo.\nCaught by: TestStep2_Half\n\n" +
		"--- a/arith.go\n+++ b/arith.go\n@@ -7,5 +7,5 @@\n \n // Half returns n divided by two, rounded toward zero.\n func Half(n int) (int, error) {\n-\treturn n / 2, nil\n+\treturn n / 2\n }\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions/01-demo/mutants/typo.patch"), []byte(patch), 0o666))
	out, err := verifyIn(t, dir, "-lesson", "01")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "mutant typo does not compile")
}

func TestVerifyFailsOnStrayLessonFolder(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "lessons/2-oops"), 0o777))
	// Only the layout matters here: break the stub so nothing slow runs.
	out, err := verifyIn(t, dir, "-j", "1", "-timeout", "1m")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "lessons/2-oops is not a lesson folder")
}

// writeBaseline writes a mutation baseline for the fixture lesson whose
// inputs match the tree, as if gremlins had reported ms.
func writeBaseline(t *testing.T, dir string, ms []workbook.GremlinsMutant) *workbook.Lesson {
	t.Helper()
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	l := w.Lessons[0]
	tree, err := l.MaterialiseSolution(dir, filepath.Join(t.TempDir(), "tree"))
	require.NoError(t, err)
	require.NoError(t, l.WriteMutationBaseline(&workbook.MutationBaseline{Inputs: tree.Inputs, Elapsed: time.Second, Mutants: ms}))
	return l
}

func TestVerifyMutationFailsOnAnUnlistedSurvivor(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	writeBaseline(t, dir, []workbook.GremlinsMutant{
		{File: "arith.go", Line: 5, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantKilled},
		{File: "arith.go", Line: 10, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantLived},
	})
	out, err := verifyIn(t, dir, "-mutation", "-cached")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            mutation: killed 1, lived 1 (0 equivalent), not covered 0, timed out 0: efficacy 50.0%")
	assert.Contains(t, out, "arith.go:10:11 ARITHMETIC_BASE LIVED: the tests pass with it")
	assert.Regexp(t, `arith.go:10:11 ARITHMETIC_BASE\s+return n / 2, nil`, out, "the survivor is shown with its source line")

	// Listed as equivalent (with a reason), it no longer fails, and is left out of the figures.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions/01-demo", workbook.EquivalentMutantsFile),
		[]byte("# file:line:col MUTATOR reason\narith.go:10:11 ARITHMETIC_BASE  pretend: nothing can tell n*2 from n/2 here\n"), 0o666))
	out, err = verifyIn(t, dir, "-mutation", "-cached")
	require.NoError(t, err, out)
	assert.Contains(t, out, "ok    01-demo            mutation: killed 1, lived 1 (1 equivalent), not covered 0, timed out 0: efficacy 100.0%, mutant coverage 100.0%")
}

func TestVerifyMutationRejectsStaleEquivalents(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	writeBaseline(t, dir, []workbook.GremlinsMutant{
		{File: "arith.go", Line: 5, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantKilled},
	})
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions/01-demo", workbook.EquivalentMutantsFile),
		[]byte("arith.go:5:11 ARITHMETIC_BASE  wrongly listed\narith.go:99:1 INVERT_NEGATIVES  gone\n"), 0o666))
	out, err := verifyIn(t, dir, "-mutation", "-cached")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "arith.go:5:11 ARITHMETIC_BASE is listed as equivalent, but the tests kill it")
	assert.Contains(t, out, "arith.go:99:1 INVERT_NEGATIVES is listed in equivalent-mutants.txt, but gremlins made no such mutant")
}

func TestVerifyMutationRerunsWhenInputsChange(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	writeBaseline(t, dir, []workbook.GremlinsMutant{
		{File: "arith.go", Line: 5, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantKilled},
	})
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), "{1, 0}", "{1, 0}, {7, 3}")
	out, _ := verifyIn(t, dir, "-mutation", "-cached")
	assert.NotContains(t, out, "inputs unchanged", "a changed test invalidates the baseline")
	if _, err := findGremlins(dir); err != nil {
		assert.Contains(t, out, "gremlins is not installed", "without a current baseline, gremlins must run")
	} else {
		assert.Contains(t, out, "ok    01-demo            mutation: killed 2, lived 0", "gremlins ran again")
	}
}

func TestVerifyMutationRunsGremlins(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gremlins")
	}
	t.Parallel()
	dir := copyFixture(t)
	if _, err := findGremlins(dir); err != nil {
		t.Skip(err)
	}
	// A hole: Double is tested on 0 only, so n + n -> n - n lives.
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), "[]int{0, 2, -3, 7}", "[]int{0}")
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), "if err != nil || got != 2*n {", "if got != 2*n {")
	out, err := verifyIn(t, dir, "-mutation", "-write")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            mutation: killed 1, lived 1 (0 equivalent)")
	assert.Contains(t, out, "arith.go:5:11 ARITHMETIC_BASE LIVED")
	b, err := os.ReadFile(filepath.Join(dir, "solutions/01-demo", workbook.MutationBaselineFile))
	require.NoError(t, err)
	assert.Contains(t, string(b), "LIVED\tarith.go:5:11 ARITHMETIC_BASE\treturn n + n, nil\n")
}

func TestVerifyMutationRunsCaseConditions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gremlins")
	}
	t.Parallel()
	dir := copyFixture(t)
	if _, err := findGremlins(dir); err != nil {
		t.Skip(err)
	}
	// gremlins calls every mutant in a case condition NOT COVERED (Go's
	// coverage blocks leave case conditions out); verify runs them itself.
	sign := "\n// Sign returns -1, 0 or 1.\nfunc Sign(n int) int {\n\tswitch {\n\tcase n < 0:\n\t\treturn -1\n\tcase n > 0:\n\t\treturn 1\n\t}\n\treturn 0\n}\n"
	for _, p := range []string{"lessons/01-demo/arith.go", "solutions/01-demo/arith.go"} {
		f, err := os.OpenFile(filepath.Join(dir, p), os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString(sign)
		require.NoError(t, err)
		require.NoError(t, f.Close())
	}
	f, err := os.OpenFile(filepath.Join(dir, "lessons/01-demo/arith_test.go"), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString("\nfunc TestStep2_Sign(t *testing.T) {\n\tfor n, want := range map[int]int{-2: -1, 0: 0, 3: 1} {\n\t\tif got := Sign(n); got != want {\n\t\t\tt.Errorf(\"Sign(%d) = %d, want %d\", n, got, want)\n\t\t}\n\t}\n}\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())

	out, err := verifyIn(t, dir, "-mutation", "-lesson", "01")
	require.NoError(t, err, out)
	// Double, Half, return -1 twice (gremlins) and 4 in the two case conditions (verify).
	assert.Contains(t, out, "ok    01-demo            mutation: killed 8, lived 0 (0 equivalent), not covered 0, timed out 0")
	assert.Contains(t, out, "4 case-condition mutants run by verify")
}
