package tcp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
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
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.ln = ln
	s.mu.Unlock()
	defer ln.Close()
	var delay time.Duration // since the last temporary Accept error
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			closing := s.closing
			s.mu.Unlock()
			if closing {
				return ErrServerClosed
			}
			if ne := net.Error(nil); errors.As(err, &ne) && ne.Temporary() {
				// Out of file descriptors, say: stopping would end the
				// service for everyone. Back off and try again.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				time.Sleep(delay)
				continue
			}
			return fmt.Errorf("serve: accept on %s: %w", ln.Addr(), err)
		}
		delay = 0
		// Add under the lock that Shutdown takes to set closing: once
		// Shutdown waits, no new connection can join the group.
		s.mu.Lock()
		if s.closing {
			s.mu.Unlock()
			conn.Close()
			return ErrServerClosed
		}
		if s.conns == nil {
			s.conns = map[net.Conn]struct{}{}
		}
		s.conns[conn] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go s.serveConn(conn)
	}
}

func (s *Server) serveConn(conn net.Conn) {
	defer s.wg.Done()
	defer func() {
		s.mu.Lock()
		delete(s.conns, conn)
		s.mu.Unlock()
		conn.Close()
	}()
	s.Handle(conn)
}

// Shutdown stops the server gracefully: it stops accepting (Serve returns
// ErrServerClosed), then waits for the connections in flight to end on
// their own, and returns nil once they have.
//
// If ctx ends first, Shutdown closes the connections still open, waits for
// their Handle calls to return, and returns ctx.Err().
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	if s.ln != nil {
		s.ln.Close()
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	s.mu.Lock()
	for conn := range s.conns {
		conn.Close() // unblocks the handler's Read or Write
	}
	s.mu.Unlock()
	<-done
	return ctx.Err()
}
