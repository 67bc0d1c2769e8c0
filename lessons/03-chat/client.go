package chat

import (
	"errors"
	"io"
	"net"
	"time"
)

// ErrServerClosed means the server closed the connection before the user
// quit.
var ErrServerClosed = errors.New("chat: the server closed the connection")

// QuitWait is how long RunClient waits, after sending "/quit", for the
// server to close the connection before it closes it itself.
const QuitWait = 2 * time.Second

// RunClient is the chat client of the Lines protocol over conn, the notes'
// two threads (TCP客户端) as two loops running at once:
//
//   - send: write name as the first line, then every line read from in;
//   - receive: print every line from the server to out, as it comes,
//     even while nothing is typed.
//
// The line "/quit" is sent, and then RunClient waits (at most QuitWait) for
// the server to close the connection, printing what still comes. The end of
// in (Ctrl-D) quits the same way. RunClient returns nil after a quit, and
// ErrServerClosed if the server closed the connection first.
//
// RunClient closes conn before it returns. It does not wait for a Read of
// in that is in progress: that Read's goroutine ends when in returns.
func RunClient(conn net.Conn, name string, in io.Reader, out io.Writer) error {
	// TODO(step 5): send and receive at the same time. See README.md, step 5.
	return ErrTODO
}
