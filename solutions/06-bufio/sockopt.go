//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package lineproto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
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
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return 0, fmt.Errorf("try read on a %T: no file descriptor: %w", conn, errors.ErrUnsupported)
	}
	if len(buf) == 0 {
		return 0, nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("try read: %w", err)
	}
	var n int
	var rerr error
	// Go's sockets are already non-blocking underneath; RawConn.Read only
	// parks the goroutine if the function returns false. Returning true
	// after one read(2) is setblocking(False).
	err = rc.Read(func(fd uintptr) bool {
		n, rerr = unix.Read(int(fd), buf)
		return true
	})
	if err != nil {
		return 0, fmt.Errorf("try read: %w", err)
	}
	if rerr == unix.EAGAIN || rerr == unix.EWOULDBLOCK {
		return 0, ErrWouldBlock
	}
	if rerr != nil {
		return 0, fmt.Errorf("try read: %w", os.NewSyscallError("read", rerr))
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// ListenReusePort listens on address (network "tcp", "tcp4" or "tcp6") with
// the socket option (套接字选项) SO_REUSEPORT set before the socket is bound,
// so that several listeners, in one process or many, can share one port; the
// kernel spreads new connections among them. A port already held by a
// listener without SO_REUSEPORT stays refused.
func ListenReusePort(ctx context.Context, network, address string) (net.Listener, error) {
	lc := net.ListenConfig{
		// Control runs after socket(2) and before bind(2): the only moment
		// an option that bind looks at can still make a difference.
		Control: func(_, _ string, c syscall.RawConn) error {
			return setInt(c, unix.SOL_SOCKET, unix.SO_REUSEPORT, 1, "SO_REUSEPORT")
		},
	}
	ln, err := lc.Listen(ctx, network, address)
	if err != nil {
		return nil, fmt.Errorf("listen with SO_REUSEPORT: %w", err)
	}
	return ln, nil
}

// NoDelay reports whether Nagle's algorithm is off on conn, by reading the
// TCP_NODELAY option (level IPPROTO_TCP) back from the kernel with
// getsockopt. Go turns TCP_NODELAY on for every TCP connection;
// (*net.TCPConn).SetNoDelay(false) turns it off.
func NoDelay(conn syscall.Conn) (bool, error) {
	v, err := getInt(conn, unix.IPPROTO_TCP, unix.TCP_NODELAY, "TCP_NODELAY")
	return v != 0, err
}

// SetBuffers asks the kernel for a receive buffer of rcv bytes and a send
// buffer of snd bytes on conn (SO_RCVBUF and SO_SNDBUF, level SOL_SOCKET),
// and returns the sizes it reports back with getsockopt. Linux doubles what
// it is asked for (the other half is for its own bookkeeping) and caps it at
// net.core.rmem_max and wmem_max; other systems may round. A size below 1 is
// an error, and nothing is set.
func SetBuffers(conn syscall.Conn, rcv, snd int) (gotRcv, gotSnd int, err error) {
	if rcv < 1 || snd < 1 {
		return 0, 0, fmt.Errorf("set buffers of %d and %d bytes: sizes must be positive", rcv, snd)
	}
	rc, err := conn.SyscallConn()
	if err != nil {
		return 0, 0, fmt.Errorf("set buffers: %w", err)
	}
	if err := setInt(rc, unix.SOL_SOCKET, unix.SO_RCVBUF, rcv, "SO_RCVBUF"); err != nil {
		return 0, 0, err
	}
	if err := setInt(rc, unix.SOL_SOCKET, unix.SO_SNDBUF, snd, "SO_SNDBUF"); err != nil {
		return 0, 0, err
	}
	if gotRcv, err = getInt(conn, unix.SOL_SOCKET, unix.SO_RCVBUF, "SO_RCVBUF"); err != nil {
		return 0, 0, err
	}
	if gotSnd, err = getInt(conn, unix.SOL_SOCKET, unix.SO_SNDBUF, "SO_SNDBUF"); err != nil {
		return 0, 0, err
	}
	return gotRcv, gotSnd, nil
}

// Getsockname returns the address the socket of c is bound to, asked from
// the kernel with getsockname(2): the notes' getsockname, and what
// (net.Conn).LocalAddr and (net.Listener).Addr report. For a listener on
// port 0 it holds the port the kernel picked. c is a TCP connection or
// listener (the result is a *net.TCPAddr) or a Unix-domain one (a
// *net.UnixAddr).
func Getsockname(c syscall.Conn) (net.Addr, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	var sa unix.Sockaddr
	var serr error
	err = rc.Control(func(fd uintptr) {
		sa, serr = unix.Getsockname(int(fd))
	})
	if err != nil {
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	if serr != nil {
		return nil, os.NewSyscallError("getsockname", serr)
	}
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(sa.Addr[:]).To16(), Port: sa.Port}, nil
	case *unix.SockaddrInet6:
		addr := &net.TCPAddr{IP: append(net.IP(nil), sa.Addr[:]...), Port: sa.Port}
		if sa.ZoneId != 0 {
			addr.Zone = strconv.Itoa(int(sa.ZoneId)) // net accepts "fe80::1%2" as well as "%eth0"
		}
		return addr, nil
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: sa.Name, Net: "unix"}, nil
	}
	return nil, fmt.Errorf("getsockname: address of type %T: %w", sa, errors.ErrUnsupported)
}

// setInt sets an integer socket option with setsockopt(2).
func setInt(rc syscall.RawConn, level, opt, value int, name string) error {
	var serr error
	err := rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), level, opt, value)
	})
	if err != nil {
		return fmt.Errorf("setsockopt %s: %w", name, err)
	}
	if serr != nil {
		return fmt.Errorf("setsockopt %s: %w", name, os.NewSyscallError("setsockopt", serr))
	}
	return nil
}

// getInt reads an integer socket option with getsockopt(2).
func getInt(c syscall.Conn, level, opt int, name string) (int, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("getsockopt %s: %w", name, err)
	}
	var v int
	var serr error
	err = rc.Control(func(fd uintptr) {
		v, serr = unix.GetsockoptInt(int(fd), level, opt)
	})
	if err != nil {
		return 0, fmt.Errorf("getsockopt %s: %w", name, err)
	}
	if serr != nil {
		return 0, fmt.Errorf("getsockopt %s: %w", name, os.NewSyscallError("getsockopt", serr))
	}
	return v, nil
}
