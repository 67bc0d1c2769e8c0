package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/netkata/netkata/internal/grading"
	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/workbook"
)

var releaseCmd = command{
	name:    "release",
	usage:   "kata release [-commit C] DIR",
	summary: "write the student edition into DIR: stubs, tests, hints, READMEs and tools, no solutions (a Classroom template)",
}

func init() {
	releaseCmd.run = runRelease
	register(releaseCmd)
}

// StudentEdition is the file at the root of a student edition: kata
// commands that need the reference solutions look for it to say why they
// cannot run.
const StudentEdition = ".kata-student-edition"

func runRelease(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &releaseCmd, kataCmd+" release ../netkata-student && cd ../netkata-student && git init && git add -A && git commit -m 'netkata for students'")
	commit := fs.String("commit", "HEAD", "release the workbook at this git `COMMIT`")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("name the folder to write the student edition into")
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(fs.Arg(0))
	if err != nil {
		return err
	}
	if entries, err := os.ReadDir(dst); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty: the student edition goes into a new folder", fs.Arg(0))
	}
	full, err := grading.Export(ctx, w.Root, *commit, dst)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("This is the student edition of netkata, made by kata release from commit %s.\nIt has no reference solutions: your instructor grades your lessons against them.\n", full)
	if err := os.WriteFile(filepath.Join(dst, StudentEdition), []byte(note), 0o644); err != nil {
		return err
	}
	sw, err := workbook.Open(dst)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote the student edition of commit %.12s to %s: %d lessons, no solutions\n", full, fs.Arg(0), len(sw.Lessons))
	fmt.Fprintf(e.stdout, "next: cd %s && git init && git add -A && git commit -m 'netkata' and push it as your Classroom template\n", fs.Arg(0))
	return nil
}

// needSolutions says plainly why a command cannot run in a workbook
// without the reference solutions (the student edition).
func needSolutions(w *workbook.Workbook, what string) error {
	if isDir(filepath.Join(w.Root, "solutions")) {
		return nil
	}
	if _, err := os.Stat(filepath.Join(w.Root, StudentEdition)); err == nil {
		return fmt.Errorf("%s", i18n.Tr("release.student.edition", what))
	}
	return fmt.Errorf("%s", i18n.Tr("release.no.solutions", what))
}
