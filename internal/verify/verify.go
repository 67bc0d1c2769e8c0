// Package verify holds the checks kata verify runs over a workbook: the
// build, the tool's own tests, each lesson's layout, its solution and
// variants (every test passes), its stubs (every test fails) and its
// mutants (a named test catches each). Each check returns Results; the
// command only prints them.
package verify

import (
	"bytes"
	"context"
	"fmt"
	"go/format"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/netkata/netkata/internal/workbook"
)

// Kind names a check.
type Kind string

// The checks, in the order Checker.Run reports them (Mutation aside).
const (
	Lessons  Kind = "lessons"  // the lesson folders themselves
	Build    Kind = "build"    // go build, go vet, gofmt
	Race     Kind = "race"     // the -race build of what the lessons import
	Tools    Kind = "tools"    // the tool's and helpers' own tests
	Parity   Kind = "parity"   // the 简体中文 files keep up with the English ones
	Layout   Kind = "layout"   // a lesson's files agree (workbook.CheckLayout)
	Solution Kind = "solution" // every test passes on the reference
	Stubs    Kind = "stubs"    // every test fails on the stubs
	Mutant   Kind = "mutant"   // a named test fails with the mutant's patch
	Variant  Kind = "variant"  // every test passes on a correct variant
	Mutation Kind = "mutation" // gremlins' mutation score (kata verify -mutation)
)

// Result is the outcome of one check: one line of verify's report.
type Result struct {
	Lesson  string // the lesson's folder name, "" for repository-wide checks
	Kind    Kind
	Name    string // the mutant's or variant's name, or the go command ("go vet ./...")
	OK      bool
	Text    string        // the report's line
	Detail  string        // what to show under the line when the check fails
	Elapsed time.Duration // how long the go command took, 0 when none ran
	// Failed lists the tests that let the check down: those that did not
	// pass on a solution or variant, passed or were skipped on the stubs,
	// or passed with a mutant.
	Failed []string
}

// Checker runs the checks of one workbook.
type Checker struct {
	Workbook *workbook.Workbook
	Verbose  io.Writer     // go test output, when not nil; shared by parallel runs
	Timeout  time.Duration // go test -timeout: running one test binary, building not counted
	Race     bool          // use the race detector (it needs cgo; see RaceAvailable)
	Parallel int           // go test commands at once in Run
	Tmp      string        // a folder for overlays and patched files
	// WriteSums rewrites the checked lessons' sums in
	// workbook.StubSumsFile before the checks run.
	WriteSums bool

	shortMu sync.Mutex
	short   map[string]*shortTimeouts // by lesson name
}

// BuildAllowance is added to the -timeout, which bounds running a test
// binary, for the whole go test command: building under load can take
// minutes, and must not fail a correct tree. It only stops a build that
// hangs.
const BuildAllowance = 15 * time.Minute

// toolsTimeoutFactor scales -timeout for the tool's own tests, which run
// whole verifies of fixture workbooks.
const toolsTimeoutFactor = 3

