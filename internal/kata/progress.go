package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/i18n"
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
		return fmt.Errorf("%s", i18n.Tr("progress.nolessons", rel(w, w.Root+"/lessons")))
	}
	plan := planProgress(ctx, w, workbook.CheckOptions{Timeout: *timeout, Cache: workbook.DefaultResultCache(), Race: raceOK()})
	results := checkPlanned(ctx, e, w, plan, *jobs, i18n.Tr("progress.working"))
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
	lang := i18n.Current()
	hLesson, hTitle, hSteps := i18n.T(lang, "progress.col.lesson"), i18n.T(lang, "progress.col.title"), i18n.T(lang, "progress.col.steps")
	nameW, titleW := textwidth.Of(hLesson), textwidth.Of(hTitle)
	titles := make([]string, len(results))
	for i, r := range results {
		titles[i] = r.Lesson.TitleIn(lang)
		nameW = max(nameW, len(r.Lesson.Name))
		titleW = min(max(titleW, textwidth.Of(titles[i])), 40) // TestLessonTitles keeps titles within 40
	}
	passed, total := 0, 0
	// The steps column is "%2d/%-2d", 5 wide: its heading ends where the
	// count does.
	fmt.Fprintf(out, "%s  %s  %s\n", textwidth.Pad(hLesson, nameW), textwidth.Pad(hTitle, titleW), strings.Repeat(" ", max(0, 5-textwidth.Of(hSteps)))+hSteps)
	for i, r := range results {
		p, n := r.Passed(), len(r.Steps)
		passed += p
		total += n
		line := fmt.Sprintf("%-*s  %s  %2d/%-2d  %s %3d%%", nameW, r.Lesson.Name, textwidth.Pad(textwidth.CutWords(titles[i], titleW), titleW), p, n, bar(p, n, 20), percent(p, n))
		switch {
		case r.Err != nil:
			line += "  " + st.red(i18n.T(lang, "progress.error", firstLine(r.Err.Error())))
			line = st.red(line)
		case r.Done():
			line = st.green(line + "  " + i18n.T(lang, "progress.done"))
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
		fmt.Fprintf(out, "\n%s\n", i18n.T(lang, "progress.overall.broken", broken, passed))
	} else {
		fmt.Fprintf(out, "\n%s\n", i18n.T(lang, "progress.overall", passed, total, percent(passed, total)))
	}

	for _, r := range results {
		if r.Done() {
			continue
		}
		printNext(out, st, w, r, 15)
		return
	}
	fmt.Fprintln(out, st.green("\n"+i18n.T(lang, "progress.alldone", total)))
}

// printNext says what to do next in a lesson that is not done, with the
// first failure cut to lines lines (0: whole).
func printNext(out io.Writer, st style, w *workbook.Workbook, r *workbook.LessonResult, lines int) {
	l := r.Lesson
	fmt.Fprintln(out)
	problem := st.red(i18n.Tr("ui.problem"))
	lb := labels(1, "ui.next", "ui.read", "ui.run", "ui.stuck")
	next, read, run, stuck := lb[0], lb[1], lb[2], lb[3]
	if r.Err != nil {
		fmt.Fprintf(out, "%s lessons/%s: %v\n", problem, l.Name, r.Err)
		return
	}
	step, test := r.FirstFailure()
	switch {
	case step == nil || (r.Trouble != "" && (test == "" || r.Run == nil || r.Run.BuildFailed)):
		fmt.Fprintf(out, "%s lessons/%s: %s\n", problem, l.Name, workbook.Trim(r.Trouble, 20))
		fmt.Fprintf(out, "%s%s\n", run, goTestCmd(l, ""))
		return
	case test == "":
		fmt.Fprintf(out, "%s %s\n", problem, i18n.Tr("progress.notests", l.Name, step.N))
		return
	}
	fmt.Fprintf(out, "%s%s\n", next, i18n.Tr("progress.next", st.bold(test), l.Name))
	fmt.Fprint(out, indent(shortFailure(r, test, lines), "    "))
	fmt.Fprintf(out, "%s%s\n", read, stepRef(w, l, step))
	fmt.Fprintf(out, "%s%s\n", run, goTestCmd(l, test))
	fmt.Fprintf(out, "%s%s test %s   %s\n", strings.Repeat(" ", textwidth.Of(run)), kataCmd, l.ID, i18n.Tr("progress.one.at.a.time"))
	fmt.Fprintf(out, "%s%s hint %s %d\n", stuck, kataCmd, l.ID, step.N)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}
