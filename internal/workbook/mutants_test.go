package workbook

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestMutantFollowsShiftedLines(t *testing.T) {
	root := t.TempDir()
	sol := filepath.Join(root, "solutions", "01-demo")
	require.NoError(t, os.MkdirAll(filepath.Join(sol, "mutants"), 0o777))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "lessons", "01-demo"), 0o777))
	// The patch was made when Half was at line 3; two lines were added above since.
	src := "package demo\n\n// added later\n// added later\nfunc Half(n int) int {\n\treturn n / 2\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(sol, "arith.go"), []byte(src), 0o666))
	patch := "Mutant: shifts.\nCaught by: TestStep1_Half\n\n--- a/arith.go\n+++ b/arith.go\n@@ -3,3 +3,3 @@\n func Half(n int) int {\n-\treturn n / 2\n+\treturn n >> 1\n }\n"
	require.NoError(t, os.WriteFile(filepath.Join(sol, "mutants", "half-shifts.patch"), []byte(patch), 0o666))
	bad := strings.Replace(patch, "-\treturn n / 2", "-\treturn n / 3", 1)
	require.NoError(t, os.WriteFile(filepath.Join(sol, "mutants", "stale.patch"), []byte(bad), 0o666))

	w, err := Open(root)
	require.NoError(t, err)
	ms, err := w.Lessons[0].Mutants()
	require.ErrorContains(t, err, "stale.patch no longer applies", "a patch whose lines changed is reported")
	require.Len(t, ms, 1, "the patch that still applies is kept")
	require.Equal(t, "half-shifts", ms[0].Name)
	require.Equal(t, []string{"TestStep1_Half"}, ms[0].CaughtBy)
	require.Contains(t, string(ms[0].Files["arith.go"]), "\treturn n >> 1\n", "applied two lines further down")
}
