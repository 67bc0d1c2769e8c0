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
// A line is at most MaxLine bytes, not counting its "\n" or "\r\n". A
// longer one gets no reply: Greet returns ErrLineTooLong as soon as it has
// seen MaxLine+2 bytes without a "\n", so a client that sends a gigabyte
// and never a newline costs it one small buffer, not a gigabyte.
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
// goroutines, and returns nil.
//
// A temporary Accept failure, such as EMFILE when the process has run out
// of file descriptors, does not stop the server: it waits (5 ms, doubling
// up to 1 s, as net/http does; less if ctx is done first) and accepts
// again. Any other Accept failure before ctx is done is returned.
func ServeGreet(ctx context.Context, ln net.Listener) error {
	// TODO(step 1): accept connections until ctx is done and run Greet on each. See README.md, step 1.
	return ErrTODO
}
