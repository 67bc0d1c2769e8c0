package workbook

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/atomicfile"
	"github.com/netkata/netkata/internal/i18n"
)

// Result is the outcome of one top-level test in a go test -json run.
type Result struct {
	Name    string
	Package string
	Action  string // "pass", "fail" or "skip"
	Elapsed time.Duration
	Output  string // everything the test printed, subtests included
}

// Run is what one go test -json invocation reported.
type Run struct {
	Tests       map[string]*Result // top-level tests and scenarios ("TestScripts/name") by name, of every package
	Order       []string           // top-level test names in the order they started
	Started     map[string]bool    // tests that started (a crash can stop one midway)
	BuildFailed bool               // a package failed to build: nothing of it ran
	Failed      bool               // go test exited non-zero
	Output      string             // output not attributed to a test (build errors, panics)
	Err         error              `json:"-"` // the command could not run at all, or timed out
	Elapsed     time.Duration
	// Packages splits the run by package import path, for a go test of
	// several packages (whose top-level test names may repeat).
	Packages map[string]*Run `json:"-"`
}

// A test's status in a Run, as Run.Status reports it.
const (
	Passed  = "pass"
	Failed  = "fail"
	Skipped = "skip"
	Crashed = "crashed" // it started and never ended: the test binary crashed or timed out in it
	NotRun  = "not run"
)

// Status says how the named test (or scenario, "TestScripts/name") ended in
// the run: Passed, Failed, Skipped, Crashed or NotRun. Verify, progress and
// grade judge a run's tests by it.
func (r *Run) Status(test string) string {
	res := r.Tests[test]
	switch {
	case res != nil:
		return res.Action
	case r.Started[test]:
		return Crashed
	}
	return NotRun
}

