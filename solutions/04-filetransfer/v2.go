package filetransfer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
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
	return "OK " + strconv.FormatInt(h.Size, 10) + " " + hex.EncodeToString(h.SHA256[:]) + " " + h.Name
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
	bad := func(why string) (Header, error) {
		return Header{}, fmt.Errorf("%w: %s in %q", ErrBadHeader, why, line)
	}
	if len(line) > MaxHeader-1 {
		return bad("too long")
	}
	if strings.ContainsAny(line, "\r\n") {
		return bad("line break")
	}
	if text, ok := strings.CutPrefix(line, "ERR "); ok {
		return Header{}, &RemoteError{Text: text}
	}
	rest, ok := strings.CutPrefix(line, "OK ")
	if !ok {
		return bad("no OK")
	}
	size, rest, ok := strings.Cut(rest, " ")
	if !ok {
		return bad("no hash")
	}
	n, err := parseSize(size)
	if err != nil {
		return bad(err.Error())
	}
	sum, name, ok := strings.Cut(rest, " ")
	if !ok || name == "" {
		return bad("no name")
	}
	var h Header
	if len(sum) != 64 || strings.ToLower(sum) != sum {
		return bad("hash is not 64 lower-case hex digits")
	}
	if _, err := hex.Decode(h.SHA256[:], []byte(sum)); err != nil {
		return bad("hash is not 64 lower-case hex digits")
	}
	h.Name, h.Size = name, n
	return h, nil
}

// parseSize parses a canonical decimal size or offset: digits only, no
// leading zeros, within int64.
func parseSize(s string) (int64, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("size %q is not a decimal number", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("size %q out of range", s)
	}
	return n, nil
}

// readLine reads one line of at most MaxHeader bytes and returns it without
// its "\n".
func readLine(br *bufio.Reader) (string, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		line = append(line, frag...)
		if len(line) > MaxHeader {
			return "", fmt.Errorf("%w: line longer than %d bytes", ErrBadHeader, MaxHeader)
		}
		if err == nil {
			return string(line[:len(line)-1]), nil
		}
		if err != bufio.ErrBufferFull {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
	}
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
	s := &server{dir: dir, sums: map[string]cachedSum{}}
	return serveConns(ctx, ln, s.handle)
}

// server is one ServeV2's state: its directory and the hashes it computed.
type server struct {
	dir  string
	mu   sync.Mutex
	sums map[string]cachedSum
}

type cachedSum struct {
	size int64
	mod  time.Time
	sum  [32]byte
}

func (s *server) handle(conn net.Conn) {
	refuse := func(text string) { fmt.Fprintf(conn, "ERR %s\n", text) }
	conn.SetReadDeadline(time.Now().Add(RequestTimeout))
	line, err := readLine(bufio.NewReaderSize(conn, 256))
	if err != nil {
		refuse("bad request")
		return
	}
	conn.SetReadDeadline(time.Time{})
	rest, ok := strings.CutPrefix(line, "GET ")
	off, name, ok2 := strings.Cut(rest, " ")
	offset, err := parseSize(off)
	if !ok || !ok2 || err != nil {
		refuse("bad request: want GET <offset> <name>")
		return
	}
	path, err := SafePath(s.dir, name)
	if err != nil {
		refuse("bad name")
		return
	}
	f, err := os.Open(path)
	if err != nil {
		refuse("no such file")
		return
	}
	defer f.Close() // read-only
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		refuse("no such file")
		return
	}
	sum, err := s.sum(name, f, fi)
	if err != nil {
		refuse("cannot read file")
		return
	}
	if offset > fi.Size() {
		refuse("offset beyond end of file")
		return
	}
	h := Header{Name: name, Size: fi.Size(), SHA256: sum}
	if _, err := io.WriteString(conn, h.String()+"\n"); err != nil {
		return
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return
	}
	// *net.TCPConn's ReadFrom sees the *os.File inside the LimitedReader
	// and uses sendfile(2): the bytes go from the page cache to the socket.
	io.Copy(conn, io.LimitReader(f, fi.Size()-offset))
}

