package tcp

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

func TestStep2_ShutdownWaits(t *testing.T) {
	readme.Explain(t)
	addr, srv := startServer(t, func(conn net.Conn) { Echo(conn, 0) })
	c := transcript.Dial(t, addr, "in-flight")
	c.Send("before Shutdown")
	c.Expect("before Shutdown")

	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*loopback.Timeout)
		defer cancel()
		shut <- srv.Shutdown(ctx)
	}()
	// Shutdown stops accepting: wait until a new client is refused.
	for refused := false; !refused; {
		conn, err := net.DialTimeout("tcp", addr, loopback.Timeout)
		if err != nil {
			refused = true
			break
		}
		conn.Close()
		select {
		case err := <-shut:
			t.Fatalf("Shutdown returned %v while a connection was open; want it to wait for the connection to end", err)
		case <-time.After(10 * time.Millisecond): // polling: a refusal is no event we can wait on
		}
	}
	// The connection in flight is still served ...
	c.Send("during Shutdown")
	c.Expect("during Shutdown")
	// ... and Shutdown waits for it.
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned %v while a connection was still open; want it to wait until the connection ends", err)
	case <-time.After(100 * time.Millisecond):
	}
	c.CloseWrite() // the client is done: the echo handler returns
	c.ExpectEOF()
	err := loopback.Wait(t, shut, "Shutdown to return after the last connection ended")
	require.NoError(t, err, "Shutdown after every connection ended by itself")
}

func TestStep2_ShutdownForceCloses(t *testing.T) {
	readme.Explain(t)
	addr, srv := startServer(t, func(conn net.Conn) { Echo(conn, 0) })
	c := transcript.Dial(t, addr, "idle")
	c.Send("hello")
	c.Expect("hello") // connected and served; now it idles
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(ctx) }()
	err := loopback.Wait(t, shut, "Shutdown to return once its 100ms context ended")
	require.ErrorIs(t, err, context.DeadlineExceeded, "Shutdown with a 100ms context and a connection that never ends")
	c.ExpectEOF() // Shutdown closed it
}

func TestStep2_AcceptErrorsRetried(t *testing.T) {
	readme.Explain(t)
	// The first 3 Accepts fail with EMFILE ("too many open files"), as when
	// a flood of clients has used up the process's file descriptors.
	const failures = 3
	flaky := loopback.Flaky(loopback.Listen(t), failures)
	ln := &timedListener{Listener: flaky}
	srv := &Server{Handle: func(conn net.Conn) { Echo(conn, 0) }}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
		defer cancel()
		srv.Shutdown(ctx)
		select {
		case <-served:
		case <-time.After(loopback.Timeout):
			t.Errorf("Serve still running %v after Shutdown returned (%s)", loopback.Timeout, readme.Ref(t))
		}
	})
	echoed := make(chan error, 1)
	go func() {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), loopback.Timeout)
		if err != nil {
			echoed <- err
			return
		}
		defer conn.Close()
		conn.SetDeadline(loopback.Deadline())
		if _, err := io.WriteString(conn, "hello\n"); err != nil {
			echoed <- err
			return
		}
		buf := make([]byte, len("hello\n"))
		_, err = io.ReadFull(conn, buf)
		echoed <- err
	}()
	select {
	case err := <-served:
		served <- err // for the cleanup
		t.Fatalf("Serve returned %v after %d Accept calls failed with a temporary error (EMFILE, too many open files); "+
			"want it to wait a little and accept again, as net/http does: one flood must not stop the server for everyone (%s)",
			err, flaky.Failed(), readme.Ref(t))
	case err := <-echoed:
		if err != nil {
			select { // a Serve that gave up closed ln: say so, not "reset"
			case serr := <-served:
				served <- serr // for the cleanup
				t.Fatalf("Serve returned %v after %d Accept calls failed with a temporary error (EMFILE, too many open files); "+
					"want it to wait a little and accept again, as net/http does (%s)", serr, flaky.Failed(), readme.Ref(t))
			case <-time.After(100 * time.Millisecond):
			}
		}
		require.NoError(t, err, "a client sent %q after the first %d Accepts failed with EMFILE; want the echo back", "hello\n", failures)
	}
	require.Equal(t, failures, flaky.Failed(), "Accept calls that failed with EMFILE before the client was served")
	// Out of file descriptors, an Accept called again at once fails again:
	// a server that does not wait spins at full CPU for as long as it lasts.
	calls := ln.times()
	require.Greater(t, len(calls), failures, "Accept calls")
	for i := 1; i <= failures; i++ {
		if gap := calls[i].Sub(calls[i-1]); gap < 5*time.Millisecond {
			t.Fatalf("Serve called Accept again %v after temporary error %d (EMFILE); want it to wait first, 5ms after the first failure, doubling up to 1s, as net/http does: retrying at once only spins (%s)",
				gap, i, readme.Ref(t))
		}
	}
}

func TestStep2_TimeServerAcceptErrorsRetried(t *testing.T) {
	readme.Explain(t)
	// Step 1's time server meets the same flood: its first 3 Accepts fail
	// with EMFILE. One flood must not stop it for everyone either.
	const failures = 3
	flaky := loopback.Flaky(loopback.Listen(t), failures)
	ln := &timedListener{Listener: flaky}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- ServeTime(ctx, ln, func() time.Time { return time.Date(2019, 5, 16, 15, 32, 7, 123456000, time.UTC) })
	}()
	t.Cleanup(func() {
		cancel()
		loopback.Wait(t, served, "ServeTime to return after its ctx ended")
	})
	type reply struct {
		text string
		err  error
	}
	fetched := make(chan reply, 1)
	go func() {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), loopback.Timeout)
		if err != nil {
			fetched <- reply{err: err}
			return
		}
		defer conn.Close()
		conn.SetDeadline(loopback.Deadline())
		b, err := io.ReadAll(conn)
		fetched <- reply{string(b), err}
	}()
	select {
	case err := <-served:
		served <- err // for the cleanup
		t.Fatalf("ServeTime returned %v after %d Accept calls failed with a temporary error (EMFILE, too many open files); "+
			"want it to wait a little and accept again, as Serve does (%s)", err, flaky.Failed(), readme.Ref(t))
	case r := <-fetched:
		require.NoError(t, r.err, "a client connected after the first %d Accepts failed with EMFILE; want the time, then the close (%s)", failures, readme.Ref(t))
		require.Equal(t, "2019-05-16 15:32:07.123456", r.text, "what the time server sent after %d failed Accepts", failures)
	}
	require.Equal(t, failures, flaky.Failed(), "Accept calls that failed with EMFILE before the client was served")
	calls := ln.times()
	require.Greater(t, len(calls), failures, "Accept calls")
	for i := 1; i <= failures; i++ {
		if gap := calls[i].Sub(calls[i-1]); gap < 5*time.Millisecond {
			t.Fatalf("ServeTime called Accept again %v after temporary error %d (EMFILE); want it to wait first, 5ms after the first failure, doubling up to 1s: retrying at once only spins (%s)",
				gap, i, readme.Ref(t))
		}
	}
}

// timedListener records when each Accept call starts.
type timedListener struct {
	net.Listener
	mu    sync.Mutex
	calls []time.Time
}

func (l *timedListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	l.calls = append(l.calls, time.Now())
	l.mu.Unlock()
	return l.Listener.Accept()
}

func (l *timedListener) times() []time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]time.Time(nil), l.calls...)
}
