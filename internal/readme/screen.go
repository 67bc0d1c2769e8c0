package readme

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/todo"
)

// AllStepsEnv is the environment variable that turns the first screen off:
// with NETKATA_ALL_STEPS=1, go test prints every failure in full, as it
// would without netkata. Verbose runs (-v, -json) are never shortened.
const AllStepsEnv = "NETKATA_ALL_STEPS"

// childEnv marks the test binary that Screen starts, so it runs the tests.
const childEnv = "NETKATA_SCREEN_CHILD"

// MaxFirstLines is how many lines of subtests the first failure may take
// before further failing subtests are named in one line.
const MaxFirstLines = 40

// Screen makes a lesson's "go test" output fit on one screen. On a fresh
// checkout every test fails, and go test would print hundreds of lines
// with the first failure scrolled away. Screen runs the test binary again
// as a child, with the same arguments, and prints its output with
//
//   - the first failing test of the earliest failing step in full (what
//     was sent, what came back, what was expected, the README step, the
//     hint), except that its subtests failing with the same ErrTODO are
//     named in one line;
//   - the other failing tests of that step, one line each;
//   - every later step in one line: "step 3 waits for step 1: ...";
//   - everything else (panics, prints, the final FAIL) as it came.
//
// Every test still runs and fails or passes as before: only the display
// is shorter. Screen leaves the output alone (and returns false, to say
// the caller must run the tests itself) outside a lesson folder, in
// verbose runs (-v, go test -json), for benchmarks, fuzzing and -list,
// when NETKATA_ALL_STEPS=1, and in the child itself.
//
// It returns the exit code for the test binary when it ran the child.
func Screen() (code int, ran bool) {
	if os.Getenv(childEnv) != "" {
		// The child: run the tests, and keep the mark from the programs
		// and test binaries the tests start.
		os.Unsetenv(childEnv)
		return 0, false
	}
	if v := os.Getenv(AllStepsEnv); v != "" && v != "0" {
		return 0, false
	}
	if Lesson() == "" || !screenable(os.Args[1:]) {
		return 0, false
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return 0, false
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin = os.Stdin
	// go test shows stdout and stderr as one stream; so does the child.
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		pr.Close()
		pw.Close()
		return 0, false
	}
	pw.Close()
	// Signals for the test binary (go test's timeout, Ctrl-C) go to the child.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	go func() {
		for s := range sigs {
			if cmd.Process.Signal(s) != nil {
				cmd.Process.Kill()
			}
		}
	}()
	w := bufio.NewWriter(os.Stdout)
	Shorten(w, pr)
	w.Flush()
	pr.Close()
	err = cmd.Wait()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, true
	case errors.As(err, &exit) && exit.ExitCode() > 0:
		return exit.ExitCode(), true
	default:
		fmt.Fprintln(os.Stderr, i18n.Tr("screen.ended", err))
		return 1, true
	}
}

// screenable reports whether a test binary run with args prints the plain,
// non-verbose report that Shorten understands.
func screenable(args []string) bool {
	for _, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "test.v", "v":
			if !hasVal || val != "false" {
				return false
			}
		case "test.bench", "test.fuzz", "test.fuzzworker", "test.list", "test.run_fuzz":
			return false
		}
	}
	return true
}

var headerRE = regexp.MustCompile(`^( *)--- (FAIL|PASS|SKIP): (\S+) \(([^)]*)\)\s*$`)

// node is one test's report: its "--- FAIL" header and what it logged, its
// subtests' reports among them.
type node struct {
	header string
	name   string
	indent int
	items  []item
}

// item is a line of a report, or a subtest's report.
type item struct {
	line string
	sub  *node
}

// lines counts the lines of n's report.
func (n *node) lines() int {
	c := 1
	for _, it := range n.items {
		if it.sub != nil {
			c += it.sub.lines()
		} else {
			c++
		}
	}
	return c
}

