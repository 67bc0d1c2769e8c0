package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/netkata/netkata/internal/textwidth"
	"github.com/netkata/netkata/internal/workbook"
)

var progressCmd = command{
	name:    "progress",
	usage:   "kata [progress] [-j N]",
	summary: "show your progress over every lesson and the next failing test (the default command)",
}

func init() {
	progressCmd.run = runProgress
	register(progressCmd)
}

func runProgress(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &progressCmd, kataCmd)
	jobs := fs.Int("j", 2*runtime.NumCPU(), "build and run up to `N` lessons at once (go test -p)")
	timeout := fs.Duration("timeout", 2*time.Minute, "limit for each lesson's go test")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	if len(w.Lessons) == 0 {
		return fmt.Errorf("no lessons under %s", rel(w, w.Root+"/lessons"))
	}
	plan := planProgress(ctx, w, workbook.CheckOptions{Timeout: *timeout, Cache: workbook.DefaultResultCache(), Race: raceOK()})
	opt := plan.opt
	results := checkPlanned(ctx, e, w, plan, *jobs, "building and running every lesson's tests (the first run on a machine takes a minute or two)")
	// Lessons whose files did not change come from the cache; the one you
	// are on always runs for real, so what it says is never stale.
	for i, r := range results {
		if !r.Done() {
			if r.Cached {
				fresh := opt
				fresh.Cache = nil
				results[i] = r.Lesson.Check(ctx, w.Root, fresh)
			}
			break
		}
	}
	printProgress(e.stdout, newStyle(e.stdout), w, results)
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, r := range results {
		if r.Err != nil {
			return errSilent // shown in the table and under "problem:"
		}
	}
	return nil
}

// printProgress writes the table of lessons, the overall score and the
// next thing to do.
func printProgress(out io.Writer, st style, w *workbook.Workbook, results []*workbook.LessonResult) {
	nameW, titleW := 6, 5
	for _, r := range results {
		nameW = max(nameW, len(r.Lesson.Name))
		titleW = min(max(titleW, textwidth.Of(r.Lesson.Title())), 40) // TestLessonTitles keeps titles within 40
	}
	passed, total := 0, 0
	fmt.Fprintf(out, "%-*s  %s  %5s\n", nameW, "lesson", textwidth.Pad("title", titleW), "steps")
	for _, r := range results {
		p, n := r.Passed(), len(r.Steps)
		passed += p
		total += n
		line := fmt.Sprintf("%-*s  %s  %2d/%-2d  %s %3d%%", nameW, r.Lesson.Name, textwidth.Pad(textwidth.CutWords(r.Lesson.Title(), titleW), titleW), p, n, bar(p, n, 20), percent(p, n))
		switch {
		case r.Err != nil:
			line += "  " + st.red("error: "+firstLine(r.Err.Error()))
			line = st.red(line)
		case r.Done():
			line = st.green(line + "  done")
		case r.Trouble != "" && p == n:
			line += "  " + st.red(firstLine(r.Trouble))
		case p > 0:
			line = st.yellow(line)
		}
		fmt.Fprintln(out, line)
	}
	broken := 0
	for _, r := range results {
		if r.Err != nil {
			broken++
		}
	}
	if broken > 0 {
		// A count of steps passed would be a guess: say what is known.
		fmt.Fprintf(out, "\noverall: %d lessons could not be tested (the error is above); %d steps passed in the others\n", broken, passed)
	} else {
		fmt.Fprintf(out, "\noverall: %d of %d steps passed (%d%%)\n", passed, total, percent(passed, total))
	}

	for _, r := range results {
		if r.Done() {
			continue
		}
		printNext(out, st, w, r, 15)
		return
	}
	fmt.Fprintln(out, st.green(fmt.Sprintf("\nEvery lesson is done: all %d steps pass. Well done!", total)))
}

// printNext says what to do next in a lesson that is not done, with the
// first failure cut to lines lines (0: whole).
func printNext(out io.Writer, st style, w *workbook.Workbook, r *workbook.LessonResult, lines int) {
	l := r.Lesson
	fmt.Fprintln(out)
	if r.Err != nil {
		fmt.Fprintf(out, "%s lessons/%s: %v\n", st.red("problem:"), l.Name, r.Err)
		return
	}
	step, test := r.FirstFailure()
	switch {
	case step == nil || (r.Trouble != "" && (test == "" || r.Run == nil || r.Run.BuildFailed)):
		fmt.Fprintf(out, "%s lessons/%s: %s\n", st.red("problem:"), l.Name, workbook.Trim(r.Trouble, 20))
		fmt.Fprintf(out, "run:   %s\n", goTestCmd(l, ""))
		return
	case test == "":
		fmt.Fprintf(out, "%s lessons/%s step %d has no tests\n", st.red("problem:"), l.Name, step.N)
		return
	}
	fmt.Fprintf(out, "next:  %s in lessons/%s\n", st.bold(test), l.Name)
	fmt.Fprint(out, indent(shortFailure(r, test, lines), "    "))
	fmt.Fprintf(out, "read:  %s\n", stepRef(w, l, step))
	fmt.Fprintf(out, "run:   %s\n", goTestCmd(l, test))
	fmt.Fprintf(out, "       %s test %s   (the lesson's failures, one at a time)\n", kataCmd, l.ID)
	fmt.Fprintf(out, "stuck? %s hint %s %d\n", kataCmd, l.ID, step.N)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
