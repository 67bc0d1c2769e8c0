package verify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/netkata/netkata/internal/workbook"
)

// Solution runs every test of the lesson (its subpackages' included)
// against the reference solution, or against a variant of it when vr is
// not nil: every one must pass, with -race where the Checker allows and
// -shuffle=on.
func (c *Checker) Solution(ctx context.Context, l *workbook.Lesson, vr *workbook.Variant) Result {
	o := Result{Lesson: l.Name, Kind: Solution}
	what := "solution"
	if vr != nil {
		o.Kind, o.Name = Variant, vr.Name
		what = "variant " + vr.Name
	}
	tests, err := l.Tests()
	if err != nil || len(tests) == 0 {
		o.Text = what + ": the lesson has no tests to run (nothing ran is not a pass)"
		return o
	}
	var overlay string
	if vr == nil {
		var m map[string]string
		m, err = l.Overlay(nil)
		if err == nil {
			overlay, err = workbook.WriteOverlay(filepath.Join(c.Tmp, l.ID+"-solution.json"), m)
		}
	} else {
		overlay, err = c.patchOverlay(l, "variant", &vr.Patch)
	}
	if err != nil {
		o.Text = what + ": " + err.Error()
		return o
	}
	args := []string{"-count=1", "-shuffle=on", "-timeout", c.Timeout.String(), "-overlay", overlay}
	flags := "-shuffle=on"
	if c.Race {
		args = append(args, "-race")
		flags = "-race " + flags
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout+BuildAllowance)
	defer cancel()
	r := workbook.GoTest(ctx, c.Workbook.Root, c.Verbose, append(args, l.Pattern())...)
	o.Elapsed = r.Elapsed
	var problems []string
	for _, t := range tests {
		switch r.Status(t) {
		case workbook.Crashed:
			problems = append(problems, t+" never finished: the test binary crashed or timed out in it")
		case workbook.NotRun:
			problems = append(problems, t+" did not run")
		case workbook.Skipped:
			problems = append(problems, t+" was skipped: a top-level skip hides a gap")
		case workbook.Failed:
			problems = append(problems, t+" fails")
		default:
			continue
		}
		o.Failed = append(o.Failed, t)
	}
	on, files := "on the reference", "the solution files"
	if vr != nil {
		on, files = "on this correct variant ("+vr.Differs+")", "the variant's files"
	}
	switch {
	case r.Err != nil:
		o.Text, o.Detail = what+": "+r.Err.Error(), workbook.Tail(r.Output, 40)
	case r.BuildFailed:
		o.Text, o.Detail = what+": the lesson does not build with "+files, workbook.Tail(r.Output, 40)
	case len(problems) > 0:
		o.Text = fmt.Sprintf("%s: %d of %d tests do not pass %s", what, len(problems), len(tests), on)
		o.Detail = strings.Join(problems, "\n") + "\n" + failureDetail(r)
	case r.Failed:
		o.Text, o.Detail = what+": go test failed outside the lesson's tests", workbook.Tail(r.Output+failureDetail(r), 40)
	default:
		o.OK = true
		o.Text = fmt.Sprintf("%s: %d tests pass with %s (%s)", what, len(tests), flags, round(r.Elapsed))
	}
	return o
}

// patchOverlay writes a patch's files and a -overlay JSON putting them in
// place of the solution's (and beside them, for files the patch adds) under
// the Checker's temporary folder, and returns the JSON's path.
func (c *Checker) patchOverlay(l *workbook.Lesson, kind string, p *workbook.Patch) (string, error) {
	dir := filepath.Join(c.Tmp, l.ID+"-"+kind+"-"+p.Name)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", err
	}
	replace := map[string]string{}
	for base, src := range p.Files {
		path := filepath.Join(dir, base)
		if err := os.WriteFile(path, src, 0o666); err != nil {
			return "", err
		}
		replace[base] = path
	}
	ov, err := l.Overlay(replace)
	if err != nil {
		return "", err
	}
	return workbook.WriteOverlay(filepath.Join(dir, "overlay.json"), ov)
}

// StubTimeout is loopback.Timeout (NETKATA_TIMEOUT) for the runs against
// the stubs, and for the mutants whose tests allow it.
const StubTimeout = "1s"

