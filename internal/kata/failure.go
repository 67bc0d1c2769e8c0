package main

import (
	"regexp"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
)

// testReport is one test's part of a go test -v (or -json) output: the lines
// it logged itself and its subtests' reports, in the order they came.
type testReport struct {
	name   string
	header string // its "--- FAIL: name (0.00s)" line, "" until it ended
	items  []testReportItem
	byName map[string]*testReport // every test of the tree, on the root
}

type testReportItem struct {
	line string
	sub  *testReport
}

var (
	markerRE = regexp.MustCompile(`^=== (?:RUN|CONT|NAME|PAUSE)\s+(\S+)`)
	endRE    = regexp.MustCompile(`^--- (?:FAIL|PASS|SKIP): (\S+) \(`)
)

// parseReport splits the output of top-level test top by test. go test
// -v marks whose lines follow with "=== RUN/CONT/NAME" lines (GoTest puts
// back the ones go test -json leaves out), so every line goes to the
// subtest that wrote it, however parallel subtests interleave.
func parseReport(top, output string) *testReport {
	root := &testReport{name: top, byName: map[string]*testReport{}}
	root.byName[top] = root
	var get func(name string) *testReport
	get = func(name string) *testReport {
		if r := root.byName[name]; r != nil {
			return r
		}
		r := &testReport{name: name}
		root.byName[name] = r
		parent := root
		if i := strings.LastIndexByte(name, '/'); i > 0 && strings.HasPrefix(name, top+"/") {
			parent = get(name[:i])
		}
		parent.items = append(parent.items, testReportItem{sub: r})
		return r
	}
	cur := root
	for _, line := range strings.Split(strings.TrimRight(output, "\n"), "\n") {
		t := strings.TrimSpace(line)
		if m := markerRE.FindStringSubmatch(t); m != nil {
			cur = get(m[1])
			continue
		}
		if m := endRE.FindStringSubmatch(t); m != nil {
			get(m[1]).header = t
			continue
		}
		cur.items = append(cur.items, testReportItem{line: line})
	}
	return root
}

func (r *testReport) failed() bool { return strings.HasPrefix(r.header, "--- FAIL") }

// failingSubtests are r's subtests that failed.
func (r *testReport) failingSubtests() []*testReport {
	var subs []*testReport
	for _, it := range r.items {
		if it.sub != nil && it.sub.failed() {
			subs = append(subs, it.sub)
		}
	}
	return subs
}

// render writes r's own lines and its failing subtests (only the first at
// each level unless all), each under its "--- FAIL" line, indented by
// depth, in the order they came. Passing subtests and their logs are left
// out: what a failure shows is its own.
func (r *testReport) render(b *strings.Builder, depth int, all bool) {
	pad := strings.Repeat("    ", depth)
	var own []string
	flush := func() {
		for _, line := range cleanLines(own) {
			b.WriteString(pad + line + "\n")
		}
		own = nil
	}
	shown := 0
	for _, it := range r.items {
		switch s := it.sub; {
		case s == nil:
			own = append(own, it.line)
		case s.failed() && (all || shown == 0):
			shown++
			flush()
			b.WriteString(pad + s.header + "\n")
			s.render(b, depth+1, all)
		}
	}
	flush()
}

var (
	envStartRE = regexp.MustCompile(`^(?:\S+\.go:\d+: )?WORK=`)
	envLineRE  = regexp.MustCompile(`^\S+=`)
	readLineRE = regexp.MustCompile(`^\S+\.go:\d+: (?:` + readPrefixes() + `)`)
)

// readPrefixes is a regexp matching how readme.Explain's closing line
// starts, in every language ("→ Read ", "→ 请阅读 ").
func readPrefixes() string {
	var alts []string
	for _, l := range i18n.Langs {
		f, _ := i18n.Format(l, "readme.read")
		if i := strings.Index(f, "%s"); i > 0 {
			alts = append(alts, regexp.QuoteMeta(f[:i]))
		}
	}
	return strings.Join(alts, "|")
}

// cleanLines drops from a test's own lines what a student does not need
// on kata's screen: testscript's dump of the scenario's environment
// (WORK=..., PATH=...), and readme.Explain's closing "→ Read ..." line
// ("→ 请阅读 ..." in Chinese),
// which kata prints itself. It removes the indentation the lines share.
func cleanLines(lines []string) []string {
	var out []string
	inEnv := false
	for _, line := range lines {
		t := strings.TrimSpace(line)
		switch {
		case envStartRE.MatchString(t):
			inEnv = true
			continue
		case inEnv && envLineRE.MatchString(t):
			continue
		case inEnv && t == "":
			inEnv = false
			continue
		case readLineRE.MatchString(t):
			continue
		}
		inEnv = false
		out = append(out, line)
	}
	if len(out) == 0 {
		return nil
	}
	return strings.Split(dedentLines(strings.Join(out, "\n")), "\n")
}

// dedentLines removes the indentation all non-blank lines share.
func dedentLines(text string) string {
	lines := strings.Split(text, "\n")
	common := -1
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := len(line) - len(strings.TrimLeft(line, " "))
		if common < 0 || n < common {
			common = n
		}
	}
	for i, line := range lines {
		if len(line) >= common && common > 0 {
			lines[i] = line[common:]
		}
	}
	return strings.Join(lines, "\n")
}

// failureOf is what kata shows of a failing top-level test: its own
// lines and its first failing subtest, whole (all: every failing
// subtest), and how many more of its subtests failed.
func failureOf(top, output string, all bool) (string, int) {
	r := parseReport(top, output)
	var b strings.Builder
	r.render(&b, 0, all)
	more := 0
	if !all {
		more = max(0, len(r.failingSubtests())-1)
	}
	return strings.TrimRight(strings.TrimLeft(b.String(), "\n"), "\n"), more
}
