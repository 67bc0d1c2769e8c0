package lineproto

import (
	"context"
	"io"
	"net"
)

// Greet answers one greeting on rw, the notes' makefile server in Go: it
// reads one line and writes "hello " followed by that line, newline and all,
// then flushes. For the line "alice\n" the exchange is
//
//	C: alice\n
//	S: hello alice\n
//
// Like Python's text-mode readline, a "\r\n" line end arrives as "\n"
// ("alice\r\n" is answered "hello alice\n"), a last line without "\n" is
// answered as it is ("alice" then end of stream: "hello alice"), and a
// stream that ends before any byte is answered "hello ".
//
// Greet reads through a bufio.Reader and writes through a bufio.Writer, so
// the whole reply leaves in one Write on rw, and only when Flush is called.
// It returns nil once the reply is flushed, or the read or write error.
func Greet(rw io.ReadWriter) error {
	// TODO(step 1): read one line with a bufio.Reader, write "hello "+line with a bufio.Writer, Flush. See README.md, step 1.
	return ErrTODO
}

// ServeGreet accepts connections on ln and runs Greet on each, one goroutine
// per connection, closing the connection when Greet returns. It stops when
// ctx is done: it closes ln and the open connections, waits for their
// goroutines, and returns nil. An Accept failure before that is returned.
func ServeGreet(ctx context.Context, ln net.Listener) error {
	// TODO(step 1): accept connections until ctx is done and run Greet on each. See README.md, step 1.
	return ErrTODO
}
