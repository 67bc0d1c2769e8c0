package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/workbook"
)

var testCmd = command{
	name:    "test",
	usage:   "kata test NN [-step S] [-all]",
	summary: "run a lesson's (or one step's) tests and show the first failure in full",
}

func init() {
	testCmd.run = runTest
	register(testCmd)
}

func runTest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &testCmd, kataCmd+" test 01 -step 2")
	step := fs.Int("step", 0, "run only step `S`'s tests")
	all := fs.Bool("all", false, "show every failure in full, not only the first")
	fresh := fs.Bool("count1", false, "run the tests again even if go has their result cached")
	timeout := fs.Duration("timeout", 2*time.Minute, "limit for go test")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	stepSet := false
	fs.Visit(func(f *flag.Flag) { stepSet = stepSet || f.Name == "step" })
	if stepSet && *step < 1 {
		return usageError("-step %d: steps are numbered from 1", *step)
	}
	if fs.NArg() != 1 {
		return usageError("name one lesson: kata test 01")
	}
	w, l, err := findLesson(e, fs.Arg(0))
	if err != nil {
		return err
	}
	stop := working(e, "building and running the tests of lessons/"+l.Name)
	r := l.Check(ctx, w.Root, workbook.CheckOptions{Step: *step, Count1: *fresh, Timeout: *timeout, Race: raceOK()})
	stop()
	if r.Err != nil {
		return r.Err
	}
	st := newStyle(e.stdout)
	out := e.stdout
	what := "lessons/" + l.Name
	if *step != 0 {
		what += fmt.Sprintf(", step %d", *step)
	}
	fmt.Fprintf(out, "%s: %d of %d steps pass\n", what, r.Passed(), len(r.Steps))
	var failing []string
	titleW := 0
	for _, s := range r.Steps {
		titleW = max(titleW, len(s.Title))
	}
	for i := range r.Steps {
		s := &r.Steps[i]
		status := st.green("pass")
		if !s.Passed() {
			status = st.red(fmt.Sprintf("FAIL (%d of %d tests)", len(s.Failing), len(s.Tests)))
		}
		fmt.Fprintf(out, "  step %d: %-*s  %s\n", s.N, titleW, s.Title, status)
		failing = append(failing, s.Failing...)
	}
	if r.Trouble != "" && (r.Run == nil || r.Run.BuildFailed || len(failing) == 0) {
		fmt.Fprintf(out, "\n%s %s\n", st.red("problem:"), r.Trouble)
		return errSilent
	}
	if len(failing) == 0 {
		fmt.Fprintln(out, st.green("\nEvery test passes."))
		if *step == 0 {
			fmt.Fprintf(out, "next: %s   (your progress and the next lesson)\n", kataCmd)
		}
		return nil
	}
	shown := failing[:1]
	if *all {
		shown = failing
	}
	for _, t := range shown {
		n, _ := stepNumber(r, t)
		s := r.Step(n)
		fmt.Fprintf(out, "\n%s %s\n", st.red("---"), st.bold(t))
		text := failureText(r, t)
		if tr := r.Run.Tests[t]; !*all && tr != nil && tr.Action == "fail" {
			msg, more := failureOf(t, tr.Output, false)
			text = msg
			if more > 0 {
				text += fmt.Sprintf("\n(and %d more failing subtests: -all shows them)", more)
			}
		}
		fmt.Fprint(out, indent(text, "    "))
		if s != nil {
			fmt.Fprintf(out, "read:   %s\n", stepRef(w, l, s))
			fmt.Fprintf(out, "run:    %s\n", goTestCmd(l, t))
			fmt.Fprintf(out, "stuck?  %s hint %s %d\n", kataCmd, l.ID, s.N)
		}
	}
	if rest := failing[len(shown):]; len(rest) > 0 {
		fmt.Fprintf(out, "\n%d more failing: %s\n(fix the one above first and run again; -all shows every failure)\n", len(rest), strings.Join(rest, ", "))
	}
	return errSilent
}

// stepNumber finds the step a test of r belongs to.
func stepNumber(r *workbook.LessonResult, test string) (int, bool) {
	for _, s := range r.Steps {
		for _, t := range s.Tests {
			if t == test {
				return s.N, true
			}
		}
	}
	return 0, false
}

// reorder moves the flags of fs that follow positional arguments to the
// front, so that "kata test 01 -step 2" parses like "kata test -step 2 01".
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			pos = append(pos, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return append(flags, pos...)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
