package filetransfer

import (
	"context"
	"errors"
	"io"
	"net"
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
	// TODO(step 2): write the document exactly as Python's json.dumps does. See README.md, step 2.
	return ErrTODO
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
	// TODO(step 2): read until EOF, parse the JSON, decode filedata (step 3: cap the bytes read).
	return "", nil, ErrTODO
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
	// TODO(step 2): accept clients and send each one the document on its own goroutine.
	return ErrTODO
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

// FetchV1 connects to the v1 server at addr, reads its document (ReadV1)
// and saves the file in c.Dir (SaveFile), returning the file's path.
//
// It reads until the server closes, accepting a document of at most the
// base64 length of c's cap plus 4096 bytes (ErrTooLarge), refuses an unsafe
// name (ErrUnsafeName), and leaves no file behind on any error. When ctx is
// cancelled, FetchV1 stops and returns an error wrapping ctx.Err().
func (c *Client) FetchV1(ctx context.Context, addr string) (string, error) {
	// TODO(step 2): dial, ReadV1, save the file (step 3: safely, with SafePath and SaveFile).
	return "", ErrTODO
}
