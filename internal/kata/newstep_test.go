package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/fixture"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newIn runs kata new-step or new-lesson (args[0]) in dir and returns its
// output and error.
func newIn(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	cmd := map[string]func(context.Context, *env, []string) error{"new-step": runNewStep, "new-lesson": runNewLesson}[args[0]]
	err := cmd(context.Background(), &env{stdout: &out, stderr: &out, dir: dir}, args[1:])
	return out.String(), err
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

func TestNewStepPrintsWhatIsLeftToWrite(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	out, err := newIn(t, dir, "new-step", "01", "Triple it (三倍)")
	require.NoError(t, err, "kata new-step 01 \"Triple it (三倍)\":\n%s", out)

	lesson := filepath.Join(dir, "lessons", "01-demo")
	assert.Contains(t, readFile(t, filepath.Join(lesson, "3_tripleit_test.go")), "func TestStep3_TripleIt(t *testing.T) {")
	stub := readFile(t, filepath.Join(lesson, "tripleit.go"))
	assert.Contains(t, stub, "// TODO(step 3)")
	assert.Contains(t, stub, "return ErrTODO")

	readmeText := readFile(t, filepath.Join(lesson, "README.md"))
	assert.True(t, strings.HasSuffix(readmeText, "## Step 3: Triple it (三倍)\n\n"+
		"<!-- TODO(step 3): the theory of this step, then what to write in tripleit.go; the contract itself is in TripleIt's doc comment. -->\n\n"+
		"Tests:\n- `TestStep3_TripleIt` TODO(step 3): what it proves, in one line.\n"), "README.md:\n%s", readmeText)
	assert.Contains(t, readFile(t, filepath.Join(lesson, "hints.md")), "- Divide by two, then mind the sign.\n\n## Step 3: Triple it (三倍)\n<!-- TODO(step 3)")

	for _, want := range []string{
		"created  lessons/01-demo/3_tripleit_test.go",
		"created  solutions/01-demo/tripleit.go",
		"added to lessons/01-demo/README.md",
		`go test -overlay "$(go run ./cmd/kata overlay 01)" -run '^TestStep3_' ./lessons/01-demo/...`,
		"[ ] hints.md, step 3: two hints or more",
		"[ ] solutions/01-demo/mutants/: a mistake",
	} {
		assert.Contains(t, out, want)
	}
}

func TestNewStepNeverOverwrites(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	lesson := filepath.Join(dir, "lessons", "01-demo")
	readmeBefore := readFile(t, filepath.Join(lesson, "README.md"))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "solutions", "01-demo", "triple.go"), []byte("package demo\n"), 0o666))

	_, err := newIn(t, dir, "new-step", "01", "Triple")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "solutions/01-demo/triple.go exists already; kata never overwrites a file")
	assert.Equal(t, readmeBefore, readFile(t, filepath.Join(lesson, "README.md")), "README.md changed, though new-step refused")
	assert.NoFileExists(t, filepath.Join(lesson, "triple.go"))
	assert.NoFileExists(t, filepath.Join(lesson, "3_triple_test.go"))

	// A name the package declares already is refused before anything is written.
	_, err = newIn(t, dir, "new-step", "01", "Half")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lessons/01-demo already declares Half (arith.go)")

	// -concept picks other file names.
	out, err := newIn(t, dir, "new-step", "01", "Triple", "-concept", "times3")
	require.NoError(t, err, out)
	assert.FileExists(t, filepath.Join(lesson, "3_times3_test.go"))
	assert.FileExists(t, filepath.Join(lesson, "times3.go"))
}

func TestNewStepUsage(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no title", []string{"new-step", "01"}, "want a lesson and a step title, got 1 arguments"},
		{"empty title", []string{"new-step", "01", " "}, "the step title must be one non-empty line"},
		{"no ASCII word", []string{"new-step", "01", "三倍"}, `"" cannot name the step's files: give -concept NAME`},
		{"bad concept", []string{"new-step", "01", "Triple", "-concept", "Tri-ple"}, `"Tri-ple" cannot name the step's files`},
		{"bad lesson name", []string{"new-lesson", "2-x", "X"}, `"2-x" is not a lesson folder name`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newIn(t, dir, tc.args...)
			require.ErrorIs(t, err, errUsage)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := newIn(t, dir, "new-lesson", "01-again", "Again")
	require.Error(t, err)
	assert.NotErrorIs(t, err, errUsage)
	assert.Contains(t, err.Error(), "lesson 01 exists already (lessons/01-demo)")
}

func TestNewLessonPrintsWhatIsLeftToWrite(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	out, err := newIn(t, dir, "new-lesson", "02-dns-names", "Names (域名)", "-step", "A query")
	require.NoError(t, err, out)
	assert.Contains(t, out, "created  lessons/02-dns-names/lesson.go")
	assert.Contains(t, out, "created  lessons/02-dns-names/1_aquery_test.go")
	assert.Contains(t, out, "solutions/02-dns-names/mutants/ and variants/: at least 4 mutants and 3 variants")
}
