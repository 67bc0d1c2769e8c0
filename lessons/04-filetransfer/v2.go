package filetransfer

import (
	"context"
	"errors"
	"net"
	"strconv"
	"time"
)

// MaxHeader is the longest v2 request or header line, in bytes, "\n"
// included.
const MaxHeader = 1024

// RequestTimeout is how long a v2 server waits for a client's request line.
const RequestTimeout = 10 * time.Second

// ErrBadHeader means a v2 header line does not follow the format of Header.
var ErrBadHeader = errors.New("filetransfer: bad v2 header")

// ErrSizeMismatch means a v2 server sent more bytes than its header
// announced. The partial file is removed.
var ErrSizeMismatch = errors.New("filetransfer: size mismatch")

// ErrHashMismatch means the bytes received do not have the SHA-256 the
// header announced. The partial file is removed.
var ErrHashMismatch = errors.New("filetransfer: SHA-256 mismatch")

// ErrIncomplete means the connection ended before the announced size
// arrived (the server stopped, the network failed, ctx was cancelled). The
// bytes received so far stay in NAME.part, for Client.Resume.
var ErrIncomplete = errors.New("filetransfer: transfer incomplete")

// RemoteError is a v2 server's refusal, the text of its "ERR <text>" line.
type RemoteError struct {
	Text string
}

// Error returns the server's text, quoted, after "filetransfer: server
// says: ". The text comes from the network: quoting (strconv.Quote) writes
// its control characters as escapes, so a hostile server cannot send
// escape sequences to the terminal of whoever prints the error.
func (e *RemoteError) Error() string { return "filetransfer: server says: " + strconv.Quote(e.Text) }

// Header is what a v2 server announces before the bytes of a file.
//
// Protocol v2, one connection per file. The client sends one request line,
// the offset it wants the bytes from (0 for the whole file) and the name:
//
//	GET <offset> <name>\n
//
// The server answers one header line, then the file's bytes from offset to
// the end, raw, then closes:
//
//	OK <size> <sha256> <name>\n<size-offset raw bytes>
//
// or, if it will not send the file, one error line, then closes:
//
//	ERR <text>\n
//
// size is the whole file's size in decimal (no sign, no leading zeros),
// sha256 the SHA-256 of the whole file in 64 lower-case hex digits, name
// the rest of the line (it may hold spaces). Fields are separated by one
// space; every line is at most MaxHeader bytes with its "\n". For example
//
//	GET 0 hello.txt\n
//	OK 6 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03 hello.txt\nhello\n
type Header struct {
	Name   string
	Size   int64
	SHA256 [32]byte
}

// String returns h as its header line, without the "\n":
// "OK <size> <sha256> <name>".
func (h Header) String() string {
	// TODO(step 4): format the header line. See README.md, step 4.
	return ""
}

// ParseHeader parses one header line given without its "\n". It accepts
// exactly the lines Header.String writes, so ParseHeader(h.String())
// returns h and a line it accepts is h.String() of the result. An
// "ERR <text>" line returns a *RemoteError; anything else is an error
// wrapping ErrBadHeader: a missing field, a size with a sign, leading zeros
// or more than int64 holds, a hash that is not 64 lower-case hex digits, an
// empty name, a "\n" or "\r" in the line, or a line longer than
// MaxHeader-1 bytes.
func ParseHeader(line string) (Header, error) {
	// TODO(step 4): split the line into its fields and check each one strictly.
	return Header{}, ErrTODO
}

// ServeV2 accepts connections on ln and serves the files in dir under
// protocol v2 (see Header): one request per connection, names checked with
// SafePath (an unsafe or unknown name, or an offset beyond the end, gets an
// "ERR <text>" line), the header, then the bytes from the requested offset
// streamed from the file with io.Copy(conn, file), so the kernel can send
// them (sendfile) without copying them through the program. A client has
// RequestTimeout to send its request line.
//
// Clients are served at once. The SHA-256 of a file is computed when it is
// first asked for and kept while its size and modification time stay the
// same. When ctx is cancelled, ServeV2 closes ln and every open connection,
// waits for its goroutines and returns nil; if accepting fails otherwise,
// it returns that error. Temporary Accept errors are waited out as
// ServeV1 does.
func ServeV2(ctx context.Context, ln net.Listener, dir string) error {
	// TODO(step 4): read "GET <offset> <name>", answer the header, io.Copy the file.
	// TODO(step 5): send from the offset asked for; refuse one beyond the end.
	return ErrTODO
}

// FetchV2 asks the v2 server at addr for the file called name and streams
// it into c.Dir, returning its path.
//
// The name is checked with SafePath before anything is sent. The bytes go
// to NAME.part in c.Dir while a SHA-256 is computed over them as they pass
// (io.MultiWriter): memory stays the same however large the file, and the
// file is never read back. When exactly the announced size has arrived and
// the server has closed, the hash is compared and NAME.part is renamed to
// NAME.
//
// Errors: the server's ERR line is a *RemoteError; a header naming another
// file wraps ErrBadHeader; a size over c's cap wraps ErrTooLarge; more
// bytes than announced wraps ErrSizeMismatch and a wrong hash
// ErrHashMismatch, and both remove NAME.part. A connection that ends early
// (or ctx cancelled) wraps ErrIncomplete, says how many bytes NAME.part
// holds, and keeps NAME.part. When ctx is
// cancelled, FetchV2 returns at once, whatever the server is doing, with
// an error wrapping ctx.Err() (and ErrIncomplete once the header came).
//
// With c.Resume, an existing NAME.part of n bytes is continued: the request
// asks for offset n, the n bytes on disk are hashed first, the rest is
// appended, and the hash covers the whole file. Without it, the request
// asks for offset 0 and NAME.part is started over.
func (c *Client) FetchV2(ctx context.Context, addr, name string) (string, error) {
	// TODO(step 4): request, parse the header, stream to NAME.part through a hash, check, rename.
	// TODO(step 5): with Resume, hash the part on disk first and ask for the rest.
	return "", ErrTODO
}
