package lineproto

import (
	"context"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
)

// acceptRetried checks that serve rides out temporary Accept failures
// (EMFILE) and returns on a permanent one; talk checks one exchange.
func acceptRetried(t *testing.T, name string, serve func(context.Context, net.Listener) error, talk func(c *transcript.Conn)) {
	t.Helper()
	const failures = 3
	ln := loopback.Flaky(loopback.Listen(t), failures)
	addr := startServerOn(t, ln, name, serve)
	c := transcript.Dial(t, addr, "client")
	talk(c)
	require.Equal(t, failures, ln.Failed(), "Accepts that failed with EMFILE before %s served the client", name)

	// A closed listener is no temporary failure: serve returns an error.
	closed := loopback.Listen(t)
	closed.Close()
	served := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { served <- serve(ctx, closed) }()
	err := loopback.Wait(t, served, name+" to return on a closed listener")
	require.Error(t, err, "%s on a listener that was closed before it started; want the Accept error (%s)", name, readme.Ref(t))
	require.NotErrorIs(t, err, ErrTODO, "%s on a closed listener", name)
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

// startServer runs serve on a free loopback port until the test ends and
// returns its address. If serve returns early (a stub), the listener is
// closed so that clients fail at once instead of waiting for a timeout.
func startServer(t *testing.T, name string, serve func(context.Context, net.Listener) error) string {
	t.Helper()
	return startServerOn(t, loopback.Listen(t), name, serve)
}

// splitReads returns a reader whose Reads return reads one string at a time.
func splitReads(reads []string) io.Reader {
	rs := make([]io.Reader, len(reads))
	for i, s := range reads {
		rs[i] = strings.NewReader(s)
	}
	return io.MultiReader(rs...)
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// repeatReader returns data over and over, forever, without allocating.
type repeatReader struct {
	data []byte
	off  int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m := copy(p[n:], r.data[r.off:])
		n += m
		r.off = (r.off + m) % len(r.data)
	}
	return n, nil
}

// startServerOn is startServer on a listener of the test's choosing.
func startServerOn(t *testing.T, ln net.Listener, name string, serve func(context.Context, net.Listener) error) string {
	t.Helper()
	loopback.Serve(t, name, func(ctx context.Context) error { return serve(ctx, ln) }, func() { ln.Close() })
	return ln.Addr().String()
}
