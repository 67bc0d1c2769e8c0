package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/fixture"
	"github.com/netkata/netkata/internal/parity"
	"github.com/netkata/netkata/internal/workbook"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parityIn runs the parity check on the workbook in dir.
func parityIn(t *testing.T, dir string, enforce bool) []Result {
	t.Helper()
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	return CheckParity(w.Root, w.Lessons, enforce)
}

// lags is the line of a parity check that found n places.
func lags(n int) string {
	places := "places"
	if n == 1 {
		places = "place"
	}
	return fmt.Sprintf("parity: 简体中文 lags or differs from English in %d %s (CONTRIBUTING.md, \"Changing a lesson in both languages\")", n, places)
}

func TestParity(t *testing.T) {
	t.Parallel()
	agrees := Result{Lesson: "01-demo", Kind: Parity, OK: true, Text: "parity: README.zh-CN.md and hints.zh-CN.md agree with English: 2 steps, 2 test names, 0 code blocks, 4 hints, 0 links"}
	lag := func(detail string) Result {
		return Result{Lesson: "01-demo", Kind: Parity, Text: lags(1), Detail: detail}
	}
	tests := []struct {
		name     string
		file     string // in lessons/01-demo
		old, new string
		want     Result
	}{
		{"a correct pair", "", "", "", agrees},
		{"a lagging README", "README.zh-CN.md", "\n## 第 2 步：一半\n\n写 `Half`。测试：`TestStep2_Half`。\n", "",
			lag("lessons/01-demo/README.zh-CN.md: lacks step 2 (\"Half\"), which README.md:9 has")},
		{"a missing hint", "hints.zh-CN.md", "- 除以二，再留意符号。\n", "",
			lag("lessons/01-demo/hints.zh-CN.md:7: step 2 has 1 hints, hints.md:5 has 2: one Chinese hint for each English one, in the same order")},
		{"a missing test name", "README.zh-CN.md", "测试：`TestStep2_Half`。", "",
			lag("lessons/01-demo/README.zh-CN.md:9: step 2 lacks TestStep2_Half, which README.md:11 names")},
		{"a changed code block", "README.md", "Write `Half`.", "Write `Half`:\n\n```go\nhalf := n / 2\n```\n",
			lag("lessons/01-demo/README.zh-CN.md:9: lacks the code block at README.md:13 (starting \"half := n / 2\"): copy it byte for byte")},
		{"a changed link", "README.md", "Write `Double`.", "Write `Double` ([Go spec](https://go.dev/ref/spec)).",
			lag("lessons/01-demo/README.zh-CN.md:5: lacks the link to https://go.dev/ref/spec, which README.md:7 has (as https://go.dev/ref/spec)")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := fixture.Workbook(t)
			if tt.file != "" {
				edit(t, filepath.Join(dir, "lessons/01-demo", tt.file), tt.old, tt.new)
			}
			assert.Equal(t, []Result{tt.want}, parityIn(t, dir, false))
		})
	}
}

func TestParityOfAnUntranslatedLesson(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	for _, f := range []string{"README.zh-CN.md", "hints.zh-CN.md"} {
		require.NoError(t, os.Remove(filepath.Join(dir, "lessons/01-demo", f)))
	}
	assert.Equal(t, []Result{{Lesson: "01-demo", Kind: Parity, OK: true, Text: "parity: no 简体中文 edition yet (not enforced)"}}, parityIn(t, dir, false))
	assert.Equal(t, []Result{{Lesson: "01-demo", Kind: Parity, Text: lags(2),
		Detail: "lessons/01-demo/README.zh-CN.md: missing: translate README.md into it\n" +
			"lessons/01-demo/hints.zh-CN.md: missing: translate hints.md into it"}},
		parityIn(t, dir, true), "with workbook.EnforceTranslations")
}

func TestParityOfTopAndCatalogue(t *testing.T) {
	t.Parallel()
	dir := fixture.Workbook(t)
	write(t, filepath.Join(dir, "README.md"), "# Demo\n\n```sh\ngo run ./cmd/kata\n```\n")
	write(t, filepath.Join(dir, "README.zh-CN.md"), "# 演示\n\n[English](README.md)\n\n```sh\ngo run ./cmd/kata\n```\n")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "internal/i18n"), 0o777))
	rs := parityIn(t, dir, false)
	require.Len(t, rs, 3, "the top README, the catalogue, the lesson")
	assert.Equal(t, Result{Kind: Parity, OK: true, Text: "parity: README.zh-CN.md agrees with README.md: 1 code blocks, 0 links"}, rs[0])
	assert.True(t, rs[1].OK, rs[1].Detail)
	assert.Equal(t, "catalogue", rs[1].Name)
	assert.Regexp(t, `^parity: message catalogue: \d+ keys, each in English and 简体中文 with the same fmt verbs$`, rs[1].Text)

	edit(t, filepath.Join(dir, "README.zh-CN.md"), "go run ./cmd/kata\n", "go run ./cmd/kata -lang zh\n")
	assert.Equal(t, Result{Kind: Parity, Text: lags(1),
		Detail: "README.zh-CN.md:6: code block 1 differs from README.md:3's, at its line 2: \"go run ./cmd/kata -lang zh\", English has \"go run ./cmd/kata\" (copy code blocks byte for byte)"},
		parityIn(t, dir, false)[0])
}

func TestParityShowsTheFirstFindings(t *testing.T) {
	fs := make([]parity.Finding, maxFindings+2)
	for i := range fs {
		fs[i] = parity.Finding{File: "README.zh-CN.md", Line: i + 1, Text: "x"}
	}
	lines := strings.Split(findingLines(fs), "\n")
	require.Len(t, lines, maxFindings+1)
	assert.Equal(t, "README.zh-CN.md:1: x", lines[0])
	assert.Equal(t, "... and 2 more (fix those above first: they may cause the rest)", lines[maxFindings])
}
