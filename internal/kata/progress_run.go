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
// is doing while the lessons run.
//
// A lesson whose files are as shipped does not run (every step of it
// fails: see workbook.StubSumsFile), and one whose files did not change
// since a stored run comes from kata's result cache; but the lesson the
// student is on (the first not done) always runs for real, so what the
// progress view says about it is never stale.
func checkPlanned(ctx context.Context, e *env, w *workbook.Workbook, p progressPlan, jobs int, busy string) []*workbook.LessonResult {
	opt := p.opt
	opt.SkipShipped = true
	asShipped := workbook.ShippedLessons(w.Root, w.Lessons)
	cold := p.first != nil
	first := p.first
	if asShipped[first] {
		first = nil // known without a run; the last part runs it if the student is on it
	}
	results := make([]*workbook.LessonResult, len(w.Lessons))
	var rest []*workbook.Lesson
	toRun := 0 // of rest
	for _, l := range w.Lessons {
		if l != first {
			rest = append(rest, l)
			if !asShipped[l] {
				toRun++
			}
		}
	}
	var firstResult *workbook.LessonResult
	if first != nil {
		// A cold machine: the lesson the student is on first, alone.
		stop := working(e, i18n.Tr("progress.cold.first", first.Name))
		firstResult = checkAll(ctx, w, []*workbook.Lesson{first}, jobs, opt)[0]
		stop()
	}
	stop := func() {}
	if toRun > 0 {
		msg := busy
		if first != nil {
			fmt.Fprintln(e.stderr, i18n.Tr("progress.cold.standing", first.Name, standing(firstResult), toRun))
			msg = i18n.Tr("progress.cold.rest")
		}
		stop = working(e, msg)
	}
	others := checkAll(ctx, w, rest, jobs, opt)
	stop()
	for i, l := range w.Lessons {
		if l == first {
			results[i] = firstResult
		} else {
			results[i], others = others[0], others[1:]
		}
	}
	// A real run may find the lesson done after all (a stored failure
	// that was a fluke): then the student is on the next one.
	for i, r := range results {
		if r.Done() {
			continue
		}
		if r.Cached || r.Shipped {
			fresh := p.opt
			fresh.Cache = nil
			msg := busy
			if cold {
				msg = i18n.Tr("progress.cold.first", r.Lesson.Name)
			}
			stop := working(e, msg)
			results[i] = r.Lesson.Check(ctx, w.Root, fresh)
			stop()
			if results[i].Done() && ctx.Err() == nil {
				continue
			}
		}
		break
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
