// Package loopback gives tests sockets on the loopback interface, each with
// a deadline and closed when the test ends.
//
// Tests never use fixed ports: Listen picks a free one on 127.0.0.1, so
// packages run in parallel and a port left over by a crashed run never gets
// in the way.
package loopback

import (
	"net"
	"os"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/sockerr"
)

// Timeout is how long a test waits for any one network event (a dial, a
// line, a reply, a close) before it fails and says what it was waiting for.
// NETKATA_TIMEOUT (a Go duration, e.g. "20s") overrides it on slow machines.
var Timeout = timeoutFromEnv(5 * time.Second)

func timeoutFromEnv(def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv("NETKATA_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return def
}

// Deadline returns the time Timeout from now.
func Deadline() time.Time { return time.Now().Add(Timeout) }

// Listen returns a TCP listener on a free port of 127.0.0.1, closed when
// the test ends.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	return ListenOn(t, "tcp", "127.0.0.1:0")
}

// ListenOn is Listen for another network and address, such as
// ("tcp6", "[::1]:0") or ("unix", path). It skips the test, saying why,
// when the address family is not available on this machine (IPv6 disabled).
func ListenOn(t testing.TB, network, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen(network, addr)
	if err != nil {
		if network == "tcp6" {
			t.Skipf("%s", i18n.Tr("loopback.noipv6", addr, err))
		}
		t.Fatalf("%s", i18n.Tr("loopback.listen", network, addr, sockerr.Explain(err)))
	}
	t.Cleanup(func() { ln.Close() }) // a second Close after the server's own is harmless
	return ln
}

// ListenPacket returns a UDP socket on a free port of 127.0.0.1, closed
// when the test ends.
func ListenPacket(t testing.TB) net.PacketConn {
	t.Helper()
	return ListenPacketOn(t, "udp", "127.0.0.1:0")
}

// ListenPacketOn is ListenPacket for another network and address, such as
// ("udp6", "[::1]:0"); like ListenOn it skips when IPv6 is unavailable.
func ListenPacketOn(t testing.TB, network, addr string) net.PacketConn {
	t.Helper()
	pc, err := net.ListenPacket(network, addr)
	if err != nil {
		if network == "udp6" {
			t.Skipf("%s", i18n.Tr("loopback.noipv6", addr, err))
		}
		t.Fatalf("%s", i18n.Tr("loopback.listen", network, addr, sockerr.Explain(err)))
	}
	t.Cleanup(func() { pc.Close() })
	return pc
}

// Dial connects to addr over TCP within Timeout and returns the connection,
// closed when the test ends. A failure says what was dialled and why.
func Dial(t testing.TB, addr string) net.Conn {
	t.Helper()
	return DialOn(t, "tcp", addr)
}

// DialOn is Dial for another network ("tcp6", "unix", "udp" ...).
func DialOn(t testing.TB, network, addr string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout(network, addr, Timeout)
	if err != nil {
		t.Fatalf("%s", i18n.Tr("loopback.dial", network, addr, sockerr.Explain(err)))
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Wait waits up to Timeout for ch to deliver a value and returns it. If
// nothing comes, the test fails with "waited 5s for <what>".
func Wait[T any](t testing.TB, ch <-chan T, what string) T {
	t.Helper()
	timer := time.NewTimer(Timeout)
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("%s", i18n.Tr("loopback.waited", Timeout, what))
		panic("unreachable")
	}
}
