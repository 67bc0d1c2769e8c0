package parity

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	readmeEN = "# Lesson 01: demo\n" +
		"\n" +
		"A lesson about [numbers](https://example.com/numbers). See the [hints](hints.md).\n" +
		"\n" +
		"## Theory\n" +
		"\n" +
		"### Twice\n" +
		"\n" +
		"Go on to [step 2](#step-2-half).\n" +
		"\n" +
		"```go\n" +
		"x := 2 * n // twice\n" +
		"```\n" +
		"\n" +
		"## Step 1: Double\n" +
		"\n" +
		"Write `Double`. Tests: `TestStep1_Double`.\n" +
		"\n" +
		"## Step 2: Half\n" +
		"<!-- weight: 2 -->\n" +
		"\n" +
		"Write `Half`, like [Double](#step-1-double).\n" +
		"\n" +
		"```sh\n" +
		"go test -run TestStep2_Half ./lessons/01-demo/\n" +
		"```\n" +
		"\n" +
		"Tests:\n" +
		"- `TestStep2_Half` halves.\n" +
		"- `TestStep2_HalfNegative` rounds toward zero.\n" +
		"\n" +
		"## Programs\n" +
		"\n" +
		"None.\n"
	readmeZH = "# 第 01 课：演示\n" +
		"\n" +
		"[English](README.md)\n" +
		"\n" +
		"关于[数字](https://example.com/numbers)的一课。参见[提示](hints.zh-CN.md)。\n" +
		"\n" +
		"## 理论\n" +
		"\n" +
		"### 两倍\n" +
		"\n" +
		"接着看[第 2 步](#第-2-步一半)。\n" +
		"\n" +
		"```go\n" +
		"x := 2 * n // twice\n" +
		"```\n" +
		"\n" +
		"## 第 1 步：加倍\n" +
		"\n" +
		"写 `Double`。测试：`TestStep1_Double`。\n" +
		"\n" +
		"## 第 2 步：一半\n" +
		"<!-- weight: 2 -->\n" +
		"\n" +
		"写 `Half`，参照 [Double](#第-1-步加倍)。\n" +
		"\n" +
		"```sh\n" +
		"go test -run TestStep2_Half ./lessons/01-demo/\n" +
		"```\n" +
		"\n" +
		"测试：\n" +
		"- `TestStep2_Half` 取一半。\n" +
		"- `TestStep2_HalfNegative` 向零取整。\n" +
		"\n" +
		"## 程序\n" +
		"\n" +
		"无。\n"
	hintsEN = "## Step 1: Double\n" +
		"- What is twice a number?\n" +
		"- Add n to itself,\n" +
		"  then return it.\n" +
		"\n" +
		"## Step 2: Half\n" +
		"- Which way should an odd number round?\n" +
		"- Divide by two.\n"
	hintsZH = "[English](hints.md)\n" +
		"\n" +
		"## 第 1 步：加倍\n" +
		"- 一个数的两倍是多少？\n" +
		"- 把 n 加上它自己，\n" +
		"  再返回。\n" +
		"\n" +
		"## 第 2 步：一半\n" +
		"- 奇数该往哪边取整？\n" +
		"- 除以二。\n"
)

// writeLesson writes a workbook with lessons/01-demo in both languages to
// a temporary folder and returns its root.
func writeLesson(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range map[string]string{
		"lessons/01-demo/README.md":       readmeEN,
		"lessons/01-demo/README.zh-CN.md": readmeZH,
		"lessons/01-demo/hints.md":        hintsEN,
		"lessons/01-demo/hints.zh-CN.md":  hintsZH,
	} {
		write(t, root, name, data)
	}
	return root
}

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o777))
	require.NoError(t, os.WriteFile(p, []byte(data), 0o666))
}

// edit replaces old with new in root/name, once; old must be there.
func edit(t *testing.T, root, name, old, new string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Contains(t, string(b), old, "the fixture %s changed; update the test", name)
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o666))
}

