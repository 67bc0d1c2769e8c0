package tcp

import (
	"context"
	"errors"
	"net"
	"sync"
)

// ErrServerClosed is what Serve returns after Shutdown.
var ErrServerClosed = errors.New("tcp: server closed")

// Server accepts connections and serves each one on its own goroutine with
// Handle, so many clients are served at once: one slow or idle client never
// makes another wait. The zero Server with Handle set is ready to use.
type Server struct {
	// Handle serves one connection. Server closes the connection after
	// Handle returns; Handle may close it earlier.
	Handle func(conn net.Conn)

	mu      sync.Mutex
	ln      net.Listener
	conns   map[net.Conn]struct{} // open connections, for Shutdown
	closing bool
	wg      sync.WaitGroup // one per running Handle
}

// Serve accepts connections from ln until Shutdown, starting
// Handle(conn) on a new goroutine for each. It closes ln when it returns.
//
// After Shutdown, Serve returns ErrServerClosed. If Accept fails with a
// temporary error (a net.Error whose Temporary method reports true, such as
// EMFILE, "too many open files", when a flood of clients has used up the
// process's file descriptors), Serve waits a little and accepts again, as
// net/http does: 5ms after the first failure, doubling up to 1s while they
// go on. If Accept fails for another reason, Serve returns that error,
// wrapped.
func (s *Server) Serve(ln net.Listener) error {
	// TODO(step 2): accept in a loop, one goroutine per connection. See README.md, step 2.
	return ErrTODO
}

// Shutdown stops the server gracefully: it stops accepting (Serve returns
// ErrServerClosed), then waits for the connections in flight to end on
// their own, and returns nil once they have.
//
// If ctx ends first, Shutdown closes the connections still open, waits for
// their Handle calls to return, and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error {
	// TODO(step 2): stop accepting, wait, force-close when ctx ends. See README.md, step 2.
	return ErrTODO
}
