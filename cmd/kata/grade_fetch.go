package main

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// fetchSubmission makes a submission readable as a folder and returns the
// folder holding its lessons/: a folder is used in place; a .zip or
// .tar.gz is unpacked into dst; a git URL or repository is cloned into dst.
func fetchSubmission(ctx context.Context, src, dst string) (string, error) {
	lower := strings.ToLower(src)
	switch {
	case strings.HasSuffix(lower, ".zip"):
		if err := unzip(src, dst); err != nil {
			return "", fmt.Errorf("unpack %s: %w", src, err)
		}
		return findLessonsRoot(dst, src)
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"):
		if err := untgz(src, dst); err != nil {
			return "", fmt.Errorf("unpack %s: %w", src, err)
		}
		return findLessonsRoot(dst, src)
	}
	if fi, err := os.Stat(src); err == nil && fi.IsDir() && !strings.HasSuffix(lower, ".git") {
		return findLessonsRoot(src, src)
	}
	if strings.Contains(src, "://") || strings.HasPrefix(src, "git@") || strings.HasSuffix(lower, ".git") {
		cmd := exec.CommandContext(ctx, "git", "clone", "--quiet", "--depth", "1", src, dst)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("git clone %s: %v: %s", src, err, strings.TrimSpace(string(out)))
		}
		return findLessonsRoot(dst, src)
	}
	return "", fmt.Errorf("%s: not a folder, .zip, .tar.gz or git URL", src)
}

// findLessonsRoot returns dir, or the folder one or two levels down, that
// holds lessons/ (archives often wrap everything in one folder).
func findLessonsRoot(dir, src string) (string, error) {
	for _, pattern := range []string{"", "*", filepath.Join("*", "*")} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern, "lessons"))
		for _, m := range matches {
			if fi, err := os.Stat(m); err == nil && fi.IsDir() {
				return filepath.Dir(m), nil
			}
		}
	}
	return "", fmt.Errorf("%s has no lessons/ folder", src)
}

// safeJoin joins an archive entry's name to dst, refusing names that
// would land outside it.
func safeJoin(dst, name string) (string, error) {
	p := filepath.Join(dst, filepath.FromSlash(name))
	if p != dst && !strings.HasPrefix(p, dst+string(filepath.Separator)) {
		return "", fmt.Errorf("archive entry %q points outside the archive", name)
	}
	return p, nil
}

func writeEntry(p string, r io.Reader, limit int64) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, io.LimitReader(r, limit)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// maxEntry bounds a file unpacked from a submission's archive.
const maxEntry = 64 << 20

func unzip(src, dst string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, f := range zr.File {
		p, err := safeJoin(dst, f.Name)
		if err != nil {
			return err
		}
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(p, 0o777); err != nil {
				return err
			}
			continue
		}
		if !f.Mode().IsRegular() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		err = writeEntry(p, rc, maxEntry)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func untgz(src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		p, err := safeJoin(dst, h.Name)
		if err != nil {
			return err
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, 0o777); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeEntry(p, tr, maxEntry); err != nil {
				return err
			}
		}
	}
}

// copyTree copies the regular files of src to dst, skipping what skip
// says to (a folder skipped is skipped whole).
func copyTree(src, dst string, skip func(rel string, d os.DirEntry) bool) error {
	return filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if rel != "." && skip(filepath.ToSlash(rel), d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o777)
		case d.Type().IsRegular():
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			return writeEntry(target, in, 1<<62)
		}
		return nil
	})
}