// sum returns the file's SHA-256, from the cache if size and modification
// time are unchanged. It leaves f's offset anywhere.
func (s *server) sum(name string, f *os.File, fi os.FileInfo) ([32]byte, error) {
	s.mu.Lock()
	c, ok := s.sums[name]
	s.mu.Unlock()
	if ok && c.size == fi.Size() && c.mod.Equal(fi.ModTime()) {
		return c.sum, nil
	}
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return [32]byte{}, err
	}
	var sum [32]byte
	h.Sum(sum[:0])
	s.mu.Lock()
	s.sums[name] = cachedSum{fi.Size(), fi.ModTime(), sum}
	s.mu.Unlock()
	return sum, nil
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
	final, err := SafePath(c.Dir, name)
	if err != nil {
		return "", err
	}
	part := final + ".part"
	var offset int64
	if c.Resume {
		if fi, err := os.Stat(part); err == nil && fi.Mode().IsRegular() {
			offset = fi.Size()
		}
	}

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("fetch %q: %w", name, err)
	}
	defer conn.Close() // the transfer's outcome is decided by what was read
	unhook := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer unhook()

	if _, err := fmt.Fprintf(conn, "GET %d %s\n", offset, name); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return "", fmt.Errorf("fetch %q: send request: %w", name, err)
	}
	br := bufio.NewReaderSize(conn, 64<<10)
	line, err := readLine(br)
	if err != nil {
		if ctx.Err() != nil { // the AfterFunc's deadline ended the read
			err = ctx.Err()
		}
		return "", fmt.Errorf("fetch %q: read header: %w", name, err)
	}
	h, err := ParseHeader(line)
	if err != nil {
		return "", fmt.Errorf("fetch %q: %w", name, err)
	}
	if h.Name != name {
		return "", fmt.Errorf("fetch %q: %w: header names %q", name, ErrBadHeader, h.Name)
	}
	if h.Size > c.max() {
		return "", fmt.Errorf("fetch %q: %w: %d bytes, cap %d", name, ErrTooLarge, h.Size, c.max())
	}
	if offset > h.Size { // the server refuses this; be safe anyway
		os.Remove(part)
		return "", fmt.Errorf("fetch %q: %w: %d bytes on disk, file has %d", name, ErrSizeMismatch, offset, h.Size)
	}

	flags := os.O_RDWR | os.O_CREATE
	if offset == 0 {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return "", fmt.Errorf("fetch %q: %w", name, err)
	}
	keep := false // keep NAME.part on return (to resume, or renamed)
	defer func() {
		f.Close() // closed and checked below on success; this is for failures
		if !keep {
			os.Remove(part)
		}
	}()

	sum := sha256.New()
	if offset > 0 { // the hash covers the whole file: start with what is on disk
		if n, err := io.Copy(sum, io.LimitReader(f, offset)); err != nil || n != offset {
			return "", fmt.Errorf("fetch %q: read %s: %d of %d bytes: %v", name, part, n, offset, err)
		}
	}
	// Hash on a second goroutine while this one receives and writes: the
	// client's two costs then overlap instead of adding up.
	hasher := newPipeHash(sum)
	defer hasher.stop()
	var w io.Writer = io.MultiWriter(f, hasher)
	if c.Progress != nil {
		w = io.MultiWriter(w, &progress{done: offset, total: h.Size, report: c.Progress})
	}
	want := h.Size - offset
	// 1 MiB per Read and Write: fewer system calls than io.Copy's 32 KiB.
	n, err := io.CopyBuffer(w, io.LimitReader(br, want), make([]byte, 1<<20))
	if n < want {
		keep = true // what arrived is good so far: Resume continues from here
		if ctx.Err() != nil {
			err = ctx.Err()
		} else if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return "", fmt.Errorf("fetch %q: %w: %d of %d bytes: %w", name, ErrIncomplete, offset+n, h.Size, err)
	}
	if err != nil { // every byte was read, but the disk failed
		return "", fmt.Errorf("fetch %q: %w", name, err)
	}
	// The server closes after the last byte; one more byte is a lie about
	// the size.
	var one [1]byte
	if k, _ := io.ReadFull(br, one[:]); k > 0 {
		return "", fmt.Errorf("fetch %q: %w: more than the %d bytes announced", name, ErrSizeMismatch, h.Size)
	}
	if got := hasher.Sum(); !bytes.Equal(got, h.SHA256[:]) {
		return "", fmt.Errorf("fetch %q: %w: got %x, want %x", name, ErrHashMismatch, got, h.SHA256)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("fetch %q: %w", name, err)
	}
	if err := os.Rename(part, final); err != nil {
		return "", fmt.Errorf("fetch %q: %w", name, err)
	}
	keep = true
	return final, nil
}

// progress is an io.Writer that counts the bytes through it and reports.
type progress struct {
	done, total int64
	report      func(done, total int64)
}

func (p *progress) Write(b []byte) (int, error) {
	p.done += int64(len(b))
	p.report(p.done, p.total)
	return len(b), nil
}

// pipeHash is an io.Writer that hashes what it is given on a goroutine of
// its own. It copies each write into one of pipeDepth buffers of pipeChunk
// bytes, so its memory is fixed however much passes through.
type pipeHash struct {
	h    hash.Hash
	work chan []byte
	free chan []byte
	done chan struct{}
	once sync.Once
}

const (
	pipeChunk = 1 << 20
	pipeDepth = 4
)

func newPipeHash(h hash.Hash) *pipeHash {
	p := &pipeHash{h: h, work: make(chan []byte, pipeDepth), free: make(chan []byte, pipeDepth), done: make(chan struct{})}
	for range pipeDepth {
		p.free <- make([]byte, 0, pipeChunk)
	}
	go func() {
		defer close(p.done)
		for b := range p.work {
			p.h.Write(b)
			p.free <- b[:0]
		}
	}()
	return p
}

func (p *pipeHash) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		buf := <-p.free
		k := min(len(b), cap(buf))
		p.work <- append(buf, b[:k]...)
		b = b[k:]
	}
	return n, nil
}

// Sum waits for everything written to be hashed and returns the digest.
func (p *pipeHash) Sum() []byte {
	p.stop()
	return p.h.Sum(nil)
}

// stop ends the hashing goroutine; it is safe to call more than once.
func (p *pipeHash) stop() {
	p.once.Do(func() {
		close(p.work)
		<-p.done
	})
}
