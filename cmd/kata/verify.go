package main

import (
	"bytes"
	"context"
	"fmt"
	"go/format"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/netkata/netkata/internal/workbook"
)

var verifyCmd = command{
	name:    "verify",
	usage:   "kata verify [-lesson NN] [-v] [-j N] | kata verify -mutation [-cached] [-write] [-lesson NN]",
	summary: "prove every solution and variant passes, every stub fails and every mutant is caught",
}

func init() {
	verifyCmd.run = runVerify
	register(verifyCmd)
}

// outcome is one line of verify's report.
type outcome struct {
	ok     bool
	lesson string // "" for repository-wide checks
	text   string
	detail string // printed indented under the line when the check fails
}

type verifier struct {
	w        *workbook.Workbook
	verbose  io.Writer // go test output when -v, else nil
	timeout  time.Duration
	race     bool
	parallel int
	tmp      string

	shortMu sync.Mutex
	short   map[string]*shortTimeouts // by lesson name
}

// buildAllowance is added to -timeout, which bounds running a test binary,
// for the whole go test command: building under load can take minutes, and
// must not fail a correct tree. It only stops a build that hangs.
const buildAllowance = 15 * time.Minute

// toolsTimeoutFactor scales -timeout for the tool's own tests, which run
// whole verifies of fixture workbooks.
const toolsTimeoutFactor = 3

func runVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &verifyCmd, "go run ./cmd/kata verify -lesson 01")
	lesson := fs.String("lesson", "", "verify only lesson `NN` (and the build)")
	verbose := fs.Bool("v", false, "show the go test output")
	// Twice the cores: many checks wait on network deadlines, not the CPU.
	jobs := fs.Int("j", 2*runtime.NumCPU(), "run up to `N` go test commands at once")
	timeout := fs.Duration("timeout", 4*time.Minute, "limit for running each test binary (go test -timeout; building is not counted)")
	mutation := fs.Bool("mutation", false, "run gremlins on each lesson's solution instead: mutation score and equivalent-mutant lists")
	cached := fs.Bool("cached", false, "with -mutation: reuse a lesson's "+workbook.MutationBaselineFile+" when its inputs are unchanged (CI)")
	write := fs.Bool("write", false, "with -mutation: write each lesson's "+workbook.MutationBaselineFile)
	workers := fs.Int("workers", 0, "with -mutation: gremlins workers (default: one per core)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if !*mutation && (*cached || *write || *workers != 0) {
		return usageError("-cached, -write and -workers go with -mutation")
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	if *mutation {
		m := &mutationRun{cached: *cached, write: *write, workers: *workers}
		m.gremlins, _ = findGremlins(w.Root) // a lesson with a current baseline needs none
		if *verbose {
			m.verbose = e.stdout
		}
		return runMutation(ctx, e, w, *lesson, m)
	}
	tmp, err := os.MkdirTemp("", "kata-verify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	v := &verifier{w: w, timeout: *timeout, race: cgoEnabled(w.Root), parallel: max(1, *jobs), tmp: tmp}
	if *verbose {
		v.verbose = &lockedWriter{w: e.stdout}
	}
	start := time.Now()
	results := v.run(ctx, *lesson, e.stdout)
	passed, failed := 0, 0
	for _, r := range results {
		if r.ok {
			passed++
		} else {
			failed++
		}
	}
	fmt.Fprintf(e.stdout, "(%s)\n", time.Since(start).Round(100*time.Millisecond))
	fmt.Fprintf(e.stdout, "verify: %d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		return errSilent
	}
	return nil
}

// run runs every check, printing each outcome in a fixed order as soon as
// it and those before it are known, and returns them all.
func (v *verifier) run(ctx context.Context, only string, out io.Writer) []outcome {
	var lessons []*workbook.Lesson
	var pre []outcome
	if only != "" {
		l, err := v.w.Lesson(only)
		if err != nil {
			pre = append(pre, outcome{text: "lessons: " + err.Error()})
		} else {
			lessons = []*workbook.Lesson{l}
		}
	} else {
		lessons = v.w.Lessons
		if len(lessons) == 0 {
			pre = append(pre, outcome{text: "lessons: no lesson folders found under lessons/ (nothing ran is not a pass)"})
		}
		for _, s := range v.w.Strays {
			pre = append(pre, outcome{text: fmt.Sprintf("lessons: %s is not a lesson folder (name lessons NN-name, with a matching solutions/NN-name)", s)})
		}
	}

	// The build runs first and alone: the go test runs after it reuse its cache.
	all := append(pre, v.checkBuild()...)
	if v.race && len(lessons) > 0 {
		all = append(all, v.warmRace(ctx, lessons))
	}
	for _, r := range all {
		printOutcome(out, r)
	}

	// The other checks run in parallel; their lines are printed in this order.
	var jobs []func() []outcome
	if only == "" && hasToolPackages(v.w.Root) {
		jobs = append(jobs, func() []outcome { return v.checkTools(ctx) })
	}
	jobs = append(jobs, func() []outcome { return v.checkParity(lessons) })
	for _, l := range lessons {
		jobs = append(jobs, func() []outcome { return v.checkLayout(l) })
		jobs = append(jobs, func() []outcome { return v.checkSolution(ctx, l, nil) })
		jobs = append(jobs, func() []outcome { return v.checkStubs(ctx, l) })
		mutants, _ := l.Mutants() // checkLayout reports the patches that do not apply
		for _, m := range mutants {
			jobs = append(jobs, func() []outcome { return v.checkMutant(ctx, l, m) })
		}
		variants, _ := l.Variants() // checkLayout reports the patches that do not apply
		for _, vr := range variants {
			jobs = append(jobs, func() []outcome { return v.checkSolution(ctx, l, vr) })
		}
	}
	done := make([]chan []outcome, len(jobs))
	sem := make(chan struct{}, v.parallel)
	for i, job := range jobs {
		done[i] = make(chan []outcome, 1)
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			done[i] <- job()
		}()
	}
	for i := range jobs {
		for _, r := range <-done[i] {
			printOutcome(out, r)
			all = append(all, r)
		}
	}
	return all
}

