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

	"github.com/netkata/netkata/internal/i18n"
)

// Hint returns one sentence on what err usually means for the student's
// code, in the student's language (i18n.Current), or "" when it has
// nothing useful to say.
func Hint(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, io.ErrUnexpectedEOF):
		return i18n.Tr("sockerr.unexpectedeof")
	case errors.Is(err, io.EOF):
		return i18n.Tr("sockerr.eof")
	case errors.Is(err, syscall.ECONNREFUSED) && transport(err) == "udp":
		return i18n.Tr("sockerr.refused.udp")
	case errors.Is(err, syscall.ECONNREFUSED):
		return i18n.Tr("sockerr.refused")
	case errors.Is(err, syscall.ECONNRESET):
		return i18n.Tr("sockerr.reset")
	case errors.Is(err, syscall.EPIPE):
		return i18n.Tr("sockerr.pipe")
	case errors.Is(err, syscall.EADDRINUSE):
		return i18n.Tr("sockerr.inuse")
	case errors.Is(err, net.ErrClosed):
		return i18n.Tr("sockerr.closed")
	case IsTimeout(err):
		switch transport(err) {
		case "udp":
			return i18n.Tr("sockerr.timeout.udp")
		case "http":
			return i18n.Tr("sockerr.timeout.http")
		}
		return i18n.Tr("sockerr.timeout")
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
		return i18n.Tr("sockerr.explain", err.Error(), h)
	}
	return err.Error()
}
