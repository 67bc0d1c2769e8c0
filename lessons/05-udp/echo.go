package udp

import (
	"context"
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
	// TODO(step 1): ReadFrom, then WriteTo the same bytes back to the sender. See README.md, step 1.
	return ErrTODO
}

// Echo sends msg to server as one datagram and returns the first datagram
// that comes back from server's address; datagrams from other addresses are
// read and ignored. Echo does not set deadlines: the caller sets one on pc
// (SetReadDeadline), and Echo returns the timeout error when it passes.
// A reply longer than msg is read whole, up to 65535 bytes.
func Echo(pc net.PacketConn, server net.Addr, msg []byte) ([]byte, error) {
	// TODO(step 1): WriteTo the server, then ReadFrom until a datagram comes from it. See README.md, step 1.
	return nil, ErrTODO
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
	// TODO(step 2): WriteTo, and wrap ErrTooBig when the system says EMSGSIZE. See README.md, step 2.
	return ErrTODO
}

// ReadTruncated reads one datagram into buf and reports whether it was cut
// short: a datagram longer than buf fills buf, and the rest of it is
// discarded by the kernel (the next read gets the next datagram, never the
// rest of this one). It returns the number of bytes in buf, whether the
// datagram was longer, and the sender.
func ReadTruncated(conn *net.UDPConn, buf []byte) (n int, truncated bool, from net.Addr, err error) {
	// TODO(step 2): ReadMsgUDP, and look for MSG_TRUNC in the flags. See README.md, step 2.
	return 0, false, nil, ErrTODO
}
