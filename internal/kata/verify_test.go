package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/fixture"
	"github.com/netkata/netkata/internal/workbook"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The checks themselves are tested in internal/verify; these tests are of
// the command: its flags, its report and its exit status.

// verifyIn runs kata verify in dir and returns its output and error.
func verifyIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := runVerify(context.Background(), &env{stdout: &out, stderr: &errOut, dir: dir}, args)
	return out.String() + errOut.String(), err
}

var summaryRE = regexp.MustCompile(`(?m)^verify: (\d+) passed, (\d+) failed\n\z`)

func TestVerifyPassesOnFixture(t *testing.T) {
	t.Parallel()
	out, err := verifyIn(t, fixture.Workbook(t))
	require.NoError(t, err, "verify on the fixture workbook:\n%s", out)
	m := summaryRE.FindStringSubmatch(out)
	require.NotNil(t, m, "verify must end with one line 'verify: N passed, M failed'; got:\n%s", out)
	assert.Equal(t, "0", m[2], out)
	for _, want := range []string{
		"ok    -                  go build ./... (",
		"ok    -                  gofmt: every .go file is formatted\n",
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

func TestVerifyPrintsAFailureWithItsDetail(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	patch := "Mutant: half computed another way that the tests cannot tell apart.\nCaught by: TestStep2_Half\n\n" +
		"--- a/arith.go\n+++ b/arith.go\n@@ -7,5 +7,5 @@\n \n // Half returns n divided by two, rounded toward zero.\n func Half(n int) (int, error) {\n-\treturn n / 2, nil\n+\treturn (n * 2) / 4, nil\n }\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions/01-demo/mutants/half-times-two-over-four.patch"), []byte(patch), 0o666))
	out, err := verifyIn(t, dir, "-lesson", "01")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            mutant half-times-two-over-four SURVIVED: TestStep2_Half passed with it")
	assert.Contains(t, out, "      output of TestStep2_Half with the mutant:\n", "the detail is indented under its line")
	assert.Regexp(t, `verify: \d+ passed, 1 failed\n$`, out)
}

func TestVerifyRejectsMutationFlagsWithoutMutation(t *testing.T) {
	t.Parallel()
	_, err := verifyIn(t, fixture.Workbook(t), "-cached")
	assert.ErrorContains(t, err, "-cached and -workers go with -mutation")
}

func TestVerifyMutationPrintsEachLesson(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	l := w.Lessons[0]
	tree, err := l.MaterialiseSolution(dir, filepath.Join(t.TempDir(), "tree"))
	require.NoError(t, err)
	require.NoError(t, l.WriteMutationBaseline(&workbook.MutationBaseline{Inputs: tree.Inputs, Elapsed: time.Second, Mutants: []workbook.GremlinsMutant{
		{File: "arith.go", Line: 5, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantKilled},
		{File: "arith.go", Line: 10, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantLived},
	}}))
	out, err := verifyIn(t, dir, "-mutation", "-cached")
	require.True(t, errors.Is(err, errSilent), "verify must fail; output:\n%s", out)
	assert.Contains(t, out, "FAIL  01-demo            mutation: killed 1, lived 1 (0 equivalent), not covered 0, timed out 0: efficacy 50.0%")
	assert.Regexp(t, `\n        arith.go:10:11 ARITHMETIC_BASE\s+return n / 2, nil\n`, out, "the survivor is shown with its source line, indented")
	assert.Regexp(t, `verify -mutation: 0 passed, 1 failed\n$`, out)
}
