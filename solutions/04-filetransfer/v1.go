package filetransfer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
)

// ErrBadDocument means a v1 document is not a JSON object with the string
// members "filename" and "filedata".
var ErrBadDocument = errors.New("filetransfer: bad v1 document")

// WriteV1 writes the v1 document for the file name with contents data to w:
// one JSON object, then nothing more (the server closes the connection to
// end it). It is byte for byte what the notes' Python server sends,
// json.dumps({'filename': name, 'filedata': b64encode(data).decode()}):
//
//	{"filename": "guido.jpg", "filedata": "iVBORw0KGgo..."}
//
// with ", " and ": " between the parts, "filename" first, and the name as a
// JSON string in pure ASCII, as Python's ensure_ascii writes it: '"' and '\'
// as \" and \\, "\n" "\r" "\t" "\b" "\f" as such, every other byte below 0x20
// and every character from 0x7f up as \u followed by 4 lower-case hex digits
// (a character above U+FFFF as a UTF-16 surrogate pair: "🐍" is
// "\ud83d\udc0d"). filedata is Encode(data).
func WriteV1(w io.Writer, name string, data []byte) error {
	var b bytes.Buffer
	b.Grow(len(name)*12 + 32 + (len(data)+2)/3*4) // the whole document: one allocation
	b.WriteString(`{"filename": `)
	quoteASCII(&b, name)
	b.WriteString(`, "filedata": "`)
	doc := appendEncode(b.Bytes(), data) // one buffer of the final size, no copies
	doc = append(doc, `"}`...)
	if _, err := w.Write(doc); err != nil {
		return fmt.Errorf("write v1 document for %q: %w", name, err)
	}
	return nil
}

// quoteASCII writes s as a JSON string the way Python's json.dumps does with
// ensure_ascii=True (its default).
func quoteASCII(b *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	u4 := func(r rune) {
		b.WriteString(`\u`)
		b.WriteByte(hex[r>>12&15])
		b.WriteByte(hex[r>>8&15])
		b.WriteByte(hex[r>>4&15])
		b.WriteByte(hex[r&15])
	}
	b.WriteByte('"')
	for _, r := range s { // invalid UTF-8 comes out as U+FFFD
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r >= 0x20 && r < 0x7f:
			b.WriteByte(byte(r))
		case r > 0xffff: // UTF-16 surrogate pair
			r -= 0x10000
			u4(0xd800 + r>>10)
			u4(0xdc00 + r&0x3ff)
		default:
			u4(r)
		}
	}
	b.WriteByte('"')
}

// ReadV1 reads a v1 document from r until EOF and returns the file's name
// and contents. One Read is not the whole document: the notes' client loops
// on recv(1024) until the server closes, and so must ReadV1.
//
// It accepts any JSON object with the string members "filename" and
// "filedata" (other members are ignored), in particular what Python's
// json.dumps writes, with its spaces and \uXXXX escapes. filedata is
// decoded with Decode.
//
// ReadV1 reads at most max bytes: a longer document is an error wrapping
// ErrTooLarge, returned as soon as byte max+1 arrives (the document is held
// in memory, so without a cap a server could make the client use all of
// it). A document that is not such a JSON object wraps ErrBadDocument, a
// filedata that is not base64 wraps ErrBadBase64, and a read error is
// returned wrapped. ReadV1 does not check the name: see SafePath.
func ReadV1(r io.Reader, max int64) (name string, data []byte, err error) {
	// One growing buffer, filled to EOF (the notes' in_data += recv(1024)
	// copies everything received so far on every call: quadratic).
	doc, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return "", nil, fmt.Errorf("read v1 document: %w", err)
	}
	if int64(len(doc)) > max {
		return "", nil, fmt.Errorf("%w: v1 document longer than %d bytes", ErrTooLarge, max)
	}
	var m struct {
		Filename *string `json:"filename"`
		Filedata *string `json:"filedata"`
	}
	if err := json.Unmarshal(doc, &m); err != nil {
		return "", nil, fmt.Errorf("%w: %v", ErrBadDocument, err)
	}
	if m.Filename == nil || m.Filedata == nil {
		return "", nil, fmt.Errorf("%w: want members \"filename\" and \"filedata\"", ErrBadDocument)
	}
	data, err = Decode(*m.Filedata)
	if err != nil {
		return "", nil, fmt.Errorf("filedata of %q: %w", *m.Filename, err)
	}
	return *m.Filename, data, nil
}

