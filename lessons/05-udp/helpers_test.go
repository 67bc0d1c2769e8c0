package udp

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/lossy"
	"github.com/netkata/netkata/internal/seed"
)

// startEcho runs ServeEcho on a new socket of network ("udp4", "udp6") at
// addr until the test ends, and returns the socket's address.
func startEcho(t *testing.T, network, addr string) net.Addr {
	t.Helper()
	pc := loopback.ListenPacketOn(t, network, addr)
	run := loopback.Serve(t, "ServeEcho", func(ctx context.Context) error { return ServeEcho(ctx, pc) }, nil)
	echoRuns.Store(t, run)
	t.Cleanup(func() { echoRuns.Delete(t) })
	return pc.LocalAddr()
}

// client returns a UDP socket of network with a deadline, closed when the
// test ends. If the test's ServeEcho returns early, reads fail at once.
func client(t *testing.T, network, addr string) net.PacketConn {
	t.Helper()
	pc := loopback.ListenPacketOn(t, network, addr)
	require.NoError(t, pc.SetDeadline(loopback.Deadline()))
	if v, ok := echoRuns.Load(t); ok {
		run, stop := v.(*loopback.Serving), make(chan struct{})
		go func() {
			select {
			case <-run.Died():
				pc.SetReadDeadline(time.Unix(1, 0))
			case <-stop:
			}
		}()
		t.Cleanup(func() { close(stop) })
	}
	return pc
}

// sendTo writes each message as one datagram.
func sendTo(t *testing.T, pc net.PacketConn, to net.Addr, msgs ...[]byte) {
	t.Helper()
	for _, m := range msgs {
		_, err := pc.WriteTo(m, to)
		require.NoError(t, err, "WriteTo %s: %d bytes", to, len(m))
	}
}

// wirePacket builds an ARQ datagram by hand (the tests' own encoder, so a
// test of Receive does not depend on your Marshal).
func wirePacket(kind Kind, session, seq uint32, payload string) []byte {
	b := []byte{byte(kind), 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], session)
	binary.BigEndian.PutUint32(b[5:], seq)
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// wireSession returns the session of a datagram at least 9 bytes long.
func wireSession(b []byte) uint32 { return binary.BigEndian.Uint32(b[1:5]) }

// wireSeq returns the sequence number of a datagram at least 9 bytes long.
func wireSeq(b []byte) uint32 { return binary.BigEndian.Uint32(b[5:9]) }

// describeWire says what a datagram is, for failure messages:
// "A 3 s=5e551000" (kind, seq, session).
func describeWire(b []byte) string {
	if len(b) < Overhead {
		return fmt.Sprintf("%d-byte runt %q", len(b), b)
	}
	s := fmt.Sprintf("%c %d s=%08x", b[0], wireSeq(b), wireSession(b))
	if len(b) > Overhead {
		s += fmt.Sprintf(" %q", b[9:len(b)-4])
	}
	if crc32.ChecksumIEEE(b[:len(b)-4]) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		s += " (bad CRC)"
	}
	return s
}

func newPeer(t *testing.T) *peer {
	p := &peer{t: t, pc: loopback.ListenPacket(t)}
	require.NoError(t, p.pc.SetDeadline(loopback.Deadline()))
	return p
}

// testStaleAcks loses the first DATA 0 and then keeps sending stale ACKs
// (for a chunk long gone) every Timeout/10 for 6 × Timeout: they are not answers, so they
// must not restart the retransmission timer. DATA 0 must come again about
// Timeout after it was sent, while the stale ACKs still flow.
func testStaleAcks(t *testing.T, name string, send func(context.Context, net.PacketConn, net.Addr, io.Reader, Config) error) {
	r := newPeer(t)
	cfg := Config{Chunk: 4, Timeout: 500 * time.Millisecond, Retries: 50} // a mutant escapes only through a 500ms gap in the stale ACKs
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sender := loopback.ListenPacket(t)
	sent := make(chan error, 1)
	go func() { sent <- send(ctx, sender, r.pc.LocalAddr(), strings.NewReader("data"), cfg) }()
	done := r.watch(name, sent)

	first, from := r.read("DATA 0")
	ss := wireSession(first)
	every := cfg.Timeout / 10
	r.note("(test drops it, then sends stale ACKs every %v)", every)
	flowFor := 6 * cfg.Timeout // under the peer's 5s read deadline
	stopFlow := make(chan struct{})
	flowing := make(chan struct{})
	go func() {
		defer close(flowing)
		tick := time.NewTicker(every)
		defer tick.Stop()
		end := time.After(flowFor)
		for {
			select {
			case <-stopFlow:
				return
			case <-end:
				return
			case <-tick.C:
				r.pc.WriteTo(wirePacket(KindAck, ss, 1000, ""), from)
			}
		}
	}()
	again, _ := r.read("DATA 0 again")
	select {
	case <-flowing:
		t.Fatalf("DATA 0 came again only after %v of stale ACKs (one every %v) had stopped: each stale ACK restarted the %v timer; exchange:%s",
			flowFor, every, cfg.Timeout, r.transcript())
	default:
	}
	close(stopFlow)
	<-flowing
	if !bytes.Equal(again, first) {
		t.Fatalf("got %s, want %s again; exchange:%s", describeWire(again), describeWire(first), r.transcript())
	}
	r.send(from, wirePacket(KindAck, ss, 0, ""))
	for {
		b, _ := r.read("FIN 1")
		if wireSeq(b) == 0 && b[0] == byte(KindData) {
			continue // a retransmission that crossed our ACK
		}
		require.Equal(t, describeWire(wirePacket(KindFin, ss, 1, "")), describeWire(b), "after DATA 0 was acknowledged; exchange:%s", r.transcript())
		break
	}
	r.send(from, wirePacket(KindFinAck, ss, 1, ""))
	require.NoError(t, loopback.Wait(t, done, name+" to return after FINACK"), "%s; exchange:%s", name, r.transcript())
}

