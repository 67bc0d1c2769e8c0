package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/workbook"
	"golang.org/x/term"
)

var resetCmd = command{
	name:    "reset",
	usage:   "kata reset NN [FILE] [-y] [-ref REF]",
	summary: "put back the original stub(s) of a lesson, even over your commits (yours are backed up)",
}

func init() {
	resetCmd.run = runReset
	register(resetCmd)
}

func runReset(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &resetCmd, kataCmd+" reset 01 checksum.go")
	yes := fs.Bool("y", false, "do not ask before overwriting")
	ref := fs.String("ref", os.Getenv("KATA_PRISTINE_REF"), "take the stubs from git `REF` (default: upstream/HEAD, origin/HEAD, then the commit that added the file)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError("%s", i18n.Tr("reset.usage"))
	}
	w, l, err := findLesson(e, fs.Arg(0))
	if err != nil {
		return err
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
	type change struct {
		file, from string
		src        []byte
	}
	var changes []change
	for _, f := range files {
		src, from, err := pristine(w, l, f, *ref)
		if err != nil {
			return err
		}
		cur, _ := os.ReadFile(filepath.Join(l.Dir, f))
		if bytes.Equal(cur, src) {
			fmt.Fprintln(e.stdout, i18n.Tr("reset.already", l.Name, f))
			continue
		}
		changes = append(changes, change{f, from, src})
	}
	if len(changes) == 0 {
		return nil
	}
	var names []string
	for _, c := range changes {
		names = append(names, "lessons/"+l.Name+"/"+c.file)
	}
	if !*yes {
		if !term.IsTerminal(int(os.Stdin.Fd())) {
			return fmt.Errorf("%s", i18n.Tr("reset.noterm", strings.Join(names, ", ")))
		}
		fmt.Fprint(e.stdout, i18n.Tr("reset.ask", strings.Join(names, ", "))+" ")
		answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "是" {
			fmt.Fprintln(e.stdout, i18n.Tr("reset.nothing"))
			return nil
		}
	}
	sd, err := stateDir()
	if err != nil {
		return err
	}
	backup := filepath.Join(sd, "backup", l.Name, time.Now().Format("20060102-150405"))
	for _, c := range changes {
		p := filepath.Join(l.Dir, c.file)
		if cur, err := os.ReadFile(p); err == nil {
			if err := os.MkdirAll(backup, 0o777); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(backup, c.file), cur, 0o666); err != nil {
				return fmt.Errorf("%s: %w", i18n.Tr("reset.backup.failed", p), err)
			}
		}
		if err := os.WriteFile(p, c.src, 0o666); err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, i18n.Tr("reset.done", l.Name, c.file, c.from))
	}
	fmt.Fprintln(e.stdout, i18n.Tr("reset.yours", backup))
	return nil
}

// pristine returns the original stub of a lesson file and where it came
// from. The workbook keeps no second copy of its stubs: git history is the
// copy. With ref, the file at that git ref; else the first of upstream/HEAD
// (a fork's "upstream" remote), origin/HEAD and the commit that first added
// the file, whose version still reads as a stub (has a "TODO(step N)"). A
// student who commits over a stub, or pushes to their own origin, still gets
// the original back; after the maintainers change a stub, pass -ref
// origin/main (or whichever ref has the new one).
func pristine(w *workbook.Workbook, l *workbook.Lesson, file, ref string) ([]byte, string, error) {
	path := "./lessons/" + l.Name + "/" + file
	if _, err := exec.LookPath("git"); err != nil {
		return nil, "", fmt.Errorf("%s", i18n.Tr("reset.nogit", path[2:]))
	}
	if ref != "" {
		src, err := gitShow(w.Root, ref, path)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", i18n.Tr("reset.ref.missing", ref, path[2:]), err)
		}
		return src, "git " + ref, nil
	}
	for _, r := range []string{"upstream/HEAD", "origin/HEAD"} {
		if src, err := gitShow(w.Root, r, path); err == nil && todoStepRE.Match(src) {
			return src, "git " + r, nil
		}
	}
	cmd := exec.Command("git", "log", "--diff-filter=A", "--format=%H", "--", path)
	cmd.Dir = w.Root
	out, err := cmd.Output()
	hashes := strings.Fields(string(out))
	if err != nil || len(hashes) == 0 {
		return nil, "", fmt.Errorf("%s", i18n.Tr("reset.nohistory", path[2:]))
	}
	first := hashes[len(hashes)-1]
	src, err := gitShow(w.Root, first, path)
	if err != nil {
		return nil, "", err
	}
	if !todoStepRE.Match(src) {
		return nil, "", fmt.Errorf("%s", i18n.Tr("reset.first.not.stub", path[2:], first[:min(12, len(first))]))
	}
	return src, i18n.Tr("reset.from.added", first[:12]), nil
}

func gitShow(dir, ref, path string) ([]byte, error) {
	cmd := exec.Command("git", "show", ref+":"+path)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return nil, fmt.Errorf("%s", strings.TrimSpace(string(ee.Stderr)))
		}
		return nil, err
	}
	return out, nil
}