func strs(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

func TestLessonPassesWhenBothAgree(t *testing.T) {
	root := writeLesson(t)
	r := Lesson(root, "lessons/01-demo", false)
	assert.Empty(t, strs(r.Findings))
	assert.Equal(t, Report{Translated: true, Steps: 2, Tests: 3, Blocks: 2, Hints: 4, Links: 4}, r)

	assert.Equal(t, []string{`lessons/01-demo/README.md:1: does not link to its Chinese edition in its first 5 lines: put "[简体中文](README.zh-CN.md)" under the title`},
		strs(Lesson(root, "lessons/01-demo", true).Findings), "enforced, the English README links to the Chinese one")
	edit(t, root, "lessons/01-demo/README.md", "# Lesson 01: demo\n", "# Lesson 01: demo\n\n[简体中文](README.zh-CN.md)\n")
	assert.Equal(t, r, Lesson(root, "lessons/01-demo", true), "the link between the languages is not compared as a link")
}

func TestLessonFindsWhereChineseLags(t *testing.T) {
	const (
		rd = "lessons/01-demo/README.zh-CN.md"
		hd = "lessons/01-demo/hints.zh-CN.md"
	)
	tests := []struct {
		name  string
		file  string   // the file to edit, in lessons/01-demo
		edits []string // old, new, old, new ...
		want  []string
	}{
		{"a lagging README: step 2 missing", "README.zh-CN.md",
			[]string{"## 第 2 步：一半\n<!-- weight: 2 -->\n", ""},
			[]string{rd + `: lacks step 2 ("Half"), which README.md:19 has`}},
		{"a missing hint", "hints.zh-CN.md", []string{"- 除以二。\n", ""},
			[]string{hd + ":8: step 2 has 1 hints, hints.md:6 has 2: one Chinese hint for each English one, in the same order"}},
		{"a hint's continuation line is no hint", "hints.zh-CN.md", []string{"  再返回。\n", "- 再返回。\n"},
			[]string{hd + ":3: step 1 has 3 hints, hints.md:1 has 2: one Chinese hint for each English one, in the same order"}},
		{"a changed code block", "README.zh-CN.md", []string{"x := 2 * n // twice\n", "x := 2 * n // 两倍\n"},
			[]string{rd + `:14: code block 1 differs from README.md:11's, at its line 2: "x := 2 * n // 两倍", English has "x := 2 * n // twice" (copy code blocks byte for byte)`}},
		{"a missing code block", "README.zh-CN.md", []string{"```sh\ngo test -run TestStep2_Half ./lessons/01-demo/\n```\n", ""},
			[]string{rd + `:21: lacks the code block at README.md:24 (starting "go test -run TestStep2_Half ./lessons/01-demo/"): copy it byte for byte`}},
		{"an added code block", "README.zh-CN.md", []string{"无。\n", "无。\n\n```\nextra\n```\n"},
			[]string{rd + `:38: has a code block (starting "extra") that README.md does not`}},
		{"a missing test name", "README.zh-CN.md", []string{"- `TestStep2_HalfNegative` 向零取整。\n", ""},
			[]string{rd + ":21: step 2 lacks TestStep2_HalfNegative, which README.md:30 names"}},
		{"a test name in the wrong step", "README.zh-CN.md", []string{"测试：`TestStep1_Double`。", "测试：见第 2 步。", "向零取整。", "向零取整；`TestStep1_Double`。"},
			[]string{
				rd + ":17: step 1 lacks TestStep1_Double, which README.md:17 names",
				rd + ":32: step 2 names TestStep1_Double, which step 2 of README.md does not (README.md:19)",
			}},
		{"an extra test name", "README.zh-CN.md", []string{"测试：`TestStep1_Double`。", "测试：`TestStep1_Double`、`TestStep1_Triple`。"},
			[]string{rd + ":19: step 1 names TestStep1_Triple, which step 1 of README.md does not (README.md:15)"}},
		{"a changed link", "README.zh-CN.md", []string{"(https://example.com/numbers)", "(https://example.com/数字)"},
			[]string{
				rd + ":5: links to https://example.com/数字, which README.md does not (a link changed or added?)",
				rd + ": lacks the link to https://example.com/numbers, which README.md:3 has (as https://example.com/numbers)",
			}},
		{"a link to the English hints", "README.zh-CN.md", []string{"[提示](hints.zh-CN.md)", "[提示](hints.md)"},
			[]string{
				rd + ":5: links to hints.md, which README.md does not (a link changed or added?)",
				rd + ": lacks the link to hints.zh-CN.md, which README.md:3 has (as hints.md)",
			}},
		{"an anchor left in English", "README.zh-CN.md", []string{"(#第-1-步加倍)", "(#step-1-double)"},
			[]string{
				rd + ":24: links to #step-1-double, and no heading has that anchor (GitHub's: lower case, spaces to \"-\", punctuation dropped)",
				rd + ":21: lacks the link to #第-1-步加倍, which README.md:22 has (as #step-1-double)",
			}},
		{"an anchor to another heading", "README.zh-CN.md", []string{"(#第-2-步一半)", "(#第-1-步加倍)"},
			[]string{
				rd + ":11: links to #第-1-步加倍, which README.md does not (a link changed or added?)",
				rd + ": lacks the link to #第-2-步一半, which README.md:9 has (as #step-2-half)",
			}},
		{"a weight not copied", "README.zh-CN.md", []string{"<!-- weight: 2 -->\n", ""},
			[]string{rd + `:21: step 2 weighs 1, README.md:19 says 2: copy its "<!-- weight: 2 -->" line`}},
		{"a step heading left in English", "README.zh-CN.md", []string{"## 第 1 步：加倍", "## Step 1: 加倍"},
			[]string{
				rd + `:17: the heading of step 1 is still English; write it "## 第 1 步：标题"`,
				rd + ":24: links to #第-1-步加倍, and no heading has that anchor (GitHub's: lower case, spaces to \"-\", punctuation dropped)",
				rd + ":21: lacks the link to #step-1-加倍, which README.md:22 has (as #step-1-double)",
			}},
		{"steps out of order", "README.zh-CN.md", []string{"## 第 1 步：加倍", "## 第 3 步：加倍"},
			[]string{
				rd + `: lacks step 1 ("Double"), which README.md:15 has`,
				rd + ":17: has a step 3, which README.md does not",
			}},
		{"a heading dropped", "README.zh-CN.md", []string{"### 两倍\n", ""},
			[]string{rd + `: lacks a heading for "Twice" (README.md:7, level 3): keep the same headings as English`}},
		{"no link back to English", "README.zh-CN.md", []string{"[English](README.md)\n", "English: README.md\n"},
			[]string{rd + `:1: does not link back to English in its first 5 lines: put "[English](README.md)" under the title`}},
		{"a part not translated yet", "README.zh-CN.md", []string{"写 `Half`", "<!-- TODO(translate) -->\nWrite `Half`"},
			[]string{rd + ":24: step 2 is not translated yet (TODO(translate)): translate it from README.md, then remove the marker"}},
		{"a fence lost", "README.zh-CN.md", []string{"x := 2 * n // twice\n```\n", "x := 2 * n // twice\n``\n"},
			[]string{
				rd + ":15: code block 1 differs from README.md:11's, at its line 3: \"``\", English has \"```\" (copy code blocks byte for byte)",
				rd + ":21: lacks the code block at README.md:24 (starting \"go test -run TestStep2_Half ./lessons/01-demo/\"): copy it byte for byte",
				rd + `:17: lacks a heading for "Step 1: Double" (README.md:15, level 2): keep the same headings as English`,
				rd + `:21: lacks a heading for "Step 2: Half" (README.md:19, level 2): keep the same headings as English`,
				rd + ":21: lacks the link to #step-1-double, which README.md:22 has (as #step-1-double)",
			}},
		{"a fence never closed", "README.zh-CN.md", []string{"./lessons/01-demo/\n```\n", "./lessons/01-demo/\n"},
			[]string{
				rd + ":26: a code block opens here and never closes: its closing fence (```), or one above, is lost or changed",
				rd + ":28: code block 2 differs from README.md:24's, at its line 3: \"\", English has \"```\" (copy code blocks byte for byte)",
				rd + `: lacks a heading for "Programs" (README.md:32, level 2): keep the same headings as English`,
			}},
		{"hints lagging a step", "hints.zh-CN.md", []string{"\n## 第 2 步：一半\n- 奇数该往哪边取整？\n- 除以二。\n", ""},
			[]string{hd + `: lacks step 2 ("Half"), which hints.md:6 has`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeLesson(t)
			for i := 0; i < len(tt.edits); i += 2 {
				edit(t, root, "lessons/01-demo/"+tt.file, tt.edits[i], tt.edits[i+1])
			}
			got := Lesson(root, "lessons/01-demo", false)
			assert.ElementsMatch(t, tt.want, strs(got.Findings))
		})
	}
}

func TestLessonWithoutTranslation(t *testing.T) {
	root := writeLesson(t)
	for _, f := range []string{"README.zh-CN.md", "hints.zh-CN.md"} {
		require.NoError(t, os.Remove(filepath.Join(root, "lessons/01-demo", f)))
	}
	r := Lesson(root, "lessons/01-demo", false)
	assert.False(t, r.Translated)
	assert.Empty(t, r.Findings, "not enforced: an untranslated lesson passes")

	r = Lesson(root, "lessons/01-demo", true)
	assert.Equal(t, []string{
		"lessons/01-demo/README.zh-CN.md: missing: translate README.md into it",
		"lessons/01-demo/hints.zh-CN.md: missing: translate hints.md into it",
	}, strs(r.Findings))

	write(t, root, "lessons/01-demo/README.zh-CN.md", readmeZH)
	r = Lesson(root, "lessons/01-demo", false)
	assert.Equal(t, []string{"lessons/01-demo/hints.zh-CN.md: missing: translate hints.md into it"},
		strs(r.Findings), "half a translation fails even when not enforced")
}

func TestLinksBetweenLessons(t *testing.T) {
	root := writeLesson(t)
	write(t, root, "lessons/02-next/README.md", "# Next\n\n## Step 1: Go on\n\ntext\n")
	edit(t, root, "lessons/01-demo/README.md", "None.\n", "None. Next: [lesson 02](../02-next/README.md#step-1-go-on).\n")
	edit(t, root, "lessons/01-demo/README.zh-CN.md", "无。\n", "无。下一课：[第 02 课](../02-next/README.zh-CN.md)。\n")
	assert.Empty(t, strs(Lesson(root, "lessons/01-demo", false).Findings),
		"a lesson not translated yet: its Chinese file is linked, the anchor cannot be checked")

	write(t, root, "lessons/02-next/README.zh-CN.md", "# 下一课\n\n[English](README.md)\n\n## 第 1 步：继续\n\n文字\n")
	assert.Equal(t, []string{
		"lessons/01-demo/README.zh-CN.md: lacks the link to ../02-next/README.zh-CN.md#第-1-步继续, which README.md:34 has (as ../02-next/README.md#step-1-go-on)",
		"lessons/01-demo/README.zh-CN.md:36: links to ../02-next/README.zh-CN.md, which README.md does not (a link changed or added?)",
	}, strs(Lesson(root, "lessons/01-demo", false).Findings), "once translated, the anchor names the Chinese heading")

	edit(t, root, "lessons/01-demo/README.zh-CN.md", "(../02-next/README.zh-CN.md)", "(../02-next/README.zh-CN.md#第-1-步继续)")
	assert.Empty(t, strs(Lesson(root, "lessons/01-demo", false).Findings))
}

func TestTop(t *testing.T) {
	root := t.TempDir()
	en := "# netkata\n\n[简体中文](README.zh-CN.md)\n\n## Lessons\n\n- [01](lessons/01-demo/README.md)\n\n```sh\ngo run ./cmd/kata\n```\n\nSee [CONTRIBUTING.md](CONTRIBUTING.md).\n"
	zh := "# netkata\n\n[English](README.md)\n\n## 课程\n\n- [01](lessons/01-demo/README.zh-CN.md)\n\n```sh\ngo run ./cmd/kata\n```\n\n见 [CONTRIBUTING.md](CONTRIBUTING.md)。\n"
	write(t, root, "README.md", en)
	assert.Empty(t, Top(root, false).Findings, "no translation yet")
	assert.Equal(t, []string{"README.zh-CN.md: missing: translate README.md into it"}, strs(Top(root, true).Findings))

	write(t, root, "README.zh-CN.md", zh)
	r := Top(root, true)
	assert.Empty(t, strs(r.Findings))
	assert.Equal(t, Report{Translated: true, Blocks: 1, Links: 2}, r)

	edit(t, root, "README.zh-CN.md", "go run ./cmd/kata\n", "go run ./cmd/kata -lang zh\n")
	edit(t, root, "README.md", "[简体中文](README.zh-CN.md)\n", "")
	assert.Equal(t, []string{"README.zh-CN.md:10: code block 1 differs from README.md:8's, at its line 2: \"go run ./cmd/kata -lang zh\", English has \"go run ./cmd/kata\" (copy code blocks byte for byte)"},
		strs(Top(root, false).Findings), "the English link to Chinese is wanted only when enforced")
	assert.Contains(t, strs(Top(root, true).Findings),
		`README.md:1: does not link to its Chinese edition in its first 5 lines: put "[简体中文](README.zh-CN.md)" under the title`)
}

func TestCatalogue(t *testing.T) {
	root := t.TempDir()
	write(t, root, "internal/i18n/messages_en.go", "package i18n\n\nvar en = map[string]string{\n\t\"a.one\": \"%d of %s\",\n\t\"a.two\":   \"plain\",\n}\n")
	write(t, root, "internal/i18n/messages_zh.go", "package i18n\n\nvar zh = map[string]string{\n\t\"a.one\": \"%s 中的 %d\",\n}\n")
	problems := i18n.Compare(map[i18n.Lang]map[string]string{
		i18n.EN: {"a.one": "%d of %s", "a.two": "plain"},
		i18n.ZH: {"a.one": "%s 中的 %d"},
	})
	assert.Equal(t, []string{
		`internal/i18n/messages_zh.go:4: key "a.one" (zh): fmt verbs [%s %d], English has [%d %s] (the same verbs, in the same order)`,
		`internal/i18n/messages_en.go:5: key "a.two" has no zh text: add it beside this one, in the zh messages`,
	}, strs(Catalogue(root, problems)))
	assert.Empty(t, Catalogue(root, nil))
}

func TestSlugify(t *testing.T) {
	for text, want := range map[string]string{
		"Step 2: Echo server":             "step-2-echo-server",
		"第 2 步：回显服务器":                     "第-2-步回显服务器",
		"`conn.Read` and [links](x.md)":   "connread-and-links",
		"Half-close (半关闭）":                "half-close-半关闭",
		"Grading treats every submission": "grading-treats-every-submission",
	} {
		assert.Equal(t, want, slugify(text), "slugify(%q)", text)
	}
}

func TestParseDoc(t *testing.T) {
	d := parseDoc("# T\n\n~~~\n## not a heading [x](y.md)\n~~~\n\n  ```go\n  a\n  ```\n\nA `[code](z.md)` span, <https://a.example/x> and https://b.example/y.\n\n[ref]: ../r.md\n## H\n")
	require.Len(t, d.blocks, 2)
	assert.Equal(t, 3, d.blocks[0].line)
	assert.Equal(t, "  ```go\n  a\n  ```", d.blocks[1].text)
	var targets []string
	for _, l := range d.links {
		targets = append(targets, l.target)
	}
	assert.Equal(t, []string{"https://a.example/x", "https://b.example/y", "../r.md"}, targets)
	require.Len(t, d.headings, 2)
	assert.Equal(t, heading{level: 2, text: "H", line: 14, slug: "h"}, d.headings[1])
}
