package sockerr

import (
	"fmt"
	"io"
	"net"
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
