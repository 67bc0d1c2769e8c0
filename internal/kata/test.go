package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/textwidth"
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
		return usageError("%s", i18n.Tr("test.step.from1", *step))
	}
	if fs.NArg() != 1 {
		return usageError("%s", i18n.Tr("test.name.one"))
	}
	w, l, err := findLesson(e, fs.Arg(0))
	if err != nil {
		return err
	}
	stop := working(e, i18n.Tr("test.working", l.Name))
	r := l.Check(ctx, w.Root, workbook.CheckOptions{Step: *step, Count1: *fresh, Timeout: *timeout, Race: raceOK()})
	stop()
	if r.Err != nil {
		return r.Err
	}
	st := newStyle(e.stdout)
	out := e.stdout
	what := "lessons/" + l.Name
	if *step != 0 {
		what += i18n.Tr("test.what.step", *step)
	}
	fmt.Fprintln(out, i18n.Tr("test.summary", what, r.Passed(), len(r.Steps)))
	var failing []string
	titleW := 0
	titles := make([]string, len(r.Steps))
	for i := range r.Steps {
		titles[i] = stepTitle(l, &r.Steps[i])
		titleW = max(titleW, textwidth.Of(titles[i]))
	}
	for i := range r.Steps {
		s := &r.Steps[i]
		status := st.green(i18n.Tr("test.pass"))
		if !s.Passed() {
			status = st.red(i18n.Tr("test.fail", len(s.Failing), len(s.Tests)))
		}
		fmt.Fprintf(out, "  %s  %s\n", joinLabel(i18n.Tr("test.step", s.N), textwidth.Pad(titles[i], titleW)), status)
		failing = append(failing, s.Failing...)
	}
	if r.Trouble != "" && (r.Run == nil || r.Run.BuildFailed || len(failing) == 0) {
		fmt.Fprintf(out, "\n%s %s\n", st.red(i18n.Tr("ui.problem")), r.Trouble)
		return errSilent
	}
	if len(failing) == 0 {
		fmt.Fprintln(out, st.green("\n"+i18n.Tr("test.allpass")))
		if *step == 0 {
			fmt.Fprintln(out, i18n.Tr("test.next", kataCmd))
		}
		return nil
	}
	lb := labels(2, "ui.read", "ui.run", "ui.stuck")
	read, run, stuck := lb[0], lb[1], lb[2]
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
				text += "\n" + i18n.Tr("test.more.subtests", more)
			}
		}
		fmt.Fprint(out, indent(text, "    "))
		if s != nil {
			fmt.Fprintf(out, "%s%s\n", read, stepRef(w, l, s))
			fmt.Fprintf(out, "%s%s\n", run, goTestCmd(l, t))
			fmt.Fprintf(out, "%s%s hint %s %d\n", stuck, kataCmd, l.ID, s.N)
		}
	}
	if rest := failing[len(shown):]; len(rest) > 0 {
		fmt.Fprintf(out, "\n%s\n", i18n.Tr("test.rest", len(rest), strings.Join(rest, ", ")))
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
