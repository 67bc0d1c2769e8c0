package loopback

import (
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestListenDial(t *testing.T) {
	ln := Listen(t)
	require.Contains(t, ln.Addr().String(), "127.0.0.1:")
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			accepted <- conn
		}
	}()
	client := Dial(t, ln.Addr().String())
	server := Wait(t, accepted, "the listener to accept")
	defer server.Close()
	_, err := client.Write([]byte("hi"))
	require.NoError(t, err)
	buf := make([]byte, 2)
	require.NoError(t, server.SetDeadline(Deadline()))
	_, err = io.ReadFull(server, buf)
	require.NoError(t, err)
	require.Equal(t, "hi", string(buf))
}

func TestListenPacket(t *testing.T) {
	pc := ListenPacket(t)
	require.Contains(t, pc.LocalAddr().String(), "127.0.0.1:")
}

func TestWaitTimesOut(t *testing.T) {
	old := Timeout
	Timeout = 1
	defer func() { Timeout = old }()
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Wait(ft, make(chan int), "a value that never comes")
	}()
	<-done
	require.Contains(t, ft.msg, "a value that never comes")
}

// fakeT records Fatalf instead of failing the real test.
type fakeT struct {
	testing.TB
	msg string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
