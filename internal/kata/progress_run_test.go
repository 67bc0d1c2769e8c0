package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/workbook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeBuildCache makes stdBuilt answer from built (by -race or not) for
// the rest of the test.
func fakeBuildCache(t *testing.T, built map[bool]bool) {
	t.Helper()
	old := stdBuilt
	t.Cleanup(func() { stdBuilt = old })
	stdBuilt = func(_ context.Context, _ string, race bool, _ []string) bool { return built[race] }
}

// TestProgressPlanOnAColdMachine: the progress view leaves -race (and
// vet) out until the race build is cached, and on a machine that never
// built the lessons it runs the lesson the student is on first. This is
// what keeps a first kata run short; kata test keeps -race.
func TestProgressPlanOnAColdMachine(t *testing.T) {
	dir := unpackScript(t, "progress.txtar")
	w, err := workbook.Find(dir)
	require.NoError(t, err)
	require.Len(t, w.Lessons, 2)
	race := workbook.CheckOptions{Race: true, Timeout: time.Minute}

	cases := []struct {
		name      string
		built     map[bool]bool
		opt       workbook.CheckOptions
		wantRace  bool
		wantNoVet bool
		wantFirst bool
	}{
		{"everything cached", map[bool]bool{true: true, false: true}, race, true, false, false},
		{"no race build yet", map[bool]bool{false: true}, race, false, true, false},
		{"nothing built", nil, race, false, true, true},
		{"no cgo, nothing built", nil, workbook.CheckOptions{}, false, true, true},
		{"no cgo, built", map[bool]bool{false: true}, workbook.CheckOptions{}, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fakeBuildCache(t, c.built)
			p := planProgress(context.Background(), w, c.opt)
			assert.Equal(t, c.wantRace, p.opt.Race, "-race in the progress run")
			assert.Equal(t, c.wantNoVet, p.opt.NoVet, "-vet=off in the progress run")
			assert.Equal(t, c.opt.Timeout, p.opt.Timeout, "the other options stay")
			if c.wantFirst {
				require.NotNil(t, p.first, "a cold machine runs the current lesson first")
				assert.Equal(t, "01-demo", p.first.Name, "a fresh clone is on its first lesson")
			} else {
				assert.Nil(t, p.first, "a warm machine runs every lesson at once")
			}
		})
	}
}

// TestProgressRunsTheCurrentLessonFirst: on a cold machine, kata runs the
// lesson the student last edited, says how it stands, then runs the rest,
// and the table still shows every lesson in order.
func TestProgressRunsTheCurrentLessonFirst(t *testing.T) {
	noStoredResults(t)
	fakeBuildCache(t, nil)
	dir := unpackScript(t, "progress.txtar")
	// The student cloned an hour ago and has since worked on lesson 02.
	clone := time.Now().Add(-time.Hour)
	for _, f := range []string{"01-demo/hello.go", "01-demo/add.go", "01-demo/lesson.go", "02-echo/lesson.go", "02-echo/echo.go"} {
		require.NoError(t, os.Chtimes(filepath.Join(dir, "lessons", f), clone, clone))
	}
	now := time.Now()
	require.NoError(t, os.Chtimes(filepath.Join(dir, "lessons", "02-echo", "echo.go"), now, now))

	var stdout, stderr strings.Builder
	e := &env{stdout: &stdout, stderr: &stderr, dir: dir}
	require.NoError(t, ignoreSilent(runProgress(context.Background(), e, nil)))
	assert.Contains(t, stderr.String(), "kata: lessons/02-echo: 0 of 1 steps pass, next: TestStep1_Echo; now the other 1 lessons\n",
		"the current lesson (edited last) runs first and kata says how it stands")
	out := stdout.String()
	i1, i2 := strings.Index(out, "01-demo "), strings.Index(out, "02-echo ")
	require.True(t, i1 >= 0 && i2 > i1, "the table lists both lessons in order:\n%s", out)
	assert.Contains(t, out, "overall: 0 of 3 steps passed")
}