// With returns the names, sorted, of the run's tests with the status
// Passed, Failed or Skipped.
func (r *Run) With(status string) []string {
	var names []string
	for name, t := range r.Tests {
		if t.Action == status {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func newRun() *Run {
	return &Run{Tests: map[string]*Result{}, Started: map[string]bool{}}
}

type event struct {
	Action     string
	Package    string
	ImportPath string // of build events: "pkg" or "pkg [pkg.test]"
	Test       string
	Elapsed    float64
	Output     string
}

// GoTest runs "go test -json ARGS..." in dir and collects the results per
// top-level test. Output lines are copied to verbose, if not nil.
func GoTest(ctx context.Context, dir string, verbose io.Writer, args ...string) *Run {
	return GoTestEnv(ctx, dir, nil, verbose, args...)
}

// GoTestEnv is GoTest with extra environment variables ("KEY=value").
func GoTestEnv(ctx context.Context, dir string, env []string, verbose io.Writer, args ...string) *Run {
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", append([]string{"test", "-json"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "NO_COLOR=1"), env...)
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	r := newRun()
	r.Packages = map[string]*Run{}
	pkg := func(path string) *Run {
		path, _, _ = strings.Cut(path, " ")
		if r.Packages[path] == nil {
			r.Packages[path] = newRun()
		}
		return r.Packages[path]
	}
	if err != nil {
		r.Err = err
		return r
	}
	if err := cmd.Start(); err != nil {
		r.Err = err
		return r
	}
	var loose strings.Builder
	outputs := map[string]*strings.Builder{}
	speaker := map[string]string{} // top-level test -> the (sub)test whose output came last
	events := 0
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil || ev.Action == "" {
			loose.WriteString(sc.Text() + "\n")
			continue
		}
		events++
		if verbose != nil && ev.Output != "" {
			io.WriteString(verbose, ev.Output)
		}
		top, _, _ := strings.Cut(ev.Test, "/")
		if isScenarioTest(ev.Test) {
			// A scenario is judged on its own too (see Lesson.StepTests):
			// kept under its full name beside the top-level tests.
			key := ev.Package + "." + ev.Test
			switch ev.Action {
			case "run":
				outputs[key] = &strings.Builder{}
				r.Started[ev.Test], pkg(ev.Package).Started[ev.Test] = true, true
			case "output":
				if b := outputs[key]; b != nil {
					b.WriteString(ev.Output)
				}
			case "pass", "fail", "skip":
				out := ""
				if b := outputs[key]; b != nil {
					out = b.String()
				}
				res := &Result{Name: ev.Test, Package: ev.Package, Action: ev.Action,
					Elapsed: time.Duration(ev.Elapsed * float64(time.Second)), Output: out}
				r.Tests[ev.Test] = res
				pkg(ev.Package).Tests[ev.Test] = res
			}
		}
		switch {
		case ev.Action == "build-output":
			loose.WriteString(ev.Output)
			pkg(ev.ImportPath).Output += ev.Output
		case ev.Action == "build-fail":
			r.BuildFailed = true
			pkg(ev.ImportPath).BuildFailed = true
		case ev.Test == "":
			p := pkg(ev.Package)
			if ev.Output != "" {
				loose.WriteString(ev.Output)
				p.Output += ev.Output
			}
			if ev.Action == "fail" {
				p.Failed = true
				if strings.Contains(p.Output, "[build failed]") || strings.Contains(p.Output, "[setup failed]") {
					p.BuildFailed = true
				}
				if strings.Contains(loose.String(), "[build failed]") {
					r.BuildFailed = true
				}
			}
		case ev.Action == "run" && top == ev.Test:
			key := ev.Package + "." + top
			p := pkg(ev.Package)
			r.Started[top], p.Started[top] = true, true
			r.Order = append(r.Order, top)
			p.Order = append(p.Order, top)
			outputs[key] = &strings.Builder{}
		case ev.Action == "output":
			key := ev.Package + "." + top
			if b := outputs[key]; b != nil {
				// go test -json drops go test -v's "=== NAME" lines; put
				// them back, so each line can be told apart by its test.
				if ev.Test != speaker[key] && !strings.HasPrefix(ev.Output, "=== ") {
					b.WriteString("=== NAME  " + ev.Test + "\n")
				}
				speaker[key] = ev.Test
				b.WriteString(ev.Output)
			}
		case (ev.Action == "pass" || ev.Action == "fail" || ev.Action == "skip") && top == ev.Test:
			out := ""
			if b := outputs[ev.Package+"."+top]; b != nil {
				out = b.String()
			}
			res := &Result{Name: top, Package: ev.Package, Action: ev.Action,
				Elapsed: time.Duration(ev.Elapsed * float64(time.Second)), Output: out}
			r.Tests[top] = res
			pkg(ev.Package).Tests[top] = res
		}
	}
	err = cmd.Wait()
	r.Elapsed = time.Since(start)
	for _, p := range r.Packages {
		p.Elapsed = r.Elapsed
	}
	r.Output = loose.String() + stderr.String()
	if strings.Contains(r.Output, "[setup failed]") || strings.Contains(r.Output, "build failed") {
		r.BuildFailed = true
	}
	if err != nil {
		r.Failed = true
		if ctx.Err() != nil {
			r.Err = fmt.Errorf("go test %s: %w", strings.Join(args, " "), ctx.Err())
		} else if _, ok := err.(*exec.ExitError); !ok {
			r.Err = err
		} else if events == 0 {
			// go itself failed before building anything: no cache folder,
			// an unwritable one, a broken go.mod. Nothing was tested.
			r.Err = fmt.Errorf("%s", i18n.Tr("workbook.gotest.failed", strings.TrimSpace(r.Output)))
		}
	}
	return r
}

// isScenarioTest reports whether name is a scenario of TestScripts:
// "TestScripts/echo_stdin", not deeper.
func isScenarioTest(name string) bool {
	rest, ok := strings.CutPrefix(name, ScriptsTest+"/")
	return ok && rest != "" && !strings.Contains(rest, "/")
}

// WriteOverlay writes go's -overlay JSON for replace (file -> stand-in) to
// path, creating its folder, and returns path.
func WriteOverlay(path string, replace map[string]string) (string, error) {
	b, err := json.MarshalIndent(struct{ Replace map[string]string }{replace}, "", "  ")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return "", err
	}
	return path, nil
}