func printOutcome(w io.Writer, r outcome) {
	status := "ok  "
	if !r.ok {
		status = "FAIL"
	}
	name := r.lesson
	if name == "" {
		name = "-"
	}
	fmt.Fprintf(w, "%s  %-18s %s\n", status, name, r.text)
	if !r.ok && r.detail != "" {
		for _, line := range strings.Split(strings.TrimRight(r.detail, "\n"), "\n") {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
}

// checkBuild: go build, go vet and gofmt over the whole repository.
func (v *verifier) checkBuild() []outcome {
	var res []outcome
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		start := time.Now()
		cmd := exec.Command("go", args...)
		cmd.Dir = v.w.Root
		b, err := cmd.CombinedOutput()
		r := outcome{ok: err == nil, text: fmt.Sprintf("go %s (%s)", strings.Join(args, " "), since(start))}
		if err != nil {
			r.detail = tail(string(b), 40)
		}
		res = append(res, r)
	}
	bad, err := unformatted(v.w.Root)
	r := outcome{ok: err == nil && len(bad) == 0, text: "gofmt: every .go file is formatted"}
	switch {
	case err != nil:
		r.detail = err.Error()
	case len(bad) > 0:
		r.text = fmt.Sprintf("gofmt: %d files need gofmt -w", len(bad))
		r.detail = strings.Join(bad, "\n")
	}
	return append(res, r)
}

// warmRace compiles, with -race, every package the lessons' tests import
// (the standard library's included) once, before the parallel runs: go
// commands running at once do not share work in progress, so without it
// each of the first runs compiles the same race-instrumented packages, and
// a busy machine takes minutes over it.
func (v *verifier) warmRace(ctx context.Context, lessons []*workbook.Lesson) outcome {
	start := time.Now()
	o := outcome{}
	args := []string{"list", "-deps", "-test", "-f", "{{if not .ForTest}}{{.ImportPath}}{{end}}"}
	for _, l := range lessons {
		args = append(args, l.Pattern())
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = v.w.Root
	b, err := cmd.Output()
	if err != nil {
		o.text = "go build -race: listing the lessons' test dependencies: " + err.Error()
		return o
	}
	var pkgs []string
	for _, p := range strings.Fields(string(b)) {
		if !strings.HasPrefix(p, v.w.Module+"/lessons/") && !strings.HasSuffix(p, ".test") {
			pkgs = append(pkgs, p)
		}
	}
	cmd = exec.CommandContext(ctx, "go", append([]string{"build", "-race"}, pkgs...)...)
	cmd.Dir = v.w.Root
	out, err := cmd.CombinedOutput()
	o.ok = err == nil
	o.text = fmt.Sprintf("go build -race: the %d packages the lessons' tests import, built once for every run (%s)", len(pkgs), since(start))
	if err != nil {
		o.detail = tail(string(out), 30)
	}
	return o
}

// unformatted lists the .go files under root that gofmt would change.
func unformatted(root string) ([]string, error) {
	var bad []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			n := d.Name()
			if p != root && (strings.HasPrefix(n, ".") || n == "vendor" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		got, err := format.Source(src)
		if err != nil || !bytes.Equal(got, src) {
			rel, _ := filepath.Rel(root, p)
			bad = append(bad, rel)
		}
		return nil
	})
	return bad, err
}

func hasToolPackages(root string) bool {
	for _, d := range []string{"cmd", "internal"} {
		if fi, err := os.Stat(filepath.Join(root, d)); err == nil && fi.IsDir() {
			return true
		}
	}
	return false
}

// checkTools runs the tool's and the helpers' own unit tests.
func (v *verifier) checkTools(ctx context.Context) []outcome {
	limit := toolsTimeoutFactor * v.timeout
	ctx, cancel := context.WithTimeout(ctx, limit+buildAllowance)
	defer cancel()
	var pkgs []string
	for _, d := range []string{"cmd", "internal"} {
		if fi, err := os.Stat(filepath.Join(v.w.Root, d)); err == nil && fi.IsDir() {
			pkgs = append(pkgs, "./"+d+"/...")
		}
	}
	r := workbook.GoTest(ctx, v.w.Root, v.verbose, append([]string{"-count=1", "-timeout", limit.String()}, pkgs...)...)
	o := outcome{text: fmt.Sprintf("tools: go test %s: %d tests pass (%s)", strings.Join(pkgs, " "), countAction(r, "pass"), since2(r.Elapsed))}
	switch {
	case r.Err != nil:
		o.text, o.detail = "tools: "+r.Err.Error(), tail(r.Output, 40)
	case r.BuildFailed:
		o.text, o.detail = "tools: the tool's own tests do not build", tail(r.Output, 40)
	case r.Failed:
		o.text = "tools: " + failedList(r) + " fail"
		o.detail = failureDetail(r)
	default:
		o.ok = true
	}
	return []outcome{o}
}

func (v *verifier) checkLayout(l *workbook.Lesson) []outcome {
	errs := l.CheckLayout()
	if len(errs) > 0 {
		var lines []string
		for _, e := range errs {
			lines = append(lines, e.Error())
		}
		return []outcome{{lesson: l.Name, text: fmt.Sprintf("layout: %d problems", len(errs)), detail: strings.Join(lines, "\n")}}
	}
	steps, _ := l.Steps()
	tests, _ := l.Tests()
	mutants, _ := l.Mutants()
	variants, _ := l.Variants()
	stubs, _ := l.StubFiles()
	return []outcome{{ok: true, lesson: l.Name, text: fmt.Sprintf("layout: %d steps, %d tests, %d stub files with solutions, %d mutants, %d variants, hints for every step",
		len(steps), len(tests), len(stubs), len(mutants), len(variants))}}
}

// checkSolution runs every test of the lesson (its subpackages' included)
// against the reference solution, or against a variant of it when vr is not
// nil: every one must pass, with -race where cgo allows and -shuffle=on.
func (v *verifier) checkSolution(ctx context.Context, l *workbook.Lesson, vr *workbook.Variant) []outcome {
	o := outcome{lesson: l.Name}
	what := "solution"
	if vr != nil {
		what = "variant " + vr.Name
	}
	tests, err := l.Tests()
	if err != nil || len(tests) == 0 {
		o.text = what + ": the lesson has no tests to run (nothing ran is not a pass)"
		return []outcome{o}
	}
	var overlay string
	if vr == nil {
		var m map[string]string
		m, err = l.Overlay(nil)
		if err == nil {
			overlay, err = workbook.WriteOverlay(filepath.Join(v.tmp, l.ID+"-solution.json"), m)
		}
	} else {
		overlay, err = v.patchOverlay(l, "variant", &vr.Patch)
	}
	if err != nil {
		o.text = what + ": " + err.Error()
		return []outcome{o}
	}
	args := []string{"-count=1", "-shuffle=on", "-timeout", v.timeout.String(), "-overlay", overlay}
	flags := "-shuffle=on"
	if v.race {
		args = append(args, "-race")
		flags = "-race " + flags
	}
	ctx, cancel := context.WithTimeout(ctx, v.timeout+buildAllowance)
	defer cancel()
	r := workbook.GoTest(ctx, v.w.Root, v.verbose, append(args, l.Pattern())...)
	var problems []string
	for _, t := range tests {
		res := r.Tests[t]
		switch {
		case res == nil && r.Started[t]:
			problems = append(problems, t+" never finished: the test binary crashed or timed out in it")
		case res == nil:
			problems = append(problems, t+" did not run")
		case res.Action == "skip":
			problems = append(problems, t+" was skipped: a top-level skip hides a gap")
		case res.Action == "fail":
			problems = append(problems, t+" fails")
		}
	}
	on, files := "on the reference", "the solution files"
	if vr != nil {
		on, files = "on this correct variant ("+vr.Differs+")", "the variant's files"
	}
	switch {
	case r.Err != nil:
		o.text, o.detail = what+": "+r.Err.Error(), tail(r.Output, 40)
	case r.BuildFailed:
		o.text, o.detail = what+": the lesson does not build with "+files, tail(r.Output, 40)
	case len(problems) > 0:
		o.text = fmt.Sprintf("%s: %d of %d tests do not pass %s", what, len(problems), len(tests), on)
		o.detail = strings.Join(problems, "\n") + "\n" + failureDetail(r)
	case r.Failed:
		o.text, o.detail = what+": go test failed outside the lesson's tests", tail(r.Output+failureDetail(r), 40)
	default:
		o.ok = true
		o.text = fmt.Sprintf("%s: %d tests pass with %s (%s)", what, len(tests), flags, since2(r.Elapsed))
	}
	return []outcome{o}
}

// patchOverlay writes a patch's files and a -overlay JSON putting them in
// place of the solution's (and beside them, for files the patch adds) under
// the verifier's temporary folder, and returns the JSON's path.
func (v *verifier) patchOverlay(l *workbook.Lesson, kind string, p *workbook.Patch) (string, error) {
	dir := filepath.Join(v.tmp, l.ID+"-"+kind+"-"+p.Name)
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

// stubTimeout is loopback.Timeout for the runs against the stubs.
const stubTimeout = "1s"

// checkStubs runs the lesson's tests against the stubs: every one must fail.
func (v *verifier) checkStubs(ctx context.Context, l *workbook.Lesson) []outcome {
	o := outcome{lesson: l.Name}
	tests, err := l.Tests()
	if err != nil || len(tests) == 0 {
		o.text = "stubs: the lesson has no tests to run"
		return []outcome{o}
	}
	ctx, cancel := context.WithTimeout(ctx, v.timeout+buildAllowance)
	defer cancel()
	// Stubs fail anyway; a short network timeout makes them fail sooner.
	r := workbook.GoTestEnv(ctx, v.w.Root, []string{"NETKATA_TIMEOUT=" + stubTimeout}, v.verbose, "-count=1", "-timeout", v.timeout.String(), l.Package())
	var passed, skipped, unknown []string
	crashed := ""
	for _, t := range tests {
		res := r.Tests[t]
		switch {
		case res == nil && r.Started[t]:
			crashed = t
		case res == nil:
			unknown = append(unknown, t)
		case res.Action == "pass":
			passed = append(passed, t)
		case res.Action == "skip":
			skipped = append(skipped, t)
		}
	}
	switch {
	case r.Err != nil:
		o.text, o.detail = "stubs: "+r.Err.Error(), tail(r.Output, 40)
	case r.BuildFailed:
		o.text, o.detail = "stubs: the lesson does not build as shipped: a student's first go test must compile and fail", tail(r.Output, 40)
	case crashed != "":
		o.text = fmt.Sprintf("stubs: %s crashed the test binary: a stub must return ErrTODO, never panic or exit", crashed)
		o.detail = tail(r.Output, 30)
	case len(passed) > 0:
		o.text = fmt.Sprintf("stubs: %s pass on the stub: a test that passes on a stub teaches nothing", strings.Join(passed, ", "))
	case len(skipped) > 0:
		o.text = fmt.Sprintf("stubs: %s skipped on the stub: a skip is not a failure", strings.Join(skipped, ", "))
	case len(unknown) > 0:
		o.text = fmt.Sprintf("stubs: %s did not run", strings.Join(unknown, ", "))
		o.detail = tail(r.Output, 30)
	default:
		o.ok = true
		o.text = fmt.Sprintf("stubs: all %d tests fail, as they should (%s)", len(tests), since2(r.Elapsed))
	}
	return []outcome{o}
}

// checkMutant runs the tests a mutant names against the solution with the
// mutant's patch applied: at least one of them must fail.
func (v *verifier) checkMutant(ctx context.Context, l *workbook.Lesson, m *workbook.Mutant) []outcome {
	o := outcome{lesson: l.Name}
	overlay, err := v.patchOverlay(l, "mutant", &m.Patch)
	if err != nil {
		o.text = "mutant " + m.Name + ": " + err.Error()
		return []outcome{o}
	}
	args := append([]string{"-count=1", "-timeout", v.timeout.String(), "-overlay", overlay, "-run", runPattern(m.CaughtBy)}, m.Flags...)
	if !v.race {
		args = dropRace(args)
	}
	var env []string
	if !hasFlag(args, "-race") && v.shortTimeoutFor(ctx, l).allow(m.CaughtBy) {
		env = []string{"NETKATA_TIMEOUT=" + stubTimeout}
	}
	ctx, cancel := context.WithTimeout(ctx, v.timeout+buildAllowance)
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
		r = workbook.GoTestEnv(ctx, v.w.Root, env, v.verbose, append(args, l.Package())...)
		caught, passed = nil, nil
		for _, t := range m.CaughtBy {
			res := r.Tests[t]
			switch {
			case res != nil && res.Action == "fail", res == nil && r.Started[t]:
				caught = append(caught, t)
			case res != nil && res.Action == "pass":
				passed = append(passed, t)
			}
		}
		if r.Err != nil || r.BuildFailed || len(caught) > 0 || len(passed) == 0 {
			break
		}
		retried = attempt == 1
	}
	switch {
	case r.Err != nil:
		o.text, o.detail = "mutant "+m.Name+": "+r.Err.Error(), tail(r.Output, 30)
	case r.BuildFailed:
		o.text = "mutant " + m.Name + " does not compile: it is caught by the compiler, not by a test"
		o.detail = tail(r.Output, 20)
	case len(caught) == 0 && len(passed) == 0:
		o.text = fmt.Sprintf("mutant %s: none of %s ran", m.Name, strings.Join(m.CaughtBy, ", "))
	case len(caught) == 0:
		o.text = fmt.Sprintf("mutant %s SURVIVED: %s passed with it (%s)", m.Name, strings.Join(passed, ", "), m.Mistake)
		var d strings.Builder
		for _, t := range passed {
			fmt.Fprintf(&d, "output of %s with the mutant:\n%s", t, tail(r.Tests[t].Output, 25))
		}
		o.detail = d.String()
	default:
		o.ok = true
		o.text = fmt.Sprintf("mutant %s caught by %s (%s)", m.Name, strings.Join(caught, ", "), since2(r.Elapsed))
		if retried {
			o.text = fmt.Sprintf("mutant %s caught by %s on the second run; the first let it through: a catch that depends on timing (%s)", m.Name, strings.Join(caught, ", "), since2(r.Elapsed))
		}
	}
	return []outcome{o}
}

func runPattern(tests []string) string {
	return "^(" + strings.Join(quoteMeta(tests), "|") + ")$"
}

func hasFlag(args []string, flag string) bool {
	for _, a := range args {
		if a == flag {
			return true
		}
	}
	return false
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
func (v *verifier) shortTimeoutFor(ctx context.Context, l *workbook.Lesson) *shortTimeouts {
	v.shortMu.Lock()
	if v.short == nil {
		v.short = map[string]*shortTimeouts{}
	}
	s := v.short[l.Name]
	if s == nil {
		s = &shortTimeouts{}
		v.short[l.Name] = s
	}
	v.shortMu.Unlock()
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
		overlay, err := workbook.WriteOverlay(filepath.Join(v.tmp, l.ID+"-short.json"), m)
		if err != nil {
			return
		}
		ctx, cancel := context.WithTimeout(ctx, v.timeout+buildAllowance)
		defer cancel()
		r := workbook.GoTestEnv(ctx, v.w.Root, []string{"NETKATA_TIMEOUT=" + stubTimeout}, v.verbose,
			"-count=1", "-timeout", v.timeout.String(), "-overlay", overlay, "-run", runPattern(tests), l.Package())
		for _, t := range tests {
			if res := r.Tests[t]; res != nil && res.Action == "pass" {
				s.pass[t] = true
			}
		}
	})
	return s
}

