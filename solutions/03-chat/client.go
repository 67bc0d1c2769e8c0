package chat

import (
	"bufio"
	"errors"
	"fmt"
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
	defer conn.Close()
	if _, err := io.WriteString(conn, name+"\n"); err != nil {
		return fmt.Errorf("chat: send name %q: %w", name, err)
	}
	quit := make(chan struct{}) // closed once "/quit" is sent
	go send(conn, in, quit)

	br := bufio.NewReader(conn)
	for {
		line, err := ReadLine(br)
		if err != nil {
			select {
			case <-quit:
				return nil // the server closed (or QuitWait passed) after our /quit
			default:
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) {
				return ErrServerClosed
			}
			return fmt.Errorf("chat: receive: %w", err)
		}
		if _, err := io.WriteString(out, line+"\n"); err != nil {
			return fmt.Errorf("chat: print: %w", err)
		}
	}
}

// send is the sending loop: lines from in to conn until "/quit" or the end
// of in, then "/quit" and a read deadline so the receiving loop ends even
// if the server never closes.
func send(conn net.Conn, in io.Reader, quit chan<- struct{}) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 4096), MaxLine+2)
	for sc.Scan() {
		line := sc.Text()
		if line == "/quit" {
			break
		}
		if _, err := io.WriteString(conn, line+"\n"); err != nil {
			return // the connection is gone: the receiving loop sees it too
		}
	}
	// The end of in, "/quit", or a line over MaxLine: leave.
	close(quit)
	io.WriteString(conn, "/quit\n") // an error here means the server is gone already
	conn.SetReadDeadline(time.Now().Add(QuitWait))
}
