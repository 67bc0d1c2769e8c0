package udp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/lossy"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
)

// wirePacket builds an ARQ datagram by hand (the tests' own encoder, so a
// test of Receive does not depend on your Marshal).
func wirePacket(kind Kind, seq uint32, payload string) []byte {
	b := []byte{byte(kind), 0, 0, 0, 0}
	binary.BigEndian.PutUint32(b[1:], seq)
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// describeWire says what a datagram is, for failure messages: "A 3".
func describeWire(b []byte) string {
	if len(b) < Overhead {
		return fmt.Sprintf("%d-byte runt %q", len(b), b)
	}
	s := fmt.Sprintf("%c %d", b[0], binary.BigEndian.Uint32(b[1:5]))
	if len(b) > Overhead {
		s += fmt.Sprintf(" %q", b[5:len(b)-4])
	}
	if crc32.ChecksumIEEE(b[:len(b)-4]) != binary.BigEndian.Uint32(b[len(b)-4:]) {
		s += " (bad CRC)"
	}
	return s
}

func TestStep4_PacketRoundTrip(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		p    Packet
		wire string // hex
	}{
		{Packet{KindData, 0, []byte("hi")}, "44000000006869" + fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte("D\x00\x00\x00\x00hi")))},
		{Packet{Kind: KindAck, Seq: 258}, "4100000102" + fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte("A\x00\x00\x01\x02")))},
		{Packet{Kind: KindFin, Seq: 7}, fmt.Sprintf("%x", wirePacket(KindFin, 7, ""))},
		{Packet{Kind: KindFinAck, Seq: 1 << 31}, fmt.Sprintf("%x", wirePacket(KindFinAck, 1<<31, ""))},
	}
	for _, tc := range tests {
		t.Run(describeWire(wirePacket(tc.p.Kind, tc.p.Seq, string(tc.p.Payload))), func(t *testing.T) {
			got := tc.p.Marshal()
			require.Equal(t, tc.wire, fmt.Sprintf("%x", got), "%+v.Marshal()", tc.p)
			back, err := Unmarshal(got)
			require.NoError(t, err, "Unmarshal(%x)", got)
			require.Equal(t, tc.p, back, "Unmarshal(%x)", got)
		})
	}
}

func TestStep4_PacketChecksum(t *testing.T) {
	readme.Explain(t)
	good := wirePacket(KindData, 3, "hello")
	// Any one flipped bit, in the header, the payload or the CRC, is caught.
	for bit := range len(good) * 8 {
		bad := bytes.Clone(good)
		bad[bit/8] ^= 1 << (bit % 8)
		_, err := Unmarshal(bad)
		require.ErrorIs(t, err, ErrChecksum, "Unmarshal of %s with bit %d flipped (%x)", describeWire(good), bit, bad)
	}
	for _, short := range [][]byte{nil, good[:Overhead-1]} {
		_, err := Unmarshal(short)
		require.ErrorIs(t, err, ErrShortPacket, "Unmarshal(%x)", short)
	}
	_, err := Unmarshal(wirePacket('X', 1, ""))
	require.ErrorIs(t, err, ErrBadKind, "Unmarshal of kind 'X' with a good CRC")
}

func FuzzStep4_Unmarshal(f *testing.F) {
	readme.Explain(f)
	f.Add(wirePacket(KindData, 1, "data"))
	f.Add(wirePacket(KindAck, 1, ""))
	f.Add([]byte("D\x00\x00\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Unmarshal(b)
		valid := len(b) >= Overhead &&
			crc32.ChecksumIEEE(b[:len(b)-4]) == binary.BigEndian.Uint32(b[len(b)-4:]) &&
			strings.ContainsRune("DAFG", rune(b[0]))
		if !valid {
			require.Error(t, err, "Unmarshal(%x): a datagram too short, with a bad CRC or kind", b)
			return
		}
		require.NoError(t, err, "Unmarshal(%x)", b)
		require.Equal(t, b, p.Marshal(), "Marshal(Unmarshal(%x)) differs", b)
	})
}

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

func newPeer(t *testing.T) *peer {
	p := &peer{t: t, pc: loopback.ListenPacket(t)}
	require.NoError(t, p.pc.SetDeadline(loopback.Deadline()))
	return p
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
	if n < 5 {
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

// startReceive runs Receive on a new socket until it returns.
func startReceive(t *testing.T, cfg Config) (addr net.Addr, out *bytes.Buffer, done <-chan error) {
	t.Helper()
	pc := loopback.ListenPacket(t)
	ctx, cancel := context.WithCancel(context.Background())
	out = new(bytes.Buffer)
	errc := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		_, err := Receive(ctx, pc, out, cfg)
		errc <- err
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
		case <-time.After(loopback.Timeout):
			t.Errorf("Receive still running %v after its context was cancelled (README.md, step 4)", loopback.Timeout)
		}
	})
	return pc.LocalAddr(), out, errc
}

