package socketserver

import (
	"errors"
	"fmt"
	"log"
	"net"
	"sync"
	"syscall"
	"time"
)

// Option changes how a server handles its requests: Python's mix-in
// classes and class attributes, as function arguments.
type Option func(*options)

type options struct {
	threading    bool                             // ThreadingMixIn: a goroutine per request
	fork         string                           // ForkingMixIn: the child handler's name, "" for none
	maxChildren  int                              // max_children: children alive at once
	blockOnClose bool                             // block_on_close: Shutdown and Close wait for handlers
	logf         func(format string, args ...any) // handle_error
}

func newOptions(opts []Option) options {
	o := options{blockOnClose: true, maxChildren: DefaultMaxChildren, logf: log.Printf}
	for _, opt := range opts {
		opt(&o)
	}
	o.maxChildren = max(o.maxChildren, 1)
	return o
}

// Threading handles every request in its own goroutine, as Python's
// ThreadingMixIn does with a thread: the server goes back to accepting at
// once, so many clients are served together.
func Threading() Option { return func(o *options) { o.threading = true } }

// BlockOnClose says whether Shutdown and Close wait for the requests still
// being handled (Python's block_on_close, true by default). false is
// Python's daemon_threads: Shutdown and Close return at once, and handlers
// still running end on their own.
func BlockOnClose(block bool) Option { return func(o *options) { o.blockOnClose = block } }

// ErrorLog sets where a server reports a request that failed or panicked
// (Python's handle_error); the default is log.Printf.
func ErrorLog(logf func(format string, args ...any)) Option {
	return func(o *options) { o.logf = logf }
}

// StreamServer serves a stream listener: Python's TCPServer, or
// UnixStreamServer when the listener is a Unix socket (ListenUnix).
//
// Without options it is synchronous: it handles one connection at a time,
// in the goroutine that called ServeForever or HandleRequest, and accepts
// the next only when the handler has finished. Threading and Forking make
// it concurrent.
type StreamServer struct {
	ln         net.Listener
	newHandler func() Handler
	opts       options

	mu       sync.Mutex
	quit     chan struct{} // closed by Shutdown and Close
	quitOnce sync.Once
	serving  chan struct{} // closed when the running ServeForever returns; nil if none runs

	handlers sync.WaitGroup // goroutines handling requests, and children being waited for
	children chan struct{}  // Forking: a token per child alive, at most maxChildren
}

// NewStreamServer returns a server that accepts connections on ln and
// handles each with a new Handler from newHandler. It takes ownership of
// ln: Shutdown and Close close it.
func NewStreamServer(ln net.Listener, newHandler func() Handler, opts ...Option) *StreamServer {
	o := newOptions(opts)
	return &StreamServer{ln: ln, newHandler: newHandler, opts: o, quit: make(chan struct{}),
		children: make(chan struct{}, o.maxChildren)}
}

// HandleRequest accepts exactly one connection and handles it (Python's
// handle_request). A synchronous server returns when the handler has
// finished and the connection is closed; a threading or forking server
// returns once the handling has started. A failed or panicking handler is
// logged, not returned: the error is that of Accept.
func (s *StreamServer) HandleRequest() error {
	conn, err := s.ln.Accept()
	if err != nil {
		return fmt.Errorf("socketserver: accept: %w", err)
	}
	s.process(conn)
	return nil
}

// ServeForever handles connections, as HandleRequest does, until Shutdown
// or Close; then it returns nil. A temporary Accept failure, such as
// EMFILE when the process has run out of file descriptors, does not stop
// it: it waits (5 ms, doubling up to 1 s, as net/http does; less if
// Shutdown or Close comes first) and accepts again. It returns the error
// of Accept if accepting fails otherwise.
func (s *StreamServer) ServeForever() error {
	done := make(chan struct{})
	s.mu.Lock()
	s.serving = done
	s.mu.Unlock()
	defer close(done)
	var pause time.Duration
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			select {
			case <-s.quit:
				return nil
			default:
			}
			if !temporary(err) {
				return fmt.Errorf("socketserver: accept: %w", err)
			}
			// Out of file descriptors, say: back off and accept again, as
			// net/http's Server.Serve does, rather than stop for everyone.
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			select {
			case <-s.quit:
				return nil
			case <-time.After(pause):
			}
			continue
		}
		pause = 0
		s.process(conn)
	}
}

// temporary reports whether an Accept error is worth retrying: EMFILE and
// ENFILE (out of file descriptors), ECONNABORTED, or any error that says it
// is temporary.
func temporary(err error) bool {
	var ne interface{ Temporary() bool }
	if errors.As(err, &ne) && ne.Temporary() {
		return true
	}
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, syscall.ECONNABORTED)
}

// Shutdown stops ServeForever and waits for it to return (Python's
// shutdown). It closes the listener. A synchronous server's ServeForever
// returns only when the connection it is handling ends, so Shutdown waits
// for that too. With BlockOnClose (the default) Shutdown then waits for
// every handler still running; with BlockOnClose(false) it does not.
func (s *StreamServer) Shutdown() error {
	err := s.stop()
	s.mu.Lock()
	serving := s.serving
	s.mu.Unlock()
	if serving != nil {
		<-serving
	}
	if s.opts.blockOnClose {
		s.handlers.Wait()
	}
	return err
}

// Close closes the listener (Python's server_close) and, with BlockOnClose
// (the default), waits for the handlers still running. A Unix socket's
// file is removed. Calling Close after Shutdown is fine.
func (s *StreamServer) Close() error {
	err := s.stop()
	if s.opts.blockOnClose {
		s.handlers.Wait()
	}
	return err
}

// stop marks the server as stopping and closes the listener, which ends a
// blocked Accept.
func (s *StreamServer) stop() error {
	s.quitOnce.Do(func() { close(s.quit) })
	if err := s.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("socketserver: close listener: %w", err)
	}
	return nil
}

// process handles conn as the options say: in a child process, in a new
// goroutine, or right here.
func (s *StreamServer) process(conn net.Conn) {
	if s.opts.fork != "" {
		s.forkRequest(conn)
		return
	}
	if s.opts.threading {
		s.handlers.Add(1)
		go func() {
			defer s.handlers.Done()
			s.handle(conn)
		}()
		return
	}
	s.handle(conn)
}

// handle runs a new handler on conn, logs its failure and closes conn.
func (s *StreamServer) handle(conn net.Conn) {
	defer conn.Close()
	req := &Request{Conn: conn, ClientAddr: conn.RemoteAddr()}
	if err := Run(s.newHandler(), req); err != nil {
		s.opts.logf("socketserver: request from %v: %v", req.ClientAddr, err)
	}
}
