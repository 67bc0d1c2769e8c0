//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

// You don't need to edit this file.

package lineproto

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
)

// This file stands in for sockopt.go where the socket options of step 5 are
// spelled differently (Windows) or missing: every function returns an error
// matching errors.ErrUnsupported, and the step's tests skip with the reason.

func unsupported(what string) error {
	return fmt.Errorf("%s on this system: %w (step 5 needs Linux, macOS or a BSD)", what, errors.ErrUnsupported)
}

// TryRead is not supported on this system.
func TryRead(conn net.Conn, buf []byte) (int, error) { return 0, unsupported("TryRead") }

// ListenReusePort is not supported on this system.
func ListenReusePort(ctx context.Context, network, address string) (net.Listener, error) {
	return nil, unsupported("SO_REUSEPORT")
}

// NoDelay is not supported on this system.
func NoDelay(conn syscall.Conn) (bool, error) { return false, unsupported("getsockopt TCP_NODELAY") }

// SetBuffers is not supported on this system.
func SetBuffers(conn syscall.Conn, rcv, snd int) (gotRcv, gotSnd int, err error) {
	return 0, 0, unsupported("SO_RCVBUF and SO_SNDBUF")
}

// Getsockname is not supported on this system.
func Getsockname(c syscall.Conn) (net.Addr, error) { return nil, unsupported("getsockname") }
