package sockerr

import (
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHint(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // a word the hint must contain
	}{
		{"eof", io.EOF, "EOF"},
		{"wrapped eof", fmt.Errorf("read reply: %w", io.EOF), "EOF"},
		{"unexpected eof", io.ErrUnexpectedEOF, "middle of a message"},
		{"refused", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, "nothing listens"},
		{"reset", &net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, "reset"},
		{"in use", &net.OpError{Op: "listen", Err: os.NewSyscallError("bind", syscall.EADDRINUSE)}, "127.0.0.1:0"},
		{"timeout", fmt.Errorf("read: %w", os.ErrDeadlineExceeded), "deadline"},
		{"closed", net.ErrClosed, "closed"},
		{"tcp timeout", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, "Flush"},
		{"udp timeout", &net.OpError{Op: "read", Net: "udp", Err: os.ErrDeadlineExceeded}, "no datagram arrived"},
		{"udp refused", &net.OpError{Op: "read", Net: "udp", Err: os.NewSyscallError("recvfrom", syscall.ECONNREFUSED)}, "ICMP port unreachable"},
		{"http timeout", &url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: os.ErrDeadlineExceeded}, "HTTP exchange"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, Hint(tc.err), tc.want)
			assert.Contains(t, Explain(tc.err), tc.err.Error())
		})
	}
	assert.Empty(t, Hint(nil))
	assert.Empty(t, Hint(fmt.Errorf("something else")))
}

func TestTimeoutAdviceFitsTheTransport(t *testing.T) {
	// TCP advice (a missing "\n", a missing Flush) means nothing for a
	// datagram or an HTTP request.
	for _, err := range []error{
		&net.OpError{Op: "read", Net: "udp", Err: os.ErrDeadlineExceeded},
		&url.Error{Op: "Get", URL: "http://127.0.0.1:1/", Err: os.ErrDeadlineExceeded},
	} {
		assert.NotContains(t, Hint(err), "Flush", "%v", err)
		assert.NotContains(t, Hint(err), `"\n"`, "%v", err)
	}
}
