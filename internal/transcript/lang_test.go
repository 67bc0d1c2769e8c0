package transcript

import (
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/textwidth"
	"github.com/stretchr/testify/assert"
)

// TestDiffChinese checks the Chinese labels, and that the caret still
// stands under the first differing byte with wide characters in the labels.
func TestDiffChinese(t *testing.T) {
	t.Setenv(i18n.EnvVar, "zh")
	out := Diff(Server, []byte("你好 bob\n"), []byte("你好 bib\n"))
	lines := strings.Split(out, "\n")
	assert.Equal(t, []string{
		"  期望 S: \"你好 bob\\n\"",
		"  实际 S: \"你好 bib\\n\"",
	}, lines[:2])
	caret := strings.Index(lines[2], "^")
	assert.Equal(t, textwidth.Of(`  实际 S: "你好 b`), caret, "the caret stands under the 'i':\n%s", out)
	assert.Contains(t, lines[2], "第一处不同在第 8 字节")

	out = Diff(Server, []byte("hi\n"), []byte("hi\nthere\n"))
	assert.Contains(t, out, "预期的回复之后还有多余的数据（6 字节）")
}

func TestLogStringWideNames(t *testing.T) {
	var l Log
	l.Add("客户端", Client, []byte("hi\n"))
	l.Add("bob", Server, []byte("yo\n"))
	lines := strings.Split(l.String(), "\n")
	assert.Equal(t, textwidth.Of(lines[0][:strings.Index(lines[0], "C:")]), textwidth.Of(lines[1][:strings.Index(lines[1], "S:")]),
		"the C:/S: columns line up:\n%s", l.String())
}
