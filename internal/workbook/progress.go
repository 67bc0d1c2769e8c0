package workbook

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/readme"
)

// StepTests returns the lesson's README steps and, for each step number,
// its top-level tests in file order. When every scenario declares its step
// (see Scenario), each counts for that step as "TestScripts/<name>", after
// the step's tests; otherwise TestScripts counts toward the last step. A
// test whose name carries no step (or a step the README lacks) is left
// out: CheckLayout reports it.
func (l *Lesson) StepTests() ([]readme.Step, map[int][]string, error) {
	steps, err := l.Steps()
	if err != nil {
		return nil, nil, err
	}
	tests, err := l.Tests()
	if err != nil {
		return nil, nil, err
	}
	known := map[int]bool{}
	for _, s := range steps {
		known[s.N] = true
	}
	for _, t := range tests {
		if n, ok := readme.StepOf(t); ok && !known[n] {
			return nil, nil, fmt.Errorf("lessons/%s: %s belongs to step %d, and README.md has no \"## Step %d: ...\" heading for it", l.Name, t, n, n)
		}
	}
	scenarios, err := l.Scenarios()
	if err != nil {
		return nil, nil, err
	}
	byStep := scenarioSteps(scenarios)
	if byStep == nil {
		return steps, MapTests(steps, tests), nil
	}
	var plain []string
	for _, t := range tests {
		if t != ScriptsTest {
			plain = append(plain, t)
		}
	}
	m := MapTests(steps, plain)
	for _, s := range steps {
		m[s.N] = append(m[s.N], byStep[s.N]...)
	}
	return steps, m, nil
}

// MapTests maps test names to the steps they belong to (see StepTests).
func MapTests(steps []readme.Step, tests []string) map[int][]string {
	known := map[int]bool{}
	last := 0
	for _, s := range steps {
		known[s.N] = true
		last = max(last, s.N)
	}
	m := map[int][]string{}
	for _, t := range tests {
		n, ok := readme.StepOf(t)
		if t == ScriptsTest && last > 0 {
			n, ok = last, true
		}
		if ok && known[n] {
			m[n] = append(m[n], t)
		}
	}
	return m
}

// StepResult is how one README step stands after a go test run.
type StepResult struct {
	readme.Step
	Tests   []string // the step's top-level tests, in file order
	Failing []string // those that failed, were skipped or did not run
}

// Passed reports whether the step has tests and every one of them passed.
func (s *StepResult) Passed() bool { return len(s.Tests) > 0 && len(s.Failing) == 0 }

// LessonResult is how a lesson stands: its steps, passed or not.
type LessonResult struct {
	Lesson *Lesson
	Steps  []StepResult
	Run    *Run  // the go test run, nil if it never started
	Err    error // the README or tests could not be read, or go test could not run
	// Trouble is a failure outside the steps' tests: the package does not
	// build, or go test failed after every test passed (a goroutine leak).
	Trouble string
	// Cached says the run came from CheckOptions.Cache, not from go test.
	Cached bool
	// Shipped says the lesson did not run: its files are as shipped (see
	// StubSumsFile and CheckOptions.SkipShipped), so every step fails, as
	// kata verify proved. Its Run holds no tests.
	Shipped bool
}

// Passed counts the steps passed.
func (r *LessonResult) Passed() int {
	n := 0
	for i := range r.Steps {
		if r.Steps[i].Passed() {
			n++
		}
	}
	return n
}

// Done reports whether every step passed and nothing else went wrong.
func (r *LessonResult) Done() bool {
	return r.Err == nil && r.Trouble == "" && len(r.Steps) > 0 && r.Passed() == len(r.Steps)
}

// FirstFailure returns the first step not passed and its first failing
// test ("" when the step's trouble is not one test), or nil when every
// step passed.
func (r *LessonResult) FirstFailure() (*StepResult, string) {
	for i := range r.Steps {
		s := &r.Steps[i]
		if s.Passed() {
			continue
		}
		if len(s.Failing) > 0 {
			return s, s.Failing[0]
		}
		return s, ""
	}
	return nil, ""
}

// Step returns the result of step n, or nil.
func (r *LessonResult) Step(n int) *StepResult {
	for i := range r.Steps {
		if r.Steps[i].N == n {
			return &r.Steps[i]
		}
	}
	return nil
}

