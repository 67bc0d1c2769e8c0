package main

// How the progress view runs the lessons' tests on a machine that has not
// built them yet; what it prints is in progress.go.
//
// A fresh machine has an empty go build cache: go test compiles the
// standard library and every package the tests import before any test
// runs, and -race compiles all of it a second time. On 2 cores that was a
// minute or two of silence before the first table. So, until the builds
// are cached, the progress view
//   - runs without -race (it needs pass and fail; kata test, which the
//     student runs next, keeps -race and reports races), and with
//     -vet=off (go test and kata test still vet);
//   - runs the lesson the student is on first, says how it stands, and
//     only then builds the other lessons.

import (
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/workbook"
)

// stdBuilt reports whether the standard packages the tests of pkgs import
// are in go's build cache, compiled with -race if race: whether go test
// has built them on this machine before. go list answers in a fraction of
// a second. A variable, so tests can stand in for it.
var stdBuilt = func(ctx context.Context, root string, race bool, pkgs []string) bool {
	args := []string{"list", "-deps", "-test", "-f", "{{if and .Standard .Stale}}{{.ImportPath}}{{end}}"}
	if race {
		args = append(args, "-race")
	}
	cmd := exec.CommandContext(ctx, "go", append(args, pkgs...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	return err == nil && strings.TrimSpace(string(out)) == ""
}

// progressPlan is how the progress view runs the lessons' tests.
type progressPlan struct {
	opt workbook.CheckOptions
	// first is the lesson to build and run alone before the others, on a
	// machine where the lessons' tests were never built (nil: all at once).
	first *workbook.Lesson
}

// planProgress adapts opt to what go's build cache holds (see the top of
// this file).
func planProgress(ctx context.Context, w *workbook.Workbook, opt workbook.CheckOptions) progressPlan {
	p := progressPlan{opt: opt}
	var pkgs []string
	for _, l := range w.Lessons {
		pkgs = append(pkgs, l.Package())
	}
	if stdBuilt(ctx, w.Root, opt.Race, pkgs) {
		return p
	}
	p.opt.Race = false
	p.opt.NoVet = true
	if opt.Race && stdBuilt(ctx, w.Root, false, pkgs) {
		return p // built before, without -race
	}
	if len(w.Lessons) > 1 {
		// No results to tell the lessons done: the last edited one, or
		// else the first (see currentLesson).
		guess := make([]*workbook.LessonResult, len(w.Lessons))
		for i, l := range w.Lessons {
			guess[i] = &workbook.LessonResult{Lesson: l}
		}
		p.first = currentLesson(guess)
	}
	return p
}

// checkPlanned runs every lesson's tests as p says, up to jobs lessons at
// once, and returns the results in lesson order. busy is what kata says it
// is doing while all lessons run at once.
func checkPlanned(ctx context.Context, e *env, w *workbook.Workbook, p progressPlan, jobs int, busy string) []*workbook.LessonResult {
	if p.first == nil {
		stop := working(e, busy)
		defer stop()
		return checkAll(ctx, w, w.Lessons, jobs, p.opt)
	}
	stop := working(e, i18n.Tr("progress.cold.first", p.first.Name))
	r := checkAll(ctx, w, []*workbook.Lesson{p.first}, jobs, p.opt)[0]
	stop()
	var rest []*workbook.Lesson
	for _, l := range w.Lessons {
		if l != p.first {
			rest = append(rest, l)
		}
	}
	fmt.Fprintln(e.stderr, i18n.Tr("progress.cold.standing", p.first.Name, standing(r), len(rest)))
	stop = working(e, i18n.Tr("progress.cold.rest"))
	others := checkAll(ctx, w, rest, jobs, p.opt)
	stop()
	results := make([]*workbook.LessonResult, 0, len(w.Lessons))
	for _, l := range w.Lessons {
		if l == p.first {
			results = append(results, r)
			continue
		}
		results = append(results, others[0])
		others = others[1:]
	}
	return results
}

// standing says in a few words how a lesson's run went.
func standing(r *workbook.LessonResult) string {
	switch {
	case r.Err != nil:
		return i18n.Tr("progress.cold.error")
	case r.Done():
		return i18n.Tr("progress.done")
	}
	s := i18n.Tr("progress.cold.steps", r.Passed(), len(r.Steps))
	if _, test := r.FirstFailure(); test != "" {
		s += i18n.Tr("progress.cold.next", test)
	}
	return s
}
