package lineproto

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
)

func TestStep1_Greeting(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name       string
		send       string
		closeWrite bool // end the stream after send, as a client that sends no "\n" must
		want       string
	}{
		{"the notes' greeting", "alice\n", false, "hello alice\n"},
		{"utf-8 name", "世界\n", false, "hello 世界\n"},
		{"crlf arrives as lf, as in Python's text mode", "alice\r\n", false, "hello alice\n"},
		{"only the first line is answered", "alice\nbob\n", false, "hello alice\n"},
		{"last line without newline", "alice", true, "hello alice"},
		{"nothing sent", "", true, "hello "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr := startGreet(t)
			c := transcript.Dial(t, addr, "client")
			c.Write(tc.send)
			if tc.closeWrite {
				c.CloseWrite()
			}
			got := c.ReadAll()
			require.Equal(t, tc.want, got, "sent %q, then read until the server closed; want the reply %q, newline kept and flushed (%s)\n%s",
				tc.send, tc.want, readme.Ref(t), c.Log())
		})
	}
}

func TestStep1_GreetingOneWrite(t *testing.T) {
	readme.Explain(t)
	rw := &recorder{r: strings.NewReader("alice\n")}
	err := Greet(rw)
	require.NoError(t, err, "Greet on the input %q", "alice\n")
	require.Equal(t, []string{"hello alice\n"}, rw.writes,
		"Greet's Writes on the connection, one string per Write; want the reply in one Write, made by Flush of a bufio.Writer")
}

// recorder is an io.ReadWriter that reads from r and keeps every Write.
type recorder struct {
	r      io.Reader
	writes []string
}

func (rw *recorder) Read(p []byte) (int, error) { return rw.r.Read(p) }

func (rw *recorder) Write(p []byte) (int, error) {
	rw.writes = append(rw.writes, string(p))
	return len(p), nil
}

// countingConn counts the Write calls made on a net.Conn and the bytes they carried.
type countingConn struct {
	net.Conn
	writes int
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes++
	return c.Conn.Write(p)
}

// startGreet runs ServeGreet on a free loopback port until the test ends and returns its address.
func startGreet(t *testing.T) string {
	t.Helper()
	return startServer(t, "ServeGreet", ServeGreet)
}

// startServer runs serve on a free loopback port until the test ends and
// returns its address. If serve returns early (a stub), the listener is
// closed so that clients fail at once instead of waiting for a timeout.
func startServer(t *testing.T, name string, serve func(context.Context, net.Listener) error) string {
	t.Helper()
	ln := loopback.Listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		err := serve(ctx, ln)
		if ctx.Err() == nil {
			ln.Close() // returned before it was stopped: refuse the test's connections
		}
		served <- err
	}()
	t.Cleanup(func() {
		cancel()
		err := loopback.Wait(t, served, name+" to return after its context was cancelled")
		assert.NoError(t, err, "%s (%s)", name, readme.Ref(t))
	})
	return ln.Addr().String()
}
