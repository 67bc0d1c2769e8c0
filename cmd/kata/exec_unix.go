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
