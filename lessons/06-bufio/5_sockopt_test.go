package lineproto

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep5_ReusePort(t *testing.T) {
	readme.Explain(t)
	ctx := context.Background()
	first, err := ListenReusePort(ctx, "tcp", "127.0.0.1:0")
	skipUnsupported(t, err)
	require.NoError(t, err, "ListenReusePort(tcp, 127.0.0.1:0)")
	t.Cleanup(func() { first.Close() })
	addr := first.Addr().String()

	second, err := ListenReusePort(ctx, "tcp", addr)
	require.NoError(t, err, "a second ListenReusePort on %s, where the first listens with SO_REUSEPORT; the option must be set before bind, in net.ListenConfig.Control (%s)", addr, readme.Ref(t))
	t.Cleanup(func() { second.Close() })
	require.Equal(t, addr, second.Addr().String(), "the second listener's address")

	// Without the option the port stays taken.
	if ln, err := net.Listen("tcp", addr); err == nil {
		ln.Close()
		t.Fatalf("net.Listen on %s without SO_REUSEPORT succeeded while two listeners share it; want EADDRINUSE", addr)
	}

	// Either listener serves the port: with the first closed, the second
	// gets the next connection.
	require.NoError(t, first.Close())
	accepted := make(chan error, 1)
	go func() {
		conn, err := second.Accept()
		if err == nil {
			conn.Close()
		}
		accepted <- err
	}()
	loopback.Dial(t, addr)
	require.NoError(t, loopback.Wait(t, accepted, "the second listener to accept a connection to "+addr), "Accept on the second listener")
}

func TestStep5_NoDelay(t *testing.T) {
	readme.Explain(t)
	client, _ := connPair(t)
	tcp := client.(*net.TCPConn)
	on, err := NoDelay(tcp)
	skipUnsupported(t, err)
	require.NoError(t, err, "NoDelay on a new TCP connection")
	require.True(t, on, "NoDelay on a new TCP connection = false; Go sets TCP_NODELAY on every TCP connection, so getsockopt(IPPROTO_TCP, TCP_NODELAY) reads 1 (%s)", readme.Ref(t))
	require.NoError(t, tcp.SetNoDelay(false))
	on, err = NoDelay(tcp)
	require.NoError(t, err, "NoDelay after SetNoDelay(false)")
	require.False(t, on, "NoDelay after SetNoDelay(false) = true; read TCP_NODELAY at level IPPROTO_TCP (%s)", readme.Ref(t))
	require.NoError(t, tcp.SetNoDelay(true))
	on, err = NoDelay(tcp)
	require.NoError(t, err, "NoDelay after SetNoDelay(true)")
	require.True(t, on, "NoDelay after SetNoDelay(false), then SetNoDelay(true)")
}

func TestStep5_Buffers(t *testing.T) {
	readme.Explain(t)
	client, _ := connPair(t)
	tcp := client.(*net.TCPConn)
	for _, size := range []struct{ rcv, snd int }{{32 << 10, 48 << 10}, {24 << 10, 16 << 10}} {
		rcv, snd, err := SetBuffers(tcp, size.rcv, size.snd)
		skipUnsupported(t, err)
		require.NoError(t, err, "SetBuffers(%d, %d)", size.rcv, size.snd)
		// The rule: at least what was asked (a kernel may round up), and on
		// Linux exactly twice that, the other half being its bookkeeping.
		for _, c := range []struct {
			name      string
			asked, gt int
		}{{"SO_RCVBUF", size.rcv, rcv}, {"SO_SNDBUF", size.snd, snd}} {
			require.GreaterOrEqual(t, c.gt, c.asked, "SetBuffers(%d, %d): %s read back as %d, less than asked for (%s)", size.rcv, size.snd, c.name, c.gt, readme.Ref(t))
			require.LessOrEqual(t, c.gt, 2*c.asked, "SetBuffers(%d, %d): %s read back as %d, more than twice what was asked: is it the size you set? (%s)", size.rcv, size.snd, c.name, c.gt, readme.Ref(t))
			if runtime.GOOS == "linux" {
				require.Equal(t, 2*c.asked, c.gt, "SetBuffers(%d, %d): %s read back on Linux, which doubles the size it is given", size.rcv, size.snd, c.name)
			}
		}
	}
	for _, bad := range []struct{ rcv, snd int }{{0, 4096}, {4096, -1}} {
		_, _, err := SetBuffers(tcp, bad.rcv, bad.snd)
		require.Error(t, err, "SetBuffers(%d, %d)", bad.rcv, bad.snd)
		require.NotErrorIs(t, err, ErrTODO, "SetBuffers(%d, %d)", bad.rcv, bad.snd)
	}
}

