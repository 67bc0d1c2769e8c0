package scaffold

import (
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/parity"
	"github.com/netkata/netkata/internal/workbook"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeWorkbook writes a workbook of one lesson, 01-demo, with one step,
// to a temporary folder and opens it.
func writeWorkbook(t *testing.T) (*workbook.Workbook, *workbook.Lesson) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":                           "module example.com/fixture\n\ngo 1.24\n",
		"lessons/01-demo/README.md":        "# Lesson 01: demo\n\n## Step 1: Double\n\nTests: `TestStep1_Double`.\n\n## Programs\n\nNone.\n",
		"lessons/01-demo/hints.md":         "## Step 1: Double\n- What is twice a number?\n- Add n to itself.\n",
		"lessons/01-demo/lesson.go":        "// Package demo is a lesson.\npackage demo\n\n" + workbook.NotEdited + "\n\nimport \"errors\"\n\n// ErrTODO is what the stubs return.\nvar ErrTODO = errors.New(\"TODO\")\n",
		"lessons/01-demo/double.go":        "package demo\n\n// Double returns twice n.\nfunc Double(n int) (int, error) {\n\t// TODO(step 1): return twice n.\n\treturn 0, ErrTODO\n}\n",
		"lessons/01-demo/main_test.go":     "package demo\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestMain(m *testing.M) { os.Exit(m.Run()) }\n",
		"lessons/01-demo/1_double_test.go": "package demo\n\nimport \"testing\"\n\nfunc TestStep1_Double(t *testing.T) {\n\tif got, err := Double(2); got != 4 || err != nil {\n\t\tt.Errorf(\"Double(2) = %d, %v; want 4, nil\", got, err)\n\t}\n}\n",
		"solutions/01-demo/double.go":      "package demo\n\n// Double returns twice n.\nfunc Double(n int) (int, error) {\n\treturn n + n, nil\n}\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o777))
		require.NoError(t, os.WriteFile(p, []byte(data), 0o644))
	}
	w, err := workbook.Open(dir)
	require.NoError(t, err)
	l, err := w.Lesson("01")
	require.NoError(t, err)
	return w, l
}

// requireGofmt checks that every Go file a plan creates is formatted as
// gofmt would.
func requireGofmt(t *testing.T, p *Plan) {
	t.Helper()
	for _, f := range p.Create {
		if filepath.Ext(f.Path) != ".go" {
			continue
		}
		formatted, err := format.Source([]byte(f.Data))
		require.NoError(t, err, "%s does not parse:\n%s", f.Path, f.Data)
		require.Equal(t, string(formatted), f.Data, "%s is not gofmt'ed", f.Path)
	}
}

// problems returns the lesson's layout problems as text.
func problems(l *workbook.Lesson) []string {
	var got []string
	for _, err := range l.CheckLayout() {
		got = append(got, err.Error())
	}
	return got
}

func TestNewStepAddsOnlyTheHintsProblem(t *testing.T) {
	w, l := writeWorkbook(t)
	before := problems(l)
	p, err := NewStep(w, l, "Triple it (三倍)", "")
	require.NoError(t, err)
	assert.Equal(t, 2, p.Step)
	assert.Equal(t, "tripleit", p.Concept)
	assert.Equal(t, "TripleIt", p.Func)
	assert.Equal(t, "TestStep2_TripleIt", p.Test)
	assert.Equal(t, before, problems(l), "planning wrote something")

	requireGofmt(t, p)
	require.NoError(t, p.Write())
	want := append([]string{"lessons/01-demo/hints.md: step 2 has 0 hints, want at least 2"}, before...)
	assert.ElementsMatch(t, want, problems(l), "the layout problems after new-step")
	steps, err := l.Steps()
	require.NoError(t, err)
	require.Len(t, steps, 2)
	assert.Equal(t, "Triple it (三倍)", steps[1].Title)
	tests, err := l.Tests()
	require.NoError(t, err)
	assert.Equal(t, []string{"TestStep1_Double", "TestStep2_TripleIt"}, tests)
	entries, err := os.ReadDir(l.Dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.NotRegexp(t, `^\.kata-`, e.Name(), "a temporary file was left behind")
	}
}

