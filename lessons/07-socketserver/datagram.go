package socketserver

import (
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
	// TODO(step 3): read one datagram and handle it with a Request carrying Packet and Reply. See README.md, step 3.
	return ErrTODO
}

// ServeForever handles datagrams until Shutdown or Close, then returns nil.
func (s *DatagramServer) ServeForever() error {
	// TODO(step 3): handle datagrams until Shutdown or Close. See README.md, step 3.
	return ErrTODO
}

// Shutdown stops ServeForever and waits for it to return, then, with
// BlockOnClose (the default), for the handlers still running. It closes
// the socket.
func (s *DatagramServer) Shutdown() error {
	// TODO(step 3): close the socket, wait for ServeForever (and the handlers with BlockOnClose). See README.md, step 3.
	return ErrTODO
}

// Close closes the socket and, with BlockOnClose (the default), waits for
// the handlers still running. A Unix socket's file is removed.
func (s *DatagramServer) Close() error {
	// TODO(step 3): close the socket (and wait for the handlers with BlockOnClose). See README.md, step 3.
	return ErrTODO
}