func TestStep4_ReceiverWritesEachChunkOnce(t *testing.T) {
	readme.Explain(t)
	addr, out, done := startReceive(t, Config{Timeout: 10 * time.Millisecond, Linger: 30 * time.Millisecond})
	s := newPeer(t)
	done = s.watch("Receive", done)
	s.send(addr, wirePacket(KindData, 0, "hello "))
	s.expect(wirePacket(KindAck, 0, ""))
	s.send(addr, wirePacket(KindData, 0, "hello ")) // our ACK "was lost": a retransmission
	s.expect(wirePacket(KindAck, 0, ""))
	s.send(addr, wirePacket(KindData, 1, "world"))
	s.expect(wirePacket(KindAck, 1, ""))
	// A damaged datagram gets no answer and is never written.
	bad := wirePacket(KindData, 2, " JUNK!")
	bad[7] ^= 0x20
	s.send(addr, bad)
	// Chunk 3 before chunk 2: kept until 2 comes.
	s.send(addr, wirePacket(KindData, 3, "!"))
	s.expect(wirePacket(KindAck, 3, ""))
	s.send(addr, wirePacket(KindFin, 4, "")) // too soon: chunk 2 is missing, no answer
	s.send(addr, wirePacket(KindData, 2, " again"))
	s.expect(wirePacket(KindAck, 2, ""))
	s.send(addr, wirePacket(KindFin, 4, ""))
	s.expect(wirePacket(KindFinAck, 4, ""))
	s.send(addr, wirePacket(KindFin, 4, "")) // our FINACK "was lost"
	s.expect(wirePacket(KindFinAck, 4, ""))

	err := loopback.Wait(t, done, "Receive to return after FIN and Linger")
	require.NoError(t, err, "Receive; exchange:%s", s.transcript())
	require.Equal(t, "hello world again!", out.String(), "bytes Receive wrote; exchange:%s", s.transcript())
}

func TestStep4_RetransmitOnTimeout(t *testing.T) {
	readme.Explain(t)
	// The test is the receiver and loses the first DATA 0: the sender must
	// send it again after Timeout (not sooner), then go on.
	r := newPeer(t)
	cfg := Config{Chunk: 2, Timeout: 40 * time.Millisecond, Retries: 5}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sender := loopback.ListenPacket(t)
	sent := make(chan error, 1)
	start := time.Now() // DATA 0 goes out after this, and again Timeout later at the soonest
	go func() { sent <- SendStopAndWait(ctx, sender, r.pc.LocalAddr(), strings.NewReader("abc"), cfg) }()
	done := r.watch("SendStopAndWait", sent)

	from := r.expect(wirePacket(KindData, 0, "ab"))
	r.note("(test drops it)")
	r.expect(wirePacket(KindData, 0, "ab"))
	if gap := time.Since(start); gap < cfg.Timeout {
		t.Fatalf("DATA 0 sent twice within %v of the start, before Timeout %v; exchange:%s", gap, cfg.Timeout, r.transcript())
	}
	r.send(from, wirePacket(KindAck, 0, ""))
	r.expect(wirePacket(KindData, 1, "c"))
	r.send(from, wirePacket(KindAck, 7, "")) // a stray ACK changes nothing
	r.send(from, wirePacket(KindAck, 1, ""))
	r.expect(wirePacket(KindFin, 2, ""))
	r.send(from, wirePacket(KindFinAck, 2, ""))
	err := loopback.Wait(t, done, "SendStopAndWait to return after FINACK")
	require.NoError(t, err, "SendStopAndWait; exchange:%s", r.transcript())
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

func TestStep4_StopAndWaitThroughLossyProxy(t *testing.T) {
	readme.Explain(t)
	rng := seed.Rand(t)
	payload := make([]byte, 8<<10)
	for i := range payload {
		payload[i] = byte(rng.UintN(256))
	}
	cfg := Config{Chunk: 512, Timeout: 15 * time.Millisecond, Retries: 100}
	got := transfer(t, SendStopAndWait, payload, cfg, badNetwork(t), nil)
	assert.Equal(t, sha256.Sum256(payload), sha256.Sum256(got),
		"SHA-256 of the %d bytes sent and the %d received through 10%% loss, 5%% duplication, 5%% reordering, 1%% corruption", len(payload), len(got))
}
