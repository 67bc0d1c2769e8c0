// Package transcript records what passes over connections and shows it in
// failure messages, one line per direction change:
//
//	alice C: "alice\n"
//	bob   C: "bob\n"
//	alice S: "* bob joined\n"
//
// C: is what the client sent, S: what the server sent, exact bytes quoted
// Go-style. A Conn is the test's side of a connection with Send and Expect
// helpers that fail with the transcript, a caret under the first byte that
// differs, and a command to replay the exchange by hand. A Log can also
// record connections the test does not drive itself (wrap a listener, or
// the client under test's connection) so a failure shows what the student's
// code said.
package transcript

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/textwidth"
)

// Dir says who sent some bytes.
type Dir byte

// The two directions of a connection.
const (
	Client Dir = 'C' // the client sent it
	Server Dir = 'S' // the server sent it
)

// Entry is a run of bytes sent in one direction on one connection.
type Entry struct {
	Conn string // the connection's name ("alice", "conn1")
	Dir  Dir
	Data []byte
}

// Log is an ordered record of the bytes on one or more connections. It is
// safe for concurrent use.
type Log struct {
	mu      sync.Mutex
	entries []Entry
	conns   int
}

// MaxLines is how many lines String shows at most: the last ones, since
// those are nearest the failure.
const MaxLines = 60

// Add appends p, sent in direction dir on the connection named conn.
// Consecutive bytes in the same direction on the same connection merge.
func (l *Log) Add(conn string, dir Dir, p []byte) {
	if len(p) == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.entries); n > 0 && l.entries[n-1].Conn == conn && l.entries[n-1].Dir == dir {
		l.entries[n-1].Data = append(l.entries[n-1].Data, p...)
		return
	}
	l.entries = append(l.entries, Entry{Conn: conn, Dir: dir, Data: append([]byte(nil), p...)})
}

// Entries returns a copy of what was recorded so far.
func (l *Log) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Entry, len(l.entries))
	for i, e := range l.entries {
		out[i] = Entry{Conn: e.Conn, Dir: e.Dir, Data: append([]byte(nil), e.Data...)}
	}
	return out
}

// Sent returns every byte sent in direction dir on the named connection,
// in order.
func (l *Log) Sent(conn string, dir Dir) []byte {
	var b []byte
	for _, e := range l.Entries() {
		if e.Conn == conn && e.Dir == dir {
			b = append(b, e.Data...)
		}
	}
	return b
}

// String renders the log, one quoted line per "\n"-terminated piece, with
// the connection's name in front when there is more than one connection:
//
//	alice C: "hello\n"
//	bob   S: "alice: hello\n"
//
// Only the last MaxLines lines are shown; long lines are cut.
func (l *Log) String() string {
	entries := l.Entries()
	names := map[string]bool{}
	width := 0
	for _, e := range entries {
		names[e.Conn] = true
		width = max(width, textwidth.Of(e.Conn))
	}
	var lines []string
	for _, e := range entries {
		prefix := string(e.Dir) + ": "
		if len(names) > 1 {
			prefix = textwidth.Pad(e.Conn, width) + " " + prefix
		}
		for _, piece := range splitLines(e.Data) {
			lines = append(lines, prefix+Quote(piece))
		}
	}
	if len(lines) == 0 {
		return i18n.Tr("transcript.empty")
	}
	var sb strings.Builder
	if len(lines) > MaxLines {
		sb.WriteString(i18n.Tr("transcript.earlier", len(lines)-MaxLines) + "\n")
		lines = lines[len(lines)-MaxLines:]
	}
	sb.WriteString(strings.Join(lines, "\n"))
	return sb.String()
}

// maxQuoted is the longest a quoted piece is shown before it is cut.
const maxQuoted = 300

// Quote quotes b Go-style; a piece longer than 300 bytes is cut, saying how
// many bytes were left out.
func Quote(b []byte) string {
	if len(b) <= maxQuoted {
		return strconv.Quote(string(b))
	}
	return strconv.Quote(string(b[:maxQuoted])) + i18n.Tr("transcript.cut", len(b)-maxQuoted)
}

// splitLines splits b after each "\n", keeping the "\n".
func splitLines(b []byte) [][]byte {
	var out [][]byte
	for len(b) > 0 {
		i := strings.IndexByte(string(b), '\n')
		if i < 0 {
			out = append(out, b)
			break
		}
		out = append(out, b[:i+1])
		b = b[i+1:]
	}
	return out
}

// recorded wraps a net.Conn and adds what it reads and writes to a Log.
type recorded struct {
	net.Conn
	log         *Log
	name        string
	read, wrote Dir
}

func (r *recorded) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.log.Add(r.name, r.read, p[:n])
	return n, err
}

func (r *recorded) Write(p []byte) (int, error) {
	n, err := r.Conn.Write(p)
	r.log.Add(r.name, r.wrote, p[:n])
	return n, err
}

// CloseWrite half-closes the connection if the wrapped one can.
func (r *recorded) CloseWrite() error {
	if cw, ok := r.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return fmt.Errorf("transcript: %T cannot half-close", r.Conn)
}

// ClientSide wraps the client's end of a connection: what it writes is
// recorded as C:, what it reads as S:.
func (l *Log) ClientSide(conn net.Conn, name string) net.Conn {
	return &recorded{Conn: conn, log: l, name: name, read: Server, wrote: Client}
}

// ServerSide wraps the server's end of a connection: what it reads is
// recorded as C:, what it writes as S:.
func (l *Log) ServerSide(conn net.Conn, name string) net.Conn {
	return &recorded{Conn: conn, log: l, name: name, read: Client, wrote: Server}
}

// Listener wraps ln so that every connection it accepts is recorded
// server-side, named "conn1", "conn2" ... in the order accepted.
func (l *Log) Listener(ln net.Listener) net.Listener {
	return &listener{Listener: ln, log: l}
}

type listener struct {
	net.Listener
	log *Log
}

func (ln *listener) Accept() (net.Conn, error) {
	conn, err := ln.Listener.Accept()
	if err != nil {
		return nil, err
	}
	ln.log.mu.Lock()
	ln.log.conns++
	name := fmt.Sprintf("conn%d", ln.log.conns)
	ln.log.mu.Unlock()
	return ln.log.ServerSide(conn, name), nil
}

var (
	logsMu sync.Mutex
	logs   = map[testing.TB]*Log{}
)

// For returns the test's shared log: every Conn of a test records into it,
// so a failure on one connection shows the others too. The log is
// forgotten when the test ends.
func For(t testing.TB) *Log {
	logsMu.Lock()
	defer logsMu.Unlock()
	if l, ok := logs[t]; ok {
		return l
	}
	l := &Log{}
	logs[t] = l
	t.Cleanup(func() {
		logsMu.Lock()
		delete(logs, t)
		logsMu.Unlock()
	})
	return l
}
