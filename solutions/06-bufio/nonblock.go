package lineproto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// ErrWouldBlock is what TryRead returns when no bytes are waiting: the Go
// form of the socket.error that Python's recv raises on a socket in
// non-blocking mode (非阻塞模式) when no data has arrived.
var ErrWouldBlock = errors.New("lineproto: read would block")

// ErrBufferTooSmall means RecvInto was asked for more bytes than its buffer
// holds, as Python's recv_into refuses with "buffer too small for requested
// bytes".
var ErrBufferTooSmall = errors.New("lineproto: buffer too small for requested bytes")

// PollIdle is how long Poll waits after a round over all its connections
// in which none had bytes, so that an idle Poll does not spin a CPU.
const PollIdle = time.Millisecond

// RecvInto is the notes' recv_into(buffer, nbytes): it reads up to nbytes
// bytes from r into the caller's buf and returns how many it read. nbytes 0
// means len(buf); a negative nbytes, or one larger than len(buf), is
// ErrBufferTooSmall and nothing is read. At the end of the stream it returns
// 0 and io.EOF. It allocates nothing: every byte goes into buf.
func RecvInto(r io.Reader, buf []byte, nbytes int) (int, error) {
	if nbytes < 0 || nbytes > len(buf) {
		return 0, ErrBufferTooSmall
	}
	if nbytes == 0 {
		nbytes = len(buf)
	}
	// A Read fills the slice it is given: that is recv_into already.
	return r.Read(buf[:nbytes])
}

// Poll serves conns from the calling goroutine alone, the way code written
// for non-blocking sockets does: round after round it calls TryRead on each
// connection in turn and hands whatever came to handle, with the index of
// the connection in conns; data is valid only until handle returns.
// ErrWouldBlock moves on to the next connection; a connection at the end of
// its stream (io.EOF) leaves the rounds (Poll does not close it). After a
// round in which no connection had bytes, Poll waits PollIdle before the
// next one.
//
// Poll returns nil once every connection has ended, ctx.Err() when ctx is
// done, and otherwise the first error of TryRead or handle.
func Poll(ctx context.Context, conns []net.Conn, handle func(i int, data []byte) error) error {
	buf := make([]byte, 32<<10)
	ended := make([]bool, len(conns))
	open := len(conns)
	idle := time.NewTimer(PollIdle)
	defer idle.Stop()
	for open > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		busy := false
		for i, conn := range conns {
			if ended[i] {
				continue
			}
			n, err := TryRead(conn, buf)
			if n > 0 {
				busy = true
				if err := handle(i, buf[:n]); err != nil {
					return err
				}
			}
			switch {
			case err == nil, errors.Is(err, ErrWouldBlock):
			case errors.Is(err, io.EOF):
				ended[i] = true
				open--
			default:
				return fmt.Errorf("poll connection %d: %w", i, err)
			}
		}
		if busy {
			continue
		}
		// Nothing anywhere: this is the busy-wait that setblocking(False)
		// code pays for, and that a goroutine blocked in Read never does.
		idle.Reset(PollIdle)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-idle.C:
		}
	}
	return nil
}
