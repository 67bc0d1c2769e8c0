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
	got, err := l.missingExplain()
	require.NoError(t, err)
	assert.Equal(t, []string{"TestStep1_Bad", "FuzzStep2_Bad"}, got)
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
	for _, p := range []string{"cmd/shown", "cmd/hidden"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, p), 0o777))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "script_test.go"), []byte("package x\nvar programs = map[string]func(){\n\t\"shown\": func() {},\n}\n"), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("go run ./lessons/01-x/cmd/shown\n"), 0o666))
	var got []string
	for _, err := range l.checkPrograms() {
		got = append(got, err.Error())
	}
	assert.ElementsMatch(t, []string{
		"lessons/01-x/cmd/hidden: not in script_test.go's programs map, so no scenario can run it",
		`lessons/01-x/cmd/hidden: README.md never shows cmd/hidden (a "## Programs" block with the command to run it)`,
	}, got)
}
