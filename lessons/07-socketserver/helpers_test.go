package socketserver

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/transcript"
)

// hookHandler is a Handler made of functions; a nil one does nothing.
type hookHandler struct {
	setup  func(*Request) error
	handle func(*Request) error
	finish func(*Request, error)
}

func (h *hookHandler) Setup(req *Request) error {
	if h.setup == nil {
		return nil
	}
	return h.setup(req)
}

func (h *hookHandler) Handle(req *Request) error {
	if h.handle == nil {
		return nil
	}
	return h.handle(req)
}

func (h *hookHandler) Finish(req *Request, err error) {
	if h.finish != nil {
		h.finish(req, err)
	}
}

// notifyListener tells the test when the server calls Accept and when it
// closes the listener.
type notifyListener struct {
	net.Listener
	accepting chan struct{} // gets a value each time Accept is called
	closed    chan struct{} // closed by the first Close
	once      sync.Once
}

func newNotifyListener(t *testing.T) *notifyListener {
	t.Helper()
	return wrapListener(loopback.Listen(t))
}

func wrapListener(ln net.Listener) *notifyListener {
	return &notifyListener{Listener: ln, accepting: make(chan struct{}, 100), closed: make(chan struct{})}
}

func (l *notifyListener) Accept() (net.Conn, error) {
	select {
	case l.accepting <- struct{}{}:
	default:
	}
	return l.Listener.Accept()
}

func (l *notifyListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// running is a ServeForever running in a goroutine.
type running struct {
	done chan struct{} // closed when ServeForever returned
	err  error         // what it returned, once done
}

// serveForever runs srv.ServeForever until the test ends, and waits until
// it accepts (or returns at once, as a stub does: then the test fails
// now). The cleanup shuts srv down and checks that ServeForever returned nil.
func serveForever(t *testing.T, srv server, ln *notifyListener) *running {
	t.Helper()
	run := &running{done: make(chan struct{})}
	go func() {
		defer close(run.done)
		run.err = srv.ServeForever()
	}()
	t.Cleanup(func() { stopServer(t, srv, run) })
	waitOrStopped(t, ln.accepting, run, "ServeForever to call Accept")
	return run
}

// stopServer shuts srv down, within Timeout, and checks ServeForever's end.
func stopServer(t *testing.T, srv server, run *running) {
	t.Helper()
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown() }()
	select {
	case err := <-shut:
		if err != nil {
			t.Errorf("Shutdown = %v, want nil", err)
		}
	case <-time.After(loopback.Timeout):
		t.Errorf("Shutdown still running after %v (a client left connected to a synchronous server? README.md, step 1)", loopback.Timeout)
		return
	}
	select {
	case <-run.done:
		if run.err != nil {
			t.Errorf("ServeForever = %v, want nil after Shutdown", run.err)
		}
	case <-time.After(loopback.Timeout):
		t.Errorf("ServeForever still running %v after Shutdown returned", loopback.Timeout)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close after Shutdown = %v, want nil", err)
	}
}

// waitOrStopped waits for ch, failing at once if ServeForever returns first.
func waitOrStopped[T any](t *testing.T, ch <-chan T, run *running, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-run.done:
		t.Fatalf("ServeForever returned %v while the test waited for %s", run.err, what)
	case <-time.After(loopback.Timeout):
		t.Fatalf("waited %v for %s, and it did not happen", loopback.Timeout, what)
	}
	panic("unreachable")
}

// startStream serves a StreamServer with newHandler on a loopback port
// until the test ends and returns its listener.
func startStream(t *testing.T, newHandler func() Handler, opts ...Option) *notifyListener {
	t.Helper()
	ln := newNotifyListener(t)
	serveForever(t, NewStreamServer(ln, newHandler, opts...), ln)
	return ln
}

// dialName connects to ln's address, on ln's network, as the client name.
func dialName(t *testing.T, ln net.Listener, name string) *transcript.Conn {
	t.Helper()
	return transcript.New(t, loopback.DialOn(t, ln.Addr().Network(), ln.Addr().String()), name)
}

// readFull reads len(p) bytes from conn within the test's deadline.
func readFull(conn net.Conn, p []byte) (int, error) {
	if err := conn.SetReadDeadline(loopback.Deadline()); err != nil {
		return 0, err
	}
	n := 0
	for n < len(p) {
		m, err := conn.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// startDatagramServer is startDatagram for a server already made.
func startDatagramServer(t *testing.T, srv *DatagramServer) {
	t.Helper()
	run := &running{done: make(chan struct{})}
	go func() {
		defer close(run.done)
		run.err = srv.ServeForever()
	}()
	t.Cleanup(func() { stopServer(t, srv, run) })
}

type server interface {
	ServeForever() error
	Shutdown() error
	Close() error
}
