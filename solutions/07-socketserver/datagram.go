package socketserver

import (
	"errors"
	"fmt"
	"net"
	"sync"
)

// MaxPacket is the largest datagram a DatagramServer receives whole; the
// rest of a longer one is lost. It is the most a UDP datagram can carry.
const MaxPacket = 65535

// DatagramServer serves a packet socket: Python's UDPServer, or
// UnixDatagramServer when the socket is a Unix datagram socket
// (ListenUnixgram). Every datagram is one request: the handler gets it in
// Request.Packet and answers with Request.Reply, which sends to the
// datagram's sender from the server's socket.
//
// Without options it is synchronous: one datagram is handled at a time.
// Threading handles each in its own goroutine. Forking is for stream
// servers: a DatagramServer ignores it.
type DatagramServer struct {
	pc         net.PacketConn
	newHandler func() Handler
	opts       options

	mu       sync.Mutex
	quit     chan struct{} // closed by Shutdown and Close
	quitOnce sync.Once
	serving  chan struct{} // closed when the running ServeForever returns; nil if none runs
	buf      []byte        // what ReadFrom reads into; each request gets a copy

	handlers sync.WaitGroup
}

// NewDatagramServer returns a server that reads datagrams from pc and
// handles each with a new Handler from newHandler. It takes ownership of
// pc: Shutdown and Close close it.
func NewDatagramServer(pc net.PacketConn, newHandler func() Handler, opts ...Option) *DatagramServer {
	return &DatagramServer{pc: pc, newHandler: newHandler, opts: newOptions(opts), quit: make(chan struct{})}
}

// HandleRequest reads exactly one datagram and handles it, as
// StreamServer.HandleRequest handles one connection. The Packet a handler
// gets is its own: the server never reuses its bytes.
func (s *DatagramServer) HandleRequest() error {
	if s.buf == nil {
		s.buf = make([]byte, MaxPacket)
	}
	n, addr, err := s.pc.ReadFrom(s.buf)
	if err != nil {
		return fmt.Errorf("socketserver: read datagram: %w", err)
	}
	req := &Request{
		Packet:     append([]byte(nil), s.buf[:n]...),
		ClientAddr: addr,
		Reply: func(b []byte) error {
			if _, err := s.pc.WriteTo(b, addr); err != nil {
				return fmt.Errorf("reply to %v: %w", addr, err)
			}
			return nil
		},
	}
	if s.opts.threading {
		s.handlers.Add(1)
		go func() {
			defer s.handlers.Done()
			s.handle(req)
		}()
		return nil
	}
	s.handle(req)
	return nil
}

// ServeForever handles datagrams until Shutdown or Close, then returns nil.
func (s *DatagramServer) ServeForever() error {
	done := make(chan struct{})
	s.mu.Lock()
	s.serving = done
	s.mu.Unlock()
	defer close(done)
	for {
		if err := s.HandleRequest(); err != nil {
			select {
			case <-s.quit:
				return nil
			default:
			}
			return err
		}
	}
}

// Shutdown stops ServeForever and waits for it to return, then, with
// BlockOnClose (the default), for the handlers still running. It closes
// the socket.
func (s *DatagramServer) Shutdown() error {
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

// Close closes the socket and, with BlockOnClose (the default), waits for
// the handlers still running. A Unix socket's file is removed.
func (s *DatagramServer) Close() error {
	err := s.stop()
	if s.opts.blockOnClose {
		s.handlers.Wait()
	}
	return err
}

func (s *DatagramServer) stop() error {
	s.quitOnce.Do(func() { close(s.quit) })
	if err := s.pc.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("socketserver: close socket: %w", err)
	}
	return nil
}

func (s *DatagramServer) handle(req *Request) {
	if err := Run(s.newHandler(), req); err != nil {
		s.opts.logf("socketserver: datagram from %v: %v", req.ClientAddr, err)
	}
}
