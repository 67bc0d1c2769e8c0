package verify

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/netkata/netkata/internal/workbook"
)

// runCaseConditions runs the mutants gremlins reported NOT COVERED only
// because they sit in a case condition, which Go's coverage profile cannot
// place (see workbook.InCaseCondition), and sets their status the way
// gremlins would have: KILLED, LIVED, NOT VIABLE or TIMED OUT. It returns
// how many it ran.
func (g *Gremlins) runCaseConditions(ctx context.Context, tree *workbook.MutationTree, mutants []workbook.GremlinsMutant) (int, error) {
	var todo []int
	for i, mu := range mutants {
		if mu.Status != workbook.MutantNotCovered {
			continue
		}
		src, err := os.ReadFile(filepath.Join(tree.Root, tree.Package, mu.File))
		if err != nil {
			return 0, err
		}
		in, err := workbook.InCaseCondition(src, mu.Line, mu.Col)
		if err != nil {
			return 0, fmt.Errorf("%s: %v", mu.Key(), err)
		}
		if in {
			todo = append(todo, i)
		}
	}
	if len(todo) == 0 {
		return 0, nil
	}
	// The unmutated run sets the time limit, as gremlins' coverage run does.
	start := time.Now()
	if out, err := goTest(ctx, tree, 0); err != nil {
		return 0, fmt.Errorf("the lesson's tests fail on the solution itself: %v\n%s", err, workbook.Tail(out, 30))
	}
	limit := time.Since(start) * workbook.GremlinsTimeoutCoefficient
	for _, i := range todo {
		mu := &mutants[i]
		path := filepath.Join(tree.Root, tree.Package, mu.File)
		orig, err := os.ReadFile(path)
		if err != nil {
			return 0, err
		}
		mutated, err := workbook.ApplyMutation(orig, mu.Line, mu.Col, mu.Mutator)
		if err != nil {
			return 0, fmt.Errorf("%s: %v", mu.Key(), err)
		}
		if err := os.WriteFile(path, mutated, 0o644); err != nil {
			return 0, err
		}
		_, err = goTest(ctx, tree, limit)
		var ee *exec.ExitError
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			mu.Status = workbook.MutantTimedOut
			err = nil
		case err == nil:
			mu.Status = workbook.MutantLived
		case errors.As(err, &ee) && ee.ExitCode() == 1:
			mu.Status = workbook.MutantKilled
			err = nil
		case errors.As(err, &ee) && ee.ExitCode() == 2:
			mu.Status = workbook.MutantNotViable
			err = nil
		}
		if werr := os.WriteFile(path, orig, 0o644); werr != nil {
			return 0, werr
		}
		if err != nil {
			return 0, fmt.Errorf("%s: go test: %v", mu.Key(), err)
		}
	}
	return len(todo), nil
}

// goTest runs the lesson's package tests in tree as gremlins does (-failfast,
// no cache); a limit > 0 bounds the run and is reported as
// context.DeadlineExceeded.
func goTest(ctx context.Context, tree *workbook.MutationTree, limit time.Duration) (string, error) {
	args := []string{"test", "-count=1", "-failfast"}
	if limit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
		args = append(args, "-timeout", (limit + 2*time.Second).String())
	}
	args = append(args, "./"+tree.Package)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = tree.Root
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	if limit > 0 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return string(out), context.DeadlineExceeded
	}
	return string(out), err
}