// ServeV1 accepts connections on ln and sends each client the v1 document
// for the file name with contents data (WriteV1), then closes that
// connection, as the notes' threaded server does. The document is built
// once and shared, not once per client.
//
// Clients are served at once, each on its own goroutine: a client that
// reads slowly (or not at all) does not hold up the others. When ctx is
// cancelled, ServeV1 closes ln and every open connection, waits for its
// goroutines to end and returns nil; if accepting fails otherwise, it
// returns that error.//
// A temporary Accept error does not stop the server: too many open files
// (EMFILE, ENFILE), no buffer space or memory (ENOBUFS, ENOMEM), or a
// connection aborted before it was accepted (ECONNABORTED). It waits, then
// accepts again, as net/http does: 5ms after the first failure, twice as
// long after each further failure in a row, at most 1s, back to 5ms once
// an Accept succeeds. ctx's end stops that wait at once.
func ServeV1(ctx context.Context, ln net.Listener, name string, data []byte) error {
	var doc bytes.Buffer
	if err := WriteV1(&doc, name, data); err != nil {
		return err
	}
	return serveConns(ctx, ln, func(conn net.Conn) {
		// Write returns when the kernel has taken every byte (or the
		// connection failed: then there is nobody to tell).
		conn.Write(doc.Bytes())
	})
}

// serveConns accepts connections on ln and runs handle on each in its own
// goroutine, closing the connection afterwards. When ctx is cancelled it
// closes ln and the open connections and waits for the handlers.
func serveConns(ctx context.Context, ln net.Listener, handle func(net.Conn)) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !temporary(err) {
				return fmt.Errorf("accept: %w", err)
			}
			// Out of descriptors (a flood) or one client gave up: the
			// others still deserve service. Wait, then try again.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			timer := time.NewTimer(backoff)
			select {
			case <-ctx.Done():
				timer.Stop()
				return nil
			case <-timer.C:
			}
			continue
		}
		backoff = 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.Close()
			unhook := context.AfterFunc(ctx, func() { conn.Close() })
			defer unhook()
			handle(conn)
		}()
	}
}

// temporary reports whether an Accept error passes: the process ran out of
// file descriptors or buffers, or a client left before it was accepted.
func temporary(err error) bool {
	for _, errno := range []syscall.Errno{syscall.EMFILE, syscall.ENFILE, syscall.ENOBUFS, syscall.ENOMEM, syscall.ECONNABORTED} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}

// Client fetches files from a server into the directory Dir.
type Client struct {
	// Dir is the output directory; nothing is ever written outside it.
	Dir string
	// Max is the largest file the client accepts, in bytes; 0 means
	// DefaultMax. Under v1 the document may be as long as the base64 of Max
	// bytes plus room for the name.
	Max int64
	// Resume (v2 only) continues a download that a cut connection left as
	// NAME.part in Dir, asking the server for the bytes from its size on.
	Resume bool
	// Progress, if set, is called as a v2 download proceeds with the bytes
	// of the file on disk so far and the file's size.
	Progress func(done, total int64)
}

// max returns the client's byte cap.
func (c *Client) max() int64 {
	if c.Max > 0 {
		return c.Max
	}
	return DefaultMax
}

// FetchV1 connects to the v1 server at addr, reads its document (ReadV1)
// and saves the file in c.Dir (SaveFile), returning the file's path.
//
// It reads until the server closes, accepting a document of at most the
// base64 length of c's cap plus 4096 bytes (ErrTooLarge), refuses an unsafe
// name (ErrUnsafeName), and leaves no file behind on any error. When ctx is
// cancelled, FetchV1 stops and returns an error wrapping ctx.Err().
func (c *Client) FetchV1(ctx context.Context, addr string) (string, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("fetch v1: %w", err)
	}
	defer conn.Close() // read-only: nothing to flush, nothing to report
	unhook := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer unhook()

	name, data, err := ReadV1(conn, (c.max()+2)/3*4+4096)
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("fetch v1 from %s: %w", addr, ctx.Err())
		}
		return "", fmt.Errorf("fetch v1 from %s: %w", addr, err)
	}
	if int64(len(data)) > c.max() {
		return "", fmt.Errorf("fetch v1 from %s: %w: %d bytes, cap %d", addr, ErrTooLarge, len(data), c.max())
	}
	path, err := SaveFile(c.Dir, name, bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("fetch v1 from %s: %w", addr, err)
	}
	return path, nil
}
