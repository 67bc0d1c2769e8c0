package readme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
)

// inDir runs the rest of the test in a fresh folder holding files.
func inDir(t *testing.T, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
}

func TestRefIn(t *testing.T) {
	en := "# Demo\n\n## Step 1: Echo\n\n## Step 2: Deadlines\n"
	zh := "# 示例\n[English](README.md)\n\n## 第 1 步：回显\n"
	inDir(t, map[string]string{"README.md": en, "README.zh-CN.md": zh})
	tests := []struct {
		lang i18n.Lang
		test string
		want string
	}{
		{i18n.EN, "TestStep1_Echo", "README.md, step 1: Echo"},
		{i18n.ZH, "TestStep1_Echo/one line", "README.zh-CN.md 第 1 步：回显"},
		// Step 2 is not translated yet: the English README, in Chinese words.
		{i18n.ZH, "TestStep2_Idle", "README.md 第 2 步：Deadlines"},
		{i18n.ZH, "TestStep9_Nowhere", "README.md 第 9 步"},
		{i18n.ZH, "TestScripts", "README.md"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, refIn(tc.lang, tc.test), "%s in %s", tc.test, tc.lang)
	}
}

func TestRefWithoutChineseREADME(t *testing.T) {
	inDir(t, map[string]string{"README.md": "## Step 1: Echo\n"})
	assert.Equal(t, "README.md 第 1 步：Echo", refIn(i18n.ZH, "TestStep1_Echo"))
}

func TestShortenChinese(t *testing.T) {
	t.Setenv(i18n.EnvVar, "zh")
	report := "--- FAIL: TestStep1_A (0.00s)\n" +
		"    x_test.go:11: README.zh-CN.md 第 1 步：一\n" +
		"--- FAIL: TestStep1_B (0.00s)\n" +
		"    x_test.go:11: README.zh-CN.md 第 1 步：一\n" +
		"--- FAIL: TestStep2_C (0.00s)\n" +
		"--- FAIL: TestScripts (0.01s)\n" +
		"FAIL\n"
	got := shorten(report)
	assert.Contains(t, got, "--- FAIL: 第 2 步要等第 1 步通过（TestStep2_C）\n")
	assert.Contains(t, got, "--- FAIL: TestScripts (0.01s)，要等第 1 步通过\n")
	assert.Contains(t, got, "（输出已精简：go test -run '^TestStep1_B$' . 可完整显示一个测试；NETKATA_ALL_STEPS=1 显示全部失败）")
	assert.False(t, strings.Contains(got, "waits for"), "no English left:\n%s", got)
}
