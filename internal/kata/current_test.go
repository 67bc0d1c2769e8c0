package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/workbook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurrentLessonIsTheOneEditedLast(t *testing.T) {
	clone := time.Now().Add(-time.Hour)
	lesson := func(name string, done bool) *workbook.LessonResult {
		dir := filepath.Join(t.TempDir(), name)
		require.NoError(t, os.MkdirAll(dir, 0o777))
		for _, f := range []string{"stub.go", "stub_test.go"} {
			p := filepath.Join(dir, f)
			require.NoError(t, os.WriteFile(p, []byte("package x\n"), 0o666))
			require.NoError(t, os.Chtimes(p, clone, clone))
		}
		s := workbook.StepResult{Step: readme.Step{N: 1}, Tests: []string{"TestStep1_A"}}
		if !done {
			s.Failing = s.Tests
		}
		return &workbook.LessonResult{Lesson: &workbook.Lesson{Name: name, Dir: dir}, Steps: []workbook.StepResult{s}}
	}
	edit := func(r *workbook.LessonResult, file string) {
		p := filepath.Join(r.Lesson.Dir, file)
		now := time.Now()
		require.NoError(t, os.Chtimes(p, now, now))
	}

	a, b, c := lesson("01-a", false), lesson("02-b", false), lesson("03-c", false)
	results := []*workbook.LessonResult{a, b, c}
	assert.Equal(t, "01-a", currentLesson(results).Name, "a fresh clone: the first lesson not done")

	edit(c, "stub.go")
	assert.Equal(t, "03-c", currentLesson(results).Name, "the student edits lesson 03's stub")

	edit(c, "stub_test.go")
	edit(b, "stub_test.go")
	assert.Equal(t, "03-c", currentLesson(results).Name, "a test file's time does not count")

	done := lesson("01-a", true)
	assert.Equal(t, "02-b", currentLesson([]*workbook.LessonResult{done, b}).Name)
	assert.Nil(t, currentLesson([]*workbook.LessonResult{done}), "every lesson done")
}
