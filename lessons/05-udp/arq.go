package udp

import (
	"context"
	"errors"
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
	// TODO(step 4): kind, seq, payload, then the CRC-32 of all of it. See README.md, step 4.
	return nil
}

// Unmarshal parses a datagram. It returns ErrShortPacket for fewer than
// Overhead bytes, ErrChecksum when the CRC-32 does not match (a bit was
// flipped on the way: the datagram must be dropped, never used), and
// ErrBadKind for a kind other than the four. The payload is a copy, and
// nil when empty.
func Unmarshal(b []byte) (Packet, error) {
	// TODO(step 4): check the length and the CRC-32 before you trust a byte. See README.md, step 4.
	return Packet{}, ErrTODO
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
	// TODO(step 4): fill in the zero fields. See README.md, step 4.
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
	// TODO(step 4): send a chunk, wait for its ACK or the timeout, repeat; then FIN. See README.md, step 4.
	return ErrTODO
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
	// TODO(step 4): ACK every DATA, write each chunk once and in order, answer FIN. See README.md, step 4.
	return 0, ErrTODO
}
