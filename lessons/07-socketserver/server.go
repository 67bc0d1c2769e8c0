package socketserver

import (
	"log"
	"net"
	"sync"
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
	// TODO(step 1): accept one connection and handle it. See README.md, step 1.
	// TODO(step 2): with Threading, handle it in a goroutine the server counts. See README.md, step 2.
	// TODO(step 5): with Forking, hand it to a child (ForkRequest), at most MaxChildren alive at once. See README.md, step 5.
	return ErrTODO
}

// ServeForever handles connections, as HandleRequest does, until Shutdown
// or Close; then it returns nil. A temporary Accept failure, such as
// EMFILE when the process has run out of file descriptors, does not stop
// it: it waits (5 ms, doubling up to 1 s, as net/http does; less if
// Shutdown or Close comes first) and accepts again. It returns the error
// of Accept if accepting fails otherwise.
func (s *StreamServer) ServeForever() error {
	// TODO(step 1): handle connections until Shutdown or Close. See README.md, step 1.
	return ErrTODO
}

// Shutdown stops ServeForever and waits for it to return (Python's
// shutdown). It closes the listener. A synchronous server's ServeForever
// returns only when the connection it is handling ends, so Shutdown waits
// for that too. With BlockOnClose (the default) Shutdown then waits for
// every handler still running; with BlockOnClose(false) it does not.
func (s *StreamServer) Shutdown() error {
	// TODO(step 1): close the listener, wait for ServeForever. See README.md, step 1.
	// TODO(step 2): and wait for the handlers with BlockOnClose. See README.md, step 2.
	return ErrTODO
}

// Close closes the listener (Python's server_close) and, with BlockOnClose
// (the default), waits for the handlers still running. A Unix socket's
// file is removed. Calling Close after Shutdown is fine.
func (s *StreamServer) Close() error {
	// TODO(step 1): close the listener (step 2: wait for the handlers with BlockOnClose). See README.md, step 1.
	return ErrTODO
}
