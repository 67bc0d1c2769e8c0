package loopback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestListenDial(t *testing.T) {
	ln := Listen(t)
	require.Contains(t, ln.Addr().String(), "127.0.0.1:")
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			accepted <- conn
		}
	}()
	client := Dial(t, ln.Addr().String())
	server := Wait(t, accepted, "the listener to accept")
	defer server.Close()
	_, err := client.Write([]byte("hi"))
	require.NoError(t, err)
	buf := make([]byte, 2)
	require.NoError(t, server.SetDeadline(Deadline()))
	_, err = io.ReadFull(server, buf)
	require.NoError(t, err)
	require.Equal(t, "hi", string(buf))
}

func TestListenPacket(t *testing.T) {
	pc := ListenPacket(t)
	require.Contains(t, pc.LocalAddr().String(), "127.0.0.1:")
}

func TestWaitTimesOut(t *testing.T) {
	old := Timeout
	Timeout = 1
	defer func() { Timeout = old }()
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Wait(ft, make(chan int), "a value that never comes")
	}()
	<-done
	require.Contains(t, ft.msg, "a value that never comes")
}

// fakeT records Fatalf instead of failing the real test.
type fakeT struct {
	testing.TB
	msg string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestFlakyListenerFailsThenAccepts(t *testing.T) {
	ln := Flaky(Listen(t), 2)
	for i := 0; i < 2; i++ {
		_, err := ln.Accept()
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Temporary() { //nolint:staticcheck // Temporary is what servers test
			t.Fatalf("Accept %d: got %v, want a temporary net.Error", i+1, err)
		}
		if !errors.Is(err, syscall.EMFILE) {
			t.Fatalf("Accept %d: got %v, want EMFILE", i+1, err)
		}
	}
	done := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			t.Errorf("third Accept: %v", err)
		}
		done <- c
	}()
	c := Dial(t, ln.Addr().String())
	defer c.Close()
	if s := Wait(t, done, "the third Accept"); s != nil {
		s.Close()
	}
	if got := ln.Failed(); got != 2 {
		t.Fatalf("Failed() = %d, want 2", got)
	}
}

// recorder is a testing.TB that keeps what a helper reports.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.errs) > 0
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestServe(t *testing.T) {
	t.Run("serves until the test ends", func(t *testing.T) {
		r := &recorder{TB: t}
		Serve(r, "server", func(ctx context.Context) error { <-ctx.Done(); return nil }, nil)
		r.end()
		if len(r.errs) != 0 {
			t.Errorf("reported %q, want nothing", r.errs)
		}
	})
	t.Run("returns early", func(t *testing.T) {
		r := &recorder{TB: t}
		closed := make(chan struct{})
		s := Serve(r, "ServeX", func(ctx context.Context) error { return errors.New("TODO") }, func() { close(closed) })
		Wait(t, s.Died(), "Died")
		Wait(t, closed, "early")
		if s.Err() == nil || s.Err().Error() != "TODO" {
			t.Errorf("Err() = %v, want TODO", s.Err())
		}
		r.end()
		if len(r.errs) != 1 || !strings.Contains(r.errs[0], "ServeX returned before the test ended, with error: TODO") {
			t.Errorf("reported %q, want one early-return message", r.errs)
		}
	})
	t.Run("error after cancel", func(t *testing.T) {
		r := &recorder{TB: t}
		Serve(r, "ServeX", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }, nil)
		r.end()
		if len(r.errs) != 1 || !strings.Contains(r.errs[0], "ServeX returned context canceled after its context was cancelled") {
			t.Errorf("reported %q, want the error after cancel", r.errs)
		}
	})
}
