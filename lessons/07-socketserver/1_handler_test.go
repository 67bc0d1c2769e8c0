package socketserver

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep1_FinishAlwaysRuns(t *testing.T) {
	readme.Explain(t)
	boom := errors.New("boom")
	tests := []struct {
		name      string
		setupErr  error
		handleErr error
		panicIn   string   // "setup", "handle", "finish" or ""
		wantCalls []string // what Run calls, with what Finish got
		wantErr   error    // what Run returns (errors.Is)
	}{
		{"handle succeeds", nil, nil, "", []string{"setup", "handle", "finish(<nil>)"}, nil},
		{"handle fails", nil, boom, "", []string{"setup", "handle", "finish(boom)"}, boom},
		{"handle panics", nil, nil, "handle", []string{"setup", "handle", "finish(panic)"}, ErrPanic},
		{"setup fails: no handle, no finish", boom, nil, "", []string{"setup"}, boom},
		{"setup panics: no handle, no finish", nil, nil, "setup", []string{"setup"}, ErrPanic},
		{"finish panics", nil, nil, "finish", []string{"setup", "handle", "finish(<nil>)"}, ErrPanic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			h := &hookHandler{
				setup: func(*Request) error {
					calls = append(calls, "setup")
					if tc.panicIn == "setup" {
						panic("setup went wrong")
					}
					return tc.setupErr
				},
				handle: func(*Request) error {
					calls = append(calls, "handle")
					if tc.panicIn == "handle" {
						panic("handle went wrong")
					}
					return tc.handleErr
				},
				finish: func(_ *Request, err error) {
					calls = append(calls, "finish("+errName(err)+")")
					if tc.panicIn == "finish" {
						panic("finish went wrong")
					}
				},
			}
			var err error
			require.NotPanics(t, func() { err = Run(h, &Request{}) },
				"Run let a panic out: recover it and return it as an error wrapping ErrPanic")
			require.Equal(t, tc.wantCalls, calls, "the calls Run made (Finish runs whenever Setup succeeded); Run returned %v", err)
			if tc.wantErr == nil {
				require.NoError(t, err, "Run with calls %v", calls)
			} else {
				require.ErrorIs(t, err, tc.wantErr, "Run with calls %v", calls)
			}
		})
	}
}

func TestStep1_EchoReplies(t *testing.T) {
	readme.Explain(t)
	ln := startStream(t, NewEcho)
	alice := dialName(t, ln, "alice")
	for _, msg := range []string{"hello", "你好, socketserver", "quit!", " quit", "a\nb\n"} {
		alice.Write(msg)
		alice.ExpectBytes("Your msg = " + msg)
	}
	alice.Write("quit")
	alice.ExpectEOF()

	// The notes' client just closes at "quit": the session ends on EOF too,
	// and the synchronous server goes on to the next client.
	bob := dialName(t, ln, "bob")
	bob.Write("hi")
	bob.ExpectBytes("Your msg = hi")
	bob.CloseWrite()
	bob.ExpectEOF()
	carol := dialName(t, ln, "carol")
	carol.Write("still there?")
	carol.ExpectBytes("Your msg = still there?")
}

func TestStep1_EchoOneWrite(t *testing.T) {
	readme.Explain(t)
	for _, msg := range []string{"hello", strings.Repeat("x", BufSize)} {
		conn := &scriptedConn{reads: []string{msg}}
		h := NewEcho()
		req := &Request{Conn: conn}
		require.NoError(t, h.Setup(req), "Echo.Setup")
		require.NoError(t, h.Handle(req), "Echo.Handle on a connection that sends %d bytes, then closes", len(msg))
		require.Equal(t, []string{ReplyPrefix + msg}, conn.writes,
			"Echo's Writes for one chunk of %d bytes, one string per Write; want the reply in one Write, prefix and chunk together (%s)", len(msg), readme.Ref(t))
	}
}

