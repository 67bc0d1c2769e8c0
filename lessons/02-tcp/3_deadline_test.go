package tcp

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

func TestStep3_IdleTimeout(t *testing.T) {
	readme.Explain(t)
	const idle = 200 * time.Millisecond
	errs := make(chan error, 1)
	addr, _ := startServer(t, func(conn net.Conn) { errs <- Echo(conn, idle) })
	c := transcript.Dial(t, addr, "client")
	c.Send("hello")
	c.Expect("hello")
	start := time.Now()
	c.ExpectEOF() // then silence: the server must give up on us
	if waited := time.Since(start); waited < idle/2 {
		t.Fatalf("the server closed an idle connection after %v; want it to wait the idle timeout, %v", waited, idle)
	}
	err := loopback.Wait(t, errs, "Echo to return")
	require.ErrorIs(t, err, os.ErrDeadlineExceeded, "Echo(conn, %v) on an idle connection: want a timeout error", idle)
}

func TestStep3_IdleTimerRestartsOnRead(t *testing.T) {
	readme.Explain(t)
	const idle = 400 * time.Millisecond
	const every = 80 * time.Millisecond
	addr, _ := startServer(t, func(conn net.Conn) { Echo(conn, idle) })
	// 12 lines, one every 80ms: about 1s in all, far more than the idle
	// timeout, but never 400ms of silence. If this test itself is held up
	// for that long (a busy machine), the server is right to hang up: try
	// again, up to three times.
	for attempt := 1; ; attempt++ {
		paused, err := talkEvery(t, addr, 12, every, 3*idle/4)
		if err == nil {
			return
		}
		if paused > 0 && attempt < 3 {
			t.Logf("attempt %d: the test paused %v between two lines (a busy machine), close to the %v idle timeout; trying again", attempt, paused, idle)
			continue
		}
		t.Fatalf("%v; want the connection kept open: the idle timer restarts at every read, and no gap between lines reached %v (%s)", err, idle, readme.Ref(t))
	}
}

// talkEvery sends n lines to the echo server at addr, one every interval,
// and reads each echo, then half-closes and expects EOF. It returns the
// longest gap between two lines if one reached tooLong, and the first
// error.
func talkEvery(t *testing.T, addr string, n int, interval, tooLong time.Duration) (paused time.Duration, err error) {
	t.Helper()
	conn := loopback.Dial(t, addr)
	defer conn.Close()
	br := bufio.NewReader(conn)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	start, last := time.Now(), time.Now()
	for i := range n {
		if gap := time.Since(last); gap >= tooLong {
			paused = max(paused, gap)
		}
		last = time.Now()
		line := fmt.Sprintf("still here after %v\n", time.Since(start).Round(10*time.Millisecond))
		conn.SetDeadline(loopback.Deadline())
		if _, err := io.WriteString(conn, line); err != nil {
			return paused, fmt.Errorf("sent %d lines, one every %v, for %v; sending %q failed: %w", i, interval, time.Since(start).Round(time.Millisecond), line, err)
		}
		got, err := br.ReadString('\n')
		if err != nil || got != line {
			return paused, fmt.Errorf("sent %d lines, one every %v, for %v; the echo of %q was %q, %v", i+1, interval, time.Since(start).Round(time.Millisecond), line, got, err)
		}
		if i < n-1 {
			<-tick.C
		}
	}
	conn.(*net.TCPConn).CloseWrite()
	if rest, err := io.ReadAll(conn); err != nil || len(rest) > 0 {
		return paused, fmt.Errorf("after %d lines and a half-close, got %q, %v; want EOF", n, rest, err)
	}
	return paused, nil
}

func TestStep3_ClientDeadline(t *testing.T) {
	readme.Explain(t)
	// A server that reads the line and never answers.
	addr := loopback.Fake(t, func(conn net.Conn) {
		buf := make([]byte, 64)
		io.ReadAtLeast(conn, buf, len("hello\n"))
		io.Copy(io.Discard, conn) // until the client goes
	})
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- EchoLines(ctx, addr, strings.NewReader("hello\n"), io.Discard) }()
		err := loopback.Wait(t, done, "EchoLines to give up when its context's deadline passed")
		require.ErrorIs(t, err, context.DeadlineExceeded, "EchoLines with a 300ms deadline against a server that never answers")
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		addr := loopback.Fake(t, func(conn net.Conn) {
			buf := make([]byte, 64)
			io.ReadAtLeast(conn, buf, len("hello\n"))
			cancel() // the client is waiting for the echo now: cancel it
			io.Copy(io.Discard, conn)
		})
		done := make(chan error, 1)
		go func() { done <- EchoLines(ctx, addr, strings.NewReader("hello\n"), io.Discard) }()
		err := loopback.Wait(t, done, "EchoLines to stop when its context was cancelled")
		require.ErrorIs(t, err, context.Canceled, "EchoLines cancelled while waiting for an echo")
	})
}