// CheckOptions tune Check.
type CheckOptions struct {
	Overlay string        // an -overlay JSON file, to run against other files (the reference)
	Step    int           // run only this step's tests (0: all)
	Count1  bool          // pass -count=1: do not reuse cached test results
	Timeout time.Duration // go test's -timeout (default 2 minutes)
	Cache   *ResultCache  // if set (and Count1 is not), reuse a run of the same files
	// Parallel is go test's -p: how many lessons build and run at once
	// (0: go's default, the number of CPUs).
	Parallel int
	// Race runs the tests with the race detector (it needs cgo), so a
	// data race is a failure the student sees, not a coin toss.
	Race bool
	// NoVet passes -vet=off: a quick look at pass and fail (kata's progress
	// view on a machine that has not built the lessons yet) need not pay
	// for go vet's checks, which go test and kata test still make.
	NoVet bool
	// SkipShipped does not run a lesson whose files are as shipped (their
	// sum is the one in StubSumsFile): every step of it fails, as kata
	// verify proved. Its result says Shipped. A first kata run on a fresh
	// clone builds one lesson's tests, not ten.
	SkipShipped bool
}

// Check runs the lesson's tests with go test -json in root (the workbook's
// root) and says which steps pass. Results come from go's test cache when
// nothing changed, which makes a warm run quick.
func (l *Lesson) Check(ctx context.Context, root string, opt CheckOptions) *LessonResult {
	return CheckMany(ctx, root, []*Lesson{l}, opt)[0]
}

// CheckMany is Check for several lessons at once: the ones not in the cache
// run in one go test, which builds what they share once (ten go tests side
// by side would each build it).
func CheckMany(ctx context.Context, root string, lessons []*Lesson, opt CheckOptions) []*LessonResult {
	results := make([]*LessonResult, len(lessons))
	type pending struct {
		i          int
		run        []string
		key        string
		importPath string
	}
	var todo []pending
	var allRun []string
	var asShipped map[*Lesson]bool
	if opt.SkipShipped {
		asShipped = ShippedLessons(root, lessons)
	}
	for i, l := range lessons {
		res := &LessonResult{Lesson: l}
		results[i] = res
		steps, byStep, err := l.StepTests()
		if err != nil {
			res.Err = err
			continue
		}
		var run []string
		for _, s := range steps {
			if opt.Step != 0 && s.N != opt.Step {
				continue
			}
			res.Steps = append(res.Steps, StepResult{Step: s, Tests: byStep[s.N]})
			run = append(run, byStep[s.N]...)
		}
		if opt.Step != 0 && len(res.Steps) == 0 {
			res.Err = fmt.Errorf("lessons/%s has no step %d", l.Name, opt.Step)
			continue
		}
		if len(run) == 0 {
			res.Trouble = i18n.Tr("workbook.notests")
			continue
		}
		if asShipped[l] {
			res.Shipped = true
			res.fill(newRun())
			continue
		}
		var key string
		if opt.Cache != nil && !opt.Count1 {
			key, _ = opt.Cache.key(root, l, opt)
		}
		if key != "" {
			if r, ok := opt.Cache.load(key); ok {
				res.Cached = true
				res.fill(r)
				continue
			}
		}
		todo = append(todo, pending{i: i, run: run, key: key, importPath: l.ImportPath})
		allRun = append(allRun, run...)
	}
	if len(todo) == 0 {
		return results
	}
	timeout := opt.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	args := []string{"-timeout", timeout.String()}
	if opt.Count1 {
		args = append(args, "-count=1")
	}
	if opt.Race {
		args = append(args, "-race")
	}
	if opt.NoVet {
		args = append(args, "-vet=off")
	}
	if opt.Overlay != "" {
		args = append(args, "-overlay", opt.Overlay)
	}
	if opt.Parallel > 0 {
		args = append(args, "-p", strconv.Itoa(opt.Parallel))
	}
	if opt.Step != 0 {
		args = append(args, "-run", RunPattern(allRun))
	}
	for _, p := range todo {
		args = append(args, lessons[p.i].Package())
	}
	// -timeout bounds each test binary; this only guards against a go
	// command that hangs, and must leave room for building: on a fresh
	// machine, building ten lessons takes minutes before any test runs.
	ctx, cancel := context.WithTimeout(ctx, timeout+time.Minute*time.Duration(1+len(todo)))
	defer cancel()
	r := GoTest(ctx, root, nil, args...)
	for _, p := range todo {
		pr := r
		if len(todo) > 1 {
			pr = r.Packages[p.importPath]
			if pr == nil {
				pr = newRun()
				pr.Output = r.Output
				pr.Failed = r.Failed
				pr.BuildFailed = r.BuildFailed
			}
			pr.Err = r.Err
		}
		res := results[p.i]
		res.fill(pr)
		if p.key != "" && pr.Err == nil && ctx.Err() == nil {
			opt.Cache.store(p.key, pr)
		}
	}
	return results
}

