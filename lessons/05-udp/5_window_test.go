package udp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/lossy"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
)

func TestStep5_WindowInFlight(t *testing.T) {
	readme.Explain(t)
	// The test is the receiver. With Window 4 the sender sends chunks 0 to
	// 3 without waiting. The test then acknowledges 3, 2 and 1 but not 0:
	// the window cannot slide, so the next datagram must be DATA 0 again
	// (after Timeout), never DATA 4; and DATA 0 alone (Selective Repeat),
	// never 1, 2 and 3 with it (Go-Back-N).
	r := newPeer(t)
	cfg := Config{Chunk: 1, Window: 4, Timeout: 100 * time.Millisecond, Retries: 10}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sender := loopback.ListenPacket(t)
	sent := make(chan error, 1)
	go func() { sent <- SendWindow(ctx, sender, r.pc.LocalAddr(), strings.NewReader("abcdefgh"), cfg) }()
	done := r.watch("SendWindow", sent)

	got := map[uint32]bool{}
	var from = sender.LocalAddr()
	var ss uint32
	for len(got) < 4 {
		b, _ := r.read("DATA 0 to 3, all sent before any ACK")
		require.Equal(t, byte(KindData), b[0], "a DATA datagram; exchange:%s", r.transcript())
		seq := wireSeq(b)
		require.Less(t, seq, uint32(4), "with Window 4 and nothing acknowledged, DATA %d; exchange:%s", seq, r.transcript())
		if len(got) == 0 {
			ss = wireSession(b)
		}
		require.Equal(t, describeWire(wirePacket(KindData, ss, seq, string(rune('a'+seq)))), describeWire(b), "DATA %d of the transfer's session; exchange:%s", seq, r.transcript())
		got[seq] = true
	}
	for _, seq := range []uint32{3, 2, 1, 2} { // out of order, and one twice
		r.send(from, wirePacket(KindAck, ss, seq, ""))
	}
	r.send(from, wirePacket(KindAck, ss^0xffff, 0, "")) // another session's ACK 0 is not ours
	r.expect(wirePacket(KindData, ss, 0, "a"))          // the only one not acknowledged: sent again
	r.send(from, wirePacket(KindAck, ss, 0, ""))

	// Now 4 to 7 come; the test acknowledges each twice. ACKs for chunks
	// not sent yet (8, 9: beyond the window) are nonsense: ignored.
	r.send(from, wirePacket(KindAck, ss, 8, ""))
	r.send(from, wirePacket(KindAck, ss, 9, ""))
	acked := map[uint32]bool{}
	for len(acked) < 4 {
		b, _ := r.read("DATA 4 to 7")
		seq := wireSeq(b)
		if b[0] == byte(KindData) && seq == 0 {
			continue // a late retransmission of chunk 0 that crossed our ACK: fine
		}
		if b[0] == byte(KindData) && seq < 4 {
			t.Fatalf("got %s after DATA 0's timeout, although DATA %d was acknowledged before it: on a timeout the chunk that is due is resent alone (Selective Repeat), not the whole window (Go-Back-N); exchange:%s",
				describeWire(b), seq, r.transcript())
		}
		if b[0] != byte(KindData) || seq > 7 || !bytes.Equal(b, wirePacket(KindData, ss, seq, string(rune('a'+seq)))) {
			t.Fatalf("got %s, want DATA 4 to 7 with one letter each; exchange:%s", describeWire(b), r.transcript())
		}
		acked[seq] = true
		r.send(from, wirePacket(KindAck, ss, seq, ""))
		r.send(from, wirePacket(KindAck, ss, seq, ""))
	}
	for {
		b, _ := r.read("FIN 8")
		if b[0] == byte(KindData) {
			continue // a retransmission that crossed our ACK
		}
		require.Equal(t, describeWire(wirePacket(KindFin, ss, 8, "")), describeWire(b), "after every chunk was acknowledged; exchange:%s", r.transcript())
		break
	}
	r.send(from, wirePacket(KindFinAck, ss, 8, ""))
	err := loopback.Wait(t, done, "SendWindow to return after FINACK")
	require.NoError(t, err, "SendWindow; exchange:%s", r.transcript())
}

func TestStep5_WindowStaleAcks(t *testing.T) {
	readme.Explain(t)
	testStaleAcks(t, "SendWindow", SendWindow)
}

func TestStep5_WindowSessionPerTransfer(t *testing.T) {
	readme.Explain(t)
	testSessionPerTransfer(t, "SendWindow", SendWindow)
}

func TestStep5_WindowThroughLossyProxy(t *testing.T) {
	readme.Explain(t)
	rng := seed.Rand(t)
	payload := make([]byte, 32<<10)
	for i := range payload {
		payload[i] = byte(rng.UintN(256))
	}
	cfg := Config{Chunk: 512, Window: 16, Timeout: 15 * time.Millisecond, Retries: 100, Linger: 300 * time.Millisecond}
	got := transfer(t, SendWindow, payload, cfg, badNetwork(t), nil)
	assert.Equal(t, sha256.Sum256(payload), sha256.Sum256(got),
		"SHA-256 of the %d bytes sent and the %d received through 10%% loss, 5%% duplication, 5%% reordering, 1%% corruption", len(payload), len(got))
}

func TestStep5_WindowBeatsRoundTrips(t *testing.T) {
	readme.Explain(t)
	// Through a proxy that adds 20ms each way, stop-and-wait needs at least
	// one 40ms round trip per chunk: 32 chunks take 1.28s or more, however
	// fast the machine. A window of 32 sends them all in one round trip
	// (then one more for FIN): it must finish sooner than stop-and-wait
	// possibly could.
	const delay = 20 * time.Millisecond
	payload := bytes.Repeat([]byte("window"), 32*100)[:32*100]
	cfg := Config{Chunk: 100, Window: 32, Timeout: 500 * time.Millisecond, Linger: 50 * time.Millisecond}
	start := time.Now()
	var took time.Duration
	got := transfer(t, SendWindow, payload, cfg, lossy.Config{Delay: delay}, func() { took = time.Since(start) })
	require.Equal(t, payload, got, "bytes through a slow, lossless proxy")
	stopAndWait := 32 * 2 * delay
	require.Less(t, took, stopAndWait, "SendWindow of 32 chunks through %v of delay each way; stop-and-wait needs %v or more", delay, stopAndWait)
}

// benchTransfer sends 64 KiB through the bad network with 1ms of delay
// each way and the same proxy seed for every run.
func benchTransfer(b *testing.B, send func(context.Context, net.PacketConn, net.Addr, io.Reader, Config) error) {
	payload := make([]byte, 64<<10)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	cfg := Config{Chunk: 1024, Window: 32, Timeout: 10 * time.Millisecond, Retries: 200, Linger: 100 * time.Millisecond}
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for range b.N {
		pcfg := lossy.Config{Drop: 0.10, Duplicate: 0.05, Reorder: 0.05, Corrupt: 0.01, Delay: time.Millisecond,
			Rand: rand.New(rand.NewPCG(5, 5))}
		got := transfer(b, send, payload, cfg, pcfg, b.StopTimer) // not the receiver's linger
		b.StartTimer()
		if !bytes.Equal(got, payload) {
			b.Fatalf("received %d bytes, not the %d sent", len(got), len(payload))
		}
	}
}

// BenchmarkStopAndWait and BenchmarkSlidingWindow compare the two senders
// over one bad network (README.md, step 5).
func BenchmarkStopAndWait(b *testing.B) { benchTransfer(b, SendStopAndWait) }

func BenchmarkSlidingWindow(b *testing.B) { benchTransfer(b, SendWindow) }
