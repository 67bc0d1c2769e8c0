package workbook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMapTests(t *testing.T) {
	steps := []readme.Step{{N: 1, Title: "a"}, {N: 2, Title: "b"}}
	got := MapTests(steps, []string{"TestStep1_A", "TestStep2_B", "TestScripts", "FuzzStep1_C", "TestStep9_Gone", "TestHelper"})
	assert.Equal(t, map[int][]string{1: {"TestStep1_A", "FuzzStep1_C"}, 2: {"TestStep2_B", "TestScripts"}}, got)
}

func TestMessage(t *testing.T) {
	out := "=== RUN   TestStep1_A\n=== PAUSE TestStep1_A\n=== CONT  TestStep1_A\n    a_test.go:9: sent \"x\"\n        got \"y\"\n--- FAIL: TestStep1_A (0.00s)\n"
	assert.Equal(t, "a_test.go:9: sent \"x\"\n    got \"y\"", Message(out))
	sub := "=== RUN   TestStep1_A/sub\n        a_test.go:3: bad\n    --- FAIL: TestStep1_A/sub (0.00s)\n--- FAIL: TestStep1_A (0.00s)\n"
	assert.Equal(t, "    a_test.go:3: bad\n--- FAIL: TestStep1_A/sub (0.00s)", Message(sub), "a subtest's FAIL line says which case failed: kept")
}

func TestTrim(t *testing.T) {
	t.Setenv(i18n.EnvVar, "en") // the English messages
	assert.Equal(t, "a\nb", Trim("a\nb\n", 2))
	assert.Equal(t, "a\nb\n... (2 more lines)", Trim("a\nb\nc\nd\n", 2))
}

func TestTail(t *testing.T) {
	assert.Equal(t, "a\nb\n", Tail("a\nb\n", 2))
	assert.Equal(t, "... (2 lines before)\nc\nd\n", Tail("a\nb\nc\nd", 2))
}

func TestRunStatus(t *testing.T) {
	r := newRun()
	for _, res := range []*Result{{Name: "TestStep1_A", Action: Passed}, {Name: "TestStep1_B", Action: Failed},
		{Name: "TestStep2_A", Action: Skipped}, {Name: "TestStep2_B", Action: Passed}} {
		r.Tests[res.Name] = res
		r.Started[res.Name] = true
	}
	r.Started["TestStep3_A"] = true
	for test, want := range map[string]string{"TestStep1_A": Passed, "TestStep1_B": Failed, "TestStep2_A": Skipped,
		"TestStep3_A": Crashed, "TestStep3_B": NotRun} {
		assert.Equal(t, want, r.Status(test), test)
	}
	assert.Equal(t, []string{"TestStep1_A", "TestStep2_B"}, r.With(Passed))
	assert.Equal(t, []string{"TestStep1_B"}, r.With(Failed))
	assert.Empty(t, r.With(Crashed), "With knows only the tests that ended")

	res := &LessonResult{Steps: []StepResult{{Step: readme.Step{N: 1}, Tests: []string{"TestStep1_A", "TestStep1_B"}},
		{Step: readme.Step{N: 2}, Tests: []string{"TestStep2_A", "TestStep2_B"}}, {Step: readme.Step{N: 3}, Tests: []string{"TestStep3_A"}}}}
	res.fill(r)
	assert.Equal(t, []string{"TestStep1_B"}, res.Steps[0].Failing)
	assert.Equal(t, []string{"TestStep2_A"}, res.Steps[1].Failing, "a skip does not pass a step")
	assert.Equal(t, []string{"TestStep3_A"}, res.Steps[2].Failing, "nor does a crash")
}

func TestLessonResult(t *testing.T) {
	r := &LessonResult{Steps: []StepResult{
		{Step: readme.Step{N: 1}, Tests: []string{"TestStep1_A"}},
		{Step: readme.Step{N: 2}, Tests: []string{"TestStep2_A", "TestStep2_B"}, Failing: []string{"TestStep2_B"}},
		{Step: readme.Step{N: 3}},
	}}
	assert.Equal(t, 1, r.Passed(), "a step with no tests is not passed")
	assert.False(t, r.Done())
	s, test := r.FirstFailure()
	require.NotNil(t, s)
	assert.Equal(t, 2, s.N)
	assert.Equal(t, "TestStep2_B", test)
	assert.Nil(t, r.Step(4))

	r.Steps = r.Steps[:1]
	assert.True(t, r.Done())
	r.Trouble = "goroutines leaked"
	assert.False(t, r.Done(), "trouble after the tests keeps a lesson from being done")
}

func TestRunPattern(t *testing.T) {
	assert.Equal(t, `^(TestStep1_A|TestStep1_B)$`, RunPattern([]string{"TestStep1_A", "TestStep1_B"}))
}

func TestUsedBySteps(t *testing.T) {
	root := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		p = filepath.Join(root, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o777))
		require.NoError(t, os.WriteFile(p, []byte(s), 0o666))
	}
	write("lessons/01-x/README.md", "# X\n## Step 1: A\n## Step 2: B\n## Step 3: C\n")
	write("lessons/01-x/a_test.go", "package x\nimport \"testing\"\nfunc TestStep1_A(t *testing.T) { Parse(nil) }\nfunc TestStep2_B(t *testing.T) { var c Conn; c.Close() }\nfunc TestScripts(t *testing.T) {}\n")
	write("solutions/01-x/parse.go", "package x\nfunc Parse(b []byte) {}\n")
	write("solutions/01-x/conn.go", "package x\ntype Conn struct{}\nfunc (Conn) Close() {}\n")
	l := &Lesson{ID: "01", Name: "01-x", Dir: filepath.Join(root, "lessons/01-x"), SolutionDir: filepath.Join(root, "solutions/01-x")}
	got, err := l.UsedBySteps("parse.go")
	require.NoError(t, err)
	assert.Equal(t, []int{1}, got)
	got, err = l.UsedBySteps("conn.go")
	require.NoError(t, err)
	assert.Equal(t, []int{2}, got)
}

func TestFirstFailure(t *testing.T) {
	out := "=== RUN   TestStep1_A\n=== RUN   TestStep1_A/one\n    a_test.go:3: one is wrong\n    --- FAIL: TestStep1_A/one (0.00s)\n=== RUN   TestStep1_A/two\n    a_test.go:3: two is wrong\n    --- FAIL: TestStep1_A/two (0.00s)\n=== RUN   TestStep1_A/three\n    --- PASS: TestStep1_A/three (0.00s)\n--- FAIL: TestStep1_A (0.00s)\n"
	got, more := FirstFailure(out)
	assert.Equal(t, "--- FAIL: TestStep1_A/one (0.00s)\n    a_test.go:3: one is wrong", got)
	assert.Equal(t, 1, more)
	json := "=== RUN   TestStep1_A\n=== RUN   TestStep1_A/one\n    a_test.go:3: one is wrong\n--- FAIL: TestStep1_A/one (0.00s)\n=== RUN   TestStep1_A/two\n--- FAIL: TestStep1_A/two (0.00s)\n--- FAIL: TestStep1_A (0.00s)\n"
	got, more = FirstFailure(json)
	assert.Equal(t, "--- FAIL: TestStep1_A/one (0.00s)\n    a_test.go:3: one is wrong", got, "go test -json leaves subtests' FAIL lines unindented")
	assert.Equal(t, 1, more)
	got, more = FirstFailure("=== RUN   TestStep1_B\n    b_test.go:9: sent x, got y\n--- FAIL: TestStep1_B (0.00s)\n")
	assert.Equal(t, "b_test.go:9: sent x, got y", got)
	assert.Equal(t, 0, more)
}
