package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/parity"
	"github.com/netkata/netkata/internal/workbook"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parityIn runs verify's parity check on the workbook in dir and returns
// its lines as verify prints them.
func parityIn(t *testing.T, dir string, enforce bool) string {
	t.Helper()
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	var out bytes.Buffer
	for _, o := range parityOutcomes(w.Root, w.Lessons, enforce) {
		printOutcome(&out, o)
	}
	return out.String()
}

func TestVerifyParity(t *testing.T) {
	t.Parallel()
	const agrees = "ok    01-demo            parity: README.zh-CN.md and hints.zh-CN.md agree with English: 2 steps, 2 test names, 0 code blocks, 4 hints, 0 links\n"
	tests := []struct {
		name     string
		file     string // in lessons/01-demo
		old, new string
		want     string
	}{
		{"a correct pair", "", "", "", agrees},
		{"a lagging README", "README.zh-CN.md", "\n## 第 2 步：一半\n\n写 `Half`。测试：`TestStep2_Half`。\n", "",
			"FAIL  01-demo            parity: 简体中文 lags or differs from English in 1 place (CONTRIBUTING.md, \"Changing a lesson in both languages\")\n" +
				"      lessons/01-demo/README.zh-CN.md: lacks step 2 (\"Half\"), which README.md:7 has\n"},
		{"a missing hint", "hints.zh-CN.md", "- 除以二，再留意符号。\n", "",
			"FAIL  01-demo            parity: 简体中文 lags or differs from English in 1 place (CONTRIBUTING.md, \"Changing a lesson in both languages\")\n" +
				"      lessons/01-demo/hints.zh-CN.md:7: step 2 has 1 hints, hints.md:5 has 2: one Chinese hint for each English one, in the same order\n"},
		{"a missing test name", "README.zh-CN.md", "测试：`TestStep2_Half`。", "",
			"FAIL  01-demo            parity: 简体中文 lags or differs from English in 1 place (CONTRIBUTING.md, \"Changing a lesson in both languages\")\n" +
				"      lessons/01-demo/README.zh-CN.md:9: step 2 lacks TestStep2_Half, which README.md:9 names\n"},
		{"a changed code block", "README.md", "Write `Half`.", "Write `Half`:\n\n```go\nhalf := n / 2\n```\n",
			"FAIL  01-demo            parity: 简体中文 lags or differs from English in 1 place (CONTRIBUTING.md, \"Changing a lesson in both languages\")\n" +
				"      lessons/01-demo/README.zh-CN.md:9: lacks the code block at README.md:11 (starting \"half := n / 2\"): copy it byte for byte\n"},
		{"a changed link", "README.md", "Write `Double`.", "Write `Double` ([Go spec](https://go.dev/ref/spec)).",
			"FAIL  01-demo            parity: 简体中文 lags or differs from English in 1 place (CONTRIBUTING.md, \"Changing a lesson in both languages\")\n" +
				"      lessons/01-demo/README.zh-CN.md:5: lacks the link to https://go.dev/ref/spec, which README.md:5 has (as https://go.dev/ref/spec)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := copyFixture(t)
			if tt.file != "" {
				edit(t, filepath.Join(dir, "lessons/01-demo", tt.file), tt.old, tt.new)
			}
			assert.Equal(t, tt.want, parityIn(t, dir, false))
		})
	}
}

func TestVerifyParityOfAnUntranslatedLesson(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	for _, f := range []string{"README.zh-CN.md", "hints.zh-CN.md"} {
		require.NoError(t, os.Remove(filepath.Join(dir, "lessons/01-demo", f)))
	}
	assert.Equal(t, "ok    01-demo            parity: no 简体中文 edition yet (not enforced)\n", parityIn(t, dir, false))
	assert.Equal(t, "FAIL  01-demo            parity: 简体中文 lags or differs from English in 2 places (CONTRIBUTING.md, \"Changing a lesson in both languages\")\n"+
		"      lessons/01-demo/README.zh-CN.md: missing: translate README.md into it\n"+
		"      lessons/01-demo/hints.zh-CN.md: missing: translate hints.md into it\n",
		parityIn(t, dir, true), "with workbook.EnforceTranslations")
}

func TestVerifyParityOfTopAndCatalogue(t *testing.T) {
	t.Parallel()
	dir := copyFixture(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.md"), []byte("# Demo\n\n```sh\ngo run ./cmd/kata\n```\n"), 0o666))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.zh-CN.md"), []byte("# 演示\n\n[English](README.md)\n\n```sh\ngo run ./cmd/kata\n```\n"), 0o666))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "internal/i18n"), 0o777))
	out := parityIn(t, dir, false)
	assert.Contains(t, out, "ok    -                  parity: README.zh-CN.md agrees with README.md: 1 code blocks, 0 links\n")
	assert.Regexp(t, `ok    -                  parity: message catalogue: \d+ keys, each in English and 简体中文 with the same fmt verbs\n`, out)

	edit(t, filepath.Join(dir, "README.zh-CN.md"), "go run ./cmd/kata\n", "go run ./cmd/kata -lang zh\n")
	assert.Contains(t, parityIn(t, dir, false), "FAIL  -                  parity: 简体中文 lags or differs from English in 1 place (CONTRIBUTING.md, \"Changing a lesson in both languages\")\n"+
		"      README.zh-CN.md:6: code block 1 differs from README.md:3's, at its line 2: \"go run ./cmd/kata -lang zh\", English has \"go run ./cmd/kata\" (copy code blocks byte for byte)\n")
}

func TestVerifyParityShowsTheFirstFindings(t *testing.T) {
	fs := make([]parity.Finding, maxFindings+2)
	for i := range fs {
		fs[i] = parity.Finding{File: "README.zh-CN.md", Line: i + 1, Text: "x"}
	}
	lines := strings.Split(findingLines(fs), "\n")
	require.Len(t, lines, maxFindings+1)
	assert.Equal(t, "README.zh-CN.md:1: x", lines[0])
	assert.Equal(t, "... and 2 more (fix those above first: they may cause the rest)", lines[maxFindings])
}