func quoteMeta(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = regexp.QuoteMeta(n)
	}
	return out
}

func dropRace(args []string) []string {
	var out []string
	for _, a := range args {
		if a != "-race" {
			out = append(out, a)
		}
	}
	return out
}

// cgoEnabled reports whether the race detector can be used here.
func cgoEnabled(root string) bool {
	cmd := exec.Command("go", "env", "CGO_ENABLED")
	cmd.Dir = root
	b, err := cmd.Output()
	return err == nil && strings.TrimSpace(string(b)) == "1"
}

func countAction(r *workbook.Run, action string) int {
	n := 0
	for _, t := range r.Tests {
		if t.Action == action {
			n++
		}
	}
	return n
}

func failedList(r *workbook.Run) string {
	var names []string
	for _, t := range r.Tests {
		if t.Action == "fail" {
			names = append(names, t.Name)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return "go test"
	}
	return strings.Join(names, ", ")
}

// failureDetail is the output of the failing tests, cut to a readable size.
func failureDetail(r *workbook.Run) string {
	var sb strings.Builder
	for _, name := range r.Order {
		if t := r.Tests[name]; t != nil && t.Action == "fail" {
			sb.WriteString(tail(t.Output, 25))
		}
	}
	if sb.Len() == 0 {
		return tail(r.Output, 25)
	}
	return sb.String()
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... (%d lines before)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n") + "\n"
}

func since(start time.Time) string { return since2(time.Since(start)) }

func since2(d time.Duration) string { return d.Round(100 * time.Millisecond).String() }

// lockedWriter serialises writes from concurrent go test runs.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
