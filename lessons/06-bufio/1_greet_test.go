package lineproto

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

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

func TestStep1_GreetingLineLimit(t *testing.T) {
	readme.Explain(t)
	longest := strings.Repeat("x", MaxLine)
	rw := &recorder{r: strings.NewReader(longest + "\r\n")}
	require.NoError(t, Greet(rw), "Greet on a line of MaxLine (%d) bytes and \"\\r\\n\"", MaxLine)
	require.Equal(t, []string{"hello " + longest + "\n"}, rw.writes, "Greet's reply to a line of MaxLine (%d) bytes: the longest line is answered", MaxLine)

	for _, tc := range []struct{ name, send string }{
		{"one byte too long", longest + "x\n"},
		{"one byte too long, crlf", longest + "x\r\n"},
		{"one byte too long, no newline", longest + "x"},
	} {
		rw := &recorder{r: strings.NewReader(tc.send)}
		err := Greet(rw)
		require.ErrorIs(t, err, ErrLineTooLong, "Greet on a line of %d bytes (%s); want ErrLineTooLong (%s)", len(longest)+1, tc.name, readme.Ref(t))
		require.Empty(t, rw.writes, "Greet's Writes for a line too long (%s): a line too long gets no reply", tc.name)
	}

	// A client that never sends a newline must not make Greet buffer it all.
	endless := &countingReader{r: io.MultiReader(io.LimitReader(&repeatReader{data: []byte("x")}, 1<<20), errReader{errors.New("the test's stream of 1 MiB without a newline ran out")})}
	rw = &recorder{r: endless}
	err := Greet(rw)
	require.LessOrEqual(t, endless.n, int64(64<<10), "Greet read %d bytes of a line with no end before giving up; a line has at most MaxLine (%d) bytes, so a small buffer is enough: ReadString grows without limit (%s)", endless.n, MaxLine, readme.Ref(t))
	require.ErrorIs(t, err, ErrLineTooLong, "Greet on an endless stream without a newline, after reading %d bytes (%s)", endless.n, readme.Ref(t))
}

func TestStep1_AcceptRetried(t *testing.T) {
	readme.Explain(t)
	acceptRetried(t, "ServeGreet", ServeGreet, func(c *transcript.Conn) {
		c.Send("alice")
		c.Expect("hello alice")
	})
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// startGreet runs ServeGreet on a free loopback port until the test ends and returns its address.
func startGreet(t *testing.T) string {
	t.Helper()
	return startServer(t, "ServeGreet", ServeGreet)
}
