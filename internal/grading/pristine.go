// Package grading runs a workbook's official tests over untrusted
// submissions: a pristine, committed, solution-free copy of the workbook
// per submission, each lesson built and run in a sandbox, one process per
// README step, with results a submission cannot forge (see Seal), and a
// static review of the submitted source.
package grading

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// Base is the pristine grading copy every submission's copy starts from:
// the workbook at one commit, without solutions/ (and its mutants and
// variants), CI files or anything not committed.
type Base struct {
	Dir    string // its folder
	Commit string // the full commit hash
	Module string // the module path
}

// skipInCopy reports whether a committed path stays out of the grading copy.
func skipInCopy(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	switch first {
	case "solutions", ".github", ".ci", ".kata", ".git":
		return true
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "mutants" || seg == "variants" {
			return true
		}
	}
	return false
}

// official reports whether a path is part of what grading must take from
// the commit unchanged: internal/, the lessons' tests and testdata, the
// module files and vendor/.
func official(p string) bool {
	switch {
	case strings.HasPrefix(p, "internal/"), strings.HasPrefix(p, "vendor/"), p == "go.mod", p == "go.sum":
		return true
	case strings.HasPrefix(p, "lessons/"):
		return strings.HasSuffix(p, "_test.go") || strings.Contains(p, "/testdata/")
	case strings.HasPrefix(p, "testscripts/"):
		return true
	}
	return false
}

func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Differences lists the official files (tests, testdata, internal/, go.mod,
// vendor/, testscripts/) of the workbook at root that differ from commit,
// untracked ones included.
func Differences(ctx context.Context, root, commit string) ([]string, error) {
	var out []string
	diff, err := git(ctx, root, "diff", "--name-only", "--no-renames", commit, "--", ".")
	if err != nil {
		return nil, err
	}
	untracked, err := git(ctx, root, "ls-files", "--others", "--exclude-standard", "--", "internal", "lessons", "vendor", "testscripts", "go.mod", "go.sum")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(diff)+string(untracked), "\n") {
		if line = strings.TrimSpace(line); line != "" && official(line) {
			out = append(out, line)
		}
	}
	return out, nil
}

// Export writes the files of the workbook at root, at commit, into dir
// (which must not exist or be empty), without solutions/ (and so without
// mutants and variants), CI files or anything not committed: the student
// edition.
func Export(ctx context.Context, root, commit, dir string) (string, error) {
	b, err := export(ctx, root, commit, dir)
	if err != nil {
		return "", err
	}
	return b.Commit, nil
}

// NewBase writes the grading copy of the workbook at root, at commit
// (default HEAD), into dir. It refuses when the official files in root
// differ from the commit: grading would not use the tests the instructor
// sees.
func NewBase(ctx context.Context, root, commit, dir string) (*Base, error) {
	b, err := export(ctx, root, commit, dir)
	if err != nil {
		return nil, err
	}
	if err := writeSealPackage(dir); err != nil {
		return nil, err
	}
	return b, nil
}

func export(ctx context.Context, root, commit, dir string) (*Base, error) {
	if commit == "" {
		commit = "HEAD"
	}
	if _, err := git(ctx, root, "rev-parse", "--show-toplevel"); err != nil {
		return nil, fmt.Errorf("kata grade grades against a git commit of the workbook, and %s is not a git checkout (git init && git add -A && git commit): %w", root, err)
	}
	full, err := git(ctx, root, "rev-parse", "--verify", commit+"^{commit}")
	if err != nil {
		return nil, fmt.Errorf("no commit %q in the workbook: %w", commit, err)
	}
	b := &Base{Dir: dir, Commit: strings.TrimSpace(string(full))}
	diffs, err := Differences(ctx, root, b.Commit)
	if err != nil {
		return nil, err
	}
	if len(diffs) > 0 {
		more := ""
		if len(diffs) > 5 {
			more = fmt.Sprintf(" and %d more", len(diffs)-5)
			diffs = diffs[:5]
		}
		return nil, fmt.Errorf("the workbook's tests, testdata or internal/ differ from commit %.12s (%s%s): grading uses the commit, so commit them (or git stash) first, or pass -commit", b.Commit, strings.Join(diffs, ", "), more)
	}
	prefix, err := git(ctx, root, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, err
	}
	sub := strings.TrimSuffix(strings.TrimSpace(string(prefix)), "/")
	treeish := b.Commit
	if sub != "" {
		treeish += ":" + sub
	}
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", treeish)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	xerr := extractPristine(stdout, dir)
	io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git archive: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	if xerr != nil {
		return nil, xerr
	}
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("the commit has no go.mod: %w", err)
	}
	for _, line := range strings.Split(string(mod), "\n") {
		if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			b.Module = strings.Trim(strings.TrimSpace(m), `"`)
		}
	}
	return b, nil
}

func extractPristine(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := path.Clean(h.Name)
		if name == "." || skipInCopy(name) || strings.HasPrefix(name, "../") {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_EXCL, fs.FileMode(h.Mode)&0o755|0o444)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		}
	}
}

// Clone makes dst a copy of the base for one submission: hard links, so
// it is quick; Overlay replaces files by new ones, never writing through a
// link. The sandbox mounts it read-only.
func (b *Base) Clone(dst string) error {
	return filepath.WalkDir(b.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(b.Dir, p)
		t := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(t, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if err := os.Link(p, t); err != nil {
			return copyFile(p, t)
		}
		return nil
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ReplaceFile writes body to p as a new file (never through a hard link).
func ReplaceFile(p string, body []byte) error {
	os.Remove(p)
	return os.WriteFile(p, body, 0o644)
}
