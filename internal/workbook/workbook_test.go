package workbook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseHints(t *testing.T) {
	text := "# Hints\n\n## Step 1: Double\n- What is twice a number?\n- Add n to itself,\n  then return it.\n\n## Step 2: Half\n- One.\n"
	got, err := ParseHints(text)
	require.NoError(t, err)
	assert.Equal(t, map[int][]string{
		1: {"What is twice a number?", "Add n to itself, then return it."},
		2: {"One."},
	}, got)

	_, err = ParseHints("- a hint before any step\n")
	assert.ErrorContains(t, err, "before the first")
}

func TestOpenFindsLessonsAndStrays(t *testing.T) {
	t.Setenv(i18n.EnvVar, "en") // the English messages
	root := t.TempDir()
	for _, d := range []string{"lessons/01-layers", "lessons/02-tcp", "lessons/3-bad", "solutions/01-layers", "solutions/09-orphan", "sub/dir"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o777))
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o666))

	w, err := Find(filepath.Join(root, "sub", "dir"))
	require.NoError(t, err)
	require.Len(t, w.Lessons, 2)
	assert.Equal(t, "01-layers", w.Lessons[0].Name)
	assert.Equal(t, "02", w.Lessons[1].ID)
	assert.ElementsMatch(t, []string{filepath.Join("lessons", "3-bad"), filepath.Join("solutions", "09-orphan")}, w.Strays)

	for _, id := range []string{"1", "01", "01-layers"} {
		l, err := w.Lesson(id)
		require.NoError(t, err, id)
		assert.Equal(t, "01-layers", l.Name)
	}
	_, err = w.Lesson("07")
	assert.ErrorContains(t, err, "01-layers, 02-tcp")

	_, err = Find(t.TempDir())
	assert.ErrorContains(t, err, "no workbook")
}

