package tcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// FormatTime formats t the way Python's str(datetime.now()) does, which is
// what the notes' time server sends:
//
//	2019-05-16 15:32:07.123456
//
// The date, a space, the time of day, then a dot and the microseconds as
// six digits. When the microsecond is 0 Python leaves the fraction out:
//
//	2019-05-16 15:32:07
//
// Nanoseconds below the microsecond are dropped, not rounded, as Python's
// datetime never holds them. t is formatted in its own location (use
// t.Local() for the machine's local time).
func FormatTime(t time.Time) string {
	s := t.Format("2006-01-02 15:04:05")
	if us := t.Nanosecond() / 1000; us != 0 {
		s += fmt.Sprintf(".%06d", us)
	}
	return s
}

// ServeTime is the notes' time server (TCP套接字). For every connection it
// accepts from ln it sends FormatTime(now()) encoded as UTF-8, with no
// newline and nothing else, then closes the connection: the close is the
// end of the message.
//
// now is the clock, injected so that tests can fix it; the time server
// program passes func() time.Time { return time.Now() }.
//
// ServeTime returns nil when ctx ends, after closing ln. A temporary
// Accept error (EMFILE, see step 2) does not stop it: like Serve, it waits
// 5ms, doubling up to 1s while the failures go on (less if ctx ends first),
// and accepts again. It returns an error if Accept fails for another reason.
func ServeTime(ctx context.Context, ln net.Listener, now func() time.Time) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() }) // unblocks Accept
	defer stop()
	var delay time.Duration // since the last temporary Accept error
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if ne := net.Error(nil); errors.As(err, &ne) && ne.Temporary() {
				// Out of file descriptors, say: back off and accept again.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(delay):
				}
				continue
			}
			return fmt.Errorf("time server: accept: %w", err)
		}
		delay = 0
		// One short write and a close: quick enough to do in the accept
		// loop, but bounded all the same, as a peer might never read.
		conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(conn, FormatTime(now())) // the peer's loss if this fails
		conn.Close()
	}
}

// FetchTime connects to the time server at addr and returns what it sent,
// read up to the end of the stream (EOF): the server may send the text in
// several pieces, and only its close says the text is complete.
//
// A connection that stays open past ctx's deadline, or a ctx cancelled
// while waiting, ends FetchTime with an error that wraps ctx.Err().
func FetchTime(ctx context.Context, addr string) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("fetch time from %s: %w", addr, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	b, err := io.ReadAll(conn)
	if err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return "", fmt.Errorf("fetch time from %s: read: %w", addr, err)
	}
	return string(b), nil
}
