package udp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Kind is the type of an ARQ datagram, its first byte.
type Kind byte

// The four kinds of ARQ datagram.
const (
	KindData   Kind = 'D' // bytes of the stream; Seq numbers the chunk, from 0
	KindAck    Kind = 'A' // "I have DATA Seq"; no payload
	KindFin    Kind = 'F' // the stream ends; Seq is the number of DATA chunks sent
	KindFinAck Kind = 'G' // "I have your FIN Seq"; no payload
)

// Overhead is the bytes an ARQ datagram adds around its payload: 1 for the
// kind, 4 for the session, 4 for the sequence number, 4 for the CRC-32.
const Overhead = 1 + 4 + 4 + 4

// Errors from Unmarshal, the ARQ senders and the receiver.
var (
	ErrShortPacket = errors.New("arq: datagram shorter than a header")
	ErrChecksum    = errors.New("arq: CRC-32 mismatch")
	ErrBadKind     = errors.New("arq: unknown datagram kind")
	ErrGaveUp      = errors.New("arq: no answer after every retry")
	ErrSession     = errors.New("arq: datagram from another session")
	ErrIdle        = errors.New("arq: the sender went quiet before the end of the stream")
)

// Packet is one ARQ datagram. On the wire:
//
//	kind     1 byte   'D', 'A', 'F' or 'G'
//	session  4 bytes  big-endian: the transfer's number, drawn at random by the sender
//	seq      4 bytes  big-endian
//	payload  0 or more bytes (DATA only)
//	crc      4 bytes  big-endian CRC-32 (IEEE) of everything before it
//
// Every datagram of one transfer carries the same session, and the
// receiver's ACK and FINACK copy it from the datagram they answer. A
// sender that restarts draws a new session, so its chunk 0 can never be
// taken for the chunk 0 of the transfer that died.
type Packet struct {
	Kind    Kind
	Session uint32
	Seq     uint32
	Payload []byte
}

