package tcp

import (
	"context"
	"io"
	"net"
	"time"
)

// AnswerOnce is the server half of the notes' first pair (socket_server):
// it reads one message from conn with a single Read of at most 1024 bytes,
// as Python's sock.recv(1024) does, sends answer, closes conn, and returns
// the message it read. A peer that closes without sending anything (where
// Python's recv returns an empty bytes object) gets no answer: AnswerOnce closes conn and
// returns an error wrapping io.EOF.
//
// One Read is one message only because this toy protocol says so (the
// client sends one short message and waits); step 2's echo server does not
// rely on it.
func AnswerOnce(conn net.Conn, answer string) (string, error) {
	// TODO(step 2): one Read, the answer, Close. See README.md, step 2.
	return "", ErrTODO
}

// Ask is the client half of the notes' first pair (socket_client): it
// connects to addr, sends msg, and returns the answer, read up to the end of
// the stream, since the server closes the connection after answering.
//
// ctx bounds the whole exchange: when it ends, Ask returns an error that
// wraps ctx.Err().
func Ask(ctx context.Context, addr, msg string) (string, error) {
	// TODO(step 2): send msg, read the answer up to EOF. See README.md, step 2.
	return "", ErrTODO
}

// Echo sends back every byte it reads from conn, in order, until the peer
// half-closes its side (EOF); then it half-closes its own side
// (CloseWrite) so the peer reads EOF after the last echoed byte, and
// returns nil.
//
// idle is the idle timeout (Python's settimeout): if the peer sends
// nothing for idle, Echo gives up and returns an error that is a timeout
// (os.ErrDeadlineExceeded). The timer restarts at every read, so a peer
// that keeps talking is never cut off. 0 means no idle timeout.
//
// Echo does not close conn; whoever gave it conn does (Server does).
func Echo(conn net.Conn, idle time.Duration) error {
	// TODO(step 2): copy back until EOF, then CloseWrite. See README.md, step 2.
	// TODO(step 3): a read deadline of idle from now before every read. See README.md, step 3.
	return ErrTODO
}

// EchoLines is the echo client: it connects to addr, and for each line of
// in sends the line followed by "\n", reads the echoed line back and writes
// it, with its "\n", to out. At the end of in it closes the connection and
// returns nil.
//
// ctx bounds the whole session (settimeout on the client side): when ctx
// is cancelled or its deadline passes, a pending dial, write or read stops
// at once and EchoLines returns an error that wraps ctx.Err().
func EchoLines(ctx context.Context, addr string, in io.Reader, out io.Writer) error {
	// TODO(step 2): send each line, read its echo. See README.md, step 2.
	// TODO(step 3): stop as soon as ctx ends, even in the middle of a read. See README.md, step 3.
	return ErrTODO
}
