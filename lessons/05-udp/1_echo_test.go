package udp

import (
	"bytes"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/sockerr"
)

// readFrom reads one datagram, failing the test with what it was waiting for.
func readFrom(t *testing.T, pc net.PacketConn, what string) ([]byte, net.Addr) {
	t.Helper()
	buf := make([]byte, 65535)
	n, from, err := pc.ReadFrom(buf)
	if v, ok := echoRuns.Load(t); ok && err != nil {
		select {
		case <-v.(*loopback.Serving).Died():
			t.Fatalf("waiting for %s, but ServeEcho returned: %v", what, v.(*loopback.Serving).Err())
		default:
		}
	}
	require.NoError(t, err, "waiting for %s: %s", what, explainUDP(err))
	return buf[:n], from
}

// explainUDP returns err's text with advice for UDP: a datagram that does
// not come was never sent, sent elsewhere, or lost (there is no stream to
// flush and no line to end, whatever sockerr.Explain says of TCP).
func explainUDP(err error) string {
	if err == nil {
		return "<nil>"
	}
	if sockerr.IsTimeout(err) {
		return err.Error() + " (timeout: no datagram came before the deadline: did the server send its reply with WriteTo to the address ReadFrom returned for the request, and is it still running?)"
	}
	return err.Error()
}

func TestStep1_EchoIPv4AndIPv6(t *testing.T) {
	readme.Explain(t)
	for _, tc := range []struct{ network, addr string }{
		{"udp4", "127.0.0.1:0"},
		{"udp6", "[::1]:0"},
	} {
		t.Run(tc.network, func(t *testing.T) {
			server := startEcho(t, tc.network, tc.addr) // skips udp6 where ::1 cannot be bound
			c := client(t, tc.network, tc.addr)
			sendTo(t, c, server, []byte("hello, 世界"))
			got, from := readFrom(t, c, "the echo of \"hello, 世界\"")
			require.Equal(t, "hello, 世界", string(got), "echo of the datagram sent")
			require.Equal(t, server.String(), from.String(), "the reply's source address")
		})
	}
}

func TestStep1_BoundariesKept(t *testing.T) {
	readme.Explain(t)
	// Three WriteTo calls are three datagrams: three ReadFrom calls get
	// them one by one. TCP (lesson 03) could hand the same bytes over as
	// "onetwothree" in one Read.
	server := startEcho(t, "udp4", "127.0.0.1:0")
	c := client(t, "udp4", "127.0.0.1:0")
	// UDP promises no order, and a server may answer each datagram from
	// its own goroutine: the echoes may come in any order, but each whole.
	sent := []string{"one", "two", "three"}
	for _, m := range sent {
		sendTo(t, c, server, []byte(m))
	}
	var got []string
	for range sent {
		b, _ := readFrom(t, c, fmt.Sprintf("the echoes of %q (so far %q)", sent, got))
		got = append(got, string(b))
		require.Contains(t, sent, string(b), "after sending %q as three datagrams, one ReadFrom got %q: each read must be one whole datagram (so far %q)", sent, b, got)
	}
	require.ElementsMatch(t, sent, got, "the three echoes of %q, in any order", sent)
}

func TestStep1_ManyClientsAtOnce(t *testing.T) {
	readme.Explain(t)
	// Eight clients send at the same time: every echo must reach its own
	// sender, whole and unmixed, however the server schedules its work
	// (run with -race: shared buffers show up here).
	server := startEcho(t, "udp4", "127.0.0.1:0")
	const clients, each = 8, 16
	errc := make(chan error, clients)
	for i := range clients {
		c := client(t, "udp4", "127.0.0.1:0")
		go func() {
			want := map[string]bool{}
			for j := range each {
				msg := fmt.Sprintf("client %d message %d %s", i, j, strings.Repeat("x", i*j))
				want[msg] = true
				if _, err := c.WriteTo([]byte(msg), server); err != nil {
					errc <- fmt.Errorf("client %d: WriteTo: %w", i, err)
					return
				}
			}
			buf := make([]byte, 65535)
			for len(want) > 0 {
				n, _, err := c.ReadFrom(buf)
				if err != nil {
					errc <- fmt.Errorf("client %d: %d echoes still missing, e.g. one of %q: %s", i, len(want), firstKey(want), explainUDP(err))
					return
				}
				if !want[string(buf[:n])] {
					errc <- fmt.Errorf("client %d got %q, which it did not send or got twice: another client's echo, or a buffer reused while a reply was still being sent", i, buf[:n])
					return
				}
				delete(want, string(buf[:n]))
			}
			errc <- nil
		}()
	}
	for range clients {
		require.NoError(t, loopback.Wait(t, errc, "a client to get its echoes"))
	}
}

// firstKey returns one key of m, for messages.
func firstKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}

func TestStep1_RepliesToEachSender(t *testing.T) {
	readme.Explain(t)
	// UDP has no connection: the server must answer the address each
	// datagram came from, not the first client it heard from.
	server := startEcho(t, "udp4", "127.0.0.1:0")
	alice := client(t, "udp4", "127.0.0.1:0")
	bob := client(t, "udp4", "127.0.0.1:0")
	for i, msg := range []string{"alice 1", "bob 1", "alice 2", "bob 2"} {
		from := alice
		if i%2 == 1 {
			from = bob
		}
		sendTo(t, from, server, []byte(msg))
		got, _ := readFrom(t, from, "the echo of "+msg+" at its own sender "+from.LocalAddr().String())
		require.Equal(t, msg, string(got), "echo received by the sender of %q", msg)
	}
}

func TestStep1_EchoClient(t *testing.T) {
	readme.Explain(t)
	// A hand-made server that first has a stranger send the client a
	// datagram, then answers: Echo must wait for the server's reply.
	server := loopback.ListenPacket(t)
	stranger := loopback.ListenPacket(t)
	require.NoError(t, server.SetDeadline(loopback.Deadline()))
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 100)
		n, from, err := server.ReadFrom(buf)
		if err != nil {
			done <- err
			return
		}
		stranger.WriteTo([]byte("not from the server"), from)
		_, err = server.WriteTo(bytes.ToUpper(buf[:n]), from)
		done <- err
	}()
	c := client(t, "udp4", "127.0.0.1:0")
	got, err := Echo(c, server.LocalAddr(), []byte("ping me"))
	require.NoError(t, err, "Echo(%q) to %s", "ping me", server.LocalAddr())
	require.Equal(t, "PING ME", string(got), "Echo returned, with a stranger's datagram arriving first")
	require.NoError(t, loopback.Wait(t, done, "the test server to answer"))

	// Nobody answers: Echo returns the deadline's timeout error.
	silent := loopback.ListenPacket(t)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	_, err = Echo(c, silent.LocalAddr(), []byte("anyone?"))
	require.True(t, sockerr.IsTimeout(err), "Echo to a silent address = %v, want the timeout error of the read deadline", err)
}
