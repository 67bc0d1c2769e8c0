package verify

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/fixture"
	"github.com/netkata/netkata/internal/workbook"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeBaseline writes a mutation baseline for the fixture lesson whose
// inputs match the tree, as if gremlins had reported ms.
func writeBaseline(t *testing.T, dir string, ms []workbook.GremlinsMutant) {
	t.Helper()
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	l := w.Lessons[0]
	tree, err := l.MaterialiseSolution(dir, filepath.Join(t.TempDir(), "tree"))
	require.NoError(t, err)
	require.NoError(t, l.WriteMutationBaseline(&workbook.MutationBaseline{Inputs: tree.Inputs, Elapsed: time.Second, Mutants: ms}))
}

// gremlins judges the fixture lesson in dir's mutation score.
func gremlins(t *testing.T, dir string, g Gremlins) Result {
	t.Helper()
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	g.Workbook, g.Tmp = w, t.TempDir()
	return g.Lesson(context.Background(), w.Lessons[0])
}

func TestMutationFailsOnAnUnlistedSurvivor(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	writeBaseline(t, dir, []workbook.GremlinsMutant{
		{File: "arith.go", Line: 5, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantKilled},
		{File: "arith.go", Line: 10, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantLived},
	})
	r := gremlins(t, dir, Gremlins{Cached: true})
	assert.False(t, r.OK)
	assert.Equal(t, Mutation, r.Kind)
	assert.Equal(t, "mutation: killed 1, lived 1 (0 equivalent), not covered 0, timed out 0: efficacy 50.0%, mutant coverage 100.0% (from "+workbook.MutationBaselineFile+", inputs unchanged; the run took 1s)", r.Text)
	assert.Contains(t, r.Detail, "arith.go:10:11 ARITHMETIC_BASE LIVED: the tests pass with it")
	assert.Regexp(t, `arith.go:10:11 ARITHMETIC_BASE\s+return n / 2, nil`, r.Detail, "the survivor is shown with its source line")

	// Listed as equivalent (with a reason), it no longer fails, and is left out of the figures.
	write(t, filepath.Join(dir, "solutions/01-demo", workbook.EquivalentMutantsFile),
		"# file:line:col MUTATOR reason\narith.go:10:11 ARITHMETIC_BASE  pretend: nothing can tell n*2 from n/2 here\n")
	r = gremlins(t, dir, Gremlins{Cached: true})
	assert.True(t, r.OK, r.Detail)
	assert.Contains(t, r.Text, "mutation: killed 1, lived 1 (1 equivalent), not covered 0, timed out 0: efficacy 100.0%, mutant coverage 100.0%")
}

func TestMutationRejectsStaleEquivalents(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	writeBaseline(t, dir, []workbook.GremlinsMutant{
		{File: "arith.go", Line: 5, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantKilled},
	})
	write(t, filepath.Join(dir, "solutions/01-demo", workbook.EquivalentMutantsFile),
		"arith.go:5:11 ARITHMETIC_BASE  wrongly listed\narith.go:99:1 INVERT_NEGATIVES  gone\n")
	r := gremlins(t, dir, Gremlins{Cached: true})
	assert.False(t, r.OK)
	assert.Contains(t, r.Detail, "arith.go:5:11 ARITHMETIC_BASE is listed as equivalent, but the tests kill it")
	assert.Contains(t, r.Detail, "arith.go:99:1 INVERT_NEGATIVES is listed in equivalent-mutants.txt, but gremlins made no such mutant")
}

func TestMutationRerunsWhenInputsChange(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	writeBaseline(t, dir, []workbook.GremlinsMutant{
		{File: "arith.go", Line: 5, Col: 11, Mutator: "ARITHMETIC_BASE", Status: workbook.MutantKilled},
	})
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), "{1, 0}", "{1, 0}, {7, 3}")
	// No gremlins command: a current baseline would need none.
	r := gremlins(t, dir, Gremlins{Cached: true})
	assert.False(t, r.OK)
	assert.Equal(t, "mutation: "+ErrNoGremlins.Error(), r.Text, "a changed test invalidates the baseline, so gremlins must run")
}

func TestMutationRunsGremlins(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gremlins")
	}
	t.Parallel()
	dir := fixture.Workbook(t)
	cmd, err := FindGremlins(dir)
	if err != nil {
		t.Skip(err)
	}
	// A hole: Double is tested on 0 only, so n + n -> n - n lives.
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), "[]int{0, 2, -3, 7}", "[]int{0}")
	edit(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), "if err != nil || got != 2*n {", "if got != 2*n {")
	r := gremlins(t, dir, Gremlins{Command: cmd, Write: true})
	assert.False(t, r.OK)
	assert.Contains(t, r.Text, "mutation: killed 1, lived 1 (0 equivalent)")
	assert.Contains(t, r.Detail, "arith.go:5:11 ARITHMETIC_BASE LIVED")
	b, err := os.ReadFile(filepath.Join(dir, "solutions/01-demo", workbook.MutationBaselineFile))
	require.NoError(t, err)
	assert.Contains(t, string(b), "LIVED\tarith.go:5:11 ARITHMETIC_BASE\treturn n + n, nil\n")
}

func TestMutationRunsCaseConditions(t *testing.T) {
	if testing.Short() {
		t.Skip("runs gremlins")
	}
	t.Parallel()
	dir := fixture.Workbook(t)
	cmd, err := FindGremlins(dir)
	if err != nil {
		t.Skip(err)
	}
	// gremlins calls every mutant in a case condition NOT COVERED (Go's
	// coverage blocks leave case conditions out); verify runs them itself.
	sign := "\n// Sign returns -1, 0 or 1.\nfunc Sign(n int) int {\n\tswitch {\n\tcase n < 0:\n\t\treturn -1\n\tcase n > 0:\n\t\treturn 1\n\t}\n\treturn 0\n}\n"
	for _, p := range []string{"lessons/01-demo/arith.go", "solutions/01-demo/arith.go"} {
		b, err := os.ReadFile(filepath.Join(dir, p))
		require.NoError(t, err)
		write(t, filepath.Join(dir, p), string(b)+sign)
	}
	b, err := os.ReadFile(filepath.Join(dir, "lessons/01-demo/arith_test.go"))
	require.NoError(t, err)
	write(t, filepath.Join(dir, "lessons/01-demo/arith_test.go"), string(b)+"\nfunc TestStep2_Sign(t *testing.T) {\n\tfor n, want := range map[int]int{-2: -1, 0: 0, 3: 1} {\n\t\tif got := Sign(n); got != want {\n\t\t\tt.Errorf(\"Sign(%d) = %d, want %d\", n, got, want)\n\t\t}\n\t}\n}\n")

	r := gremlins(t, dir, Gremlins{Command: cmd})
	require.True(t, r.OK, "%s\n%s", r.Text, r.Detail)
	// Double, Half, return -1 twice (gremlins) and 4 in the two case conditions (verify).
	assert.Contains(t, r.Text, "mutation: killed 8, lived 0 (0 equivalent), not covered 0, timed out 0")
	assert.Contains(t, r.Text, "4 case-condition mutants run by verify")
}