// Marshal returns the packet's bytes on the wire, CRC-32 included.
func (p Packet) Marshal() []byte {
	b := make([]byte, 9, len(p.Payload)+Overhead)
	b[0] = byte(p.Kind)
	binary.BigEndian.PutUint32(b[1:5], p.Session)
	binary.BigEndian.PutUint32(b[5:9], p.Seq)
	b = append(b, p.Payload...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// Unmarshal parses a datagram. It returns ErrShortPacket for fewer than
// Overhead bytes, ErrChecksum when the CRC-32 does not match (a bit was
// flipped on the way: the datagram must be dropped, never used), and
// ErrBadKind for a kind other than the four. The payload is a copy, and
// nil when empty.
func Unmarshal(b []byte) (Packet, error) {
	if len(b) < Overhead {
		return Packet{}, fmt.Errorf("%w: %d bytes", ErrShortPacket, len(b))
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return Packet{}, ErrChecksum
	}
	p := Packet{Kind: Kind(body[0]), Session: binary.BigEndian.Uint32(body[1:5]), Seq: binary.BigEndian.Uint32(body[5:9])}
	switch p.Kind {
	case KindData, KindAck, KindFin, KindFinAck:
	default:
		return Packet{}, fmt.Errorf("%w: %q", ErrBadKind, body[0])
	}
	if len(body) > 9 {
		p.Payload = append([]byte(nil), body[9:]...)
	}
	return p, nil
}

// Config tunes the ARQ senders and receiver. Zero fields take the
// defaults in brackets.
type Config struct {
	Chunk   int           // payload bytes per DATA datagram [1024]
	Timeout time.Duration // retransmission timeout [100ms]
	Retries int           // sends of one datagram before ErrGaveUp [50]
	Window  int           // datagrams in flight (SendWindow) or buffered (Receive) [32]
	Linger  time.Duration // Receive: quiet time after FIN before it returns [Retries × Timeout]
	Idle    time.Duration // Receive: quiet time in mid-stream before ErrIdle [Retries × Timeout]
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	if c.Chunk <= 0 {
		c.Chunk = 1024
	}
	if c.Timeout <= 0 {
		c.Timeout = 100 * time.Millisecond
	}
	if c.Retries <= 0 {
		c.Retries = 50
	}
	if c.Window <= 0 {
		c.Window = 32
	}
	// A sender repeats a datagram for up to Retries × Timeout: a receiver
	// that lingers less may leave while the sender still waits for its
	// FINACK, and a receiver quiet for longer has a sender that gave up.
	if c.Linger <= 0 {
		c.Linger = time.Duration(c.Retries) * c.Timeout
	}
	if c.Idle <= 0 {
		c.Idle = time.Duration(c.Retries) * c.Timeout
	}
	return c
}

// newSession draws a session number for one transfer.
func newSession() uint32 { return rand.Uint32() }

// SendStopAndWait sends everything r holds to a receiver at to, one DATA
// datagram at a time: send chunk Seq, wait up to cfg.Timeout for ACK Seq,
// send it again if none came, and only then go on to chunk Seq+1. Chunks
// are numbered from 0 and hold cfg.Chunk bytes (the last one fewer).
//
// Every datagram carries the transfer's session, a random number drawn
// once per call, so that two calls never share one. Answers that fail
// Unmarshal, answers of another session, and ACKs for other chunks
// (duplicates and late ones), are ignored: they do not restart the
// timer either. After the last chunk, SendStopAndWait closes the
// stream the same way: FIN Seq (Seq = the number of chunks), until FINACK
// Seq. A datagram sent cfg.Retries times without its answer is an error
// wrapping ErrGaveUp. It returns nil once the FIN is acknowledged, and
// ctx's error if ctx ends first.
func SendStopAndWait(ctx context.Context, pc net.PacketConn, to net.Addr, r io.Reader, cfg Config) error {
	cfg = cfg.WithDefaults()
	stop := context.AfterFunc(ctx, func() { pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	chunk, buf := make([]byte, cfg.Chunk), make([]byte, 65535)
	session := newSession()
	var seq uint32
	for {
		n, err := io.ReadFull(r, chunk)
		if n > 0 {
			if err := exchange(ctx, pc, to, Packet{KindData, session, seq, chunk[:n]}, KindAck, cfg, buf); err != nil {
				return err
			}
			seq++
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return fmt.Errorf("arq: read chunk %d: %w", seq, err)
		}
	}
	return exchange(ctx, pc, to, Packet{Kind: KindFin, Session: session, Seq: seq}, KindFinAck, cfg, buf)
}

// exchange sends p until an answer of kind want for p.Session and p.Seq
// arrives, reading answers into buf.
func exchange(ctx context.Context, pc net.PacketConn, to net.Addr, p Packet, want Kind, cfg Config, buf []byte) error {
	wire := p.Marshal()
	for range cfg.Retries {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := pc.WriteTo(wire, to); err != nil {
			return fmt.Errorf("arq: send %c %d to %s: %w", p.Kind, p.Seq, to, err)
		}
		// A fresh timer for every send, and only then: the answer has
		// Timeout from now, whatever else arrives meanwhile.
		if err := setReadDeadline(ctx, pc, time.Now().Add(cfg.Timeout)); err != nil {
			return err
		}
		for {
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				if isTimeout(err) {
					break // send it again
				}
				return fmt.Errorf("arq: wait for %c %d: %w", want, p.Seq, err)
			}
			a, err := Unmarshal(buf[:n])
			if err == nil && a.Kind == want && a.Session == p.Session && a.Seq == p.Seq {
				return nil
			}
		}
	}
	return fmt.Errorf("%w: %c %d sent %d times to %s", ErrGaveUp, p.Kind, p.Seq, cfg.Retries, to)
}

// Receive receives one stream on pc from whoever sends to it and writes
// its bytes to w, in order, each byte once. It returns the number of bytes
// written.
//
// The first DATA or FIN that arrives sets the stream's session. For every
// DATA datagram of that session it sends ACK Seq (with the session) back
// to the sender's address, including for chunks it already has (their ACK
// was lost). A chunk it already wrote is never written again. Chunks that
// arrive early, less than cfg.Window past the next one it needs (seq <
// next + Window), are kept until the gap is filled; chunks further ahead
// are dropped without an answer (the sender sends them again). Datagrams that fail Unmarshal, and ACKs and
// FINACKs, are dropped without an answer.
//
// A DATA or FIN of another session means the sender restarted (or someone
// else is sending): before the stream is complete, Receive returns an error
// wrapping ErrSession at once, without answering it and without writing
// its bytes, because the two streams must never be spliced into one.
//
// FIN Seq, once every chunk below Seq is written, completes the stream:
// Receive answers FINACK Seq, and keeps answering repeated FINs (its FINACK
// may be lost) until nothing arrives for cfg.Linger; then it returns nil.
// A FIN that comes before all the data is ignored. After the FIN, datagrams
// of another session are ignored, and the end of ctx ends the lingering:
// Receive returns nil then.
//
// Before the stream is complete, Receive returns an error if it did not
// get all of it: one wrapping ErrIdle when, after the first datagram,
// nothing of its session arrives for cfg.Idle (the sender died); ctx's
// error if ctx ends (waiting for the first datagram has no time limit but
// ctx); and the error if writing to w fails.
func Receive(ctx context.Context, pc net.PacketConn, w io.Writer, cfg Config) (int64, error) {
	cfg = cfg.WithDefaults()
	stop := context.AfterFunc(ctx, func() { pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	var (
		written  int64
		expected uint32 // the next chunk to write
		early    = map[uint32][]byte{}
		session  uint32
		started  bool // session is set
		finished bool // FIN answered: the stream is complete
		buf      = make([]byte, 65535)
	)
	answer := func(kind Kind, seq uint32, to net.Addr) {
		// A lost answer is asked for again.
		pc.WriteTo(Packet{Kind: kind, Session: session, Seq: seq}.Marshal(), to)
	}
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if finished {
				return written, nil // complete; quiet for Linger (or ctx ended): the sender has its FINACK
			}
			if ctx.Err() != nil {
				return written, ctx.Err()
			}
			if started && isTimeout(err) {
				return written, fmt.Errorf("%w: nothing for %v, waiting for chunk %d", ErrIdle, cfg.Idle, expected)
			}
			return written, fmt.Errorf("arq: receive: %w", err)
		}
		p, err := Unmarshal(buf[:n])
		if err != nil || (p.Kind != KindData && p.Kind != KindFin) {
			continue // damaged: as if lost, the sender sends it again
		}
		if !started {
			session, started = p.Session, true
		}
		if p.Session != session {
			if finished {
				continue // ours is complete; a newcomer gets no answer
			}
			return written, fmt.Errorf("%w: %c %d of session %08x while receiving session %08x, %d bytes in",
				ErrSession, p.Kind, p.Seq, p.Session, session, written)
		}
		if !finished {
			// The idle timer restarts with every datagram of the stream.
			if err := setReadDeadline(ctx, pc, time.Now().Add(cfg.Idle)); err != nil {
				return written, err
			}
		}
		switch p.Kind {
		case KindData:
			if p.Seq < expected {
				answer(KindAck, p.Seq, from) // a duplicate: acknowledge it, write nothing
				continue
			}
			if finished || p.Seq-expected >= uint32(cfg.Window) {
				continue // beyond what we keep: it will come again
			}
			if _, ok := early[p.Seq]; !ok {
				early[p.Seq] = p.Payload
			}
			answer(KindAck, p.Seq, from)
			for data, ok := early[expected]; ok; data, ok = early[expected] {
				if _, err := w.Write(data); err != nil {
					return written, fmt.Errorf("arq: write chunk %d: %w", expected, err)
				}
				written += int64(len(data))
				delete(early, expected)
				expected++
			}
		case KindFin:
			if p.Seq != expected {
				continue // data still missing
			}
			answer(KindFinAck, p.Seq, from)
			finished = true
			if setReadDeadline(ctx, pc, time.Now().Add(cfg.Linger)) != nil {
				return written, nil // complete: ctx only cuts the lingering short
			}
		}
	}
}

// ReceiveFile receives one stream like Receive and saves it as the file
// path, whole or not at all. It writes to a new temporary file in path's
// directory and renames it to path only once Receive returned nil and the
// file is flushed to disk (Sync) and closed: a rename within one directory
// is atomic. Any failure (Receive's error, a full disk, ctx's end before
// the stream is complete) removes the temporary file, leaves whatever was
// at path untouched, and is returned. It returns the bytes received.
func ReceiveFile(ctx context.Context, pc net.PacketConn, path string, cfg Config) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.part")
	if err != nil {
		return 0, fmt.Errorf("arq: %w", err)
	}
	n, err := Receive(ctx, pc, f, cfg)
	if err == nil {
		err = f.Chmod(0o644) // CreateTemp's 0600 is for the part; the file is for its reader
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name()) // nothing else to do: the transfer failed either way
		return n, err
	}
	return n, nil
}

// setReadDeadline sets pc's read deadline to t and returns ctx's error if
// ctx is done. The context.AfterFunc that wakes a blocked read sets a
// deadline in the past; if ctx ended just before this call, t would
// replace it and the next read would wait for t.
func setReadDeadline(ctx context.Context, pc net.PacketConn, t time.Time) error {
	pc.SetReadDeadline(t)
	return ctx.Err()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