func TestMissingExplain(t *testing.T) {
	dir := t.TempDir()
	src := `package demo

import "testing"

func TestStep1_Good(t *testing.T) {
	readme.Explain(t)
}

func TestStep1_Bad(t *testing.T) {
	t.Log("no step named")
}

func FuzzStep2_Bad(f *testing.F) {}

func BenchmarkStep1_Fine(b *testing.B) {}

func TestScripts(t *testing.T) {}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "1_demo_test.go"), []byte(src), 0o666))
	l := &Lesson{Dir: dir}
	funcs, err := l.stepFuncs()
	require.NoError(t, err)
	var missing, misplaced []string
	for _, f := range funcs {
		if !f.explains {
			missing = append(missing, f.name)
		}
		if !f.inItsStepFile() {
			misplaced = append(misplaced, f.name)
		}
	}
	assert.Equal(t, []string{"TestStep1_Bad", "FuzzStep2_Bad"}, missing)
	assert.Equal(t, []string{"FuzzStep2_Bad"}, misplaced, "a step's tests live in its own N_<concept>_test.go")
}

func TestNamesWhole(t *testing.T) {
	text := []byte("Tests: `TestStep1_EchoMany`, TestStep2_Half.\nTestStep3_X")
	assert.True(t, namesWhole(text, "TestStep1_EchoMany"))
	assert.True(t, namesWhole(text, "TestStep2_Half"))
	assert.True(t, namesWhole(text, "TestStep3_X"), "at the end of the text")
	assert.False(t, namesWhole(text, "TestStep1_Echo"), "a prefix of another test's name is not the name")
	assert.False(t, namesWhole(text, "Step2_Half"), "nor a suffix")
}

func TestStepsNeedHeadings(t *testing.T) {
	dir := t.TempDir()
	l := &Lesson{ID: "01", Name: "01-x", Dir: dir}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("# X\n\nno steps here\n"), 0o666))
	_, err := l.Steps()
	assert.ErrorContains(t, err, "lessons/01-x/README.md has no step headings")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("# X\n## Step 1: A\n"), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a_test.go"), []byte("package x\nimport \"testing\"\nfunc TestStep1_A(t *testing.T) {}\nfunc TestStep2_B(t *testing.T) {}\n"), 0o666))
	_, _, err = l.StepTests()
	assert.ErrorContains(t, err, "TestStep2_B belongs to step 2, and README.md has no")
}

func TestEveryStepHasItsOwnTODO(t *testing.T) {
	dir := t.TempDir()
	l := &Lesson{ID: "01", Name: "01-x", Dir: dir}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("# X\n## Step 1: A\n## Step 2: B\n"), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte("package x\n// TODO(step 1): a (step 2: b)\n// TODO(step 3): c\n"), 0o666))
	errs := l.checkStepTODOs([]string{"a.go"})
	var got []string
	for _, err := range errs {
		got = append(got, err.Error())
	}
	assert.ElementsMatch(t, []string{
		`lessons/01-x: step 2 (B) has no "// TODO(step 2): ..." in any stub: say where its work goes`,
		"lessons/01-x: a stub has TODO(step 3), and README.md has no step 3",
	}, got)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.go"), []byte("package x\n// TODO(step 1): a\n// TODO(step 2): b\n"), 0o666))
	assert.Empty(t, l.checkStepTODOs([]string{"a.go"}))
}

func TestProgramsAreRegisteredAndShown(t *testing.T) {
	dir := t.TempDir()
	l := &Lesson{ID: "01", Name: "01-x", Dir: dir}
	for _, p := range []string{"cmd/shown", "cmd/hidden", "cmd/other"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, p), 0o777))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "script_test.go"), []byte("package x\nvar programs = map[string]func(){\n"+
		"\t\"shown\": func() {},\n"+
		"\t\"other\": func() { os.Exit(OtherMain(os.Args[1:], os.Stdout, os.Stderr)) },\n}\n"), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cmd/other/main.go"), []byte("package main\n\nfunc main() { os.Exit(x.ShownMain(os.Args[1:], os.Stdout, os.Stderr)) }\n"), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("go run ./lessons/01-x/cmd/shown\ngo run ./lessons/01-x/cmd/other\n"), 0o666))
	var got []string
	for _, err := range l.checkPrograms() {
		got = append(got, err.Error())
	}
	assert.ElementsMatch(t, []string{
		"lessons/01-x/cmd/hidden: not in script_test.go's programs map, so no scenario can run it",
		`lessons/01-x/cmd/hidden: README.md never shows cmd/hidden (a "## Programs" block with the command to run it)`,
		"lessons/01-x/cmd/other/main.go does not call OtherMain, which script_test.go's programs map runs as other: the scenarios would test another program",
	}, got)
}

func TestSharedHelpersBelongInHelpersFile(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"1_a_test.go":     "package x\n\nimport \"testing\"\n\nfunc TestStep1_A(t *testing.T) { start(t); own() }\n\nfunc start(t *testing.T) {}\n\nfunc own() {}\n\nvar shared, alone = 1, 2\n",
		"2_b_test.go":     "package x\n\nimport \"testing\"\n\nfunc TestStep2_B(t *testing.T) {\n\tstart(t)\n\t_ = shared\n\tvar s struct{ own int }\n\t_ = s.own // a field, not the helper\n}\n",
		"helpers_test.go": "package x\n\nfunc common() {}\n",
		"3_c_test.go":     "package x\n\nimport \"testing\"\n\nfunc TestStep3_C(t *testing.T) {\n\tcommon()\n\tstart(t)\n\town := 1 // a variable of its own, not the helper\n\t_ = own\n}\n",
	}
	for name, src := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(src), 0o666))
	}
	l := &Lesson{Name: "01-x", Dir: dir}
	var got []string
	for _, err := range l.checkHelpers() {
		got = append(got, err.Error())
	}
	assert.Equal(t, []string{
		"lessons/01-x/1_a_test.go: shared is a helper of step 1 that 2_b_test.go use too: helpers shared by steps live in helpers_test.go",
		"lessons/01-x/1_a_test.go: start is a helper of step 1 that 2_b_test.go, 3_c_test.go use too: helpers shared by steps live in helpers_test.go",
	}, got)
}
