package udp

import (
	"context"
	"io"
	"net"
)

// SendWindow sends everything r holds to a receiver at to like
// SendStopAndWait, with the same datagrams, but keeps up to cfg.Window
// DATA datagrams in flight instead of one (a sliding window, Selective
// Repeat): chunks base to base+Window-1 may be unacknowledged at once, and
// the window slides forward past every chunk whose ACK has come.
//
// Like SendStopAndWait it draws a new random session for the transfer and
// ignores answers of another session. An ACK acknowledges exactly the chunk
// it names, whatever order ACKs arrive in; a duplicate or stale ACK changes
// nothing (no timer restarts). Each chunk has its
// own retransmission timer: a chunk unacknowledged cfg.Timeout after it was
// last sent is sent again (only that chunk), up to cfg.Retries sends, then
// SendWindow returns an error wrapping ErrGaveUp. Once every chunk is
// acknowledged it closes the stream with FIN and FINACK as SendStopAndWait
// does. It returns nil once the FIN is acknowledged, and ctx's error if
// ctx ends first.
func SendWindow(ctx context.Context, pc net.PacketConn, to net.Addr, r io.Reader, cfg Config) error {
	// TODO(step 5): keep Window chunks in flight, one timer each, slide on ACKs. See README.md, step 5.
	return ErrTODO
}
