//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package lineproto

import (
	"context"
	"net"
	"syscall"
)

// TryRead reads the bytes already waiting on conn into buf, without
// waiting for more: the Go form of recv on a socket in non-blocking mode
// (非阻塞模式, Python's setblocking(False)). It returns at once: with the
// number of bytes read (at most len(buf)); with ErrWouldBlock if none are
// waiting; with 0 and io.EOF if the peer has closed its side. It neither
// sleeps nor starts a goroutine, and it leaves conn as it found it: a later
// conn.Read blocks as usual. conn must be a stream connection with a file
// descriptor (a *net.TCPConn or *net.UnixConn); other conns are an error
// that matches errors.ErrUnsupported.
func TryRead(conn net.Conn, buf []byte) (int, error) {
	// TODO(step 5): one read(2) through conn's RawConn that never waits. See README.md, step 5.
	return 0, ErrTODO
}

// ListenReusePort listens on address (network "tcp", "tcp4" or "tcp6") with
// the socket option (套接字选项) SO_REUSEPORT set before the socket is bound,
// so that several listeners, in one process or many, can share one port; the
// kernel spreads new connections among them. A port already held by a
// listener without SO_REUSEPORT stays refused.
func ListenReusePort(ctx context.Context, network, address string) (net.Listener, error) {
	// TODO(step 5): set SO_REUSEPORT in net.ListenConfig.Control. See README.md, step 5.
	return nil, ErrTODO
}

// NoDelay reports whether Nagle's algorithm is off on conn, by reading the
// TCP_NODELAY option (level IPPROTO_TCP) back from the kernel with
// getsockopt. Go turns TCP_NODELAY on for every TCP connection;
// (*net.TCPConn).SetNoDelay(false) turns it off.
func NoDelay(conn syscall.Conn) (bool, error) {
	// TODO(step 5): getsockopt TCP_NODELAY. See README.md, step 5.
	return false, ErrTODO
}

// SetBuffers asks the kernel for a receive buffer of rcv bytes and a send
// buffer of snd bytes on conn (SO_RCVBUF and SO_SNDBUF, level SOL_SOCKET),
// and returns the sizes it reports back with getsockopt. Linux doubles what
// it is asked for (the other half is for its own bookkeeping) and caps it at
// net.core.rmem_max and wmem_max; other systems may round. A size below 1 is
// an error, and nothing is set.
func SetBuffers(conn syscall.Conn, rcv, snd int) (gotRcv, gotSnd int, err error) {
	// TODO(step 5): setsockopt, then getsockopt, SO_RCVBUF and SO_SNDBUF. See README.md, step 5.
	return 0, 0, ErrTODO
}

// Getsockname returns the address the socket of c is bound to, asked from
// the kernel with getsockname(2): the notes' getsockname, and what
// (net.Conn).LocalAddr and (net.Listener).Addr report. For a listener on
// port 0 it holds the port the kernel picked. c is a TCP connection or
// listener (the result is a *net.TCPAddr) or a Unix-domain one (a
// *net.UnixAddr).
func Getsockname(c syscall.Conn) (net.Addr, error) {
	// TODO(step 5): syscall.Getsockname through c's RawConn. See README.md, step 5.
	return nil, ErrTODO
}