func TestStep1_AcceptRetried(t *testing.T) {
	readme.Explain(t)
	const failures = 3
	flaky := loopback.Flaky(loopback.Listen(t), failures)
	timed := &timedListener{Listener: flaky}
	ln := wrapListener(timed)
	serveForever(t, NewStreamServer(ln, NewEcho), ln)
	alice := dialName(t, ln, "alice")
	alice.Write("hello")
	alice.ExpectBytes(ReplyPrefix + "hello")
	// Retrying at once would spin a CPU while the descriptors stay used up:
	// every retry comes after a pause.
	calls := timed.times()
	require.GreaterOrEqual(t, len(calls), failures+1, "Accept calls")
	for i := 1; i <= failures; i++ {
		gap := calls[i].Sub(calls[i-1])
		require.GreaterOrEqual(t, gap, time.Millisecond, "ServeForever called Accept again %v after failure %d of %d (EMFILE); want a pause (5 ms, then longer) before each retry (%s)", gap, i, failures, readme.Ref(t))
	}
	alice.Write("quit")
	alice.ExpectEOF()
	require.Equal(t, failures, flaky.Failed(), "Accepts that failed with EMFILE before ServeForever served alice")

	// A closed listener is no temporary failure: ServeForever returns it.
	closed := loopback.Listen(t)
	closed.Close()
	srv := NewStreamServer(closed, NewEcho)
	served := make(chan error, 1)
	go func() { served <- srv.ServeForever() }()
	err := loopback.Wait(t, served, "ServeForever to return on a listener closed under it")
	require.Error(t, err, "ServeForever on a listener closed before it started (no Shutdown); want the Accept error (%s)", readme.Ref(t))
	require.NotErrorIs(t, err, ErrTODO, "ServeForever on a closed listener")
	srv.Close()
}

// timedListener records when each Accept is called.
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

// scriptedConn is a net.Conn whose Reads return reads, one string each,
// then io.EOF, and which keeps a copy of every Write.
type scriptedConn struct {
	net.Conn // nil: only Read, Write, Close and the addresses are called
	reads    []string
	writes   []string
}

func (c *scriptedConn) Read(p []byte) (int, error) {
	if len(c.reads) == 0 {
		return 0, io.EOF
	}
	n := copy(p, c.reads[0])
	c.reads[0] = c.reads[0][n:]
	if c.reads[0] == "" {
		c.reads = c.reads[1:]
	}
	return n, nil
}

