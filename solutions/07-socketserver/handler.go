package socketserver

import (
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
)

// Request is one request a server hands to a Handler: Python's
// self.request and self.client_address.
//
// A stream server (TCP, Unix stream) sets Conn, the client's connection;
// the server closes it after Finish. A datagram server (UDP, Unix datagram)
// sets Packet, the datagram received, and Reply, which sends one datagram
// back to ClientAddr.
type Request struct {
	Conn       net.Conn           // stream servers: the connection to the client
	Packet     []byte             // datagram servers: the datagram received
	Reply      func([]byte) error // datagram servers: send a datagram back to the client
	ClientAddr net.Addr           // the client's address (may be empty for Unix sockets)
}

// Handler handles requests, as Python's BaseRequestHandler does. A server
// makes a new Handler for every request (its newHandler func, Python's
// RequestHandlerClass), so a Handler may keep per-request state in its
// fields: a Handler is never shared between two requests.
//
// Run calls Setup, then Handle, then Finish.
type Handler interface {
	// Setup prepares for Handle. If it fails, neither Handle nor Finish runs.
	Setup(req *Request) error
	// Handle serves the request.
	Handle(req *Request) error
	// Finish cleans up after Handle; err is what Handle returned (or the
	// ErrPanic error of a panic in Handle). It runs whenever Setup succeeded.
	Finish(req *Request, err error)
}

// ErrPanic marks the error Run returns when Setup, Handle or Finish panicked.
var ErrPanic = errors.New("socketserver: handler panicked")

// Run runs h on req: Setup, then Handle, then Finish, as Python's
// BaseRequestHandler.__init__ does (setup(); try: handle() finally: finish()).
//
// Finish runs whenever Setup succeeded, even when Handle returns an error
// or panics. A panic in any of the three is recovered and returned as an
// error wrapping ErrPanic, with the panic value and the stack, so one bad
// request never takes the server down. Run returns Setup's or Handle's
// error, or nil.
func Run(h Handler, req *Request) (err error) {
	serr := protect(func() error {
		return h.Setup(req)
	})
	if serr != nil {
		return fmt.Errorf("setup: %w", serr)
	}
	err = protect(func() error {
		return h.Handle(req)
	})
	// Finish runs whatever Handle did; a panic in Finish is reported too.
	ferr := protect(func() error {
		h.Finish(req, err)
		return nil
	})
	if ferr != nil && err == nil {
		err = fmt.Errorf("finish: %w", ferr)
	}
	return err
}

// protect calls f and turns a panic into an error wrapping ErrPanic.
func protect(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v\n%s", ErrPanic, p, debug.Stack())
		}
	}()
	return f()
}

// ReplyPrefix starts every reply of the echo handler.
const ReplyPrefix = "Your msg = "

// Quit is the message that ends an echo session.
const Quit = "quit"

// BufSize is how many bytes the echo handler reads at a time, as the notes'
// self.request.recv(1024).
const BufSize = 1024

// Echo is the notes' MyRequestHandler. On a stream it reads up to BufSize
// bytes at a time and answers each chunk with one write of
//
//	Your msg = <the chunk>
//
// until the chunk is exactly "quit" (no reply) or the client closes its
// end; either ends the session with a nil error. A read error ends it with
// that error. On a datagram server each datagram is one chunk: it is
// answered the same way with Reply, except "quit", which gets no reply.
//
// An Echo keeps its buffer in its fields, made by Setup: use a new Echo for
// every request (NewEcho).
type Echo struct {
	buf []byte
}

// NewEcho returns a new Echo handler; pass NewEcho to a server as its
// newHandler.
func NewEcho() Handler { return &Echo{} }

// Setup makes the buffer this request reads into.
func (e *Echo) Setup(req *Request) error {
	e.buf = make([]byte, len(ReplyPrefix)+BufSize)
	copy(e.buf, ReplyPrefix)
	return nil
}

// Handle answers each chunk with ReplyPrefix and the chunk, until "quit".
func (e *Echo) Handle(req *Request) error {
	if req.Conn == nil {
		if string(req.Packet) == Quit {
			return nil
		}
		return req.Reply(append([]byte(ReplyPrefix), req.Packet...))
	}
	for {
		// Read straight after the prefix: the reply is then one Write.
		n, err := req.Conn.Read(e.buf[len(ReplyPrefix):])
		if n > 0 {
			chunk := e.buf[len(ReplyPrefix) : len(ReplyPrefix)+n]
			if string(chunk) == Quit {
				return nil
			}
			if _, werr := req.Conn.Write(e.buf[:len(ReplyPrefix)+n]); werr != nil {
				return fmt.Errorf("echo reply: %w", werr)
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("echo read: %w", err)
		}
	}
}

// Finish does nothing: the server closes the connection.
func (e *Echo) Finish(req *Request, err error) {}
