package lineproto

import (
	"context"
	"errors"
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
	// TODO(step 5): read into buf[:nbytes]. See README.md, step 5.
	return 0, ErrTODO
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
	// TODO(step 5): loop over conns with TryRead until all have ended. See README.md, step 5.
	return ErrTODO
}
