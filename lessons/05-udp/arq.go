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
	Linger  time.Duration // Receive: quiet time after FIN before it returns [Retries × Timeout]
	Idle    time.Duration // Receive: quiet time in mid-stream before ErrIdle [Retries × Timeout]
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
	// TODO(step 4): draw a session, send a chunk, wait for its ACK or the timeout, repeat; then FIN. See README.md, step 4.
	return ErrTODO
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
	// TODO(step 4): ACK every DATA of the session, write each chunk once and in order, answer FIN. See README.md, step 4.
	return 0, ErrTODO
}

// ReceiveFile receives one stream like Receive and saves it as the file
// path, whole or not at all. It writes to a new temporary file in path's
// directory and renames it to path only once Receive returned nil and the
// file is flushed to disk (Sync) and closed: a rename within one directory
// is atomic. Any failure (Receive's error, a full disk, ctx's end before
// the stream is complete) removes the temporary file, leaves whatever was
// at path untouched, and is returned. It returns the bytes received.
func ReceiveFile(ctx context.Context, pc net.PacketConn, path string, cfg Config) (int64, error) {
	// TODO(step 4): a temporary file in the same directory, Receive into it, rename only on success. See README.md, step 4.
	return 0, ErrTODO
}