func TestStep5_Getsockname(t *testing.T) {
	readme.Explain(t)
	ln := loopback.Listen(t) // 127.0.0.1:0: the kernel picks the port at bind
	got, err := Getsockname(ln.(*net.TCPListener))
	skipUnsupported(t, err)
	require.NoError(t, err, "Getsockname on a listener on 127.0.0.1:0")
	require.Equal(t, ln.Addr().String(), got.String(), "Getsockname on a listener on 127.0.0.1:0: the port the kernel picked, as ln.Addr() reports it (%s)", readme.Ref(t))
	require.IsType(t, &net.TCPAddr{}, got, "Getsockname on a TCP listener")

	client, server := connPair(t)
	for _, c := range []struct {
		name string
		conn net.Conn
	}{{"client", client}, {"server", server}} {
		got, err := Getsockname(c.conn.(*net.TCPConn))
		require.NoError(t, err, "Getsockname on the %s end of a connection", c.name)
		require.Equal(t, c.conn.LocalAddr().String(), got.String(), "Getsockname on the %s end of a connection: its own address (LocalAddr), not the peer's (RemoteAddr %s)", c.name, c.conn.RemoteAddr())
	}

	if ln6, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		t.Cleanup(func() { ln6.Close() })
		got, err := Getsockname(ln6.(*net.TCPListener))
		require.NoError(t, err, "Getsockname on a listener on [::1]:0")
		require.Equal(t, ln6.Addr().String(), got.String(), "Getsockname on a listener on [::1]:0")
	}

	dir := t.TempDir()
	uln, err := net.Listen("unix", dir+"/s")
	require.NoError(t, err)
	t.Cleanup(func() { uln.Close() })
	got, err = Getsockname(uln.(*net.UnixListener))
	require.NoError(t, err, "Getsockname on a Unix-domain listener")
	require.Equal(t, dir+"/s", got.String(), "Getsockname on a Unix-domain listener: its path")
}

// BenchmarkNagle times one request of two small writes (a 4-byte header,
// then a 4-byte body) and its 1-byte reply, with Nagle's algorithm on
// (SetNoDelay(false)) and off (Go's default, TCP_NODELAY set).
func BenchmarkNagle(b *testing.B) {
	for _, bc := range []struct {
		name    string
		noDelay bool
	}{{"nodelay", true}, {"nagle", false}} {
		b.Run(bc.name, func(b *testing.B) {
			client, server := connPair(b)
			done := make(chan struct{})
			go func() { // the server: read 8 bytes, answer 1
				defer close(done)
				req := make([]byte, 8)
				for {
					if _, err := io.ReadFull(server, req); err != nil {
						return
					}
					if _, err := server.Write([]byte{'k'}); err != nil {
						return
					}
				}
			}()
			tcp := client.(*net.TCPConn)
			if err := tcp.SetNoDelay(bc.noDelay); err != nil {
				b.Fatal(err)
			}
			if on, err := NoDelay(tcp); err != nil || on != bc.noDelay {
				b.Fatalf("NoDelay = %v, %v; want %v", on, err, bc.noDelay)
			}
			reply := make([]byte, 1)
			for b.Loop() {
				if _, err := client.Write([]byte("HEAD")); err != nil {
					b.Fatal(err)
				}
				if _, err := client.Write([]byte("BODY")); err != nil {
					b.Fatal(err)
				}
				if _, err := io.ReadFull(client, reply); err != nil {
					b.Fatal(err)
				}
			}
			client.Close()
			<-done
		})
	}
}

// skipUnsupported skips the test where the system lacks the options of step
// 5 (sockopt_other.go says which).
func skipUnsupported(t *testing.T, err error) {
	t.Helper()
	if errors.Is(err, errors.ErrUnsupported) {
		t.Skipf("%v", err)
	}
}

var _ syscall.Conn = (*net.TCPConn)(nil) // what the functions of step 5 take