// fill judges the lesson's steps from a go test run.
func (res *LessonResult) fill(r *Run) {
	res.Run = r
	failed := 0
	for i := range res.Steps {
		s := &res.Steps[i]
		s.Failing = nil
		for _, t := range s.Tests {
			if r.Status(t) != Passed {
				s.Failing = append(s.Failing, t)
				failed++
			}
		}
	}
	switch {
	case r.Err != nil:
		res.Err = r.Err
	case r.BuildFailed:
		res.Trouble = i18n.Tr("workbook.nobuild") + "\n" + strings.TrimRight(r.Output, "\n")
	case r.Failed && failed == 0:
		res.Trouble = i18n.Tr("workbook.failedafter") + "\n" + strings.TrimRight(r.Output, "\n")
	}
}

// RunPattern is a go test -run pattern matching exactly the named
// top-level tests. A scenario ("TestScripts/echo_stdin") runs TestScripts
// whole: a second -run level would also filter the other tests' subtests.
func RunPattern(tests []string) string {
	var q []string
	seen := map[string]bool{}
	for _, t := range tests {
		top, _, _ := strings.Cut(t, "/")
		if !seen[top] {
			seen[top] = true
			q = append(q, regexp.QuoteMeta(top))
		}
	}
	return "^(" + strings.Join(q, "|") + ")$"
}

// Message is the part of a test's output a student reads: the framing
// lines go test adds (=== RUN, --- FAIL, ...) left out.
func Message(output string) string {
	var lines []string
	for _, line := range strings.Split(output, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "=== RUN"), strings.HasPrefix(t, "=== PAUSE"), strings.HasPrefix(t, "=== CONT"), strings.HasPrefix(t, "=== NAME"):
			continue
		case strings.HasPrefix(t, "--- FAIL:") && !isSubtestEnd(t):
			continue
		}
		lines = append(lines, line)
	}
	return dedent(strings.Trim(strings.Join(lines, "\n"), "\n"))
}

// dedent removes the indentation all non-blank lines share.
func dedent(text string) string {
	lines := strings.Split(text, "\n")
	common := -1
	for _, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n := len(line) - len(strings.TrimLeft(line, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return text
	}
	for i, line := range lines {
		if len(line) >= common {
			lines[i] = line[common:]
		} else {
			lines[i] = strings.TrimLeft(line, " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// Tail returns the last n lines of text, saying how many came before.
func Tail(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... (%d lines before)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n") + "\n"
}

// Trim cuts text to its first n lines, saying how many were left out.
func Trim(text string, n int) string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) <= n {
		return strings.Join(lines, "\n")
	}
	return strings.Join(lines[:n], "\n") + "\n" + i18n.Tr("workbook.morelines", len(lines)-n)
}

// FirstFailure is the output of a test's first failing subtest, headed by
// its "--- FAIL: Test/sub" line, framing left out as by Message, and how
// many more subtests failed after it. A test without failing subtests gives
// its whole Message and 0.
func FirstFailure(output string) (string, int) {
	lines := strings.Split(output, "\n")
	end, more := -1, 0
	for i, line := range lines {
		if t := strings.TrimSpace(line); isSubtestEnd(t) && strings.HasPrefix(t, "--- FAIL:") {
			if end < 0 {
				end = i
			} else {
				more++
			}
		}
	}
	if end < 0 {
		return Message(output), 0
	}
	body := Message(strings.Join(lines[:end], "\n"))
	head := strings.TrimSpace(lines[end])
	if body == "" {
		return head, more
	}
	return head + "\n    " + strings.ReplaceAll(body, "\n", "\n    "), more
}

// isSubtestEnd reports whether a trimmed output line is a subtest's
// "--- FAIL: Test/sub (0.00s)" line (go test -json does not indent them).
func isSubtestEnd(line string) bool {
	if !strings.HasPrefix(line, "--- ") {
		return false
	}
	f := strings.Fields(line)
	return len(f) >= 3 && strings.Contains(f[2], "/")
}
