package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/textwidth"
	"github.com/netkata/netkata/internal/workbook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommandSummariesTranslated checks that every command's summary is in
// the catalogue ("cmd.NAME"), its English the same as the command table's.
func TestCommandSummariesTranslated(t *testing.T) {
	for _, c := range commands {
		got, ok := i18n.Format(i18n.EN, "cmd."+c.name)
		if assert.True(t, ok, "no cmd.%s in the catalogue", c.name) {
			assert.Equal(t, c.summary, got, "cmd.%s in messages_en.go differs from the summary in the command table", c.name)
		}
		_, ok = i18n.Format(i18n.ZH, "cmd."+c.name)
		assert.True(t, ok, "no Chinese cmd.%s", c.name)
	}
	for _, src := range []i18n.Source{i18n.FromFlag, i18n.FromVar, i18n.FromSaved, i18n.FromLocale, i18n.FromNone} {
		for _, l := range i18n.Langs {
			_, ok := i18n.Format(l, "lang.from."+string(src))
			assert.True(t, ok, "no lang.from.%s in %s", src, l)
		}
	}
}

// TestGlobalFlags checks kata's -lang: it comes off the front of the
// arguments, sets NETKATA_LANG for what kata runs, and is remembered.
func TestGlobalFlags(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		env      string // NETKATA_LANG before
		wantArgs []string
		wantLang string
		wantSave i18n.Lang
	}{
		{"no flag: the environment's choice", []string{"hint", "02"}, "zh", []string{"hint", "02"}, "zh", ""},
		{"-lang zh", []string{"-lang", "zh", "hint", "02"}, "", []string{"hint", "02"}, "zh", i18n.ZH},
		{"--lang=en wins over NETKATA_LANG", []string{"--lang=en"}, "zh", []string{}, "en", i18n.EN},
		{"a command's own -lang stays", []string{"grade", "-lang", "zh"}, "en", []string{"grade", "-lang", "zh"}, "en", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", t.TempDir())
			t.Setenv("HOME", t.TempDir())
			t.Setenv(i18n.EnvVar, tc.env)
			e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
			rest, err := globalFlags(e, tc.args)
			require.NoError(t, err)
			assert.Equal(t, tc.wantArgs, rest)
			assert.Equal(t, tc.wantLang, os.Getenv(i18n.EnvVar))
			saved, err := i18n.Saved()
			require.NoError(t, err)
			assert.Equal(t, tc.wantSave, saved)
		})
	}
	t.Run("bad language", func(t *testing.T) {
		t.Setenv(i18n.EnvVar, "en")
		_, err := globalFlags(&env{}, []string{"-lang", "klingon", "hint"})
		assert.ErrorIs(t, err, errUsage)
		_, err = globalFlags(&env{}, []string{"-lang"})
		assert.ErrorIs(t, err, errUsage)
	})
}

// TestLabelsLineUp checks that the labels of kata's "next:/read:/run:/
// stuck?" block take the same columns in both languages.
func TestLabelsLineUp(t *testing.T) {
	for _, l := range i18n.Langs {
		t.Setenv(i18n.EnvVar, string(l))
		lb := labels(1, "ui.next", "ui.read", "ui.run", "ui.stuck")
		for _, s := range lb {
			assert.Equal(t, textwidth.Of(lb[0]), textwidth.Of(s), "%q in %s", s, l)
			assert.True(t, strings.HasSuffix(s, " "), "%q ends in a space", s)
		}
	}
	t.Setenv(i18n.EnvVar, "en")
	assert.Equal(t, []string{"next:  ", "read:  ", "run:   ", "stuck? "}, labels(1, "ui.next", "ui.read", "ui.run", "ui.stuck"))
}

// TestRememberedFileIsBesideHints checks that the language is kept in the
// folder of hints.json.
func TestRememberedFileIsBesideHints(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	dir, err := stateDir()
	require.NoError(t, err)
	p, err := i18n.SavedFile()
	require.NoError(t, err)
	assert.Equal(t, dir, filepath.Dir(p))
}

// TestPrintGradesLang checks grade's human table in both languages: the
// headings translated, the columns where the rows have them, even with a
// wide submission name.
func TestPrintGradesLang(t *testing.T) {
	lessons := []*workbook.Lesson{{ID: "01", Name: "01-demo"}}
	grades := []*Grade{
		{Submission: "alice", Score: 2, Max: 2, Percent: 100, Lessons: []LessonGrade{{Lesson: "01-demo", Score: 2, Max: 2}}},
		{Submission: "张伟", Score: 1, Max: 2, Percent: 50, Notes: []string{"01-demo: same as the reference"}, Lessons: []LessonGrade{{Lesson: "01-demo", Score: 1, Max: 2}}},
	}
	for _, tc := range []struct {
		lang  i18n.Lang
		heads []string
	}{
		{i18n.EN, []string{"submission", "score", "notes"}},
		{i18n.ZH, []string{"提交", "得分", "备注"}},
	} {
		var b bytes.Buffer
		printGrades(&b, lessons, grades, tc.lang)
		lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
		require.Len(t, lines, 3, "%s:\n%s", tc.lang, b.String())
		for _, h := range tc.heads {
			assert.Contains(t, lines[0], h, "%s", tc.lang)
		}
		// "01" heads the lesson column, "2/2" and "1/2" stand under it.
		col := func(line, s string) int { return textwidth.Of(line[:strings.Index(line, s)]) }
		assert.Equal(t, col(lines[0], "01"), col(lines[1], "2/2"), "%s:\n%s", tc.lang, b.String())
		assert.Equal(t, col(lines[0], "01"), col(lines[2], "1/2"), "%s:\n%s", tc.lang, b.String())
		assert.Contains(t, lines[2], "same as the reference", "notes stay as the reports have them")
	}
}
