package udp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
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
// kind, 4 for the sequence number, 4 for the CRC-32.
const Overhead = 1 + 4 + 4

// Errors from Unmarshal and the ARQ senders.
var (
	ErrShortPacket = errors.New("arq: datagram shorter than a header")
	ErrChecksum    = errors.New("arq: CRC-32 mismatch")
	ErrBadKind     = errors.New("arq: unknown datagram kind")
	ErrGaveUp      = errors.New("arq: no answer after every retry")
)

// Packet is one ARQ datagram. On the wire:
//
//	kind     1 byte   'D', 'A', 'F' or 'G'
//	seq      4 bytes  big-endian
//	payload  0 or more bytes (DATA only)
//	crc      4 bytes  big-endian CRC-32 (IEEE) of everything before it
type Packet struct {
	Kind    Kind
	Seq     uint32
	Payload []byte
}

// Marshal returns the packet's bytes on the wire, CRC-32 included.
func (p Packet) Marshal() []byte {
	b := make([]byte, 5, len(p.Payload)+Overhead)
	b[0] = byte(p.Kind)
	binary.BigEndian.PutUint32(b[1:5], p.Seq)
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
	p := Packet{Kind: Kind(body[0]), Seq: binary.BigEndian.Uint32(body[1:5])}
	switch p.Kind {
	case KindData, KindAck, KindFin, KindFinAck:
	default:
		return Packet{}, fmt.Errorf("%w: %q", ErrBadKind, body[0])
	}
	if len(body) > 5 {
		p.Payload = append([]byte(nil), body[5:]...)
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
	Linger  time.Duration // Receive: quiet time after FIN before it returns [5 × Timeout]
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
	if c.Linger <= 0 {
		c.Linger = 5 * c.Timeout
	}
	return c
}

// SendStopAndWait sends everything r holds to a receiver at to, one DATA
// datagram at a time: send chunk Seq, wait up to cfg.Timeout for ACK Seq,
// send it again if none came, and only then go on to chunk Seq+1. Chunks
// are numbered from 0 and hold cfg.Chunk bytes (the last one fewer).
//
// Answers that fail Unmarshal, and ACKs for other chunks (duplicates and
// late ones), are ignored. After the last chunk, SendStopAndWait closes the
// stream the same way: FIN Seq (Seq = the number of chunks), until FINACK
// Seq. A datagram sent cfg.Retries times without its answer is an error
// wrapping ErrGaveUp. It returns nil once the FIN is acknowledged, and
// ctx's error if ctx ends first.
func SendStopAndWait(ctx context.Context, pc net.PacketConn, to net.Addr, r io.Reader, cfg Config) error {
	cfg = cfg.WithDefaults()
	stop := context.AfterFunc(ctx, func() { pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	chunk, buf := make([]byte, cfg.Chunk), make([]byte, 65535)
	var seq uint32
	for {
		n, err := io.ReadFull(r, chunk)
		if n > 0 {
			if err := exchange(ctx, pc, to, Packet{KindData, seq, chunk[:n]}, KindAck, cfg, buf); err != nil {
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
	return exchange(ctx, pc, to, Packet{Kind: KindFin, Seq: seq}, KindFinAck, cfg, buf)
}

// exchange sends p until an answer of kind want for p.Seq arrives,
// reading answers into buf.
func exchange(ctx context.Context, pc net.PacketConn, to net.Addr, p Packet, want Kind, cfg Config, buf []byte) error {
	wire := p.Marshal()
	for range cfg.Retries {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := pc.WriteTo(wire, to); err != nil {
			return fmt.Errorf("arq: send %c %d to %s: %w", p.Kind, p.Seq, to, err)
		}
		// A fresh timer for every send: the answer has Timeout from now.
		pc.SetReadDeadline(time.Now().Add(cfg.Timeout))
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
			if err == nil && a.Kind == want && a.Seq == p.Seq {
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
// For every DATA datagram it sends ACK Seq back to the sender's address,
// including for chunks it already has (their ACK was lost). A chunk it
// already wrote is never written again. Chunks that arrive early (up to
// cfg.Window past the next one it needs) are kept until the gap is filled.
// Datagrams that fail Unmarshal are dropped without an answer.
//
// FIN Seq, once every chunk below Seq is written, ends the stream: Receive
// answers FINACK Seq, and keeps answering repeated FINs (its FINACK may be
// lost) until nothing arrives for cfg.Linger; then it returns nil. A FIN
// that comes before all the data is ignored. Receive returns ctx's error
// if ctx ends first, and the error if writing to w fails.
func Receive(ctx context.Context, pc net.PacketConn, w io.Writer, cfg Config) (int64, error) {
	cfg = cfg.WithDefaults()
	stop := context.AfterFunc(ctx, func() { pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	var (
		written  int64
		expected uint32 // the next chunk to write
		early    = map[uint32][]byte{}
		finished bool
		buf      = make([]byte, 65535)
	)
	answer := func(kind Kind, seq uint32, to net.Addr) {
		pc.WriteTo(Packet{Kind: kind, Seq: seq}.Marshal(), to) // a lost answer is asked for again
	}
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return written, ctx.Err()
			}
			if finished && isTimeout(err) {
				return written, nil // quiet for Linger after FIN: the sender has its FINACK
			}
			return written, fmt.Errorf("arq: receive: %w", err)
		}
		p, err := Unmarshal(buf[:n])
		if err != nil {
			continue // damaged: as if lost, the sender sends it again
		}
		switch p.Kind {
		case KindData:
			switch {
			case p.Seq < expected:
				answer(KindAck, p.Seq, from) // a duplicate: acknowledge it, write nothing
				continue
			case finished || p.Seq-expected >= uint32(cfg.Window):
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
			pc.SetReadDeadline(time.Now().Add(cfg.Linger))
			if ctx.Err() != nil { // the deadline above may have hidden ctx's
				return written, ctx.Err()
			}
		}
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
