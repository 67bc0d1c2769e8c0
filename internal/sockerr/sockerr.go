// Package sockerr turns socket errors into hints a student can act on.
//
// A test that fails with "read tcp 127.0.0.1:41234->127.0.0.1:38817: i/o
// timeout" is correct but unhelpful; Hint says what that usually means for
// the code under test.
package sockerr

import (
	"errors"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
)

// Hint returns one sentence on what err usually means for the student's
// code, or "" when it has nothing useful to say.
func Hint(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection ended in the middle of a message: the other side closed it (or stopped writing) too early"
	case errors.Is(err, io.EOF):
		return "the other side closed the connection (EOF): it returned or called Close before sending what was expected"
	case errors.Is(err, syscall.ECONNREFUSED) && transport(err) == "udp":
		return "connection refused: an earlier datagram to that address came back as ICMP port unreachable: nothing listens on that UDP port"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens on that address; did the server start, and on the address it was given?"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset: the other side closed the socket with data still unread, or its process died"
	case errors.Is(err, syscall.EPIPE):
		return "broken pipe: the other side had already closed the connection when this side wrote"
	case errors.Is(err, syscall.EADDRINUSE):
		return "address already in use: another socket holds that port; listen on 127.0.0.1:0 for a free one, or stop the old server"
	case errors.Is(err, net.ErrClosed):
		return "use of a closed connection: the code closed the socket and then used it again"
	case IsTimeout(err):
		switch transport(err) {
		case "udp":
			return "timeout: no datagram arrived before the deadline: the request or its reply was lost, never sent, or sent to another address (UDP never resends: the code must)"
		case "http":
			return "timeout: the HTTP exchange did not finish before the deadline: a handler that never writes its response, a body shorter than its Content-Length, or a request body nobody sends"
		}
		return "timeout: nothing arrived before the deadline; both sides may be waiting for each other (a missing \"\\n\", a missing Flush, a reply never sent)"
	}
	return ""
}

// transport says what carried the operation that failed with err: "udp"
// for datagram sockets, "http" for an HTTP client's request, "" otherwise
// (TCP and Unix streams, and errors that do not say).
func transport(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return "http"
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		switch oe.Net {
		case "udp", "udp4", "udp6", "unixgram", "ip", "ip4", "ip6":
			return "udp"
		}
	}
	return ""
}

// IsTimeout reports whether err is a deadline or timeout error.
func IsTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// Explain returns err's text followed by its hint, if any:
//
//	read tcp 127.0.0.1:1->127.0.0.1:2: i/o timeout (timeout: nothing arrived ...)
func Explain(err error) string {
	if err == nil {
		return "<nil>"
	}
	if h := Hint(err); h != "" {
		return err.Error() + " (" + h + ")"
	}
	return err.Error()
}
