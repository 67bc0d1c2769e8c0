package udp

import (
	"bytes"
	"errors"
	"net"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep2_TruncatedRead(t *testing.T) {
	readme.Explain(t)
	rx := loopback.ListenPacketOn(t, "udp4", "127.0.0.1:0").(*net.UDPConn)
	require.NoError(t, rx.SetDeadline(loopback.Deadline()))
	tx := client(t, "udp4", "127.0.0.1:0")
	long := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
	sendTo(t, tx, rx.LocalAddr(), long, []byte("next"), []byte("exactly10!"))

	buf := make([]byte, 10)
	n, truncated, from, err := ReadTruncated(rx, buf)
	require.NoError(t, err, "ReadTruncated of a %d-byte datagram into %d bytes", len(long), len(buf))
	require.Equal(t, "0123456789", string(buf[:n]), "what a 10-byte buffer gets of %q", long)
	require.True(t, truncated, "ReadTruncated of %d bytes into %d: truncated", len(long), len(buf))
	require.Equal(t, tx.LocalAddr().String(), from.String(), "the sender")

	// The rest of the long datagram is gone: the next read is the next datagram.
	n, truncated, _, err = ReadTruncated(rx, make([]byte, 100))
	require.NoError(t, err)
	require.False(t, truncated, "a 4-byte datagram into 100 bytes")
	require.Equal(t, 4, n, "the read after a truncated one gets the next datagram, \"next\"")

	n, truncated, _, err = ReadTruncated(rx, buf)
	require.NoError(t, err)
	require.Equal(t, "exactly10!", string(buf[:n]))
	require.False(t, truncated, "a 10-byte datagram into 10 bytes fits")
}

func TestStep2_MaxPayloadIPv4(t *testing.T) {
	readme.Explain(t)
	server := startEcho(t, "udp4", "127.0.0.1:0")
	c := client(t, "udp4", "127.0.0.1:0")
	require.Equal(t, 65507, MaxPayloadIPv4)

	// The largest datagram IPv4 carries goes there and back whole.
	big := bytes.Repeat([]byte("0123456789abcdef"), 4096)[:MaxPayloadIPv4]
	require.NoError(t, Send(c, server, big), "Send of %d bytes", len(big))
	buf := make([]byte, 65535)
	n, truncated, _, err := ReadTruncated(c.(*net.UDPConn), buf)
	require.NoError(t, err, "waiting for the echo of %d bytes", len(big))
	require.False(t, truncated)
	require.Equal(t, len(big), n, "bytes echoed of a %d-byte datagram (a server reading into a small buffer cuts it)", len(big))
	require.True(t, bytes.Equal(big, buf[:n]), "the echo differs from the %d bytes sent", len(big))

	// One byte more does not fit in an IPv4 packet: the kernel refuses it.
	err = Send(c, server, append(big, '!'))
	require.Error(t, err, "Send of %d bytes", len(big)+1)
	require.ErrorIs(t, err, ErrTooBig, "Send of %d bytes", len(big)+1)
	require.True(t, errors.Is(err, syscall.EMSGSIZE), "Send of %d bytes = %v, want EMSGSIZE inside", len(big)+1, err)
	require.Contains(t, err.Error(), "65508", "Send's error %q: it must say how many bytes msg had (README.md, step 2)", err)
}
