package chat

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

// lineWriter is RunClient's out: it hands each complete line to lines.
type lineWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
}

func newLineWriter() *lineWriter { return &lineWriter{lines: make(chan string, 100)} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	for {
		line, err := w.buf.ReadString('\n')
		if err != nil {
			w.buf.WriteString(line) // incomplete: keep it
			return len(p), nil
		}
		w.lines <- strings.TrimSuffix(line, "\n")
	}
}

// expect waits for RunClient to print want.
func (w *lineWriter) expect(t *testing.T, want string) {
	t.Helper()
	got := loopback.Wait(t, w.lines, "RunClient to print "+want)
	require.Equal(t, want, got, "the next line RunClient printed")
}

// startClient runs RunClient(conn, name, in, out) against a server the
// test plays; it returns that server's side and RunClient's result. When
// RunClient returns, the server side is closed, so a test waiting for the
// client fails at once instead of after a timeout.
func startClient(t *testing.T, name string, in io.Reader, out io.Writer) (*transcript.Conn, <-chan error) {
	t.Helper()
	ln := loopback.Listen(t)
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	conn := loopback.Dial(t, ln.Addr().String())
	srv := transcript.Serve(t, loopback.Wait(t, accepted, "the client's connection"), "server")
	result := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		err := RunClient(conn, name, in, out)
		srv.Close()
		result <- err
		close(finished)
	}()
	t.Cleanup(func() {
		conn.Close() // ends a RunClient the test gave up on
		loopback.Wait(t, finished, "RunClient to return once its connection is closed")
	})
	return srv, result
}

func TestStep5_ClientSendsAndReceivesAtOnce(t *testing.T) {
	readme.Explain(t)
	in, typing := io.Pipe()
	t.Cleanup(func() { typing.Close() })
	out := newLineWriter()
	srv, result := startClient(t, "alice", in, out)

	srv.Expect("alice")
	// Nothing is typed, yet what the server sends is printed at once: the
	// receiving loop does not wait for the sending loop.
	srv.Send("bob: hi alice")
	out.expect(t, "bob: hi alice")
	srv.Send("* carol joined")
	out.expect(t, "* carol joined")
	// And what is typed is sent at once, though the server says nothing.
	typing.Write([]byte("hello bob\n"))
	srv.Expect("hello bob")
	typing.Write([]byte("大家好\n"))
	srv.Expect("大家好")
	// A line of exactly MaxLine bytes is a line like any other.
	long := strings.Repeat("长", MaxLine/3) + strings.Repeat("x", MaxLine%3)
	written := make(chan error, 1)
	go func() { // a client that stops reading in would block this Write
		_, err := typing.Write([]byte(long + "\n"))
		written <- err
	}()
	if got := srv.ReadLine(); got != long {
		t.Fatalf("typed a line of exactly MaxLine (%d) bytes; the server read %d bytes (%.40q...); want the whole line: the room accepts lines of MaxLine bytes", MaxLine, len(got), got)
	}
	require.NoError(t, loopback.Wait(t, written, "RunClient to read the typed line of MaxLine bytes"), "typing a line of MaxLine bytes")

	typing.Write([]byte("/quit\n"))
	srv.Expect("/quit")
	srv.Send("bob: see you")
	out.expect(t, "bob: see you") // still printing until the server closes
	srv.Close()
	err := loopback.Wait(t, result, "RunClient to return after /quit and the server's close")
	require.NoError(t, err, "RunClient after /quit")
}

func TestStep5_ClientQuitsAtEndOfInput(t *testing.T) {
	readme.Explain(t)
	out := newLineWriter()
	srv, result := startClient(t, "alice", strings.NewReader("one\ntwo\n"), out)
	srv.Expect("alice")
	srv.Expect("one")
	srv.Expect("two")
	srv.Expect("/quit") // the end of input (Ctrl-D) quits
	srv.Send("* alice left")
	out.expect(t, "* alice left")
	srv.Close()
	err := loopback.Wait(t, result, "RunClient to return after the end of its input")
	require.NoError(t, err, "RunClient after the end of its input")
}

func TestStep5_ClientEndsWhenServerCloses(t *testing.T) {
	readme.Explain(t)
	in, typing := io.Pipe() // nothing is ever typed
	t.Cleanup(func() { typing.Close() })
	out := newLineWriter()
	srv, result := startClient(t, "alice", in, out)
	srv.Expect("alice")
	srv.Send("* server shutting down")
	out.expect(t, "* server shutting down")
	srv.Close()
	err := loopback.Wait(t, result, "RunClient to return after the server closed the connection (while the user types nothing)")
	require.True(t, errors.Is(err, ErrServerClosed), "RunClient after the server closed = %v, want ErrServerClosed", err)
}

func TestStep5_ClientProgramShowsControls(t *testing.T) {
	readme.Explain(t)
	// A hostile server sends escape sequences: chatclient must show them,
	// not pass them to the terminal (which would obey them).
	ln := loopback.Listen(t)
	hostile := "eve: \x1b]0;pwned\x07\x1b[2Jhi \u009b31m 你好\n"
	served := make(chan error, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			served <- err
			return
		}
		defer conn.Close()
		conn.SetDeadline(loopback.Deadline())
		if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil { // the name
			served <- err
			return
		}
		_, err = io.WriteString(conn, hostile)
		served <- err
	}()
	var stdout, stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- ClientMain([]string{"-addr", ln.Addr().String(), "-name", "alice", "-stay"}, strings.NewReader(""), &stdout, &stderr)
	}()
	require.NoError(t, loopback.Wait(t, served, "the test's server to send its line"), "the test's server")
	require.Equal(t, 0, loopback.Wait(t, code, "chatclient to end after the server closed"), "chatclient -stay's exit status; stderr: %s", stderr.String())
	want := `eve: \x1b]0;pwned\x07\x1b[2Jhi \x9b31m 你好` + "\n"
	require.Equal(t, want, stdout.String(), "chatclient's output for the server line %q: control characters shown as \\xNN, the rest as sent", hostile)
}
