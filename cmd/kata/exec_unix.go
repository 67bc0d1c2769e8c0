//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"
)

// runTool replaces the launcher with the tool, so that signals, the
// terminal and the exit status are the tool's own; it returns only if
// that fails.
func runTool(bin string, args []string) int {
	err := syscall.Exec(bin, append([]string{bin}, args...), os.Environ())
	fmt.Fprintf(os.Stderr, "kata: run %s: %v\n", bin, err)
	return 1
}

// lockBuild holds an exclusive lock on the file at path until unlock is
// called; the exec in runTool releases it too (Go opens files
// close-on-exec).
func lockBuild(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}

// ownFolder says why dir is not a folder of the user's own that only the
// user can write, or returns nil.
func ownFolder(dir string) error {
	fi, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	switch {
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	case !ok || int(st.Uid) != os.Getuid():
		return fmt.Errorf("%s belongs to another user", dir)
	case fi.Mode().Perm()&0o022 != 0:
		return fmt.Errorf("others can write %s", dir)
	}
	return nil
}
