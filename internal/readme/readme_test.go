package readme

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	text := "# 01-layers\n\nintro\n\n## Step 1: Protocols and layers\n\ntext\n\n## Step 2. Endpoints\n<!-- weight: 3 -->\n### Step 9: not a step heading\n## Stepping stones\n<!-- weight: 7 -->\n"
	got := Parse(text)
	require.Equal(t, []Step{
		{N: 1, Title: "Protocols and layers", Line: 5, Weight: 1},
		{N: 2, Title: "Endpoints", Line: 9, Weight: 3},
	}, got)
}

func TestParseChinese(t *testing.T) {
	text := "# 01-layers\n\n## 第 1 步：协议与分层\n\n## 第2步: 端点\n<!-- weight: 2 -->\n## 第三步：not numbered\n"
	got := Parse(text)
	require.Equal(t, []Step{
		{N: 1, Title: "协议与分层", Line: 3, Weight: 1},
		{N: 2, Title: "端点", Line: 5, Weight: 2},
	}, got)
}

func TestStepOf(t *testing.T) {
	tests := []struct {
		name   string
		want   int
		wantOK bool
	}{
		{"TestStep3_Checksum", 3, true},
		{"TestStep12_Big/sub test", 12, true},
		{"FuzzStep5_Decode", 5, true},
		{"BenchmarkStep2_Echo", 2, true},
		{"TestChecksum", 0, false},
		{"TestStepX_Bad", 0, false},
	}
	for _, tc := range tests {
		got, ok := StepOf(tc.name)
		assert.Equal(t, tc.wantOK, ok, "StepOf(%q)", tc.name)
		assert.Equal(t, tc.want, got, "StepOf(%q)", tc.name)
	}
}

func TestRefWithoutReadme(t *testing.T) {
	// This package has no README.md: Ref still names the file.
	assert.Equal(t, "README.md", Ref(t))
}
