//go:build unix

package socketserver

import (
	"errors"
	"syscall"
)

// processGone reports whether pid no longer exists: exited and reaped. A
// zombie still exists (kill 0 succeeds on it).
func processGone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
