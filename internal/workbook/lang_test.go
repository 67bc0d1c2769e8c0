package workbook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// langLesson is a lesson whose Chinese edition has step 1 (README and
// hints) but not yet step 2.
func langLesson(t *testing.T) *Lesson {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"README.md":       "# Lesson 02: TCP servers and clients\n\n## Step 1: Echo\n\n## Step 2: Deadlines\n",
		"README.zh-CN.md": "# 第 02 课：TCP 服务器与客户端\n[English](README.md)\n\n## 第 1 步：回显\n",
		"hints.md":        "## Step 1: Echo\n- One?\n- Two.\n\n## Step 2: Deadlines\n- Three?\n- Four.\n",
		"hints.zh-CN.md":  "[English](hints.md)\n\n## 第 1 步：回显\n- 一？\n- 二，\n  接着写。\n",
	}
	for name, text := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o666))
	}
	return &Lesson{ID: "02", Name: "02-tcp", Dir: dir}
}

func TestStepIn(t *testing.T) {
	l := langLesson(t)
	file, s, ok := l.StepIn(i18n.ZH, 1)
	require.True(t, ok)
	assert.Equal(t, "README.zh-CN.md", file)
	assert.Equal(t, "回显", s.Title)
	assert.Equal(t, 4, s.Line)

	file, s, ok = l.StepIn(i18n.ZH, 2)
	require.True(t, ok, "step 2 is not translated yet: the English heading")
	assert.Equal(t, "README.md", file)
	assert.Equal(t, "Deadlines", s.Title)

	file, s, ok = l.StepIn(i18n.EN, 1)
	require.True(t, ok)
	assert.Equal(t, "README.md", file)
	assert.Equal(t, "Echo", s.Title)

	_, _, ok = l.StepIn(i18n.ZH, 3)
	assert.False(t, ok)
}

func TestTitleIn(t *testing.T) {
	l := langLesson(t)
	assert.Equal(t, "TCP servers and clients", l.TitleIn(i18n.EN))
	assert.Equal(t, "TCP 服务器与客户端", l.TitleIn(i18n.ZH))
	require.NoError(t, os.Remove(filepath.Join(l.Dir, "README.zh-CN.md")))
	assert.Equal(t, "TCP servers and clients", l.TitleIn(i18n.ZH), "no Chinese README: the English title")
}

func TestHintsIn(t *testing.T) {
	l := langLesson(t)
	hints, files, err := l.HintsIn(i18n.ZH)
	require.NoError(t, err)
	assert.Equal(t, []string{"一？", "二，接着写。"}, hints[1])
	assert.Equal(t, "hints.zh-CN.md", files[1])
	assert.Equal(t, []string{"Three?", "Four."}, hints[2], "step 2 has no Chinese hints yet: the English ones")
	assert.Equal(t, "hints.md", files[2])

	hints, files, err = l.HintsIn(i18n.EN)
	require.NoError(t, err)
	assert.Equal(t, []string{"One?", "Two."}, hints[1])
	assert.Equal(t, "hints.md", files[1])
}
