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

// archiveCaps bound what a submission may hold: its files' total size and
// their number (archive bombs, huge repositories).
type archiveCaps struct {
	Bytes   int64
	Entries int
}

var defaultCaps = archiveCaps{Bytes: 64 << 20, Entries: 10000}

// budget counts what a submission has used of its caps.
type budget struct {
	caps    archiveCaps
	bytes   int64
	entries int
}

func (b *budget) entry() error {
	b.entries++
	if b.entries > b.caps.Entries {
		return fmt.Errorf("refused: more than %d files (the cap on a submission's entries)", b.caps.Entries)
	}
	return nil
}

func (b *budget) add(n int64) error {
	b.bytes += n
	if b.bytes > b.caps.Bytes {
		return fmt.Errorf("refused: more than %d MiB unpacked (the cap on a submission's size)", b.caps.Bytes>>20)
	}
	return nil
}

// fetchSubmission makes a submission readable as a folder and returns the
// folder holding its lessons/: a folder is used in place; a .zip or
// .tar.gz is unpacked into dst; a git URL or repository is cloned into dst.
// A submission holding a symlink, or more than caps allow, is refused.
func fetchSubmission(ctx context.Context, src, dst string, caps archiveCaps) (string, error) {
	lower := strings.ToLower(src)
	b := &budget{caps: caps}
	switch {
	case strings.HasSuffix(lower, ".zip"):
		if err := unzip(src, dst, b); err != nil {
			return "", fmt.Errorf("unpack %s: %w", src, err)
		}
		return findLessonsRoot(dst, src)
	case strings.HasSuffix(lower, ".tar.gz"), strings.HasSuffix(lower, ".tgz"):
		if err := untgz(src, dst, b); err != nil {
			return "", fmt.Errorf("unpack %s: %w", src, err)
		}
		return findLessonsRoot(dst, src)
	}
	if fi, err := os.Lstat(src); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return "", fmt.Errorf("%s: refused: the submission is a symlink", src)
	}
	if fi, err := os.Stat(src); err == nil && fi.IsDir() && !strings.HasSuffix(lower, ".git") {
		if err := checkTree(src, b); err != nil {
			return "", fmt.Errorf("%s: %w", src, err)
		}
		return findLessonsRoot(src, src)
	}
	if strings.Contains(src, "://") || strings.HasPrefix(src, "git@") || strings.HasSuffix(lower, ".git") {
		cmd := exec.CommandContext(ctx, "git", "-c", "core.symlinks=true", "-c", "protocol.file.allow=always", "clone", "--quiet", "--depth", "1", "--no-recurse-submodules", src, dst)
		cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("git clone %s: %v: %s", src, err, strings.TrimSpace(string(out)))
		}
		if err := checkTree(dst, b); err != nil {
			return "", fmt.Errorf("%s: %w", src, err)
		}
		return findLessonsRoot(dst, src)
	}
	return "", fmt.Errorf("%s: not a folder, .zip, .tar.gz or git URL", src)
}

// checkTree refuses a submission folder holding a symlink anywhere (.git
// aside) or more than the caps.
func checkTree(dir string, b *budget) error {
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type()&os.ModeSymlink != 0 {
			rel, _ := filepath.Rel(dir, p)
			target, _ := os.Readlink(p)
			return fmt.Errorf("refused: %s is a symlink (to %s); submissions may not hold symlinks", filepath.ToSlash(rel), target)
		}
		if err := b.entry(); err != nil {
			return err
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			return b.add(fi.Size())
		}
		return nil
	})
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
	_, err := writeCapped(p, r, limit)
	return err
}

// writeCapped writes at most limit bytes of r to a new file p and says
// whether r held more.
func writeCapped(p string, r io.Reader, limit int64) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return false, err
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o666)
	if err != nil {
		return false, err
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if err != nil {
		f.Close()
		return false, err
	}
	if n > limit {
		f.Close()
		return true, nil
	}
	return false, f.Close()
}

// unpack writes one archive entry within the budget.
func unpack(p string, r io.Reader, b *budget) error {
	if err := b.entry(); err != nil {
		return err
	}
	room := min(int64(maxEntry), b.caps.Bytes-b.bytes)
	over, err := writeCapped(p, r, room)
	if err != nil {
		return err
	}
	fi, err := os.Stat(p)
	if err != nil {
		return err
	}
	if over {
		return fmt.Errorf("refused: %s unpacks to more than %d MiB (the cap on a submission's size)", filepath.Base(p), room>>20)
	}
	return b.add(fi.Size())
}

// maxEntry bounds a file unpacked from a submission's archive.
const maxEntry = 64 << 20

func unzip(src, dst string, b *budget) error {
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
		if f.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("refused: %s is a symlink; submissions may not hold symlinks", f.Name)
		}
		if f.FileInfo().IsDir() {
			if err := b.entry(); err != nil {
				return err
			}
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
		err = unpack(p, rc, b)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func untgz(src, dst string, b *budget) error {
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
		case tar.TypeSymlink, tar.TypeLink:
			return fmt.Errorf("refused: %s is a link (to %s); submissions may not hold links", h.Name, h.Linkname)
		case tar.TypeDir:
			if err := b.entry(); err != nil {
				return err
			}
			if err := os.MkdirAll(p, 0o777); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := unpack(p, tr, b); err != nil {
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
