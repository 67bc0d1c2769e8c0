package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/spinner"
	"github.com/netkata/netkata/internal/textwidth"
	"github.com/netkata/netkata/internal/workbook"
	"golang.org/x/term"
)

// style colours text on a terminal only, and never when NO_COLOR is set
// (https://no-color.org).
type style struct{ on bool }

func newStyle(w io.Writer) style {
	f, ok := w.(*os.File)
	return style{on: ok && os.Getenv("NO_COLOR") == "" && term.IsTerminal(int(f.Fd()))}
}

func (s style) paint(code, text string) string {
	if !s.on {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) green(t string) string  { return s.paint("32", t) }
func (s style) red(t string) string    { return s.paint("31", t) }
func (s style) yellow(t string) string { return s.paint("33", t) }
func (s style) bold(t string) string   { return s.paint("1", t) }
func (s style) dim(t string) string    { return s.paint("2", t) }

// bar draws done of total as a bar width cells wide.
func bar(done, total, width int) string {
	n := 0
	if total > 0 {
		n = done * width / total
	}
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

func percent(done, total int) int {
	if total == 0 {
		return 0
	}
	return done * 100 / total
}

// checkAll runs the lessons' tests in one go test, up to jobs lessons at once,
// and returns the results in lesson order.
func checkAll(ctx context.Context, w *workbook.Workbook, lessons []*workbook.Lesson, jobs int, opt workbook.CheckOptions) []*workbook.LessonResult {
	// One go test for every lesson to run builds what they share once.
	opt.Parallel = jobs
	return workbook.CheckMany(ctx, w.Root, lessons, opt)
}

// failureText is what a student reads about a failing test of r: its
// message, or why it has none.
func failureText(r *workbook.LessonResult, test string) string {
	if r.Run == nil {
		return ""
	}
	tr := r.Run.Tests[test]
	switch {
	case tr == nil && r.Run.Started[test]:
		return i18n.Tr("ui.never.finished", test) + "\n" + tail(r.Run.Output, 30)
	case tr == nil:
		return i18n.Tr("ui.did.not.run", test) + "\n" + tail(r.Run.Output, 30)
	case tr.Action == "skip":
		return i18n.Tr("ui.skipped", test) + "\n" + workbook.Message(tr.Output)
	}
	text, _ := failureOf(test, tr.Output, true)
	return text
}

// shortFailure is failureText cut to the first failing subtest, and to n
// lines if n > 0.
func shortFailure(r *workbook.LessonResult, test string, n int) string {
	if n <= 0 {
		n = int(^uint(0) >> 1)
	}
	if r.Run != nil {
		if tr := r.Run.Tests[test]; tr != nil && tr.Action == "fail" {
			msg, more := failureOf(test, tr.Output, false)
			msg = workbook.Trim(msg, n)
			if more > 0 {
				msg += "\n" + i18n.Tr("ui.more.subtests", more)
			}
			return msg
		}
	}
	return workbook.Trim(failureText(r, test), n)
}

// stepRef names the README heading of a step in the student's language:
// path:line, "Step N: Title" (README.zh-CN.md:line，“第 N 步：标题” in
// Chinese, where the lesson has it).
func stepRef(w *workbook.Workbook, l *workbook.Lesson, s *workbook.StepResult) string {
	file, step, ok := l.StepIn(i18n.Current(), s.N)
	if !ok {
		file, step = "README.md", s.Step
	}
	p := rel(w, filepath.Join(l.Dir, file))
	return i18n.Tr("ui.stepref", p, step.Line, step.N, step.Title)
}

// stepTitle is the title of step s in the student's language.
func stepTitle(l *workbook.Lesson, s *workbook.StepResult) string {
	if _, step, ok := l.StepIn(i18n.Current(), s.N); ok {
		return step.Title
	}
	return s.Title
}

// joinLabel joins a label and its text with a space, or with none after a
// full-width colon ("提示 1/2：", which has its space).
func joinLabel(label, text string) string {
	if strings.HasSuffix(strings.TrimSuffix(label, "\x1b[0m"), "：") {
		return label + text
	}
	return label + " " + text
}

// labels returns the labels of keys in the student's language, each
// padded to the widest and then pad more columns, so that what follows
// them lines up ("next:  ", "read:  ", "run:   ", "stuck? ").
func labels(pad int, keys ...string) []string {
	out := make([]string, len(keys))
	w := 0
	for i, k := range keys {
		out[i] = i18n.Tr(k)
		w = max(w, textwidth.Of(out[i]))
	}
	for i := range out {
		out[i] = textwidth.Pad(out[i], w+pad)
	}
	return out
}

// rel is p relative to the workbook root, with forward slashes.
func rel(w *workbook.Workbook, p string) string {
	if r, err := filepath.Rel(w.Root, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

// raceOK reports whether the student's tests run with the race detector:
// where cgo works (go env CGO_ENABLED, which Go sets to 0 where no C
// compiler is found), unless NETKATA_RACE=0.
var raceOK = sync.OnceValue(func() bool {
	if os.Getenv("NETKATA_RACE") == "0" {
		return false
	}
	b, err := exec.Command("go", "env", "CGO_ENABLED").Output()
	return err == nil && strings.TrimSpace(string(b)) == "1"
})

// kataCmd is how a student runs the tool.
const kataCmd = "go run ./cmd/kata"

// goTestCmd is the go test command line that runs one test.
func goTestCmd(l *workbook.Lesson, test string) string {
	if test == "" {
		return "go test " + l.Package()
	}
	return fmt.Sprintf("go test -run '^%s$' %s", test, l.Package())
}

// indent prefixes every line of text.
func indent(text, prefix string) string {
	if text == "" {
		return ""
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i := range lines {
		lines[i] = prefix + lines[i]
	}
	return strings.Join(lines, "\n") + "\n"
}

// parseStep parses a step number argument.
func parseStep(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, usageError("%s", i18n.Tr("ui.bad.step", s))
	}
	return n, nil
}

// findLesson finds the workbook around the current folder and its lesson id
// ("01", "1" or "01-layers").
func findLesson(e *env, id string) (*workbook.Workbook, *workbook.Lesson, error) {
	w, err := workbook.Find(e.dir)
	if err != nil {
		return nil, nil, err
	}
	l, err := w.Lesson(id)
	if err != nil {
		return nil, nil, err
	}
	return w, l, nil
}

// busyAfter is how long a run may be silent before kata says it is working.
var busyAfter = time.Second

// working tells the user, on stderr, that what is under way when it takes
// longer than busyAfter (go building every lesson on a fresh machine takes
// a minute): a spinner on a terminal, one line otherwise. The returned
// function stops it and clears the spinner.
func working(e *env, what string) (stop func()) {
	f, isFile := e.stderr.(*os.File)
	return spinner.Start(e.stderr, what, busyAfter, isFile && term.IsTerminal(int(f.Fd())))
}