// Run runs every check of the lesson only (every lesson when only is ""),
// calling report with each result in a fixed order as soon as it and those
// before it are known, and returns them all.
func (c *Checker) Run(ctx context.Context, only string, report func(Result)) []Result {
	var lessons []*workbook.Lesson
	var pre []Result
	if only != "" {
		l, err := c.Workbook.Lesson(only)
		if err != nil {
			pre = append(pre, Result{Kind: Lessons, Text: "lessons: " + err.Error()})
		} else {
			lessons = []*workbook.Lesson{l}
		}
	} else {
		lessons = c.Workbook.Lessons
		if len(lessons) == 0 {
			pre = append(pre, Result{Kind: Lessons, Text: "lessons: no lesson folders found under lessons/ (nothing ran is not a pass)"})
		}
		for _, s := range c.Workbook.Strays {
			pre = append(pre, Result{Kind: Lessons, Text: fmt.Sprintf("lessons: %s is not a lesson folder (name lessons NN-name, with a matching solutions/NN-name)", s)})
		}
	}

	if c.WriteSums && len(lessons) > 0 {
		if err := c.Workbook.WriteStubSums(lessons); err != nil {
			pre = append(pre, Result{Kind: Stubs, Text: "stubs: write " + workbook.StubSumsFile + ": " + err.Error()})
		}
	}
	// The build runs first and alone: the go test runs after it reuse its cache.
	all := append(pre, c.Build()...)
	if c.Race && len(lessons) > 0 {
		all = append(all, c.WarmRace(ctx, lessons))
	}
	for _, r := range all {
		report(r)
	}

	// The other checks run in parallel; their results are reported in this order.
	var jobs []func() []Result
	one := func(check func() Result) func() []Result { return func() []Result { return []Result{check()} } }
	if only == "" && hasToolPackages(c.Workbook.Root) {
		jobs = append(jobs, one(func() Result { return c.Tools(ctx) }))
	}
	jobs = append(jobs, func() []Result { return CheckParity(c.Workbook.Root, lessons, workbook.EnforceTranslations) })
	for _, l := range lessons {
		jobs = append(jobs, one(func() Result { return c.Layout(l) }))
		jobs = append(jobs, one(func() Result { return c.Solution(ctx, l, nil) }))
		jobs = append(jobs, one(func() Result { return c.Stubs(ctx, l) }))
		mutants, _ := l.Mutants() // Layout reports the patches that do not apply
		for _, m := range mutants {
			jobs = append(jobs, one(func() Result { return c.Mutant(ctx, l, m) }))
		}
		variants, _ := l.Variants() // Layout reports the patches that do not apply
		for _, vr := range variants {
			jobs = append(jobs, one(func() Result { return c.Solution(ctx, l, vr) }))
		}
	}
	done := make([]chan []Result, len(jobs))
	sem := make(chan struct{}, max(1, c.Parallel))
	for i, job := range jobs {
		done[i] = make(chan []Result, 1)
		go func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			done[i] <- job()
		}()
	}
	for i := range jobs {
		for _, r := range <-done[i] {
			report(r)
			all = append(all, r)
		}
	}
	return all
}

// Build runs go build, go vet and gofmt over the whole repository.
func (c *Checker) Build() []Result {
	var res []Result
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		start := time.Now()
		cmd := exec.Command("go", args...)
		cmd.Dir = c.Workbook.Root
		b, err := cmd.CombinedOutput()
		name := "go " + strings.Join(args, " ")
		r := Result{Kind: Build, Name: name, OK: err == nil, Elapsed: time.Since(start)}
		r.Text = fmt.Sprintf("%s (%s)", name, round(r.Elapsed))
		if err != nil {
			r.Detail = workbook.Tail(string(b), 40)
		}
		res = append(res, r)
	}
	bad, err := Unformatted(c.Workbook.Root)
	r := Result{Kind: Build, Name: "gofmt", OK: err == nil && len(bad) == 0, Text: "gofmt: every .go file is formatted"}
	switch {
	case err != nil:
		r.Detail = err.Error()
	case len(bad) > 0:
		r.Text = fmt.Sprintf("gofmt: %d files need gofmt -w", len(bad))
		r.Detail = strings.Join(bad, "\n")
	}
	return append(res, r)
}

