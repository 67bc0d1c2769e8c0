//go:build !unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
)

// runTool runs the tool and returns its exit status. Ctrl-C reaches the
// tool as well as the launcher, which waits for the tool to end.
func runTool(bin string, args []string) int {
	signal.Ignore(os.Interrupt)
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	fmt.Fprintf(os.Stderr, "kata: run %s: %v\n", bin, err)
	return 1
}

// lockBuild is a no-op here: two launchers that compile at the same moment
// may both run go build, which writes the binary whole.
func lockBuild(path string) (unlock func(), err error) { return func() {}, nil }

// ownFolder returns nil: the temporary folder is the user's own here.
func ownFolder(dir string) error { return nil }
