package tcp

import (
	"context"
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
	// TODO(step 1): format like Python's str(datetime). See README.md, step 1.
	return ""
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
	// TODO(step 1): accept, send the time, close; stop when ctx ends. See README.md, step 1.
	// TODO(step 2): after a temporary Accept error, wait and accept again, as Serve does. See README.md, step 2.
	return ErrTODO
}

// FetchTime connects to the time server at addr and returns what it sent,
// read up to the end of the stream (EOF): the server may send the text in
// several pieces, and only its close says the text is complete.
//
// A connection that stays open past ctx's deadline, or a ctx cancelled
// while waiting, ends FetchTime with an error that wraps ctx.Err().
func FetchTime(ctx context.Context, addr string) (string, error) {
	// TODO(step 1): dial and read up to EOF. See README.md, step 1.
	return "", ErrTODO
}
