package transcript

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		want, got string
		out       string
	}{
		{
			"one byte differs", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 Ok\r\n",
			"  want S: \"HTTP/1.1 200 OK\\r\\n\"\n" +
				"  got  S: \"HTTP/1.1 200 Ok\\r\\n\"\n" +
				"                         ^ first difference at byte 14",
		},
		{
			"got is short", "hello\n", "hel",
			"  want S: \"hello\\n\"\n" +
				"  got  S: \"hel\"\n" +
				"              ^ got ends here: 3 bytes missing",
		},
		{
			"extra data", "hi\n", "hi\nthere\n",
			"  want S: \"hi\\n\"\n" +
				"  got  S: \"hi\\nthere\\n\"\n" +
				"               ^ extra data after the expected reply (6 bytes)",
		},
		{
			"wide characters", "你好 bob\n", "你好 bib\n",
			"  want S: \"你好 bob\\n\"\n" +
				"  got  S: \"你好 bib\\n\"\n" +
				"                 ^ first difference at byte 8",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.out, Diff(Server, []byte(tc.want), []byte(tc.got)))
		})
	}
}

func TestLogString(t *testing.T) {
	var l Log
	l.Add("alice", Client, []byte("alice\n"))
	l.Add("bob", Client, []byte("bob\n"))
	l.Add("alice", Server, []byte("* bob "))
	l.Add("alice", Server, []byte("joined\nhi"))
	assert.Equal(t, ""+
		"alice C: \"alice\\n\"\n"+
		"bob   C: \"bob\\n\"\n"+
		"alice S: \"* bob joined\\n\"\n"+
		"alice S: \"hi\"", l.String())
	assert.Equal(t, "* bob joined\nhi", string(l.Sent("alice", Server)))

	var one Log
	one.Add("c", Client, []byte("x"))
	assert.Equal(t, `C: "x"`, one.String(), "one connection: no name column")
}

func TestShellPrintf(t *testing.T) {
	in := []byte("GET / HTTP/1.1\r\n50% it's\\ 你\n")
	got := ShellPrintf(in)
	assert.Equal(t, `'GET / HTTP/1.1\r\n50%% it'\''s\\ \344\275\240\n'`, got)
	if runtime.GOOS == "windows" {
		return
	}
	out, err := exec.Command("sh", "-c", "printf "+got).Output()
	require.NoError(t, err)
	assert.Equal(t, string(in), string(out), "printf %s writes the bytes back", got)
}

// echoOnce accepts one connection and answers each line with reply(line),
// then closes when the client half-closes.
func echoOnce(t *testing.T, reply func(string) string) string {
	ln := loopback.Listen(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		b, _ := io.ReadAll(conn)
		for _, line := range strings.SplitAfter(string(b), "\n") {
			if line != "" {
				io.WriteString(conn, reply(line))
			}
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func TestConnHappyPath(t *testing.T) {
	addr := echoOnce(t, func(s string) string { return s })
	c := Dial(t, addr, "client")
	c.Send("hello")
	c.Write("world\r\n")
	c.CloseWrite()
	c.Expect("hello")
	c.ExpectBytes("world\r\n")
	c.ExpectEOF()
	assert.Contains(t, c.Log().String(), `C: "hello\n"`)
}

// fakeT stands in for a test so that a helper's failure can be inspected.
type fakeT struct {
	*testing.T
	failed string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatal(args ...any) {
	f.failed = fmt.Sprint(args...)
	runtime.Goexit()
}
func (f *fakeT) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }

// failure runs fn with a fake test and returns its failure message.
func failure(t *testing.T, fn func(ft *fakeT)) string {
	ft := &fakeT{T: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(ft)
	}()
	<-done
	require.NotEmpty(t, ft.failed, "the helper should have failed")
	return ft.failed
}

func TestConnMismatchShowsTranscript(t *testing.T) {
	addr := echoOnce(t, strings.ToUpper)
	msg := failure(t, func(ft *fakeT) {
		c := Dial(ft, addr, "client")
		c.Send("hello")
		c.CloseWrite()
		c.Expect("hello")
	})
	assert.Contains(t, msg, "client read a line that differ")
	assert.Contains(t, msg, "  want S: \"hello\\n\"\n  got  S: \"HELLO\\n\"\n           ^ first difference at byte 0")
	assert.Contains(t, msg, `C: "hello\n"`)
	assert.Contains(t, msg, `printf 'hello\n' | nc 127.0.0.1 `)
}

func TestConnTimeoutSaysWhatItWaitedFor(t *testing.T) {
	old := loopback.Timeout
	loopback.Timeout = 50 * 1e6 // 50ms
	t.Cleanup(func() { loopback.Timeout = old })
	ln := loopback.Listen(t)
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			accepted <- conn
		}
	}()
	msg := failure(t, func(ft *fakeT) {
		c := Dial(ft, ln.Addr().String(), "bob")
		srv := loopback.Wait(t, accepted, "accept")
		defer srv.Close()
		io.WriteString(srv, "alice: hel")
		c.Expect("alice: hello")
	})
	assert.Contains(t, msg, "bob waited 50ms for a line and got only \"alice: hel\"")
	assert.Contains(t, msg, `want S: "alice: hello\n"`)
	assert.Contains(t, msg, "hint: timeout")
}

func TestExpectEOFReportsExtraData(t *testing.T) {
	addr := echoOnce(t, func(s string) string { return s + "extra\n" })
	msg := failure(t, func(ft *fakeT) {
		c := Dial(ft, addr, "client")
		c.Send("hi")
		c.CloseWrite()
		c.Expect("hi")
		c.ExpectEOF()
	})
	assert.Contains(t, msg, `extra data after the expected reply: "extra\n"`)
}

func TestListenerRecordsServerSide(t *testing.T) {
	var l Log
	ln := l.Listener(loopback.Listen(t))
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		buf := make([]byte, 4)
		n, _ := io.ReadFull(conn, buf)
		conn.Write(buf[:n])
	}()
	c := loopback.Dial(t, ln.Addr().String())
	c.Write([]byte("ping"))
	io.ReadFull(c, make([]byte, 4))
	<-done
	assert.Equal(t, "C: \"ping\"\nS: \"ping\"", l.String())
}

func TestReplayCommandOnePrintfPerMessage(t *testing.T) {
	got := ReplayCommand(t, "client", [][]byte{[]byte("HELO x\r\n"), []byte("QUIT\r\n")})
	assert.Equal(t, `{ printf 'HELO x\r\n'; sleep `+ReplayPause+`; printf 'QUIT\r\n'; }`, got)
	assert.Equal(t, `printf 'hi'`, ReplayCommand(t, "client", [][]byte{[]byte("hi")}))
}

func TestReplayCommandLongMessageInAFile(t *testing.T) {
	long := []byte(strings.Repeat("x", 20000) + "\n")
	got := ReplayCommand(t, "client", [][]byte{[]byte("hi\n"), long})
	assert.Less(t, len(got), 200, "the command stays short: %s", got)
	m := regexp.MustCompile(`cat '([^']+)'`).FindStringSubmatch(got)
	require.NotNil(t, m, "the long message is cat from a file: %s", got)
	b, err := os.ReadFile(m[1])
	require.NoError(t, err)
	assert.Equal(t, long, b, "the file holds the message's bytes")
	assert.True(t, strings.HasPrefix(got, `{ printf 'hi\n'; sleep `), got)
}