// Stubs runs the lesson's tests against the stubs: every one must fail.
func (c *Checker) Stubs(ctx context.Context, l *workbook.Lesson) Result {
	o := Result{Lesson: l.Name, Kind: Stubs}
	tests, err := l.Tests()
	if err != nil || len(tests) == 0 {
		o.Text = "stubs: the lesson has no tests to run"
		return o
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout+BuildAllowance)
	defer cancel()
	// Stubs fail anyway; a short network timeout makes them fail sooner.
	r := workbook.GoTestEnv(ctx, c.Workbook.Root, []string{"NETKATA_TIMEOUT=" + StubTimeout}, c.Verbose, "-count=1", "-timeout", c.Timeout.String(), l.Package())
	o.Elapsed = r.Elapsed
	var passed, skipped, unknown []string
	crashed := ""
	for _, t := range tests {
		switch r.Status(t) {
		case workbook.Crashed:
			crashed = t
		case workbook.NotRun:
			unknown = append(unknown, t)
		case workbook.Passed:
			passed = append(passed, t)
		case workbook.Skipped:
			skipped = append(skipped, t)
		}
	}
	switch {
	case r.Err != nil:
		o.Text, o.Detail = "stubs: "+r.Err.Error(), workbook.Tail(r.Output, 40)
	case r.BuildFailed:
		o.Text, o.Detail = "stubs: the lesson does not build as shipped: a student's first go test must compile and fail", workbook.Tail(r.Output, 40)
	case crashed != "":
		o.Text = fmt.Sprintf("stubs: %s crashed the test binary: a stub must return ErrTODO, never panic or exit", crashed)
		o.Detail = workbook.Tail(r.Output, 30)
		o.Failed = []string{crashed}
	case len(passed) > 0:
		o.Text = fmt.Sprintf("stubs: %s pass on the stub: a test that passes on a stub teaches nothing", strings.Join(passed, ", "))
		o.Failed = passed
	case len(skipped) > 0:
		o.Text = fmt.Sprintf("stubs: %s skipped on the stub: a skip is not a failure", strings.Join(skipped, ", "))
		o.Failed = skipped
	case len(unknown) > 0:
		o.Text = fmt.Sprintf("stubs: %s did not run", strings.Join(unknown, ", "))
		o.Detail = workbook.Tail(r.Output, 30)
		o.Failed = unknown
	default:
		o.OK = true
		o.Text = fmt.Sprintf("stubs: all %d tests fail, as they should (%s)", len(tests), round(r.Elapsed))
		if problem := c.stubSumProblem(l); problem != "" {
			o.OK = false
			o.Text = fmt.Sprintf("stubs: all %d tests fail, but %s", len(tests), problem)
		}
	}
	return o
}

// stubSumProblem says what is wrong with the lesson's line in
// workbook.StubSumsFile, or "" when it holds the sum of the lesson's files:
// then a student's kata may take every step as failing without a run,
// because the check above has just seen every test fail on those files.
func (c *Checker) stubSumProblem(l *workbook.Lesson) string {
	fix := fmt.Sprintf("; run go run ./cmd/kata verify -write -lesson %s (kata's progress view skips a lesson whose files have their sum)", l.ID)
	sums, err := workbook.ReadStubSums(c.Workbook.Root)
	if err != nil {
		return err.Error() + fix
	}
	got, err := l.StubSum()
	if err != nil {
		return err.Error()
	}
	switch want := sums[l.Name]; want {
	case got:
		return ""
	case "":
		return workbook.StubSumsFile + " has no sum for the lesson" + fix
	default:
		return fmt.Sprintf("%s has another sum for the lesson (%.12s), not its files' (%.12s)%s", workbook.StubSumsFile, want, got, fix)
	}
}

