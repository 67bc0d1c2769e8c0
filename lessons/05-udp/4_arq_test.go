package udp

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
)

func TestStep4_PacketRoundTrip(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		p    Packet
		wire string // hex
	}{
		{Packet{KindData, 0xcafe0001, 0, []byte("hi")}, "44cafe0001000000006869" + fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte("D\xca\xfe\x00\x01\x00\x00\x00\x00hi")))},
		{Packet{Kind: KindAck, Session: 1, Seq: 258}, "410000000100000102" + fmt.Sprintf("%08x", crc32.ChecksumIEEE([]byte("A\x00\x00\x00\x01\x00\x00\x01\x02")))},
		{Packet{Kind: KindFin, Session: 1 << 31, Seq: 7}, fmt.Sprintf("%x", wirePacket(KindFin, 1<<31, 7, ""))},
		{Packet{Kind: KindFinAck, Seq: 1 << 31}, fmt.Sprintf("%x", wirePacket(KindFinAck, 0, 1<<31, ""))},
	}
	for _, tc := range tests {
		t.Run(describeWire(wirePacket(tc.p.Kind, tc.p.Session, tc.p.Seq, string(tc.p.Payload))), func(t *testing.T) {
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
	good := wirePacket(KindData, 0x5e551000, 3, "hello")
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
	_, err := Unmarshal(wirePacket('X', 1, 1, ""))
	require.ErrorIs(t, err, ErrBadKind, "Unmarshal of kind 'X' with a good CRC")
}

func FuzzStep4_Unmarshal(f *testing.F) {
	readme.Explain(f)
	f.Add(wirePacket(KindData, 7, 1, "data"))
	f.Add(wirePacket(KindAck, 7, 1, ""))
	f.Add([]byte("D\x00\x00\x00\x07\x00\x00\x00\x01"))
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

func TestStep4_ConfigDefaults(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		in, want Config
	}{
		{Config{}, Config{Chunk: 1024, Timeout: 100 * time.Millisecond, Retries: 50, Window: 32, Linger: 5 * time.Second, Idle: 5 * time.Second}},
		// Linger and Idle follow Retries × Timeout as set.
		{Config{Timeout: 10 * time.Millisecond, Retries: 3}, Config{Chunk: 1024, Timeout: 10 * time.Millisecond, Retries: 3, Window: 32, Linger: 30 * time.Millisecond, Idle: 30 * time.Millisecond}},
		// Fields that are set stay as they are.
		{Config{Chunk: 1, Timeout: time.Nanosecond, Retries: 1, Window: 1, Linger: time.Minute, Idle: time.Hour}, Config{Chunk: 1, Timeout: time.Nanosecond, Retries: 1, Window: 1, Linger: time.Minute, Idle: time.Hour}},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, tc.in.WithDefaults(), "%+v.WithDefaults()", tc.in)
	}
}

// startReceive runs Receive on a new socket until it returns, writing to
// a buffer the test reads once done has delivered.
func startReceive(t *testing.T, cfg Config) (addr net.Addr, out *bytes.Buffer, done <-chan error) {
	t.Helper()
	out = new(bytes.Buffer)
	addr, _, done = runReceive(t, cfg, out)
	return addr, out, done
}

// runReceive runs Receive on a new socket, writing to w, until it returns;
// cancel ends its context early.
func runReceive(t *testing.T, cfg Config, w io.Writer) (addr net.Addr, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	pc := loopback.ListenPacket(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		_, err := Receive(ctx, pc, w, cfg)
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
	return pc.LocalAddr(), cancel, errc
}

// The session the tests' own senders use, and another one.
const (
	testSession  = 0x5e551000
	otherSession = 0x5e552000
)

func TestStep4_ReceiverWritesEachChunkOnce(t *testing.T) {
	readme.Explain(t)
	addr, out, done := startReceive(t, Config{Timeout: 10 * time.Millisecond, Linger: 30 * time.Millisecond})
	s := newPeer(t)
	done = s.watch("Receive", done)
	const ss = testSession
	s.send(addr, wirePacket(KindData, ss, 0, "hello "))
	s.expect(wirePacket(KindAck, ss, 0, ""))            // the ACK carries the session of the DATA
	s.send(addr, wirePacket(KindData, ss, 0, "hello ")) // our ACK "was lost": a retransmission
	s.expect(wirePacket(KindAck, ss, 0, ""))
	s.send(addr, wirePacket(KindData, ss, 1, "world"))
	s.expect(wirePacket(KindAck, ss, 1, ""))
	// A damaged datagram gets no answer and is never written.
	bad := wirePacket(KindData, ss, 2, " JUNK!")
	bad[11] ^= 0x20
	s.send(addr, bad)
	// Chunk 3 before chunk 2: kept until 2 comes.
	s.send(addr, wirePacket(KindData, ss, 3, "!"))
	s.expect(wirePacket(KindAck, ss, 3, ""))
	s.send(addr, wirePacket(KindFin, ss, 4, "")) // too soon: chunk 2 is missing, no answer
	s.send(addr, wirePacket(KindData, ss, 2, " again"))
	s.expect(wirePacket(KindAck, ss, 2, ""))
	s.send(addr, wirePacket(KindFin, ss, 4, ""))
	s.expect(wirePacket(KindFinAck, ss, 4, ""))
	s.send(addr, wirePacket(KindFin, ss, 4, "")) // our FINACK "was lost"
	s.expect(wirePacket(KindFinAck, ss, 4, ""))

	err := loopback.Wait(t, done, "Receive to return after FIN and Linger")
	require.NoError(t, err, "Receive; exchange:%s", s.transcript())
	require.Equal(t, "hello world again!", out.String(), "bytes Receive wrote; exchange:%s", s.transcript())
}

func TestStep4_ReceiverWindowLimit(t *testing.T) {
	readme.Explain(t)
	// Window 2: with chunk 0 next, chunk 1 is kept, chunk 2 is too far ahead.
	addr, out, done := startReceive(t, Config{Timeout: 10 * time.Millisecond, Window: 2, Linger: 30 * time.Millisecond})
	s := newPeer(t)
	done = s.watch("Receive", done)
	const ss = testSession
	s.send(addr, wirePacket(KindData, ss, 2, "c")) // next + Window: dropped, no ACK
	s.send(addr, wirePacket(KindData, ss, 1, "b")) // next + 1: kept
	s.expect(wirePacket(KindAck, ss, 1, ""))       // the first answer is for 1, not 2
	s.send(addr, wirePacket(KindData, ss, 0, "a"))
	s.expect(wirePacket(KindAck, ss, 0, ""))
	s.send(addr, wirePacket(KindData, ss, 2, "c")) // now within the window
	s.expect(wirePacket(KindAck, ss, 2, ""))
	s.send(addr, wirePacket(KindFin, ss, 3, ""))
	s.expect(wirePacket(KindFinAck, ss, 3, ""))
	require.NoError(t, loopback.Wait(t, done, "Receive to return after FIN and Linger"), "Receive; exchange:%s", s.transcript())
	require.Equal(t, "abc", out.String(), "bytes Receive wrote; exchange:%s", s.transcript())
}

func TestStep4_NewSessionRefused(t *testing.T) {
	readme.Explain(t)
	// A sender dies after chunk 1 and a new one starts the same file from
	// chunk 0 with a new session. Its chunk 0 is not a duplicate of the
	// old chunk 0: Receive must stop with ErrSession, answer nothing and
	// write nothing of it, never splice the two streams.
	addr, out, done := startReceive(t, Config{Timeout: 10 * time.Millisecond})
	s := newPeer(t)
	done = s.watch("Receive", done)
	s.send(addr, wirePacket(KindData, testSession, 0, "old 0;"))
	s.expect(wirePacket(KindAck, testSession, 0, ""))
	s.send(addr, wirePacket(KindData, testSession, 1, "old 1;"))
	s.expect(wirePacket(KindAck, testSession, 1, ""))
	s.note("(the sender restarts)")
	s.send(addr, wirePacket(KindData, otherSession, 0, "NEW 0;"))
	s.send(addr, wirePacket(KindData, otherSession, 1, "NEW 1;"))
	s.send(addr, wirePacket(KindData, otherSession, 2, "NEW 2;"))
	err := loopback.Wait(t, done, "Receive to return on a DATA of another session")
	require.ErrorIs(t, err, ErrSession, "Receive after DATA of session %08x, then of %08x; exchange:%s", testSession, otherSession, s.transcript())
	require.Equal(t, "old 0;old 1;", out.String(), "bytes Receive wrote; exchange:%s", s.transcript())
	s.pc.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	buf := make([]byte, 100)
	if n, _, err := s.pc.ReadFrom(buf); err == nil {
		t.Fatalf("Receive answered %s to another session's DATA; exchange:%s", describeWire(buf[:n]), s.transcript())
	}
}

func TestStep4_ReceiverEndsIncomplete(t *testing.T) {
	readme.Explain(t)
	const idle = 150 * time.Millisecond
	cfg := Config{Timeout: 10 * time.Millisecond, Retries: 3, Idle: idle}

	t.Run("the sender goes quiet", func(t *testing.T) {
		addr, out, done := startReceive(t, cfg)
		s := newPeer(t)
		done = s.watch("Receive", done)
		s.send(addr, wirePacket(KindData, testSession, 0, "half"))
		s.expect(wirePacket(KindAck, testSession, 0, ""))
		start := time.Now()
		s.note("(the sender dies)")
		err := loopback.Wait(t, done, "Receive to give up on a silent sender")
		took := time.Since(start)
		require.ErrorIs(t, err, ErrIdle, "Receive after DATA 0 and %v of silence; exchange:%s", took, s.transcript())
		require.GreaterOrEqual(t, took, idle-10*time.Millisecond, "Receive gave up %v after the last datagram, before Idle %v", took, idle)
		require.Equal(t, "half", out.String(), "bytes Receive wrote")
	})

	t.Run("the idle timer restarts with every datagram", func(t *testing.T) {
		addr, out, done := startReceive(t, Config{Timeout: 10 * time.Millisecond, Retries: 3, Idle: 400 * time.Millisecond, Linger: 20 * time.Millisecond})
		s := newPeer(t)
		done = s.watch("Receive", done)
		// 4 gaps of 150ms: 600ms in all, longer than Idle, but never
		// quiet for Idle at a stretch.
		for seq := range uint32(4) {
			s.send(addr, wirePacket(KindData, testSession, seq, "x"))
			s.expect(wirePacket(KindAck, testSession, seq, ""))
			time.Sleep(150 * time.Millisecond) // the sender is slow, not dead
		}
		s.send(addr, wirePacket(KindFin, testSession, 4, ""))
		s.expect(wirePacket(KindFinAck, testSession, 4, ""))
		err := loopback.Wait(t, done, "Receive to return after FIN")
		require.NoError(t, err, "Receive of a slow stream, a datagram every 150ms with Idle 400ms; exchange:%s", s.transcript())
		require.Equal(t, "xxxx", out.String())
	})

	t.Run("no time limit before the first datagram", func(t *testing.T) {
		addr, out, done := startReceive(t, Config{Timeout: 10 * time.Millisecond, Retries: 3, Idle: 50 * time.Millisecond, Linger: 20 * time.Millisecond})
		select {
		case err := <-done:
			t.Fatalf("Receive returned %v before any datagram came: Idle counts from the first datagram, not before", err)
		case <-time.After(200 * time.Millisecond): // 4 × Idle: the sender is not started yet
		}
		s := newPeer(t)
		done = s.watch("Receive", done)
		s.send(addr, wirePacket(KindData, testSession, 0, "late start"))
		s.expect(wirePacket(KindAck, testSession, 0, ""))
		s.send(addr, wirePacket(KindFin, testSession, 1, ""))
		s.expect(wirePacket(KindFinAck, testSession, 1, ""))
		require.NoError(t, loopback.Wait(t, done, "Receive to return after FIN"), "Receive; exchange:%s", s.transcript())
		require.Equal(t, "late start", out.String())
	})

	t.Run("the context ends while the sender stalls", func(t *testing.T) {
		addr, cancel, done := runReceive(t, Config{Timeout: 10 * time.Millisecond, Idle: time.Hour}, io.Discard)
		s := newPeer(t)
		done = s.watch("Receive", done)
		s.send(addr, wirePacket(KindData, testSession, 0, "a"))
		s.expect(wirePacket(KindAck, testSession, 0, ""))
		cancel()
		err := loopback.Wait(t, done, "Receive to return after its context was cancelled")
		require.ErrorIs(t, err, context.Canceled, "Receive cancelled in mid-stream: an incomplete stream is an error, never nil")
	})

	t.Run("the writer fails", func(t *testing.T) {
		addr, _, done := runReceive(t, cfg, failingWriter{})
		s := newPeer(t)
		done = s.watch("Receive", done)
		s.send(addr, wirePacket(KindData, testSession, 0, "disk full"))
		err := loopback.Wait(t, done, "Receive to return when writing fails")
		require.ErrorIs(t, err, errDiskFull, "Receive with a writer that fails")
	})
}

// errDiskFull is what failingWriter returns.
var errDiskFull = errors.New("test: no space left on device")

// failingWriter fails every write, like a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestStep4_ReceiveFileWholeOrNothing(t *testing.T) {
	readme.Explain(t)
	cfg := Config{Timeout: 10 * time.Millisecond, Retries: 3, Idle: 100 * time.Millisecond, Linger: 20 * time.Millisecond}
	// startFile runs ReceiveFile into dir/out.bin until it returns.
	startFile := func(t *testing.T, dir string) (net.Addr, context.CancelFunc, <-chan error) {
		pc := loopback.ListenPacket(t)
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		errc := make(chan error, 1)
		go func() {
			_, err := ReceiveFile(ctx, pc, filepath.Join(dir, "out.bin"), cfg)
			errc <- err
		}()
		return pc.LocalAddr(), cancel, errc
	}
	list := func(t *testing.T, dir string) []string {
		t.Helper()
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}

	t.Run("a complete stream", func(t *testing.T) {
		dir := t.TempDir()
		addr, _, done := startFile(t, dir)
		s := newPeer(t)
		done = s.watch("ReceiveFile", done)
		s.send(addr, wirePacket(KindData, testSession, 0, "whole "))
		s.expect(wirePacket(KindAck, testSession, 0, ""))
		s.send(addr, wirePacket(KindData, testSession, 1, "file"))
		s.expect(wirePacket(KindAck, testSession, 1, ""))
		s.send(addr, wirePacket(KindFin, testSession, 2, ""))
		s.expect(wirePacket(KindFinAck, testSession, 2, ""))
		require.NoError(t, loopback.Wait(t, done, "ReceiveFile to return after FIN"), "ReceiveFile; exchange:%s", s.transcript())
		got, err := os.ReadFile(filepath.Join(dir, "out.bin"))
		require.NoError(t, err, "the file ReceiveFile saved")
		require.Equal(t, "whole file", string(got))
		require.Equal(t, []string{"out.bin"}, list(t, dir), "files in the directory after a complete stream (a temporary file left behind?)")
	})

	for _, tc := range []struct {
		name string
		end  func(s *peer, cancel context.CancelFunc)
		want error
	}{
		{"the sender dies", func(*peer, context.CancelFunc) {}, ErrIdle},
		{"the context ends", func(_ *peer, cancel context.CancelFunc) { cancel() }, context.Canceled},
	} {
		for _, old := range []bool{false, true} {
			name := tc.name
			if old {
				name += " over an old file"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				if old {
					require.NoError(t, os.WriteFile(filepath.Join(dir, "out.bin"), []byte("old file"), 0o644))
				}
				addr, cancel, done := startFile(t, dir)
				s := newPeer(t)
				done = s.watch("ReceiveFile", done)
				s.send(addr, wirePacket(KindData, testSession, 0, "half a "))
				s.expect(wirePacket(KindAck, testSession, 0, ""))
				tc.end(s, cancel)
				err := loopback.Wait(t, done, "ReceiveFile to return on an incomplete stream")
				require.ErrorIs(t, err, tc.want, "ReceiveFile when %s in mid-stream", tc.name)
				if !old {
					require.Empty(t, list(t, dir), "files in the directory after an incomplete stream: no partial file, no temporary file")
					return
				}
				require.Equal(t, []string{"out.bin"}, list(t, dir), "files in the directory after an incomplete stream: no temporary file")
				got, err := os.ReadFile(filepath.Join(dir, "out.bin"))
				require.NoError(t, err)
				require.Equal(t, "old file", string(got), "the file that was there before an incomplete stream")
			})
		}
	}
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

	first, from := r.read("DATA 0 \"ab\"")
	ss := wireSession(first)
	if !bytes.Equal(first, wirePacket(KindData, ss, 0, "ab")) {
		t.Fatalf("got %s, want DATA 0 \"ab\"; exchange:%s", describeWire(first), r.transcript())
	}
	r.note("(test drops it)")
	r.expect(wirePacket(KindData, ss, 0, "ab"))
	if gap := time.Since(start); gap < cfg.Timeout {
		t.Fatalf("DATA 0 sent twice within %v of the start, before Timeout %v; exchange:%s", gap, cfg.Timeout, r.transcript())
	}
	r.send(from, wirePacket(KindAck, ss, 0, ""))
	r.expect(wirePacket(KindData, ss, 1, "c"))
	r.send(from, wirePacket(KindAck, ss, 7, ""))        // a stray ACK changes nothing
	r.send(from, wirePacket(KindAck, ss^0xffff, 1, "")) // nor does another session's
	r.expect(wirePacket(KindData, ss, 1, "c"))          // so DATA 1 comes again
	r.send(from, wirePacket(KindAck, ss, 1, ""))
	r.expect(wirePacket(KindFin, ss, 2, ""))
	r.send(from, wirePacket(KindFinAck, ss^0xffff, 2, "")) // another session's FINACK is not ours
	r.expect(wirePacket(KindFin, ss, 2, ""))
	r.send(from, wirePacket(KindFinAck, ss, 2, ""))
	err := loopback.Wait(t, done, "SendStopAndWait to return after FINACK")
	require.NoError(t, err, "SendStopAndWait; exchange:%s", r.transcript())
}

func TestStep4_StaleAcksDoNotDelayRetransmission(t *testing.T) {
	readme.Explain(t)
	testStaleAcks(t, "SendStopAndWait", SendStopAndWait)
}

func TestStep4_SessionPerTransfer(t *testing.T) {
	readme.Explain(t)
	testSessionPerTransfer(t, "SendStopAndWait", SendStopAndWait)
}

func TestStep4_StopAndWaitThroughLossyProxy(t *testing.T) {
	readme.Explain(t)
	rng := seed.Rand(t)
	payload := make([]byte, 8<<10)
	for i := range payload {
		payload[i] = byte(rng.UintN(256))
	}
	cfg := Config{Chunk: 512, Timeout: 15 * time.Millisecond, Retries: 100, Linger: 300 * time.Millisecond}
	got := transfer(t, SendStopAndWait, payload, cfg, badNetwork(t), nil)
	assert.Equal(t, sha256.Sum256(payload), sha256.Sum256(got),
		"SHA-256 of the %d bytes sent and the %d received through 10%% loss, 5%% duplication, 5%% reordering, 1%% corruption", len(payload), len(got))
}
