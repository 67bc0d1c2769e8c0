package tcp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/netkata/netkata/internal/sockerr"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

func TestStep2_AnswerOnce(t *testing.T) {
	readme.Explain(t)
	ln := loopback.Listen(t)
	c := transcript.Dial(t, ln.Addr().String(), "socket_client")
	type result struct {
		msg string
		err error
	}
	results := make(chan result, 1)
	conn := accept(t, ln)
	go func() {
		msg, err := AnswerOnce(conn, "hahahaha")
		results <- result{msg, err}
	}()
	c.Write("hello zj")
	r := loopback.Wait(t, results, "AnswerOnce to return")
	require.NoError(t, r.err, "AnswerOnce after the client sent %q", "hello zj")
	require.Equal(t, "hello zj", r.msg, "AnswerOnce's message")
	c.ExpectBytes("hahahaha")
	c.ExpectEOF()
}

func TestStep2_AnswerOnceNothingSent(t *testing.T) {
	readme.Explain(t)
	ln := loopback.Listen(t)
	c := transcript.Dial(t, ln.Addr().String(), "socket_client")
	conn := accept(t, ln)
	errs := make(chan error, 1)
	go func() {
		_, err := AnswerOnce(conn, "hahahaha")
		errs <- err
	}()
	c.CloseWrite() // "I am done" before saying anything
	err := loopback.Wait(t, errs, "AnswerOnce to return")
	require.ErrorIs(t, err, io.EOF, "AnswerOnce when the client half-closed without sending anything: want an error wrapping io.EOF")
	c.ExpectEOF() // no answer, then the close
}

func TestStep2_Ask(t *testing.T) {
	readme.Explain(t)
	ln := loopback.Listen(t)
	ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
	defer cancel()
	type result struct {
		answer string
		err    error
	}
	results := make(chan result, 1)
	go func() {
		answer, err := Ask(ctx, ln.Addr().String(), "hello zj")
		ln.Close() // if Ask never dialled, accept fails now
		results <- result{answer, err}
	}()
	srv := transcript.Serve(t, accept(t, ln), "socket_server")
	srv.ExpectBytes("hello zj")
	srv.Write("haha") // the answer in two pieces: only the close ends it
	srv.Write("haha")
	srv.Close()
	r := loopback.Wait(t, results, "Ask to return after the server closed")
	require.NoError(t, r.err, "Ask(%q)", "hello zj")
	require.Equal(t, "hahahaha", r.answer, "Ask(%q), server answered %q in two writes", "hello zj", "hahahaha")

	t.Run("a server that never answers", func(t *testing.T) {
		ln := loopback.Listen(t)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		results := make(chan result, 1)
		go func() {
			answer, err := Ask(ctx, ln.Addr().String(), "hello zj")
			ln.Close()
			results <- result{answer, err}
		}()
		srv := transcript.Serve(t, accept(t, ln), "socket_server")
		srv.ExpectBytes("hello zj") // and then silence, no close
		r := loopback.Wait(t, results, "Ask to give up when its context's deadline passed")
		require.ErrorIs(t, r.err, context.DeadlineExceeded,
			"Ask with a 200ms deadline, server read %q and never answered; got %q: a Read blocked in the kernel must be woken when ctx ends", "hello zj", r.answer)
	})
}

