package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/workbook"
)

// mutationLimit bounds one lesson's gremlins run (about 5 minutes on two
// busy cores for lesson 02's 93 mutants).
const mutationLimit = 40 * time.Minute

type mutationRun struct {
	w        *workbook.Workbook
	tmp      string
	cached   bool // trust a baseline whose inputs are unchanged
	write    bool // write the baseline after a run
	gremlins string
	workers  int
	verbose  io.Writer
	progress io.Writer // a line when a long gremlins run starts
}

// runMutation is kata verify -mutation: gremlins on each lesson's solution,
// one lesson after the other (each run uses every core).
func runMutation(ctx context.Context, e *env, w *workbook.Workbook, only string, m *mutationRun) error {
	var lessons []*workbook.Lesson
	if only != "" {
		l, err := w.Lesson(only)
		if err != nil {
			return err
		}
		lessons = []*workbook.Lesson{l}
	} else {
		lessons = w.Lessons
	}
	tmp, err := os.MkdirTemp("", "kata-mutation-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	m.w, m.tmp = w, tmp
	start := time.Now()
	passed, failed := 0, 0
	m.progress = e.stderr
	for _, l := range lessons {
		o := m.lesson(ctx, l)
		printOutcome(e.stdout, o)
		if o.ok {
			passed++
		} else {
			failed++
		}
	}
	fmt.Fprintf(e.stdout, "(%s)\n", time.Since(start).Round(100*time.Millisecond))
	fmt.Fprintf(e.stdout, "verify -mutation: %d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		return errSilent
	}
	return nil
}

// findGremlins returns the gremlins command: on PATH or in GOPATH/bin.
func findGremlins(root string) (string, error) {
	if p, err := exec.LookPath("gremlins"); err == nil {
		return p, nil
	}
	cmd := exec.Command("go", "env", "GOPATH")
	cmd.Dir = root
	if b, err := cmd.Output(); err == nil {
		for _, d := range filepath.SplitList(strings.TrimSpace(string(b))) {
			if p := filepath.Join(d, "bin", "gremlins"); isExecutable(p) {
				return p, nil
			}
		}
	}
	return "", errNoGremlins
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

func (m *mutationRun) lesson(ctx context.Context, l *workbook.Lesson) outcome {
	o := outcome{lesson: l.Name}
	fail := func(format string, args ...any) outcome {
		o.text = "mutation: " + fmt.Sprintf(format, args...)
		return o
	}
	equivalent, err := l.EquivalentMutants()
	if err != nil {
		return fail("%v", err)
	}
	tree, err := l.MaterialiseSolution(m.w.Root, filepath.Join(m.tmp, l.Name))
	if err != nil {
		return fail("copy the module with the solution in place: %v", err)
	}
	defer os.RemoveAll(tree.Root)
	var mutants []workbook.GremlinsMutant
	var elapsed time.Duration
	how := ""
	baseline, err := l.ReadMutationBaseline()
	switch {
	case err != nil:
		return fail("%v", err)
	case m.cached && baseline != nil && baseline.Inputs == tree.Inputs:
		mutants, elapsed = baseline.Mutants, baseline.Elapsed
		how = fmt.Sprintf("from %s, inputs unchanged; the run took %s", workbook.MutationBaselineFile, since2(elapsed))
	default:
		if m.gremlins == "" {
			return fail("%v", errNoGremlins)
		}
		start := time.Now()
		if m.progress != nil {
			fmt.Fprintf(m.progress, "%s: gremlins started at %s (minutes per lesson)\n", l.Name, start.Format("15:04:05"))
		}
		mutants, err = m.runGremlins(ctx, tree)
		if err != nil {
			o.text = "mutation: gremlins failed"
			o.detail = err.Error()
			return o
		}
		cases, err := m.runCaseConditions(ctx, tree, mutants)
		elapsed = time.Since(start)
		if err != nil {
			o.text = "mutation: running the case-condition mutants failed"
			o.detail = err.Error()
			return o
		}
		how = since2(elapsed)
		if cases > 0 {
			how += fmt.Sprintf(", %d case-condition mutants run by verify", cases)
		}
		if m.write {
			bl := &workbook.MutationBaseline{Inputs: tree.Inputs, Elapsed: elapsed, Mutants: mutants}
			if err := l.WriteMutationBaseline(bl); err != nil {
				return fail("write the baseline: %v", err)
			}
			how += ", baseline written"
		}
	}
	if len(mutants) == 0 {
		return fail("gremlins made no mutants (nothing ran is not a pass)")
	}
	f := workbook.JudgeMutation(mutants, equivalent)
	o.ok = len(f.Problems) == 0
	o.text = fmt.Sprintf("mutation: killed %d, lived %d (%d equivalent), not covered %d, timed out %d: efficacy %.1f%%, mutant coverage %.1f%% (%s)",
		f.Killed, f.Lived, f.Equivalent, f.NotCovered, f.TimedOut, f.Efficacy, f.Coverage, how)
	var d strings.Builder
	for _, p := range f.Problems {
		d.WriteString(p + "\n")
	}
	list := func(title string, ms []workbook.GremlinsMutant) {
		if len(ms) == 0 {
			return
		}
		fmt.Fprintf(&d, "%s (%d), file:line:col in solutions/%s/:\n", title, len(ms), l.Name)
		for _, mu := range ms {
			fmt.Fprintf(&d, "  %-48s %s\n", mu.Key(), l.SourceLine(mu.File, mu.Line))
		}
	}
	list("LIVED", f.Survivors)
	list("NOT COVERED", f.Uncovered)
	list("TIMED OUT (counted by neither figure)", f.TimedOuts)
	o.detail = d.String()
	return o
}

var errNoGremlins = fmt.Errorf("gremlins is not installed: go install %s", workbook.GremlinsInstall)

// runGremlins runs gremlins unleash on the materialised lesson and returns
// the mutants, with paths relative to the lesson folder.
func (m *mutationRun) runGremlins(ctx context.Context, tree *workbook.MutationTree) ([]workbook.GremlinsMutant, error) {
	ctx, cancel := context.WithTimeout(ctx, mutationLimit)
	defer cancel()
	out := filepath.Join(filepath.Dir(tree.Root), filepath.Base(tree.Root)+"-gremlins.json")
	args := []string{"unleash", "-o", out, "--timeout-coefficient", strconv.Itoa(workbook.GremlinsTimeoutCoefficient)}
	if m.workers > 0 {
		args = append(args, "--workers", strconv.Itoa(m.workers))
	}
	for _, x := range tree.Exclude {
		args = append(args, "-E", x)
	}
	args = append(args, tree.Package)
	cmd := exec.CommandContext(ctx, m.gremlins, args...)
	cmd.Dir = tree.Root
	// -count=1: a cached coverage run would take no time, and gremlins
	// derives each mutant's time limit from it.
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -count=1"), "NO_COLOR=1")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if m.verbose != nil {
		cmd.Stdout = io.MultiWriter(&log, m.verbose)
		cmd.Stderr = cmd.Stdout
	}
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("gremlins did not finish within %s\n%s", mutationLimit, tail(log.String(), 20))
	}
	if err != nil {
		return nil, fmt.Errorf("gremlins %s: %v\n%s", strings.Join(args, " "), err, tail(log.String(), 30))
	}
	f, err := os.Open(out)
	if err != nil {
		return nil, fmt.Errorf("gremlins wrote no results: %v\n%s", err, tail(log.String(), 30))
	}
	defer f.Close()
	return workbook.ParseGremlinsJSON(f)
}
