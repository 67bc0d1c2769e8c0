package sockerr

import (
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
)

func TestHintChinese(t *testing.T) {
	t.Setenv(i18n.EnvVar, "zh")
	tests := []struct {
		name string
		err  error
		want string // a term the hint must use
	}{
		{"eof", io.EOF, "关闭了连接（EOF）"},
		{"refused", &net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, "没有程序在监听"},
		{"in use", &net.OpError{Op: "listen", Err: os.NewSyscallError("bind", syscall.EADDRINUSE)}, "127.0.0.1:0"},
		{"tcp timeout", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, "超时"},
		{"udp timeout", &net.OpError{Op: "read", Net: "udp", Err: os.ErrDeadlineExceeded}, "数据报"},
		{"closed", net.ErrClosed, "套接字"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Contains(t, Hint(tc.err), tc.want)
			assert.Contains(t, Explain(tc.err), tc.err.Error(), "the error itself stays as Go wrote it")
		})
	}
}