func TestWriteNeverOverwrites(t *testing.T) {
	w, l := writeWorkbook(t)
	readme := filepath.Join(l.Dir, "README.md")
	require.NoError(t, os.Chmod(readme, 0o600))
	before, err := os.ReadFile(readme)
	require.NoError(t, err)
	p, err := NewStep(w, l, "Triple", "")
	require.NoError(t, err)
	stub := filepath.Join(l.SolutionDir, "triple.go")
	require.NoError(t, os.WriteFile(stub, []byte("package demo\n"), 0o644))

	err = p.Write()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "solutions/01-demo/triple.go exists already")
	after, err := os.ReadFile(readme)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "README.md changed though Write refused")
	assert.NoFileExists(t, filepath.Join(l.Dir, "triple.go"))

	require.NoError(t, os.Remove(stub))
	require.NoError(t, p.Write())
	fi, err := os.Stat(readme)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "README.md lost its mode")
}

func TestNames(t *testing.T) {
	w, l := writeWorkbook(t)
	for _, tc := range []struct {
		title, concept  string
		wantConcept, fn string
	}{
		{"Echo server", "", "echoserver", "EchoServer"},
		{"Keep-alive (长连接)", "", "keepalive", "KeepAlive"},
		{"HTTP/1.1 heads", "", "http11heads", "HTTP11Heads"},
		{"Keep-alive", "alive", "alive", "KeepAlive"},
		{"3 ways", "", "", ""},
		{"三倍", "triple", "triple", "Triple"},
	} {
		p, err := NewStep(w, l, tc.title, tc.concept)
		if tc.wantConcept == "" {
			require.ErrorIs(t, err, ErrUsage, "NewStep(%q, %q)", tc.title, tc.concept)
			continue
		}
		require.NoError(t, err, "NewStep(%q, %q)", tc.title, tc.concept)
		assert.Equal(t, tc.wantConcept, p.Concept, "NewStep(%q, %q).Concept", tc.title, tc.concept)
		assert.Equal(t, tc.fn, p.Func, "NewStep(%q, %q).Func", tc.title, tc.concept)
	}
	_, err := NewStep(w, l, "Double", "twice")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lessons/01-demo already declares Double (double.go)")
	assert.Equal(t, "dnsnames", packageName("11-dns-names"))
}

func TestInsertStep(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"before the section after the steps",
			"# L\n\n## Step 1: A\n\nTests: `TestStep1_A`.\n\n## Programs\n\nrun it\n",
			"# L\n\n## Step 1: A\n\nTests: `TestStep1_A`.\n\n## Step 2: B\n\n## Programs\n\nrun it\n"},
		{"at the end", "# L\n\n## Step 1: A\n\ntext\n", "# L\n\n## Step 1: A\n\ntext\n\n## Step 2: B\n"},
		{"no step yet", "# L\n\ntheory\n", "# L\n\ntheory\n\n## Step 2: B\n"},
		{"a ### heading stays in its step", "## Step 1: A\n\n### More\n\nx\n", "## Step 1: A\n\n### More\n\nx\n\n## Step 2: B\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, insertStep(tc.text, "## Step 2: B\n"))
		})
	}
}

func TestNewLesson(t *testing.T) {
	w, _ := writeWorkbook(t)
	for _, tc := range []struct{ name, title, want string }{
		{"2-x", "X", `"2-x" is not a lesson folder name`},
		{"02-x", " ", "the lesson title must be one non-empty line"},
	} {
		_, err := NewLesson(w, tc.name, tc.title, "", "")
		require.ErrorIs(t, err, ErrUsage)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err := NewLesson(w, "01-again", "Again", "", "")
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrUsage)
	assert.Contains(t, err.Error(), "lesson 01 exists already (lessons/01-demo)")

	p, err := NewLesson(w, "02-dns-names", "Names (域名)", "A query", "")
	require.NoError(t, err)
	requireGofmt(t, p)
	assert.Contains(t, p.Create[0].Data, "# Lesson 02: Names (域名)\n")
	assert.Contains(t, p.Create[2].Data, "package dnsnames")
	require.NoError(t, p.Write())
	w, err = workbook.Open(w.Root)
	require.NoError(t, err)
	l, err := w.Lesson("02")
	require.NoError(t, err)
	want := []string{
		"lessons/02-dns-names/hints.md: step 1 has 0 hints, want at least 2",
		"solutions/02-dns-names/mutants: 0 mutants, want at least 4",
	}
	if workbook.EnforceMinVariants {
		want = append(want, "solutions/02-dns-names/variants: 0 variants, want at least 3")
	}
	assert.ElementsMatch(t, want, problems(l), "a new lesson's layout problems: only what a person must write")
}

