package lossy_test

import (
	"bytes"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/lossy"
	"github.com/netkata/netkata/internal/seed"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// setup starts a proxy in front of a server socket and returns the client
// socket, the server socket and the proxy.
func setup(t *testing.T, cfg lossy.Config) (client, server net.PacketConn, p *lossy.Proxy) {
	t.Helper()
	server = loopback.ListenPacket(t)
	client = loopback.ListenPacket(t)
	p = lossy.Start(loopback.ListenPacket(t), server.LocalAddr(), cfg)
	t.Cleanup(func() { p.Close() })
	for _, pc := range []net.PacketConn{client, server} {
		require.NoError(t, pc.SetDeadline(loopback.Deadline()))
	}
	return client, server, p
}

func send(t *testing.T, pc net.PacketConn, to net.Addr, msgs ...string) {
	t.Helper()
	for _, m := range msgs {
		_, err := pc.WriteTo([]byte(m), to)
		require.NoError(t, err, "WriteTo %q", m)
	}
}

func recv(t *testing.T, pc net.PacketConn, n int) []string {
	t.Helper()
	var got []string
	buf := make([]byte, 2048)
	for range n {
		k, _, err := pc.ReadFrom(buf)
		require.NoError(t, err, "ReadFrom after %q", got)
		got = append(got, string(buf[:k]))
	}
	return got
}

func TestForwardsBothWays(t *testing.T) {
	client, server, p := setup(t, lossy.Config{})
	send(t, client, p.Addr(), "one", "two", "three")
	require.Equal(t, []string{"one", "two", "three"}, recv(t, server, 3))
	// The server answers the proxy, which knows the client now.
	send(t, server, p.Addr(), "uno", "dos")
	require.Equal(t, []string{"uno", "dos"}, recv(t, client, 2))
	require.Equal(t, lossy.Stats{Read: 5, Sent: 5}, p.Stats())
}

func TestDuplicateAndReorder(t *testing.T) {
	client, server, p := setup(t, lossy.Config{Duplicate: 1, Rand: seed.Rand(t)})
	send(t, client, p.Addr(), "a", "b")
	require.Equal(t, []string{"a", "a", "b", "b"}, recv(t, server, 4))

	// Reorder 1: every other datagram waits for the next one.
	client, server, p = setup(t, lossy.Config{Reorder: 1, Rand: seed.Rand(t)})
	send(t, client, p.Addr(), "1", "2", "3", "4")
	require.Equal(t, []string{"2", "1", "4", "3"}, recv(t, server, 4))

	// A held datagram with no successor still goes, after Hold.
	send(t, client, p.Addr(), "last")
	require.Equal(t, []string{"last"}, recv(t, server, 1))
}

func TestCorruptFlipsOneBit(t *testing.T) {
	client, server, p := setup(t, lossy.Config{Corrupt: 1, Rand: seed.Rand(t)})
	msg := bytes.Repeat([]byte{0x55}, 64)
	for range 20 {
		send(t, client, p.Addr(), string(msg))
		got := []byte(recv(t, server, 1)[0])
		require.Len(t, got, len(msg))
		flipped := 0
		for i := range got {
			flipped += bits.OnesCount8(got[i] ^ msg[i])
		}
		require.Equal(t, 1, flipped, "bits flipped in %x", got)
	}
	require.EqualValues(t, 20, p.Stats().Corrupted)
}

func TestDropTraced(t *testing.T) {
	events := make(chan lossy.Event, 10)
	client, _, p := setup(t, lossy.Config{Drop: 1, Rand: seed.Rand(t), Trace: func(e lossy.Event) { events <- e }})
	send(t, client, p.Addr(), "gone", "also gone")
	for _, n := range []int{4, 9} {
		e := loopback.Wait(t, events, "the proxy to read a datagram")
		require.Equal(t, lossy.Event{Len: n, Dropped: true}, e)
		require.Equal(t, fmt.Sprintf("client->server %d bytes: dropped", n), e.String())
	}
	require.Equal(t, lossy.Stats{Read: 2, Dropped: 2}, p.Stats())
}

func TestDelay(t *testing.T) {
	const delay = 30 * time.Millisecond
	client, server, p := setup(t, lossy.Config{Delay: delay})
	start := time.Now()
	send(t, client, p.Addr(), "slow")
	require.Equal(t, []string{"slow"}, recv(t, server, 1))
	require.GreaterOrEqual(t, time.Since(start), delay, "a datagram arrived sooner than Delay")
}

func TestRatesFollowConfig(t *testing.T) {
	// Through a proxy with no delay, about the configured share of many
	// datagrams is dropped; the same seed gives the same trace.
	run := func(s uint64) []lossy.Event {
		events := make(chan lossy.Event, 1000)
		rng := rand.New(rand.NewPCG(s, s))
		client, _, p := setup(t, lossy.Config{Drop: 0.3, Duplicate: 0.1, Rand: rng, Trace: func(e lossy.Event) { events <- e }})
		var got []lossy.Event
		for i := range 500 {
			send(t, client, p.Addr(), fmt.Sprint(i))
			got = append(got, loopback.Wait(t, events, "the proxy to read a datagram"))
		}
		return got
	}
	a, b := run(42), run(42)
	require.Equal(t, a, b, "two runs with one seed")
	dropped := 0
	for _, e := range a {
		if e.Dropped {
			dropped++
		}
	}
	require.InDelta(t, 150, dropped, 50, "datagrams dropped of 500 at Drop 0.3")
}