// Mutant runs the tests a mutant names against the solution with the
// mutant's patch applied: at least one of them must fail.
func (c *Checker) Mutant(ctx context.Context, l *workbook.Lesson, m *workbook.Mutant) Result {
	o := Result{Lesson: l.Name, Kind: Mutant, Name: m.Name}
	overlay, err := c.patchOverlay(l, "mutant", &m.Patch)
	if err != nil {
		o.Text = "mutant " + m.Name + ": " + err.Error()
		return o
	}
	args := append([]string{"-count=1", "-timeout", c.Timeout.String(), "-overlay", overlay, "-run", workbook.RunPattern(m.CaughtBy)}, m.Flags...)
	if !c.Race {
		args = slices.DeleteFunc(args, func(a string) bool { return a == "-race" })
	}
	var env []string
	if !slices.Contains(args, "-race") && c.shortTimeoutFor(ctx, l).allow(m.CaughtBy) {
		env = []string{"NETKATA_TIMEOUT=" + StubTimeout}
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout+BuildAllowance)
	defer cancel()
	var (
		r              *workbook.Run
		caught, passed []string
		retried        bool
	)
	// A mutant that survives runs once more: a test whose catch depends on
	// timing still fails verify if it misses twice, and a catch on the
	// second run is reported as such, to be looked at.
	for attempt := 1; attempt <= 2; attempt++ {
		r = workbook.GoTestEnv(ctx, c.Workbook.Root, env, c.Verbose, append(args, l.Package())...)
		caught, passed = nil, nil
		for _, t := range m.CaughtBy {
			switch r.Status(t) {
			case workbook.Failed, workbook.Crashed:
				caught = append(caught, t)
			case workbook.Passed:
				passed = append(passed, t)
			}
		}
		if r.Err != nil || r.BuildFailed || len(caught) > 0 || len(passed) == 0 {
			break
		}
		retried = attempt == 1
	}
	o.Elapsed = r.Elapsed
	switch {
	case r.Err != nil:
		o.Text, o.Detail = "mutant "+m.Name+": "+r.Err.Error(), workbook.Tail(r.Output, 30)
	case r.BuildFailed:
		o.Text = "mutant " + m.Name + " does not compile: it is caught by the compiler, not by a test"
		o.Detail = workbook.Tail(r.Output, 20)
	case len(caught) == 0 && len(passed) == 0:
		o.Text = fmt.Sprintf("mutant %s: none of %s ran", m.Name, strings.Join(m.CaughtBy, ", "))
	case len(caught) == 0:
		o.Text = fmt.Sprintf("mutant %s SURVIVED: %s passed with it (%s)", m.Name, strings.Join(passed, ", "), m.Mistake)
		o.Failed = passed
		var d strings.Builder
		for _, t := range passed {
			fmt.Fprintf(&d, "output of %s with the mutant:\n%s", t, workbook.Tail(r.Tests[t].Output, 25))
		}
		o.Detail = d.String()
	default:
		o.OK = true
		o.Text = fmt.Sprintf("mutant %s caught by %s (%s)", m.Name, strings.Join(caught, ", "), round(r.Elapsed))
		if retried {
			o.Text = fmt.Sprintf("mutant %s caught by %s on the second run; the first let it through: a catch that depends on timing (%s)", m.Name, strings.Join(caught, ", "), round(r.Elapsed))
		}
	}
	return o
}

// shortTimeouts is the set of a lesson's tests that pass on the reference
// with the stubs' short network timeout (NETKATA_TIMEOUT=1s). A mutant whose
// tests are all in it runs with that timeout too, so a mistake that makes a
// test wait for a reply costs one second, not five; the others keep the
// default, so a mutant is never caught by a timeout the reference would not
// meet either.
type shortTimeouts struct {
	once sync.Once
	pass map[string]bool
}

func (s *shortTimeouts) allow(tests []string) bool {
	for _, t := range tests {
		if !s.pass[t] {
			return false
		}
	}
	return len(tests) > 0
}

// shortTimeoutFor runs, once per lesson, the tests its mutants name against
// the reference with NETKATA_TIMEOUT=1s, and returns which passed.
func (c *Checker) shortTimeoutFor(ctx context.Context, l *workbook.Lesson) *shortTimeouts {
	c.shortMu.Lock()
	if c.short == nil {
		c.short = map[string]*shortTimeouts{}
	}
	s := c.short[l.Name]
	if s == nil {
		s = &shortTimeouts{}
		c.short[l.Name] = s
	}
	c.shortMu.Unlock()
	s.once.Do(func() {
		s.pass = map[string]bool{}
		mutants, _ := l.Mutants()
		seen := map[string]bool{}
		var tests []string
		for _, m := range mutants {
			for _, t := range m.CaughtBy {
				if !seen[t] {
					seen[t] = true
					tests = append(tests, t)
				}
			}
		}
		m, err := l.Overlay(nil)
		if err != nil || len(tests) == 0 {
			return
		}
		overlay, err := workbook.WriteOverlay(filepath.Join(c.Tmp, l.ID+"-short.json"), m)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, c.Timeout+BuildAllowance)
		defer cancel()
		r := workbook.GoTestEnv(ctx, c.Workbook.Root, []string{"NETKATA_TIMEOUT=" + StubTimeout}, c.Verbose,
			"-count=1", "-timeout", c.Timeout.String(), "-overlay", overlay, "-run", workbook.RunPattern(tests), l.Package())
		for _, t := range tests {
			if r.Status(t) == workbook.Passed {
				s.pass[t] = true
			}
		}
	})
	return s
}
