package transcript

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/sockerr"
	"github.com/netkata/netkata/internal/textwidth"
)

// Conn is the test's side of a connection to the code under test. Every
// method has a deadline (loopback.Timeout) and fails the test with the
// exchange so far when something is off.
//
// By default the test plays the client: what it sends is C:, what it reads
// is S:. Use Serve to play the server instead.
type Conn struct {
	t     testing.TB
	name  string
	raw   net.Conn
	conn  net.Conn // raw, recorded
	br    *bufio.Reader
	log   *Log
	peer  string // the address to replay against, if known
	sent  Dir    // the direction of what this side sends
	recvd Dir
}

// Dial connects to addr over TCP as the client named name ("alice",
// "client"); the connection is closed when the test ends.
func Dial(t testing.TB, addr, name string) *Conn {
	t.Helper()
	return New(t, loopback.Dial(t, addr), name)
}

// New wraps conn, the test's client end of a connection, as a Conn named
// name. The test still owns conn: New registers no Close of its own beyond
// closing it when the test ends.
func New(t testing.TB, conn net.Conn, name string) *Conn {
	t.Helper()
	c := &Conn{t: t, name: name, raw: conn, log: For(t), sent: Client, recvd: Server}
	if conn.RemoteAddr() != nil {
		c.peer = conn.RemoteAddr().String()
	}
	c.conn = c.log.ClientSide(conn, name)
	c.br = bufio.NewReader(c.conn)
	t.Cleanup(func() { conn.Close() })
	return c
}

// Serve wraps conn, the test's server end of a connection (one the test
// accepted from the client under test), as a Conn named name: what the test
// sends is S:, what it reads is C:.
func Serve(t testing.TB, conn net.Conn, name string) *Conn {
	t.Helper()
	c := &Conn{t: t, name: name, raw: conn, log: For(t), sent: Server, recvd: Client}
	c.conn = c.log.ServerSide(conn, name)
	c.br = bufio.NewReader(c.conn)
	t.Cleanup(func() { conn.Close() })
	return c
}

// Net returns the underlying connection, for what the helpers do not cover
// (its bytes are not recorded).
func (c *Conn) Net() net.Conn { return c.raw }

// Log returns the transcript this connection records into (the test's).
func (c *Conn) Log() *Log { return c.log }

// Send writes line followed by "\n".
func (c *Conn) Send(line string) {
	c.t.Helper()
	c.Write(line + "\n")
}

// Write writes s exactly as given (use it for "\r\n" protocols and for bytes
// split on purpose).
func (c *Conn) Write(s string) {
	c.t.Helper()
	if err := c.conn.SetWriteDeadline(loopback.Deadline()); err != nil {
		c.fail(i18n.Tr("transcript.op.writedeadline"), err)
	}
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.fail(i18n.Tr("transcript.op.send", Quote([]byte(s))), err)
	}
}

// CloseWrite half-closes the connection: the other side reads EOF, and can
// still send.
func (c *Conn) CloseWrite() {
	c.t.Helper()
	cw, ok := c.raw.(interface{ CloseWrite() error })
	if !ok {
		c.t.Fatalf("%s", i18n.Tr("transcript.nohalfclose", c.name, c.raw))
	}
	if err := cw.CloseWrite(); err != nil {
		c.fail(i18n.Tr("transcript.op.halfclose"), err)
	}
}

// Close closes the connection.
func (c *Conn) Close() { c.raw.Close() }

