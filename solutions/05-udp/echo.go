package udp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
)

// MaxPayloadIPv4 is the largest UDP payload over IPv4, in bytes: an IPv4
// packet is at most 65535 bytes, less 20 for the IP header and 8 for the
// UDP header.
const MaxPayloadIPv4 = 65535 - 20 - 8

// ServeEcho answers every datagram that arrives on pc with a datagram
// holding the same bytes, sent back to the address it came from
// (ReadFrom, then WriteTo). One datagram in, one datagram out: a datagram
// of any size up to MaxPayloadIPv4 comes back whole. Replies may go out in
// any order (UDP promises none), for example one goroutine per datagram,
// but never mixed up between datagrams or senders.
//
// ServeEcho returns nil when ctx is done (it closes pc then), and the error
// otherwise if reading from pc fails. An error writing one reply does not
// stop the server.
func ServeEcho(ctx context.Context, pc net.PacketConn) error {
	stop := context.AfterFunc(ctx, func() { pc.Close() })
	defer stop()
	buf := make([]byte, 65535) // a datagram never is bigger
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("echo: read: %w", err)
		}
		// Reply to the sender of this datagram: UDP has no connection
		// that remembers who the peer is.
		pc.WriteTo(buf[:n], from) // a lost reply is UDP's normal; the client retries
	}
}

// Echo sends msg to server as one datagram and returns the first datagram
// that comes back from server's address; datagrams from other addresses are
// read and ignored. Echo does not set deadlines: the caller sets one on pc
// (SetReadDeadline), and Echo returns the timeout error when it passes.
// A reply longer than msg is read whole, up to 65535 bytes.
func Echo(pc net.PacketConn, server net.Addr, msg []byte) ([]byte, error) {
	if _, err := pc.WriteTo(msg, server); err != nil {
		return nil, fmt.Errorf("echo: send %d bytes to %s: %w", len(msg), server, err)
	}
	buf := make([]byte, 65535)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return nil, fmt.Errorf("echo: wait for reply from %s: %w", server, err)
		}
		if from.String() == server.String() {
			return append([]byte(nil), buf[:n]...), nil
		}
	}
}

// ErrTooBig means a datagram was larger than a UDP socket can send. It
// wraps the system's error, so errors.Is(err, syscall.EMSGSIZE) also holds.
var ErrTooBig = fmt.Errorf("udp: datagram too big: %w", syscall.EMSGSIZE)

// Send sends msg to addr as one datagram. A msg the network cannot carry
// in one datagram (more than MaxPayloadIPv4 bytes to an IPv4 address) is
// an error that wraps ErrTooBig and says msg's size in bytes, in decimal
// ("65508"); nothing is sent then. Other errors are wrapped with the size
// and the address too.
func Send(pc net.PacketConn, addr net.Addr, msg []byte) error {
	_, err := pc.WriteTo(msg, addr)
	if errors.Is(err, syscall.EMSGSIZE) {
		return fmt.Errorf("send %d bytes to %s: %w", len(msg), addr, ErrTooBig)
	}
	if err != nil {
		return fmt.Errorf("send %d bytes to %s: %w", len(msg), addr, err)
	}
	return nil
}

// ReadTruncated reads one datagram into buf and reports whether it was cut
// short: a datagram longer than buf fills buf, and the rest of it is
// discarded by the kernel (the next read gets the next datagram, never the
// rest of this one). It returns the number of bytes in buf, whether the
// datagram was longer, and the sender.
func ReadTruncated(conn *net.UDPConn, buf []byte) (n int, truncated bool, from net.Addr, err error) {
	n, _, flags, addr, err := conn.ReadMsgUDP(buf, nil)
	if err != nil {
		return 0, false, nil, fmt.Errorf("read datagram: %w", err)
	}
	// recvmsg(2) sets MSG_TRUNC in the flags when the datagram did not fit.
	return n, flags&syscall.MSG_TRUNC != 0, addr, nil
}