// WarmRace compiles, with -race, every package the lessons' tests import
// (the standard library's included) once, before the parallel runs: go
// commands running at once do not share work in progress, so without it
// each of the first runs compiles the same race-instrumented packages, and
// a busy machine takes minutes over it.
func (c *Checker) WarmRace(ctx context.Context, lessons []*workbook.Lesson) Result {
	start := time.Now()
	o := Result{Kind: Race}
	args := []string{"list", "-deps", "-test", "-f", "{{if not .ForTest}}{{.ImportPath}}{{end}}"}
	for _, l := range lessons {
		args = append(args, l.Pattern())
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = c.Workbook.Root
	b, err := cmd.Output()
	if err != nil {
		o.Text = "go build -race: listing the lessons' test dependencies: " + err.Error()
		return o
	}
	var pkgs []string
	for _, p := range strings.Fields(string(b)) {
		if !strings.HasPrefix(p, c.Workbook.Module+"/lessons/") && !strings.HasSuffix(p, ".test") {
			pkgs = append(pkgs, p)
		}
	}
	cmd = exec.CommandContext(ctx, "go", append([]string{"build", "-race"}, pkgs...)...)
	cmd.Dir = c.Workbook.Root
	out, err := cmd.CombinedOutput()
	o.OK = err == nil
	o.Elapsed = time.Since(start)
	o.Text = fmt.Sprintf("go build -race: the %d packages the lessons' tests import, built once for every run (%s)", len(pkgs), round(o.Elapsed))
	if err != nil {
		o.Detail = workbook.Tail(string(out), 30)
	}
	return o
}

// Unformatted lists the .go files under root that gofmt would change,
// leaving out vendor/, node_modules/ and hidden folders.
func Unformatted(root string) ([]string, error) {
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
	return len(toolPackages(root)) > 0
}

// toolPackages are the go test patterns of the tool and its helpers.
func toolPackages(root string) []string {
	var pkgs []string
	for _, d := range []string{"cmd", "internal"} {
		if fi, err := os.Stat(filepath.Join(root, d)); err == nil && fi.IsDir() {
			pkgs = append(pkgs, "./"+d+"/...")
		}
	}
	return pkgs
}

// Tools runs the tool's and the helpers' own unit tests.
func (c *Checker) Tools(ctx context.Context) Result {
	limit := toolsTimeoutFactor * c.Timeout
	ctx, cancel := context.WithTimeout(ctx, limit+BuildAllowance)
	defer cancel()
	pkgs := toolPackages(c.Workbook.Root)
	r := workbook.GoTest(ctx, c.Workbook.Root, c.Verbose, append([]string{"-count=1", "-timeout", limit.String()}, pkgs...)...)
	o := Result{Kind: Tools, Elapsed: r.Elapsed,
		Text: fmt.Sprintf("tools: go test %s: %d tests pass (%s)", strings.Join(pkgs, " "), len(r.With(workbook.Passed)), round(r.Elapsed))}
	switch {
	case r.Err != nil:
		o.Text, o.Detail = "tools: "+r.Err.Error(), workbook.Tail(r.Output, 40)
	case r.BuildFailed:
		o.Text, o.Detail = "tools: the tool's own tests do not build", workbook.Tail(r.Output, 40)
	case r.Failed:
		o.Failed = r.With(workbook.Failed)
		o.Text = "tools: go test fail"
		if len(o.Failed) > 0 {
			o.Text = "tools: " + strings.Join(o.Failed, ", ") + " fail"
		}
		o.Detail = failureDetail(r)
	default:
		o.OK = true
	}
	return o
}

// Layout reports what workbook.CheckLayout finds wrong with the lesson's
// files, or counts what it holds.
func (c *Checker) Layout(l *workbook.Lesson) Result {
	errs := l.CheckLayout()
	if len(errs) > 0 {
		var lines []string
		for _, e := range errs {
			lines = append(lines, e.Error())
		}
		return Result{Lesson: l.Name, Kind: Layout, Text: fmt.Sprintf("layout: %d problems", len(errs)), Detail: strings.Join(lines, "\n")}
	}
	steps, _ := l.Steps()
	tests, _ := l.Tests()
	mutants, _ := l.Mutants()
	variants, _ := l.Variants()
	stubs, _ := l.StubFiles()
	return Result{OK: true, Lesson: l.Name, Kind: Layout, Text: fmt.Sprintf("layout: %d steps, %d tests, %d stub files with solutions, %d mutants, %d variants, hints for every step",
		len(steps), len(tests), len(stubs), len(mutants), len(variants))}
}

// RaceAvailable reports whether the race detector can be used in root:
// it needs cgo.
func RaceAvailable(root string) bool {
	cmd := exec.Command("go", "env", "CGO_ENABLED")
	cmd.Dir = root
	b, err := cmd.Output()
	return err == nil && strings.TrimSpace(string(b)) == "1"
}

// failureDetail is the output of the failing tests, cut to a readable size.
func failureDetail(r *workbook.Run) string {
	var sb strings.Builder
	for _, name := range r.Order {
		if t := r.Tests[name]; t != nil && t.Action == "fail" {
			sb.WriteString(workbook.Tail(t.Output, 25))
		}
	}
	if sb.Len() == 0 {
		return workbook.Tail(r.Output, 25)
	}
	return sb.String()
}

// round is how the report shows a duration: to a tenth of a second.
func round(d time.Duration) string { return d.Round(100 * time.Millisecond).String() }
