package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/netkata/netkata/internal/verify"
	"github.com/netkata/netkata/internal/workbook"
)

var verifyCmd = command{
	name:    "verify",
	usage:   "kata verify [-lesson NN] [-write] [-v] [-j N] | kata verify -mutation [-cached] [-write] [-lesson NN]",
	summary: "prove every solution and variant passes, every stub fails and every mutant is caught",
}

func init() {
	verifyCmd.run = runVerify
	register(verifyCmd)
}

// runVerify parses verify's flags and prints the results of the checks in
// internal/verify, one line each, then a summary.
func runVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &verifyCmd, "go run ./cmd/kata verify -lesson 01")
	lesson := fs.String("lesson", "", "verify only lesson `NN` (and the build)")
	verbose := fs.Bool("v", false, "show the go test output")
	// Twice the cores: many checks wait on network deadlines, not the CPU.
	jobs := fs.Int("j", 2*runtime.NumCPU(), "run up to `N` go test commands at once")
	timeout := fs.Duration("timeout", 4*time.Minute, "limit for running each test binary (go test -timeout; building is not counted)")
	mutation := fs.Bool("mutation", false, "run gremlins on each lesson's solution instead: mutation score and equivalent-mutant lists")
	cached := fs.Bool("cached", false, "with -mutation: reuse a lesson's "+workbook.MutationBaselineFile+" when its inputs are unchanged (CI)")
	write := fs.Bool("write", false, "first write each lesson's sum in "+workbook.StubSumsFile+"; with -mutation: write each lesson's "+workbook.MutationBaselineFile)
	workers := fs.Int("workers", 0, "with -mutation: gremlins workers (default: one per core)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	if !*mutation && (*cached || *workers != 0) {
		return usageError("-cached and -workers go with -mutation")
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	if *mutation {
		g := &verify.Gremlins{Workbook: w, Cached: *cached, Write: *write, Workers: *workers, Progress: e.stderr}
		g.Command, _ = verify.FindGremlins(w.Root) // a lesson with a current baseline needs none
		if *verbose {
			g.Verbose = e.stdout
		}
		return runMutation(ctx, e, *lesson, g)
	}
	tmp, err := os.MkdirTemp("", "kata-verify-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	c := &verify.Checker{Workbook: w, Timeout: *timeout, Race: verify.RaceAvailable(w.Root), Parallel: max(1, *jobs), Tmp: tmp, WriteSums: *write}
	if *verbose {
		c.Verbose = &lockedWriter{w: e.stdout}
	}
	start := time.Now()
	results := c.Run(ctx, *lesson, func(r verify.Result) { printResult(e.stdout, r) })
	return summary(e.stdout, "verify", start, results)
}

// runMutation is kata verify -mutation: gremlins on each lesson's solution,
// one lesson after the other (each run uses every core).
func runMutation(ctx context.Context, e *env, only string, g *verify.Gremlins) error {
	lessons := g.Workbook.Lessons
	if only != "" {
		l, err := g.Workbook.Lesson(only)
		if err != nil {
			return err
		}
		lessons = []*workbook.Lesson{l}
	}
	tmp, err := os.MkdirTemp("", "kata-mutation-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	g.Tmp = tmp
	start := time.Now()
	var results []verify.Result
	for _, l := range lessons {
		r := g.Lesson(ctx, l)
		printResult(e.stdout, r)
		results = append(results, r)
	}
	return summary(e.stdout, "verify -mutation", start, results)
}

// summary prints how long the checks took and how many passed; it fails
// when one failed or none ran.
func summary(w io.Writer, what string, start time.Time, results []verify.Result) error {
	passed, failed := 0, 0
	for _, r := range results {
		if r.OK {
			passed++
		} else {
			failed++
		}
	}
	fmt.Fprintf(w, "(%s)\n", since(start))
	fmt.Fprintf(w, "%s: %d passed, %d failed\n", what, passed, failed)
	if failed > 0 || passed == 0 {
		return errSilent
	}
	return nil
}

// printResult prints one line of verify's report, and under a failure
// its detail, indented.
func printResult(w io.Writer, r verify.Result) {
	status := "ok  "
	if !r.OK {
		status = "FAIL"
	}
	name := r.Lesson
	if name == "" {
		name = "-"
	}
	fmt.Fprintf(w, "%s  %-18s %s\n", status, name, r.Text)
	if !r.OK && r.Detail != "" {
		for _, line := range strings.Split(strings.TrimRight(r.Detail, "\n"), "\n") {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string { return workbook.Tail(s, n) }

func since(start time.Time) string { return time.Since(start).Round(100 * time.Millisecond).String() }

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