func (c *scriptedConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

func (c *scriptedConn) Close() error         { return nil }
func (c *scriptedConn) RemoteAddr() net.Addr { return &net.TCPAddr{} }
func (c *scriptedConn) LocalAddr() net.Addr  { return &net.TCPAddr{} }

func TestStep1_HandleRequestServesOne(t *testing.T) {
	readme.Explain(t)
	ln := newNotifyListener(t)
	srv := NewStreamServer(ln, NewEcho)
	t.Cleanup(func() { srv.Close() })
	for _, name := range []string{"alice", "bob"} {
		handled := make(chan error, 1)
		go func() { handled <- srv.HandleRequest() }()
		select {
		case <-ln.accepting:
		case err := <-handled:
			t.Fatalf("HandleRequest returned %v before accepting %s's connection", err, name)
		case <-time.After(loopback.Timeout):
			t.Fatalf("waited %v for HandleRequest to call Accept", loopback.Timeout)
		}
		c := dialName(t, ln, name)
		c.Write("one request")
		c.ExpectBytes("Your msg = one request")
		c.Write("quit")
		c.ExpectEOF()
		require.NoError(t, loopback.Wait(t, handled, "HandleRequest to return after "+name+"'s session"),
			"HandleRequest for %s", name)
	}
	require.NoError(t, srv.Close(), "Close")
	err := srv.HandleRequest()
	require.Error(t, err, "HandleRequest after Close = nil, want the error of Accept on a closed listener")
	require.NotErrorIs(t, err, ErrTODO, "HandleRequest after Close")
}

func TestStep1_PanicKeepsServing(t *testing.T) {
	readme.Explain(t)
	logged := make(chan string, 10)
	finished := make(chan error, 10)
	var mu sync.Mutex
	n := 0
	newHandler := func() Handler {
		mu.Lock()
		defer mu.Unlock()
		n++
		first := n == 1
		inner := NewEcho()
		return &hookHandler{
			setup: inner.Setup,
			handle: func(req *Request) error {
				if first {
					panic("the first request always panics")
				}
				return inner.Handle(req)
			},
			finish: func(req *Request, err error) { finished <- err },
		}
	}
	ln := startStream(t, newHandler, ErrorLog(func(format string, args ...any) {
		logged <- fmt.Sprintf(format, args...)
	}))
	alice := dialName(t, ln, "alice")
	alice.Write("hello")
	require.ErrorIs(t, loopback.Wait(t, finished, "Finish after the panic in Handle"), ErrPanic,
		"the error Finish got after Handle panicked")
	alice.ExpectEOF() // the server closes the connection after Finish
	line := loopback.Wait(t, logged, "the server to log the panic")
	require.Contains(t, line, "the first request always panics", "the server's log of a panicking request")

	bob := dialName(t, ln, "bob")
	bob.Write("are you alive?")
	bob.ExpectBytes("Your msg = are you alive?")
}

func TestStep1_ShutdownWaitsForServeForever(t *testing.T) {
	readme.Explain(t)
	ln := newNotifyListener(t)
	entered := make(chan struct{}, 1)
	finished := false // written by the handler, read after Shutdown: Shutdown's wait is the only sync
	srv := NewStreamServer(ln, func() Handler {
		return &hookHandler{
			handle: func(*Request) error {
				entered <- struct{}{}
				<-ln.closed // Shutdown closes the listener; the handler ends after that,
				// lingering a little: a Shutdown that does not wait for
				// ServeForever returns before the handler has finished.
				time.Sleep(100 * time.Millisecond)
				return nil
			},
			finish: func(*Request, error) { finished = true },
		}
		// Not blocking on close: the wait this test checks is Shutdown's
		// wait for ServeForever, not for the handlers.
	}, BlockOnClose(false))
	run := serveForever(t, srv, ln)
	loopback.Dial(t, ln.Addr().String())
	waitOrStopped(t, entered, run, "the handler to start")
	require.NoError(t, srv.Shutdown(), "Shutdown")
	require.True(t, finished, "Shutdown returned while ServeForever was still handling a connection: "+
		"a synchronous server handles in ServeForever, and Shutdown must wait for ServeForever to return")
	select {
	case <-run.done:
		require.NoError(t, run.err, "ServeForever after Shutdown")
	case <-time.After(loopback.Timeout):
		t.Fatalf("ServeForever still running %v after Shutdown returned", loopback.Timeout)
	}
	require.NoError(t, srv.Close(), "Close after Shutdown")
}

// errName is how TestStep1_FinishAlwaysRuns shows what Finish got.
func errName(err error) string {
	switch {
	case err == nil:
		return "<nil>"
	case errors.Is(err, ErrPanic):
		return "panic"
	}
	return err.Error()
}

// newPIDEcho is the forked children's "pid" handler (step 5): it first
// sends "pid <its process id>\n", then echoes.
func newPIDEcho() Handler {
	inner := NewEcho()
	return &hookHandler{
		setup: inner.Setup,
		handle: func(req *Request) error {
			if _, err := fmt.Fprintf(req.Conn, "pid %d\n", os.Getpid()); err != nil {
				return err
			}
			return inner.Handle(req)
		},
	}
}

func TestStep1_EchoClientProgramShowsControls(t *testing.T) {
	readme.Explain(t)
	// A hostile handler answers with escape sequences as long as the
	// message: echoclient must show them, not pass them to the terminal.
	msg, hostile := "hello world!", "\x1b]0;pwn\x07\x1b[2J"
	ln := startStream(t, func() Handler {
		return &hookHandler{handle: func(req *Request) error {
			if _, err := readFull(req.Conn, make([]byte, len(msg))); err != nil {
				return err
			}
			if _, err := io.WriteString(req.Conn, ReplyPrefix+hostile); err != nil {
				return err
			}
			_, err := readFull(req.Conn, make([]byte, len(Quit))) // then close
			return err
		}}
	})
	var stdout, stderr strings.Builder
	code := make(chan int, 1)
	go func() {
		code <- EchoClientMain([]string{"-addr", ln.Addr().String()}, strings.NewReader(msg+"\n"), &stdout, &stderr)
	}()
	require.Equal(t, 0, loopback.Wait(t, code, "echoclient to end"), "echoclient's exit status; stderr: %s", stderr.String())
	want := ReplyPrefix + `\x1b]0;pwn\x07\x1b[2J` + "\n"
	require.Equal(t, want, stdout.String(), "echoclient's output for the reply %q: control characters shown as \\xNN (that filter is in programs.go), the rest as sent", ReplyPrefix+hostile)
}