// ignoreSilent treats errSilent (kata's "see above" exit) as no error.
func ignoreSilent(err error) error {
	if err == errSilent {
		return nil
	}
	return err
}

// TestProgressRunsNoLessonAsShipped: a lesson whose files have their sum
// in lessons/stubs.sum does not build or run, unless the student is on it:
// a fresh clone builds one lesson's tests, not every lesson's. To show
// that lesson 02 did not run, its "shipped" files here are the solution:
// the table trusts the sum and counts its step as failing.
func TestProgressRunsNoLessonAsShipped(t *testing.T) {
	noStoredResults(t)
	fakeBuildCache(t, nil)
	old := busyAfter
	t.Cleanup(func() { busyAfter = old })
	busyAfter = 0 // say what runs, however quick the run
	dir := unpackScript(t, "progress.txtar")
	cp := func(from, to string) {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, from))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, to), b, 0o666))
	}
	cp("solutions/02-echo/echo.go", "lessons/02-echo/echo.go")
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	require.NoError(t, w.WriteStubSums(w.Lessons))

	progress := func() (string, string) {
		t.Helper()
		var stdout, stderr strings.Builder
		e := &env{stdout: &stdout, stderr: &stderr, dir: dir}
		require.NoError(t, ignoreSilent(runProgress(context.Background(), e, nil)))
		return stdout.String(), stderr.String()
	}
	out, errs := progress()
	assert.Contains(t, errs, "first run on this machine: building lessons/01-demo's tests", "the lesson the student is on runs")
	assert.NotContains(t, errs, "now the other", "no other lesson builds")
	assert.Regexp(t, `02-echo +Echo +0/1 `, out, "lesson 02 as shipped counts as failing: it did not run")
	assert.Contains(t, out, `Hello("net") = "", not written yet (TODO)`, "lesson 01's failure comes from a real run")

	// Lesson 01 written: lesson 02 is the one the student is on, so it runs
	// for real although its files are as shipped.
	cp("solutions/01-demo/hello.go", "lessons/01-demo/hello.go")
	cp("solutions/01-demo/add.go", "lessons/01-demo/add.go")
	out, _ = progress()
	assert.Regexp(t, `02-echo +Echo +1/1 `, out)
	assert.Contains(t, out, "overall: 3 of 3 steps passed")
}

// TestProgressRunsTheNextLessonWhenOneRunsDone: the lesson a real run
// finds done after all (a stored failure that was a fluke, or a lesson
// that passes although its files are as shipped) is not the one the
// student is on: the next one not done runs for real too, so "next:"
// never shows a test of a lesson that did not run.
func TestProgressRunsTheNextLessonWhenOneRunsDone(t *testing.T) {
	noStoredResults(t)
	fakeBuildCache(t, nil)
	dir := unpackScript(t, "progress.txtar")
	for _, f := range []string{"01-demo/hello.go", "01-demo/add.go", "02-echo/echo.go"} {
		b, err := os.ReadFile(filepath.Join(dir, "solutions", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "lessons", f), b, 0o666))
	}
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	require.NoError(t, w.WriteStubSums(w.Lessons)) // both lessons "as shipped", and both pass

	var stdout, stderr strings.Builder
	e := &env{stdout: &stdout, stderr: &stderr, dir: dir}
	require.NoError(t, ignoreSilent(runProgress(context.Background(), e, nil)))
	out := stdout.String()
	assert.Regexp(t, `02-echo +Echo +1/1 `, out, "lesson 02 ran once lesson 01 turned out done")
	assert.Contains(t, out, "overall: 3 of 3 steps passed")
	assert.NotContains(t, out, "did not run")
}

// noStoredResults gives the test a cache folder of its own, so kata finds
// no stored results, and keeps go's build cache where it is: by default it
// is in that folder too, and building the lessons' tests into an empty
// one takes seconds each time.
func noStoredResults(t *testing.T) {
	t.Helper()
	gocache, err := goEnv("GOCACHE")
	require.NoError(t, err)
	t.Setenv("GOCACHE", gocache)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
}
