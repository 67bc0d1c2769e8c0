package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/netkata/netkata/internal/scaffold"
	"github.com/netkata/netkata/internal/workbook"
)

var newStepCmd = command{
	name:    "new-step",
	usage:   "kata new-step NN \"Title\" [-concept NAME]",
	summary: "add step N to lesson NN: README heading, hints section, test file, stub and solution placeholders",
}

var newLessonCmd = command{
	name:    "new-lesson",
	usage:   "kata new-lesson NN-name \"Title\" [-step T]",
	summary: "start lesson NN-name: README, hints, lesson.go, main_test.go and its step 1",
}

func init() {
	newStepCmd.run = runNewStep
	newLessonCmd.run = runNewLesson
	register(newStepCmd)
	register(newLessonCmd)
}

func runNewStep(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &newStepCmd, kataCmd+` new-step 02 "Keep-alive" -concept keepalive`)
	concept := fs.String("concept", "", "the step's file names, `name`.go and N_name_test.go (default: the title's words, lower case, joined)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError("want a lesson and a step title, got %d arguments", fs.NArg())
	}
	w, l, err := findLesson(e, fs.Arg(0))
	if err != nil {
		return err
	}
	p, err := scaffold.NewStep(w, l, fs.Arg(1), *concept)
	return writePlan(e, w, p, err)
}

func runNewLesson(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &newLessonCmd, kataCmd+` new-lesson 11-dns "Names and the DNS (域名系统)" -step "A query" -concept query`)
	stepTitle := fs.String("step", "", "the title of step 1 (default: the lesson's title)")
	concept := fs.String("concept", "", "step 1's file names, `name`.go and 1_name_test.go (default: the step title's words, lower case, joined)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError("want a lesson folder name and a title, got %d arguments", fs.NArg())
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	p, err := scaffold.NewLesson(w, fs.Arg(0), fs.Arg(1), *stepTitle, *concept)
	return writePlan(e, w, p, err)
}

// writePlan writes a planned step (unless planning failed) and reports it.
func writePlan(e *env, w *workbook.Workbook, p *scaffold.Plan, err error) error {
	if errors.Is(err, scaffold.ErrUsage) {
		return usageError("%s", strings.TrimPrefix(err.Error(), scaffold.ErrUsage.Error()+": "))
	}
	if err != nil {
		return err
	}
	if err := p.Write(); err != nil {
		return err
	}
	// The new stub fails the new test, so the lesson's files as they are
	// now are a state verify accepts: their sum goes in lessons/stubs.sum.
	if err := writeStubSum(w.Root, p.Lesson.Name); err != nil {
		return err
	}
	reportPlan(e.stdout, w, p)
	return nil
}

// writeStubSum rewrites the named lesson's line in workbook.StubSumsFile.
func writeStubSum(root, name string) error {
	w, err := workbook.Open(root) // a new lesson is not in the workbook opened before it
	if err != nil {
		return err
	}
	l, err := w.Lesson(name)
	if err != nil {
		return err
	}
	return w.WriteStubSums([]*workbook.Lesson{l})
}

// reportPlan prints what was written, the command that runs the new test
// against the solution, and what a person must still write.
func reportPlan(out io.Writer, w *workbook.Workbook, p *scaffold.Plan) {
	l := p.Lesson
	fmt.Fprintf(out, "lessons/%s, step %d: %s\n", l.Name, p.Step, p.Title)
	for _, f := range p.Create {
		fmt.Fprintf(out, "  created  %s\n", rel(w, f.Path))
	}
	for _, f := range p.Update {
		fmt.Fprintf(out, "  added to %s\n", rel(w, f.Path))
	}
	fmt.Fprintf(out, "  updated  %s (the lesson's sum)\n", workbook.StubSumsFile)
	fmt.Fprintf(out, "\nRun %s against the reference solution while you write it:\n", p.Test)
	fmt.Fprintf(out, "  go test -overlay \"$(%s overlay %s)\" -run '^TestStep%d_' ./lessons/%s/...\n", kataCmd, l.ID, p.Step, l.Name)
	fmt.Fprintf(out, "and against the stub: go test -run '^TestStep%d_' ./lessons/%s/\n", p.Step, l.Name)
	fmt.Fprintf(out, "\nStill to write (verify fails until the test, the solution and the hints are done):\n")
	for _, t := range p.Todo {
		fmt.Fprintf(out, "  [ ] %s\n", t)
	}
	fmt.Fprintf(out, "\nThen: %s verify -lesson %s -write (it rewrites the lesson's sum in %s)\n", kataCmd, l.ID, workbook.StubSumsFile)
}
