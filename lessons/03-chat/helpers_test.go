package chat

import (
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/assert"
)

// startRoom serves room on a free loopback port until the test ends; it
// returns the address.
func startRoom(t *testing.T, room *Room) string {
	t.Helper()
	return serveRoom(t, room, loopback.Listen(t))
}

// serveRoom serves room on ln until the test ends, then checks that Stop
// and Serve return in time.
func serveRoom(t *testing.T, room *Room, ln net.Listener) string {
	t.Helper()
	served := make(chan error, 1)
	go func() {
		err := room.Serve(ln)
		ln.Close() // a Serve that returned early: dials fail now, not in 5s
		served <- err
	}()
	t.Cleanup(func() {
		stopped := make(chan error, 1)
		go func() { stopped <- room.Stop() }()
		select {
		case err := <-stopped:
			assert.NoError(t, err, "Stop")
		case <-time.After(loopback.Timeout):
			t.Errorf("Stop did not return within %v (README.md, step 2)", loopback.Timeout)
			return
		}
		select {
		case err := <-served:
			assert.NoError(t, err, "Serve after Stop")
		case <-time.After(loopback.Timeout):
			t.Errorf("Serve still running %v after Stop returned (README.md, step 2)", loopback.Timeout)
		}
	})
	return ln.Addr().String()
}

// join connects name to a Lines room, sends its name and waits until name
// and every member in others have read "* name joined".
func join(t *testing.T, addr, name string, others ...*transcript.Conn) *transcript.Conn {
	t.Helper()
	c := transcript.Dial(t, addr, name)
	c.Send(name)
	c.Expect("* " + name + " joined")
	for _, o := range others {
		o.Expect("* " + name + " joined")
	}
	return c
}

// joinMany joins n members named m01, m02 ... one after the other.
func joinMany(t *testing.T, addr string, n int) []*transcript.Conn {
	t.Helper()
	var ms []*transcript.Conn
	for i := 1; i <= n; i++ {
		ms = append(ms, join(t, addr, memberName(i), ms...))
	}
	return ms
}

func memberName(i int) string { return fmt.Sprintf("m%02d", i) }

func names(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, memberName(i))
	}
	return out
}

// hookListener hands every accepted connection to wrap, with its number
// (0 for the first).
type hookListener struct {
	net.Listener
	mu   sync.Mutex
	n    int
	wrap func(i int, c net.Conn) net.Conn
}

func (l *hookListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	i := l.n
	l.n++
	l.mu.Unlock()
	return l.wrap(i, c), nil
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

// stuckConn is a member that never reads, its socket buffers full: every
// Write blocks until the connection is closed (or the test ends).
type stuckConn struct {
	net.Conn
	closed  chan struct{}
	once    sync.Once
	release <-chan struct{}
	writing chan struct{} // a value when a Write starts (buffer 1; nil: no signal)
}

func newStuckConn(c net.Conn, release <-chan struct{}) *stuckConn {
	return &stuckConn{Conn: c, closed: make(chan struct{}), release: release}
}

func (c *stuckConn) Write(p []byte) (int, error) {
	if c.writing != nil {
		select {
		case c.writing <- struct{}{}:
		default:
		}
	}
	select {
	case <-c.closed:
	case <-c.release:
	}
	return 0, net.ErrClosed
}

func (c *stuckConn) Close() error {
	c.once.Do(func() { close(c.closed) })
	return c.Conn.Close()
}

// gatedConn holds a Read that failed (the connection was closed) until
// gate is closed, and says so on atGate: the room's goroutine is then
// provably still running.
type gatedConn struct {
	net.Conn
	gate   <-chan struct{}
	atGate chan<- struct{}
}

func (c *gatedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		c.atGate <- struct{}{}
		<-c.gate
	}
	return n, err
}