// ReadLine reads up to and including the next "\n" and returns the line
// without it (and without a "\r" before it).
func (c *Conn) ReadLine() string {
	c.t.Helper()
	line, err := c.readLine()
	if err != nil {
		c.failRead(i18n.Tr("transcript.what.line"), err, line, "")
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
}

func (c *Conn) readLine() (string, error) {
	if err := c.conn.SetReadDeadline(loopback.Deadline()); err != nil {
		return "", err
	}
	return c.br.ReadString('\n')
}

// Expect reads the next line and fails unless it is want followed by "\n".
// want is written without the "\n" (but with a "\r" if the protocol has one).
func (c *Conn) Expect(want string) {
	c.t.Helper()
	line, err := c.readLine()
	if err != nil {
		c.failRead(i18n.Tr("transcript.what.line"), err, line, want+"\n")
		return
	}
	if line != want+"\n" {
		c.mismatch(i18n.Tr("transcript.what.line"), []byte(want+"\n"), []byte(line))
	}
}

// ExpectBytes reads exactly len(want) bytes and fails unless they are want.
func (c *Conn) ExpectBytes(want string) {
	c.t.Helper()
	got := make([]byte, len(want))
	if err := c.conn.SetReadDeadline(loopback.Deadline()); err != nil {
		c.fail(i18n.Tr("transcript.op.readdeadline"), err)
	}
	n, err := io.ReadFull(c.br, got)
	if err != nil {
		c.failRead(i18n.Tr("transcript.what.bytes", len(want)), err, string(got[:n]), want)
		return
	}
	if string(got) != want {
		c.mismatch(i18n.Tr("transcript.what.bytes", len(want)), []byte(want), got)
	}
}

// ReadAll reads until the other side closes its end (EOF) and returns what
// came. It fails if that takes longer than loopback.Timeout.
func (c *Conn) ReadAll() string {
	c.t.Helper()
	if err := c.conn.SetReadDeadline(loopback.Deadline()); err != nil {
		c.fail(i18n.Tr("transcript.op.readdeadline"), err)
	}
	b, err := io.ReadAll(c.br)
	if err != nil {
		c.failRead(i18n.Tr("transcript.what.all"), err, string(b), "")
	}
	return string(b)
}

// ExpectEOF fails unless the other side closes its end next, with no more
// data before the close.
func (c *Conn) ExpectEOF() {
	c.t.Helper()
	if err := c.conn.SetReadDeadline(loopback.Deadline()); err != nil {
		c.fail(i18n.Tr("transcript.op.readdeadline"), err)
	}
	extra, err := io.ReadAll(c.br)
	switch {
	case len(extra) > 0:
		c.t.Fatalf("%s", i18n.Tr("transcript.extra", c.name, Quote(extra), readme.Ref(c.t))+"\n"+c.details())
	case err != nil && sockerr.IsTimeout(err):
		c.t.Fatalf("%s", i18n.Tr("transcript.stayedopen", c.name, loopback.Timeout, readme.Ref(c.t))+"\n"+c.details())
	case err != nil && !errors.Is(err, net.ErrClosed):
		// A reset is a close too, if a rude one; say so without failing.
		c.t.Logf("%s", i18n.Tr("transcript.reset", c.name, sockerr.Explain(err)))
	}
}

// failRead reports a read that ended in err after partial bytes arrived.
func (c *Conn) failRead(what string, err error, partial, want string) {
	c.t.Helper()
	var sb strings.Builder
	if sockerr.IsTimeout(err) {
		if partial == "" {
			sb.WriteString(i18n.Tr("transcript.waited.none", c.name, loopback.Timeout, what))
		} else {
			sb.WriteString(i18n.Tr("transcript.waited.partial", c.name, loopback.Timeout, what, Quote([]byte(partial))))
		}
	} else {
		sb.WriteString(i18n.Tr("transcript.readerr", c.name, what, sockerr.Explain(err)))
		if partial != "" {
			sb.WriteString(i18n.Tr("transcript.readerr.partial", Quote([]byte(partial))))
		}
	}
	sb.WriteString(i18n.Tr("transcript.ref", readme.Ref(c.t)) + "\n")
	if want != "" {
		fmt.Fprintf(&sb, "  %s %c: %s\n", i18n.Tr("transcript.want"), c.recvd, Quote([]byte(want)))
	}
	if sockerr.IsTimeout(err) {
		sb.WriteString("  " + i18n.Tr("transcript.hint", sockerr.Hint(err)) + "\n")
	}
	sb.WriteString(c.details())
	c.t.Fatal(sb.String())
}

// fail reports a failed operation that is not a read.
func (c *Conn) fail(what string, err error) {
	c.t.Helper()
	c.t.Fatalf("%s", i18n.Tr("transcript.failed", c.name, what, sockerr.Explain(err), readme.Ref(c.t))+"\n"+c.details())
}

// mismatch reports bytes that arrived but differ from want.
func (c *Conn) mismatch(what string, want, got []byte) {
	c.t.Helper()
	c.t.Fatalf("%s", i18n.Tr("transcript.mismatch", c.name, what, readme.Ref(c.t))+"\n"+Diff(c.recvd, want, got)+"\n"+c.details())
}

// details is the transcript and replay command that end every failure.
func (c *Conn) details() string {
	var sb strings.Builder
	sb.WriteString("  " + i18n.Tr("transcript.heading") + "\n")
	for _, line := range strings.Split(c.log.String(), "\n") {
		sb.WriteString("    " + line + "\n")
	}
	if c.sent == Client && c.peer != "" {
		var msgs [][]byte
		for _, e := range c.log.Entries() {
			if e.Conn == c.name && e.Dir == Client {
				msgs = append(msgs, e.Data)
			}
		}
		if len(msgs) > 0 {
			host, port, _ := net.SplitHostPort(c.peer)
			fmt.Fprintf(&sb, "  %s\n    %s | nc %s %s\n",
				i18n.Tr("transcript.replay", c.name), ReplayCommand(c.t, c.name, msgs), host, port)
		}
	}
	return sb.String()
}

// MaxReplayArg is the longest a printf argument in a replay command gets;
// a longer message goes to a file that the command cats.
const MaxReplayArg = 120

// ReplayPause is how long a replay command waits between messages, for the
// reply to each to come back before the next is sent: a protocol without
// framing (one message per Read) must not see two messages merged.
const ReplayPause = "0.2"

// ReplayCommand returns a shell command that writes msgs, the messages a
// client sent between the server's replies, the way the test sent them:
// one printf per message, with a pause between messages:
//
//	{ printf 'HELO x\r\n'; sleep 0.2; printf 'QUIT\r\n'; }
//
// A message longer than MaxReplayArg is written to a file under the
// system's temporary folder (kept, so the command works after the test)
// and the command cats it, so the failure message stays short.
func ReplayCommand(t testing.TB, conn string, msgs [][]byte) string {
	parts := make([]string, len(msgs))
	for i, m := range msgs {
		parts[i] = "printf " + ShellPrintf(m)
		if len(parts[i]) <= MaxReplayArg {
			continue
		}
		name := fmt.Sprintf("%s-%s-%d.bin", t.Name(), conn, i+1)
		name = strings.Map(func(r rune) rune {
			if r == '/' || r == '\\' || r == ' ' || r == ':' {
				return '_'
			}
			return r
		}, name)
		dir := filepath.Join(os.TempDir(), "netkata-replay")
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(dir, 0o755); err == nil && os.WriteFile(p, m, 0o644) == nil {
			parts[i] = "cat " + ShellQuote(p)
		} // else the long printf: the command works, if long

	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "{ " + strings.Join(parts, "; sleep "+ReplayPause+"; ") + "; }"
}

// ShellQuote quotes s for a POSIX shell.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Diff shows want and got one above the other, quoted, with a caret under
// the first byte of got that differs:
//
//	want S: "HTTP/1.1 200 OK\r\n"
//	got  S: "HTTP/1.1 200 Ok\r\n"
//	                      ^ first difference at byte 14
func Diff(dir Dir, want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	for i > 0 && i < len(got) && !utfStart(got[i]) {
		i-- // point at the start of the character that differs
	}
	wl, gl := i18n.Tr("transcript.want"), i18n.Tr("transcript.got")
	w := max(textwidth.Of(wl), textwidth.Of(gl))
	wantLine := fmt.Sprintf("  %s %c: %s", textwidth.Pad(wl, w), dir, Quote(want))
	gotLine := fmt.Sprintf("  %s %c: %s", textwidth.Pad(gl, w), dir, Quote(got))
	prefix := fmt.Sprintf("  %s %c: ", textwidth.Pad(gl, w), dir)
	col := textwidth.Of(prefix) + textwidth.Of(Quote(got[:min(i, maxQuoted)])) - 1
	if i >= maxQuoted {
		return wantLine + "\n" + gotLine + "\n  " + i18n.Tr("transcript.diff.at", i)
	}
	caret := strings.Repeat(" ", col) + "^ "
	switch {
	case i == len(got) && len(got) < len(want):
		caret += i18n.Tr("transcript.diff.short", len(want)-len(got))
	case i == len(want) && len(got) > len(want):
		caret += i18n.Tr("transcript.diff.extra", len(got)-len(want))
	default:
		caret += i18n.Tr("transcript.diff.at", i)
	}
	return wantLine + "\n" + gotLine + "\n" + caret
}

func utfStart(b byte) bool { return b&0xC0 != 0x80 }

// ShellPrintf quotes b as a single-quoted printf format for sh: printable
// ASCII as is, "\n" and "\r" as escapes, everything else in octal, so that
// printf FORMAT writes exactly b.
func ShellPrintf(b []byte) string {
	var sb strings.Builder
	sb.WriteByte('\'')
	for _, c := range b {
		switch {
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\\':
			sb.WriteString(`\\`)
		case c == '%':
			sb.WriteString(`%%`)
		case c == '\'':
			sb.WriteString(`'\''`)
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, `\%03o`, c)
		}
	}
	sb.WriteByte('\'')
	return sb.String()
}