// translate adds a Chinese edition of 01-demo to the workbook at root.
func translate(t *testing.T, root string) {
	t.Helper()
	for name, data := range map[string]string{
		"lessons/01-demo/README.zh-CN.md": "# 第 01 课：演示\n\n[English](README.md)\n\n## 第 1 步：加倍\n\n测试：`TestStep1_Double`。\n\n## 程序\n\n无。\n",
		"lessons/01-demo/hints.zh-CN.md":  "[English](hints.md)\n\n## 第 1 步：加倍\n- 一个数的两倍是多少？\n- 把 n 加上它自己。\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(root, name), []byte(data), 0o644))
	}
}

func parityFindings(root, lesson string) []string {
	var got []string
	for _, f := range parity.Lesson(root, "lessons/"+lesson, false).Findings {
		got = append(got, f.String())
	}
	return got
}

func TestNewStepInBothLanguages(t *testing.T) {
	w, l := writeWorkbook(t)
	translate(t, w.Root)
	require.Empty(t, parityFindings(w.Root, "01-demo"), "the fixture's two languages agree")

	p, err := NewStep(w, l, "Triple", "")
	require.NoError(t, err)
	require.NoError(t, p.Write())
	zh, err := os.ReadFile(filepath.Join(l.Dir, "README.zh-CN.md"))
	require.NoError(t, err)
	assert.Contains(t, string(zh), "测试：`TestStep1_Double`。\n\n## 第 2 步：Triple\n\n<!-- TODO(translate): step 2 in Chinese")
	assert.Contains(t, string(zh), "- `TestStep2_Triple`\n\n## 程序\n", "the step goes before the section after the steps")
	assert.Contains(t, p.Todo[len(p.Todo)-1], "README.zh-CN.md and hints.zh-CN.md, step 2: the translation")

	// verify's parity check fails on the translation only: the steps, the
	// test names and the hint counts agree already.
	assert.Equal(t, []string{
		"lessons/01-demo/README.zh-CN.md:11: step 2 is not translated yet (TODO(translate)): translate it from README.md, then remove the marker",
		"lessons/01-demo/hints.zh-CN.md:8: step 2 is not translated yet (TODO(translate)): translate it from hints.md, then remove the marker",
	}, parityFindings(w.Root, "01-demo"))

	// A lesson without a Chinese edition gets none.
	w2, l2 := writeWorkbook(t)
	p, err = NewStep(w2, l2, "Triple", "")
	require.NoError(t, err)
	require.NoError(t, p.Write())
	assert.NoFileExists(t, filepath.Join(l2.Dir, "README.zh-CN.md"))
	assert.NoFileExists(t, filepath.Join(l2.Dir, "hints.zh-CN.md"))
	assert.NotContains(t, p.Todo[len(p.Todo)-1], "zh-CN")
}

func TestNewLessonInABilingualWorkbook(t *testing.T) {
	w, _ := writeWorkbook(t)
	translate(t, w.Root)
	w, err := workbook.Open(w.Root)
	require.NoError(t, err)
	p, err := NewLesson(w, "02-names", "Names", "A query", "")
	require.NoError(t, err)
	require.NoError(t, p.Write())
	zh, err := os.ReadFile(filepath.Join(w.Root, "lessons/02-names/README.zh-CN.md"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(zh), "# 第 02 课：Names\n\n[English](README.md)\n"), "README.zh-CN.md:\n%s", zh)
	en, err := os.ReadFile(filepath.Join(w.Root, "lessons/02-names/README.md"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(en), "# Lesson 02: Names\n\n[简体中文](README.zh-CN.md)\n"), "README.md:\n%s", en)
	assert.Equal(t, []string{
		"lessons/02-names/README.zh-CN.md:5: this part is not translated yet (TODO(translate)): translate it from README.md, then remove the marker",
		"lessons/02-names/README.zh-CN.md:9: step 1 is not translated yet (TODO(translate)): translate it from README.md, then remove the marker",
		"lessons/02-names/hints.zh-CN.md:4: step 1 is not translated yet (TODO(translate)): translate it from hints.md, then remove the marker",
	}, parityFindings(w.Root, "02-names"))
}
