package verify

import (
	"bytes"
	"context"
	"errors"
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

// Gremlins runs gremlins, a mutation tester, on lessons' solutions: kata
// verify -mutation.
type Gremlins struct {
	Workbook *workbook.Workbook
	Tmp      string    // a folder for the copies of the module it mutates
	Cached   bool      // trust a baseline whose inputs are unchanged
	Write    bool      // write the baseline after a run
	Command  string    // the gremlins executable ("": not installed; see FindGremlins)
	Workers  int       // gremlins --workers (0: its default)
	Verbose  io.Writer // gremlins' output, when not nil
	Progress io.Writer // a line when a long gremlins run starts, when not nil
}

// ErrNoGremlins says gremlins is not installed, and how to install it.
var ErrNoGremlins = errors.New("gremlins is not installed: go install " + workbook.GremlinsInstall)

// FindGremlins returns the gremlins command: on PATH or in GOPATH/bin.
func FindGremlins(root string) (string, error) {
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
	return "", ErrNoGremlins
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// Lesson judges the mutation score of the lesson's solution: from its
// baseline when Cached and its inputs are unchanged, else from a gremlins
// run. Every mutant that lives must be listed as equivalent, and every
// listed one must live.
func (g *Gremlins) Lesson(ctx context.Context, l *workbook.Lesson) Result {
	o := Result{Lesson: l.Name, Kind: Mutation}
	fail := func(format string, args ...any) Result {
		o.Text = "mutation: " + fmt.Sprintf(format, args...)
		return o
	}
	equivalent, err := l.EquivalentMutants()
	if err != nil {
		return fail("%v", err)
	}
	tree, err := l.MaterialiseSolution(g.Workbook.Root, filepath.Join(g.Tmp, l.Name))
	if err != nil {
		return fail("copy the module with the solution in place: %v", err)
	}
	defer os.RemoveAll(tree.Root)
	var mutants []workbook.GremlinsMutant
	how := ""
	baseline, err := l.ReadMutationBaseline()
	switch {
	case err != nil:
		return fail("%v", err)
	case g.Cached && baseline != nil && baseline.Inputs == tree.Inputs:
		mutants, o.Elapsed = baseline.Mutants, baseline.Elapsed
		how = fmt.Sprintf("from %s, inputs unchanged; the run took %s", workbook.MutationBaselineFile, round(o.Elapsed))
	default:
		if g.Command == "" {
			return fail("%v", ErrNoGremlins)
		}
		start := time.Now()
		if g.Progress != nil {
			fmt.Fprintf(g.Progress, "%s: gremlins started at %s (minutes per lesson)\n", l.Name, start.Format("15:04:05"))
		}
		mutants, err = g.run(ctx, tree)
		if err != nil {
			o.Text = "mutation: gremlins failed"
			o.Detail = err.Error()
			return o
		}
		cases, err := g.runCaseConditions(ctx, tree, mutants)
		o.Elapsed = time.Since(start)
		if err != nil {
			o.Text = "mutation: running the case-condition mutants failed"
			o.Detail = err.Error()
			return o
		}
		how = round(o.Elapsed)
		if cases > 0 {
			how += fmt.Sprintf(", %d case-condition mutants run by verify", cases)
		}
		if g.Write {
			bl := &workbook.MutationBaseline{Inputs: tree.Inputs, Elapsed: o.Elapsed, Mutants: mutants}
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
	o.OK = len(f.Problems) == 0
	o.Text = fmt.Sprintf("mutation: killed %d, lived %d (%d equivalent), not covered %d, timed out %d: efficacy %.1f%%, mutant coverage %.1f%% (%s)",
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
	o.Detail = d.String()
	return o
}

// run runs gremlins unleash on the materialised lesson and returns the
// mutants, with paths relative to the lesson folder.
func (g *Gremlins) run(ctx context.Context, tree *workbook.MutationTree) ([]workbook.GremlinsMutant, error) {
	ctx, cancel := context.WithTimeout(ctx, mutationLimit)
	defer cancel()
	out := filepath.Join(filepath.Dir(tree.Root), filepath.Base(tree.Root)+"-gremlins.json")
	args := []string{"unleash", "-o", out, "--timeout-coefficient", strconv.Itoa(workbook.GremlinsTimeoutCoefficient)}
	if g.Workers > 0 {
		args = append(args, "--workers", strconv.Itoa(g.Workers))
	}
	for _, x := range tree.Exclude {
		args = append(args, "-E", x)
	}
	args = append(args, tree.Package)
	cmd := exec.CommandContext(ctx, g.Command, args...)
	cmd.Dir = tree.Root
	// -count=1: a cached coverage run would take no time, and gremlins
	// derives each mutant's time limit from it.
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -count=1"), "NO_COLOR=1")
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if g.Verbose != nil {
		cmd.Stdout = io.MultiWriter(&log, g.Verbose)
		cmd.Stderr = cmd.Stdout
	}
	cmd.WaitDelay = 10 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("gremlins did not finish within %s\n%s", mutationLimit, workbook.Tail(log.String(), 20))
	}
	if err != nil {
		return nil, fmt.Errorf("gremlins %s: %v\n%s", strings.Join(args, " "), err, workbook.Tail(log.String(), 30))
	}
	f, err := os.Open(out)
	if err != nil {
		return nil, fmt.Errorf("gremlins wrote no results: %v\n%s", err, workbook.Tail(log.String(), 30))
	}
	defer f.Close()
	return workbook.ParseGremlinsJSON(f)
}
