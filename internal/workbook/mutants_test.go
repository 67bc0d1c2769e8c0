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

func TestVariantMayAddAFile(t *testing.T) {
	root := t.TempDir()
	sol := filepath.Join(root, "solutions", "01-demo")
	require.NoError(t, os.MkdirAll(filepath.Join(sol, "variants"), 0o777))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "lessons", "01-demo"), 0o777))
	require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", "01-demo", "arith.go"), []byte("package demo\n"), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(sol, "arith.go"), []byte("package demo\n\nfunc Half(n int) int {\n\treturn n / 2\n}\n"), 0o666))
	patch := "Variant: half in a helper file.\n\n--- a/arith.go\n+++ b/arith.go\n@@ -3,3 +3,3 @@\n func Half(n int) int {\n-\treturn n / 2\n+\treturn half(n)\n }\n" +
		"--- /dev/null\n+++ b/helper.go\n@@ -0,0 +1,3 @@\n+package demo\n+\n+func half(n int) int { return n / 2 }\n"
	require.NoError(t, os.WriteFile(filepath.Join(sol, "variants", "helper-file.patch"), []byte(patch), 0o666))

	w, err := Open(root)
	require.NoError(t, err)
	l := w.Lessons[0]
	vs, err := l.Variants()
	require.NoError(t, err)
	require.Len(t, vs, 1)
	require.Equal(t, "half in a helper file.", vs[0].Differs)
	require.Contains(t, string(vs[0].Files["arith.go"]), "return half(n)")
	require.Contains(t, string(vs[0].Files["helper.go"]), "func half")
	tmp := t.TempDir()
	replace := map[string]string{}
	for base, src := range vs[0].Files {
		replace[base] = filepath.Join(tmp, base)
		require.NoError(t, os.WriteFile(replace[base], src, 0o666))
	}
	ov, err := l.Overlay(replace)
	require.NoError(t, err)
	require.Equal(t, replace["helper.go"], ov[filepath.Join(l.Dir, "helper.go")], "a file the patch adds joins the package")
	require.Equal(t, replace["arith.go"], ov[filepath.Join(l.Dir, "arith.go")])
}
