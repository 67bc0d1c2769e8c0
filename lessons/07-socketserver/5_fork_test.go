package socketserver

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
)

func TestStep5_ForkingRunsInChild(t *testing.T) {
	readme.Explain(t)
	skipUnlessFork(t)
	ln, _ := startForking(t, "pid")
	// Two clients at once: each is served by a child of its own.
	alice := dialName(t, ln, "alice")
	bob := dialName(t, ln, "bob")
	pa := childPID(t, alice)
	pb := childPID(t, bob)
	for name, pid := range map[string]int{"alice": pa, "bob": pb} {
		require.NotEqual(t, os.Getpid(), pid,
			"%s's handler ran in the server's own process (pid %d): Forking runs it in a child", name, pid)
	}
	require.NotEqual(t, pa, pb, "alice and bob were handled by the same process %d: one child per connection", pa)
	bob.Write("b1")
	alice.Write("a1")
	bob.ExpectBytes("Your msg = b1")
	alice.ExpectBytes("Your msg = a1")
	alice.Write("quit")
	alice.ExpectEOF()
	bob.Write("quit")
	bob.ExpectEOF()
}

func TestStep5_ForkingReapsChildren(t *testing.T) {
	readme.Explain(t)
	skipUnlessFork(t)
	var mu sync.Mutex
	var logged []string
	ln, srv := startForkingLog(t, "pid", func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		logged = append(logged, fmt.Sprintf(format, args...))
	})
	var pids []int
	for _, name := range []string{"alice", "bob", "carol"} {
		c := dialName(t, ln, name)
		pids = append(pids, childPID(t, c))
		c.Write("bye")
		c.ExpectBytes("Your msg = bye")
		c.Write("quit")
		c.ExpectEOF() // the child closed: it is exiting or has exited
	}
	// Close waits for the children (BlockOnClose); after it, every child
	// must be gone, not a zombie waiting for its parent's wait().
	require.NoError(t, srv.Close(), "Close")
	for _, pid := range pids {
		require.Truef(t, processGone(pid),
			"child %d still exists after Close: %s; a parent must Wait for every child it starts (cmd.Wait)",
			pid, processState(pid))
	}
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, logged, "what the server logged (ErrorLog) for three children that all exited with status 0: only a failed child is an error (%s)", readme.Ref(t))
}

func TestStep5_ForkingEchoServer(t *testing.T) {
	readme.Explain(t)
	skipUnlessFork(t)
	ln, _ := startForking(t, "echo")
	var wg sync.WaitGroup
	for i := range 3 {
		c := dialName(t, ln, fmt.Sprintf("client%d", i))
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := strings.Repeat(strconv.Itoa(i), 10+i)
			if _, err := c.Net().Write([]byte(msg)); err != nil {
				t.Errorf("send %q: %v", msg, err)
				return
			}
			want := ReplyPrefix + msg
			got := make([]byte, len(want))
			if _, err := readFull(c.Net(), got); err != nil || string(got) != want {
				t.Errorf("sent %q to a forking echo server; got %q (%v), want %q", msg, got, err, want)
			}
		}()
	}
	wg.Wait()
}

func TestStep5_ForkingLimitsChildren(t *testing.T) {
	readme.Explain(t)
	skipUnlessFork(t)
	ln, _ := startForking(t, "pid", MaxChildren(2))
	alice := dialName(t, ln, "alice")
	bob := dialName(t, ln, "bob")
	childPID(t, alice)
	childPID(t, bob)
	// Both slots are taken: carol must wait until a child exits. A child
	// for her would send its "pid N" line at once; give it a moment to.
	carol := dialName(t, ln, "carol")
	if line, ok := lineWithin(carol.Net(), 300*time.Millisecond); ok {
		t.Fatalf("carol got %q while alice's and bob's children were alive under MaxChildren(2): "+
			"a third child started; wait for a free slot before starting a child (%s)", line, readme.Ref(t))
	}
	alice.Write("quit")
	alice.ExpectEOF() // alice's child ends: carol's may start once it is reaped
	pid := childPID(t, carol)
	require.NotEqual(t, os.Getpid(), pid, "carol's handler ran in the server's own process")
	for _, c := range []*transcript.Conn{bob, carol} {
		c.Write("quit")
		c.ExpectEOF()
	}
}

// lineWithin reads from conn for at most d and returns what came, and
// whether anything did. It leaves conn's read deadline cleared.
func lineWithin(conn net.Conn, d time.Duration) (string, bool) {
	conn.SetReadDeadline(time.Now().Add(d))
	defer conn.SetReadDeadline(time.Time{})
	buf := make([]byte, 64)
	n, _ := conn.Read(buf)
	return string(buf[:n]), n > 0
}

// startForking serves a StreamServer with Forking(name) and opts until the
// test ends.
func startForking(t *testing.T, name string, opts ...Option) (*notifyListener, *StreamServer) {
	t.Helper()
	return startForkingLog(t, name, t.Logf, opts...)
}

// startForkingLog is startForking with logf as the server's ErrorLog.
func startForkingLog(t *testing.T, name string, logf func(format string, args ...any), opts ...Option) (*notifyListener, *StreamServer) {
	t.Helper()
	ln := newNotifyListener(t)
	srv := NewStreamServer(ln, func() Handler {
		t.Errorf("a forking server called its newHandler: the child runs the handler named %q", name)
		return NewEcho()
	}, append([]Option{Forking(name), ErrorLog(logf)}, opts...)...)
	serveForever(t, srv, ln)
	return ln, srv
}

// childPID reads the "pid N\n" line the pid handler sends first.
func childPID(t *testing.T, c *transcript.Conn) int {
	t.Helper()
	line := c.ReadLine()
	pid, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(line), "pid "))
	require.NoError(t, err, "the child's first line %q, want \"pid N\"", line)
	return pid
}

func skipUnlessFork(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skipf("skipped: passing a socket to a child process needs Unix, not %s", runtime.GOOS)
	}
}

// processState describes pid from /proc where there is one.
func processState(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "its state is unknown"
	}
	// pid (comm) S ...: the state letter follows the command's ')'.
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		if s[i+2] == 'Z' {
			return "it is a zombie (state Z in /proc)"
		}
		return "its state is " + s[i+2:i+3]
	}
	return "it still exists"
}

func BenchmarkThreadingEcho(b *testing.B) { benchmarkConnections(b, Threading()) }

func BenchmarkForkingEcho(b *testing.B) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		b.Skip("forking needs Unix")
	}
	benchmarkConnections(b, Forking("echo"))
}

// benchmarkConnections measures the request rate: each op is one client
// connecting, one message and its reply, "quit" and the server's close.
func benchmarkConnections(b *testing.B, opts ...Option) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := NewStreamServer(ln, NewEcho, opts...)
	go srv.ServeForever()
	defer srv.Shutdown()
	msg := []byte("hello")
	want := ReplyPrefix + string(msg)
	buf := make([]byte, len(want))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), loopback.Timeout)
		if err != nil {
			b.Fatal(err)
		}
		conn.Write(msg)
		if _, err := readFull(conn, buf); err != nil || string(buf) != want {
			b.Fatalf("reply %q, %v; want %q", buf, err, want)
		}
		conn.Write([]byte(Quit))
		if _, err := readFull(conn, buf[:1]); err == nil {
			b.Fatalf("no close after %q", Quit)
		}
		conn.Close()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}
