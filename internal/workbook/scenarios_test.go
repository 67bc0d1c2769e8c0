package workbook

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scenarioWorkbook writes a one-lesson workbook whose README has the given
// step headings, one test per step, and the given scenarios (name -> text).
func scenarioWorkbook(t *testing.T, steps int, scenarios map[string]string) *Lesson {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "lessons", "01-demo")
	require.NoError(t, os.MkdirAll(dir, 0o777))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "testscripts", "01-demo"), 0o777))
	require.NoError(t, os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/demo\n\ngo 1.24\n"), 0o666))
	readmeText, tests := "# Demo\n", "package demo\n\nimport \"testing\"\n\nfunc TestScripts(t *testing.T) {}\n"
	for n := 1; n <= steps; n++ {
		readmeText += "\n## Step " + string(rune('0'+n)) + ": S\n\nTestStep" + string(rune('0'+n)) + "_A\n"
		tests += "\nfunc TestStep" + string(rune('0'+n)) + "_A(t *testing.T) {}\n"
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte(readmeText), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a_test.go"), []byte(tests), 0o666))
	for name, text := range scenarios {
		require.NoError(t, os.WriteFile(filepath.Join(root, "testscripts", "01-demo", name+".txtar"), []byte(text), 0o666))
	}
	w, err := Open(root)
	require.NoError(t, err)
	return w.Lessons[0]
}

func TestScenariosCountForTheirStep(t *testing.T) {
	scenarios := map[string]string{
		"echo": "# Step 1: the echo program.\nexec echo\n",
		"web":  "# Step 2: the web program.\nexec web\n",
	}
	l := scenarioWorkbook(t, 2, scenarios)
	_, byStep, err := l.StepTests()
	require.NoError(t, err)
	assert.Equal(t, map[int][]string{1: {"TestStep1_A", "TestScripts/echo"}, 2: {"TestStep2_A", "TestScripts/web"}}, byStep)
	assert.Empty(t, l.checkScenarios(map[int]bool{1: true, 2: true}))

	// A third step added later moves no scenario's credit.
	l = scenarioWorkbook(t, 3, scenarios)
	_, byStep, err = l.StepTests()
	require.NoError(t, err)
	assert.Equal(t, map[int][]string{1: {"TestStep1_A", "TestScripts/echo"}, 2: {"TestStep2_A", "TestScripts/web"}, 3: {"TestStep3_A"}}, byStep)
}

func TestScenariosWithoutStepsCountForTheLastStep(t *testing.T) {
	l := scenarioWorkbook(t, 2, map[string]string{
		"echo": "# Step 1: the echo program.\nexec echo\n",
		"web":  "# the web program, no step line.\nexec web\n",
	})
	_, byStep, err := l.StepTests()
	require.NoError(t, err)
	assert.Equal(t, map[int][]string{1: {"TestStep1_A"}, 2: {"TestScripts", "TestStep2_A"}}, byStep, "one scenario without its step: the old rule for all")
}

func TestScenarioNamingAMissingStep(t *testing.T) {
	l := scenarioWorkbook(t, 2, map[string]string{"echo": "# Step 7: nothing.\nexec echo\n"})
	errs := l.checkScenarios(map[int]bool{1: true, 2: true})
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "echo.txtar says it belongs to step 7, which the README does not have")
}

func TestRunPatternRunsScenariosThroughTestScripts(t *testing.T) {
	assert.Equal(t, "^(TestStep1_A|TestScripts)$", RunPattern([]string{"TestStep1_A", "TestScripts/echo", "TestScripts/web"}))
}

func TestGoTestKeepsScenarioResults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test")
	}
	l := scenarioWorkbook(t, 1, nil)
	src := "package demo\n\nimport \"testing\"\n\nfunc TestScripts(t *testing.T) {\n\tt.Run(\"echo\", func(t *testing.T) { t.Log(\"said hi\") })\n\tt.Run(\"web\", func(t *testing.T) { t.Run(\"deeper\", func(t *testing.T) {}); t.Error(\"no answer\") })\n}\n\nfunc TestStep1_A(t *testing.T) {}\n"
	require.NoError(t, os.WriteFile(filepath.Join(l.Dir, "a_test.go"), []byte(src), 0o666))
	r := GoTest(context.Background(), filepath.Dir(filepath.Dir(l.Dir)), nil, "-count=1", "./lessons/01-demo")
	require.NoError(t, r.Err, r.Output)
	require.NotNil(t, r.Tests["TestScripts/echo"], "%+v", r.Tests)
	assert.Equal(t, "pass", r.Tests["TestScripts/echo"].Action)
	assert.Contains(t, r.Tests["TestScripts/echo"].Output, "said hi")
	assert.Equal(t, "fail", r.Tests["TestScripts/web"].Action)
	assert.Contains(t, r.Tests["TestScripts/web"].Output, "no answer")
	assert.Nil(t, r.Tests["TestScripts/web/deeper"], "only scenarios, not their subtests")
	assert.Equal(t, "fail", r.Tests["TestScripts"].Action)
	assert.Equal(t, []string{"TestScripts", "TestStep1_A"}, r.Order, "the order lists top-level tests only")
}