// text returns n's report without names, to compare failures.
func (n *node) text() string {
	var b strings.Builder
	for _, it := range n.items {
		if it.sub != nil {
			b.WriteString(it.sub.text())
		} else {
			b.WriteString(strings.ReplaceAll(it.line, n.name, "NAME"))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// todoOnly reports whether n's report shows a stub's ErrTODO.
func (n *node) todoOnly() bool {
	return strings.Contains(n.text(), todo.ErrTODO.Error())
}

// parse adds to n the lines from lines[i] on that belong to its report
// (those indented deeper than its header), and returns the index of the
// first line that does not.
func parse(lines []string, i int, n *node) int {
	inner := strings.Repeat(" ", n.indent+4)
	for i < len(lines) && strings.HasPrefix(lines[i], inner) {
		if m := headerRE.FindStringSubmatch(lines[i]); m != nil && len(m[1]) == n.indent+4 {
			sub := &node{header: lines[i], name: m[3], indent: n.indent + 4}
			n.items = append(n.items, item{sub: sub})
			i = parse(lines, i+1, sub)
			continue
		}
		n.items = append(n.items, item{line: lines[i]})
		i++
	}
	return i
}

// Shorten copies a plain go test report from r to w, shortened as Screen
// describes.
func Shorten(w io.Writer, r io.Reader) {
	var lines []string
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			lines = append(lines, strings.TrimSuffix(line, "\n"))
		}
		if err != nil {
			break
		}
	}
	var out []item // the report: lines and top-level tests, in order
	for i := 0; i < len(lines); {
		if m := headerRE.FindStringSubmatch(lines[i]); m != nil && m[1] == "" {
			n := &node{header: lines[i], name: m[3]}
			out = append(out, item{sub: n})
			i = parse(lines, i+1, n)
			continue
		}
		out = append(out, item{line: lines[i]})
		i++
	}

	const noStep = int(^uint(0) >> 1)
	stepOf := func(n *node) int {
		if s, ok := StepOf(n.name); ok {
			return s
		}
		return noStep
	}
	var first *node
	for _, it := range out {
		if it.sub != nil && strings.Contains(it.sub.header, "--- FAIL") && (first == nil || stepOf(it.sub) < stepOf(first)) {
			first = it.sub
		}
	}
	if first == nil {
		for _, it := range out {
			writeItem(w, it)
		}
		return
	}
	s := stepOf(first)
	laterSteps := map[int][]string{}
	for _, it := range out {
		if it.sub != nil && it.sub != first && stepOf(it.sub) != noStep && stepOf(it.sub) > s {
			laterSteps[stepOf(it.sub)] = append(laterSteps[stepOf(it.sub)], it.sub.name)
		}
	}
	last := 0 // the footer goes after the last test's report
	for i, it := range out {
		if it.sub != nil {
			last = i
		}
	}
	shown := map[int]bool{}
	example := "" // a shortened test, to show how to see it whole
	for i, it := range out {
		n := it.sub
		switch {
		case n == nil:
			fmt.Fprintln(w, it.line)
		case n == first:
			budget := MaxFirstLines
			writeFirst(w, n, &budget)
		case s == noStep || stepOf(n) == s:
			fmt.Fprintln(w, n.header)
			if example == "" && len(n.items) > 0 {
				example = n.name
			}
		case stepOf(n) == noStep:
			fmt.Fprintln(w, n.header+i18n.Tr("screen.waits", s))
			if example == "" {
				example = n.name
			}
		case !shown[stepOf(n)]:
			shown[stepOf(n)] = true
			names := laterSteps[stepOf(n)]
			fmt.Fprintln(w, "--- FAIL: "+i18n.Tr("screen.step.waits", stepOf(n), s, list(names, len(names), 90)))
			if example == "" {
				example = n.name
			}
		}
		if i == last && example != "" {
			pkg := "."
			if wd, err := os.Getwd(); err == nil && Lesson() != "" {
				pkg = "./lessons/" + filepath.Base(wd)
			}
			fmt.Fprintln(w, i18n.Tr("screen.shortened", example, pkg, AllStepsEnv))
		}
	}
}

// writeItem writes a line or a test's report in full.
func writeItem(w io.Writer, it item) {
	if it.sub == nil {
		fmt.Fprintln(w, it.line)
		return
	}
	fmt.Fprintln(w, it.sub.header)
	for _, x := range it.sub.items {
		writeItem(w, x)
	}
}

// writeFirst writes the first failure: its own lines in full, its first
// failing subtest in full, later subtests in full while the budget lasts,
// and the rest (and every repeat of a stub's ErrTODO) named in one line.
func writeFirst(w io.Writer, n *node, budget *int) {
	fmt.Fprintln(w, n.header)
	pad := strings.Repeat(" ", n.indent+4)
	var same, more []string
	sameAt, moreAt := -1, -1
	sawTODO, shownAny := false, false
	var items []item
	for _, it := range n.items {
		sub := it.sub
		switch {
		case sub == nil:
			items = append(items, it)
		case sawTODO && sub.todoOnly():
			if sameAt < 0 {
				sameAt = len(items)
				items = append(items, item{})
			}
			same = append(same, short(sub.name))
		case shownAny && *budget < sub.lines():
			if moreAt < 0 {
				moreAt = len(items)
				items = append(items, item{})
			}
			more = append(more, short(sub.name))
		default:
			items = append(items, it)
			*budget -= sub.lines()
			shownAny = true
			sawTODO = sawTODO || sub.todoOnly()
		}
	}
	for i, it := range items {
		switch {
		case i == sameAt:
			fmt.Fprintln(w, pad+i18n.Tr("screen.same.todo", len(same), list(same, len(same), 70)))
		case i == moreAt:
			fmt.Fprintln(w, pad+i18n.Tr("screen.more", len(more), list(more, len(more), 90)))
		case it.sub != nil:
			writeFirst(w, it.sub, budget)
		default:
			fmt.Fprintln(w, it.line)
		}
	}
}

// short returns the last element of a subtest's name.
func short(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// list joins names, cut to about width characters with "…".
func list(names []string, n, width int) string {
	var b strings.Builder
	for i, s := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		if b.Len()+len(s) > width && i > 0 {
			b.WriteString(i18n.Tr("screen.list.more", n-i))
			break
		}
		b.WriteString(s)
	}
	return b.String()
}
