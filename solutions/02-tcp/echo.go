package tcp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
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
	defer conn.Close()
	buf := make([]byte, 1024)
	n, err := conn.Read(buf)
	if err != nil && !(errors.Is(err, io.EOF) && n > 0) {
		return "", fmt.Errorf("answer once: read: %w", err)
	}
	if _, err := io.WriteString(conn, answer); err != nil {
		return string(buf[:n]), fmt.Errorf("answer once: write: %w", err)
	}
	return string(buf[:n]), nil
}

// Ask is the client half of the notes' first pair (socket_client): it
// connects to addr, sends msg, and returns the answer, read up to the end of
// the stream, since the server closes the connection after answering.
//
// ctx bounds the whole exchange: when it ends, Ask returns an error that
// wraps ctx.Err().
func Ask(ctx context.Context, addr, msg string) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("ask %s: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if _, err := io.WriteString(conn, msg); err != nil {
		return "", fmt.Errorf("ask %s: send: %w", addr, ctxErr(ctx, err))
	}
	b, err := io.ReadAll(conn)
	if err != nil {
		return "", fmt.Errorf("ask %s: read the answer: %w", addr, ctxErr(ctx, err))
	}
	return string(b), nil
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
	buf := make([]byte, 32<<10)
	for {
		if idle > 0 {
			// Re-armed before every read: a deadline is a point in time,
			// not a duration, so one set at the start would expire in the
			// middle of a busy conversation.
			if err := conn.SetReadDeadline(time.Now().Add(idle)); err != nil {
				return fmt.Errorf("echo: set the idle deadline: %w", err)
			}
		}
		n, err := conn.Read(buf)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return fmt.Errorf("echo: write %d bytes: %w", n, werr)
			}
		}
		if errors.Is(err, io.EOF) {
			if cw, ok := conn.(interface{ CloseWrite() error }); ok {
				if err := cw.CloseWrite(); err != nil {
					return fmt.Errorf("echo: half-close: %w", err)
				}
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("echo: read: %w", err)
		}
	}
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
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("echo client: %w", err)
	}
	defer conn.Close()
	// When ctx ends (cancelled, or its deadline passed), move the
	// connection's deadline to the past: that wakes a blocked Read or Write
	// at once. AfterFunc runs after ctx.Err() is set, so the error we
	// return names the context, not just "i/o timeout".
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	br := bufio.NewReader(conn)
	for sc.Scan() {
		line := sc.Text()
		if _, err := io.WriteString(conn, line+"\n"); err != nil {
			return fmt.Errorf("echo client: send %q: %w", line, ctxErr(ctx, err))
		}
		reply, err := br.ReadString('\n')
		if err != nil {
			return fmt.Errorf("echo client: read the echo of %q (got %q): %w", line, reply, ctxErr(ctx, err))
		}
		if _, err := io.WriteString(out, reply); err != nil {
			return fmt.Errorf("echo client: write: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("echo client: read input: %w", err)
	}
	return nil
}

// ctxErr returns ctx's error when ctx has ended, since a deadline moved by
// the context shows up as an I/O timeout; otherwise err.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