// testSessionPerTransfer starts two transfers to a receiver that never
// answers: their sessions must differ (a restarted sender is a new
// session). Then it cancels both while they wait, and each must return
// the context's error at once.
func testSessionPerTransfer(t *testing.T, name string, send func(context.Context, net.PacketConn, net.Addr, io.Reader, Config) error) {
	r := newPeer(t)
	cfg := Config{Timeout: time.Hour, Retries: 3} // only ctx can end them
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 2)
	for range 2 {
		pc := loopback.ListenPacket(t)
		go func() { errc <- send(ctx, pc, r.pc.LocalAddr(), strings.NewReader("same file"), cfg) }()
	}
	done := r.watch(name, errc)
	a, _ := r.read("DATA 0 of the first transfer")
	b, _ := r.read("DATA 0 of the second transfer")
	require.NotEqual(t, wireSession(a), wireSession(b),
		"the sessions of two transfers (%s and %s): each transfer draws its own at random", describeWire(a), describeWire(b))
	cancel()
	for i := range 2 {
		var err error
		if i == 0 {
			err = loopback.Wait(t, done, name+" to return after its context was cancelled")
		} else {
			err = loopback.Wait(t, (<-chan error)(errc), name+" to return after its context was cancelled")
		}
		require.ErrorIs(t, err, context.Canceled, "%s cancelled while the receiver says nothing", name)
	}
}

// transfer sends payload with send to Receive through a lossy proxy and
// returns what Receive wrote. It calls sent, if not nil, when send returns
// (Receive lingers on after that).
func transfer(tb testing.TB, send func(context.Context, net.PacketConn, net.Addr, io.Reader, Config) error, payload []byte, cfg Config, pcfg lossy.Config, sent func()) []byte {
	tb.Helper()
	rx := loopback.ListenPacket(tb)
	proxy := lossy.Start(loopback.ListenPacket(tb), rx.LocalAddr(), pcfg)
	defer proxy.Close()
	tx := loopback.ListenPacket(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 4*loopback.Timeout)
	defer cancel()
	var out bytes.Buffer
	recvd := make(chan error, 1)
	go func() {
		_, err := Receive(ctx, rx, &out, cfg)
		recvd <- err
	}()
	err := send(ctx, tx, proxy.Addr(), bytes.NewReader(payload), cfg)
	if sent != nil {
		sent()
	}
	if err != nil {
		cancel()
		<-recvd
		tb.Fatalf("sending %d bytes through the proxy: %v (proxy: %+v)", len(payload), err, proxy.Stats())
	}
	if err := <-recvd; err != nil {
		tb.Fatalf("Receive through the proxy: %v (proxy: %+v)", err, proxy.Stats())
	}
	return out.Bytes()
}

// badNetwork is the proxy the issue asks ARQ to survive.
func badNetwork(tb testing.TB) lossy.Config {
	return lossy.Config{Drop: 0.10, Duplicate: 0.05, Reorder: 0.05, Corrupt: 0.01, Rand: seed.Rand(tb)}
}

var echoRuns sync.Map // *testing.T -> *loopback.Serving: the test's ServeEcho

// peer is the test's end of an ARQ exchange: a socket that sends and
// expects datagrams by hand and logs them for failure messages.
type peer struct {
	t   *testing.T
	pc  net.PacketConn
	mu  sync.Mutex
	log []string
	end string // what the code under test returned, once it has
}

// watch relays errc, what the code under test returns, to the channel it
// returns; when that comes, the peer stops waiting for datagrams at once
// (a stub returns ErrTODO and sends nothing: no need to wait 5s).
func (p *peer) watch(name string, errc <-chan error) <-chan error {
	out := make(chan error, 1)
	go func() {
		err := <-errc
		p.mu.Lock()
		p.end = fmt.Sprintf("%s returned %v", name, err)
		p.mu.Unlock()
		p.pc.SetReadDeadline(time.Unix(1, 0))
		out <- err
	}()
	return out
}

func (p *peer) note(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = append(p.log, fmt.Sprintf(format, args...))
}

func (p *peer) transcript() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return "\n\t" + strings.Join(p.log, "\n\t")
}

func (p *peer) send(to net.Addr, b []byte) {
	p.note("test -> you: %s", describeWire(b))
	_, err := p.pc.WriteTo(b, to)
	require.NoError(p.t, err)
}

// read returns the next datagram and its sender.
func (p *peer) read(what string) ([]byte, net.Addr) {
	buf := make([]byte, 65535)
	n, from, err := p.pc.ReadFrom(buf)
	if err != nil {
		p.mu.Lock()
		end := p.end
		p.mu.Unlock()
		if end != "" {
			p.t.Fatalf("waited for %s, but %s; so far:%s", what, end, p.transcript())
		}
		p.t.Fatalf("waited for %s and got %v; so far:%s", what, err, p.transcript())
	}
	p.note("you -> test: %s", describeWire(buf[:n]))
	if n < 9 {
		p.t.Fatalf("waited for %s and got a %d-byte datagram, shorter than a header; so far:%s", what, n, p.transcript())
	}
	return buf[:n], from
}

func (p *peer) expect(want []byte) net.Addr {
	got, from := p.read(describeWire(want))
	if !bytes.Equal(got, want) {
		p.t.Fatalf("got %s, want %s; so far:%s", describeWire(got), describeWire(want), p.transcript())
	}
	return from
}
