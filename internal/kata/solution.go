package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/textwidth"
	"github.com/netkata/netkata/internal/workbook"
)

var solutionCmd = command{
	name:    "solution",
	usage:   "kata solution NN [FILE] [-force] [-run]",
	summary: "diff your file(s) against the reference, for the steps you passed; -run tests the reference",
}

func init() {
	solutionCmd.run = runSolution
	register(solutionCmd)
}

func runSolution(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &solutionCmd, kataCmd+" solution 01 checksum.go")
	force := fs.Bool("force", false, "show the reference even for steps you have not passed")
	runRef := fs.Bool("run", false, "run the lesson's tests against the reference instead of showing it")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError("%s", i18n.Tr("solution.usage"))
	}
	w, l, err := findLesson(e, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := needSolutions(w, i18n.Tr("solution.needs.solutions")); err != nil {
		return err
	}
	if *runRef {
		return runReference(ctx, e, w, l)
	}
	files, err := l.StubFiles()
	if err != nil {
		return err
	}
	if fs.NArg() == 2 {
		f := filepath.Base(fs.Arg(1))
		if !contains(files, f) {
			return fmt.Errorf("%s", i18n.Tr("ui.not.stub", l.Name, f, strings.Join(files, ", ")))
		}
		files = []string{f}
	}
	r := l.Check(ctx, w.Root, workbook.CheckOptions{Race: raceOK()})
	if r.Err != nil {
		return r.Err
	}
	st := newStyle(e.stdout)
	if *force {
		fmt.Fprintln(e.stdout, st.yellow(i18n.Tr("solution.force")))
	}
	shown := 0
	for _, f := range files {
		steps := fileSteps(w, l, f)
		var open []string
		for _, n := range steps {
			if s := r.Step(n); s == nil || !s.Passed() {
				open = append(open, strconv.Itoa(n))
			}
		}
		if len(open) > 0 && !*force {
			fmt.Fprintln(e.stdout, i18n.Tr("solution.locked", l.Name, f, strings.Join(open, ", ")))
			continue
		}
		shown++
		d, err := diffFiles(w, filepath.Join(l.Dir, f), filepath.Join(l.SolutionDir, f))
		if err != nil {
			return err
		}
		if d == "" {
			fmt.Fprintln(e.stdout, i18n.Tr("solution.same", l.Name, f))
			continue
		}
		fmt.Fprint(e.stdout, d)
	}
	if shown == 0 {
		return errSilent
	}
	return nil
}

// runReference runs the lesson's tests with the reference solution in
// place of the student's files.
func runReference(ctx context.Context, e *env, w *workbook.Workbook, l *workbook.Lesson) error {
	m, err := l.Overlay(nil)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "kata-solution-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ov, err := workbook.WriteOverlay(filepath.Join(tmp, "overlay.json"), m)
	if err != nil {
		return err
	}
	r := l.Check(ctx, w.Root, workbook.CheckOptions{Overlay: ov})
	if r.Err != nil {
		return r.Err
	}
	st := newStyle(e.stdout)
	fmt.Fprintln(e.stdout, i18n.Tr("solution.run.summary", l.Name, r.Passed(), len(r.Steps)))
	for i := range r.Steps {
		s := &r.Steps[i]
		status := st.green(i18n.Tr("test.pass"))
		if !s.Passed() {
			status = st.red("FAIL: " + strings.Join(s.Failing, ", "))
		}
		fmt.Fprintf(e.stdout, "  %s %s\n", joinLabel(i18n.Tr("test.step", s.N), textwidth.Pad(stepTitle(l, s), 32)), status)
	}
	if !r.Done() {
		if r.Trouble != "" {
			fmt.Fprintln(e.stdout, r.Trouble)
		}
		return errSilent
	}
	return nil
}

var todoStepRE = regexp.MustCompile(`TODO\(step (\d+)\)`)

// fileSteps returns the steps a stub file belongs to: the N of each
// "TODO(step N)" in the pristine stub; without one, the steps whose tests
// use what the file declares; failing that, every step.
func fileSteps(w *workbook.Workbook, l *workbook.Lesson, file string) []int {
	var steps []int
	if src, _, err := pristine(w, l, file, ""); err == nil {
		seen := map[int]bool{}
		for _, m := range todoStepRE.FindAllSubmatch(src, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			if !seen[n] {
				seen[n] = true
				steps = append(steps, n)
			}
		}
	}
	if len(steps) == 0 {
		steps, _ = l.UsedBySteps(file)
	}
	if len(steps) == 0 {
		all, _ := l.Steps()
		for _, s := range all {
			steps = append(steps, s.N)
		}
	}
	sort.Ints(steps)
	return steps
}

// diffFiles returns a unified diff from a to b, labelled with their paths
// in the workbook, or "" when they are the same. It uses diff -u, else git
// diff --no-index, else shows b whole.
func diffFiles(w *workbook.Workbook, a, b string) (string, error) {
	la, lb := rel(w, a)+" "+i18n.Tr("solution.yours"), rel(w, b)+" "+i18n.Tr("solution.reference")
	ab, err := os.ReadFile(a)
	if err != nil {
		return "", err
	}
	bb, err := os.ReadFile(b)
	if err != nil {
		return "", err
	}
	if bytes.Equal(ab, bb) {
		return "", nil
	}
	var cmd *exec.Cmd
	if p, err := exec.LookPath("diff"); err == nil {
		cmd = exec.Command(p, "-u", "--label", la, "--label", lb, a, b)
	} else if p, err := exec.LookPath("git"); err == nil {
		cmd = exec.Command(p, "diff", "--no-index", "--no-color", "--src-prefix=yours/", "--dst-prefix=reference/", a, b)
	}
	if cmd != nil {
		out, err := cmd.Output()
		var ee *exec.ExitError
		if err == nil || (errors.As(err, &ee) && ee.ExitCode() == 1) {
			return string(out), nil
		}
	}
	return i18n.Tr("solution.nodiff", lb) + "\n" + string(bb), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