func TestStep2_EchoHalfClose(t *testing.T) {
	readme.Explain(t)
	// Echo alone, on a connection this test accepted and closes only at its
	// end: the EOF the client waits for can come only from Echo's own
	// half-close, not from a Server closing the connection afterwards.
	ln := loopback.Listen(t)
	conn := loopback.Dial(t, ln.Addr().String())
	srvConn := accept(t, ln)
	errs := make(chan error, 1)
	go func() { errs <- Echo(srvConn, 0) }()
	rng := seed.Rand(t)
	payload := make([]byte, 256<<10+rng.IntN(4096))
	for i := range payload {
		payload[i] = byte(rng.UintN(256))
	}
	require.NoError(t, conn.SetDeadline(loopback.Deadline()))
	// Write and read at the same time: the echo comes back while we are
	// still sending, and neither side's buffers hold 256 KiB.
	sent := make(chan error, 1)
	go func() {
		for rest := payload; len(rest) > 0; {
			n := min(len(rest), 1+rng.IntN(16<<10))
			if _, err := conn.Write(rest[:n]); err != nil {
				sent <- err
				return
			}
			rest = rest[n:]
		}
		sent <- conn.(*net.TCPConn).CloseWrite() // "I am done sending"
	}()
	got, err := io.ReadAll(conn)
	require.NoError(t, loopback.Wait(t, sent, "the client to send everything"), "client write")
	if err != nil {
		select {
		case echoErr := <-errs:
			t.Fatalf("sent %d bytes then CloseWrite; Echo returned %v and the client got %d bytes back but no EOF (%v): "+
				"after the peer's EOF, Echo must half-close its own side (CloseWrite) so the peer sees the end of the echo (%s)",
				len(payload), echoErr, len(got), err, readme.Ref(t))
		default:
		}
	}
	require.NoError(t, err, "reading the echo until EOF, after sending %d bytes and CloseWrite; got %d bytes: %s",
		len(payload), len(got), sockerr.Hint(err))
	if !bytes.Equal(payload, got) {
		i := 0
		for i < len(got) && i < len(payload) && got[i] == payload[i] {
			i++
		}
		t.Fatalf("sent %d random bytes then CloseWrite, got back %d bytes that differ from byte %d on; want the same bytes, in order, then EOF",
			len(payload), len(got), i)
	}
	require.NoError(t, loopback.Wait(t, errs, "Echo to return"), "Echo after the client half-closed")
	// Echo does not close conn: whoever gave it conn does.
	if err := srvConn.SetReadDeadline(time.Now()); err != nil {
		t.Fatalf("after Echo returned, its connection is closed (%v); want Echo to half-close only and leave the close to its caller (%s)", err, readme.Ref(t))
	}
}

func TestStep2_EchoManyClients(t *testing.T) {
	readme.Explain(t)
	addr, _ := startServer(t, func(conn net.Conn) { Echo(conn, 0) })
	const n = 20
	clients := make([]*transcript.Conn, n)
	for i := range clients {
		clients[i] = transcript.Dial(t, addr, fmt.Sprintf("client%d", i))
	}
	// Every client is connected, none has gone. The last to connect speaks
	// first: a server that serves one client at a time never answers it.
	for i := n - 1; i >= 0; i-- {
		clients[i].Send(fmt.Sprintf("hello from client %d, 你好", i))
		clients[i].Expect(fmt.Sprintf("hello from client %d, 你好", i))
	}
	for _, c := range clients {
		c.CloseWrite()
		c.ExpectEOF()
	}
}

func TestStep2_EchoLines(t *testing.T) {
	readme.Explain(t)
	addr := startSlowEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
	defer cancel()
	in := "first line\n第二行\n\nno newline at the end"
	var out bytes.Buffer
	err := EchoLines(ctx, addr, strings.NewReader(in), &out)
	require.NoError(t, err, "EchoLines with input %q", in)
	want := "first line\n第二行\n\nno newline at the end\n"
	require.Equal(t, want, out.String(), "EchoLines output for input %q, against a server that echoes one byte per write", in)
}

// startSlowEcho runs a test echo server that sends its echo back one byte
// per write, so a client that takes one Read as one line gets a piece.
func startSlowEcho(t *testing.T) string {
	t.Helper()
	return loopback.Fake(t, func(conn net.Conn) {
		buf := make([]byte, 1024)
		for {
			n, err := conn.Read(buf)
			for i := 0; i < n; i++ {
				if _, err := conn.Write(buf[i : i+1]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	})
}

func TestStep2_EchoClientProgramShowsControls(t *testing.T) {
	readme.Explain(t)
	// What comes back is the server's, so echoclient must show escape
	// sequences, not pass them to the terminal (which would obey them).
	addr := loopback.Fake(t, func(conn net.Conn) { io.Copy(conn, conn) })
	line := "hi \x1b[2J\x1b]0;pwned\x07 \u009b31m 你好\n"
	var stdout, stderr strings.Builder
	code := EchoClientMain([]string{"-addr", addr, "-timeout", loopback.Timeout.String()}, strings.NewReader(line), &stdout, &stderr)
	require.Equal(t, 0, code, "echoclient's exit status; stderr: %s", stderr.String())
	want := `hi \x1b[2J\x1b]0;pwned\x07 \x9b31m 你好` + "\n"
	require.Equal(t, want, stdout.String(), "echoclient's output for the echo of %q: control characters shown as \\xNN (that filter is in programs.go), the rest as sent", line)
}
