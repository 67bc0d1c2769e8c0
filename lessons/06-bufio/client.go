package lineproto

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
)

// ErrMalformedReply means a reply line is not three digits, a space and a text.
var ErrMalformedReply = errors.New("lineproto: malformed reply")

// Window is how many commands Pipeline sends before it reads their replies.
// Bounding it keeps both directions' unread bytes well under what the
// kernels' socket buffers hold, so neither side can block the other forever.
const Window = 64

// Reply is one reply line. Text points into the buffer of the ReplyReader
// that read it: it is valid until the next read (copy it to keep it).
type Reply struct {
	Code int    // 100 to 599
	Text []byte // the text after the code and its space, without "\r\n"
}

// Err returns nil for a 1xx, 2xx or 3xx reply, and a *textproto.Error with
// the code and text for a 4xx or 5xx one.
func (r Reply) Err() error {
	// TODO(step 3): nil below 400, a *textproto.Error otherwise.
	return ErrTODO
}

// ParseReply parses one reply line, given without its line end: three
// digits from "100" to "599", one space, then the text (possibly empty).
// Anything else is ErrMalformedReply. ParseReply does not allocate: the
// Reply's Text points into line.
func ParseReply(line []byte) (Reply, error) {
	// TODO(step 3): three digits, a space, the text. See README.md, step 3.
	return Reply{}, ErrTODO
}

// ReplyReader reads reply lines from a stream into one buffer that it
// reuses, the way Python's recv_into fills a buffer the caller owns: once
// the buffer is allocated, a steady stream of replies costs no allocation.
type ReplyReader struct {
	lr *LineReader
}

// NewReplyReader returns a ReplyReader reading from r.
func NewReplyReader(r io.Reader) *ReplyReader {
	// TODO(step 3): wrap r in a LineReader.
	return nil
}

// Next reads and parses the next reply line. The Reply's Text is valid
// until the next call. Next returns ErrLineTooLong for a line longer than
// MaxLine, ErrMalformedReply for a line ParseReply rejects, io.EOF at the
// end of the stream and io.ErrUnexpectedEOF in the middle of a line. It
// allocates nothing once its buffer exists.
func (rr *ReplyReader) Next() (Reply, error) {
	// TODO(step 3): read a line into the reused buffer and parse it, without allocating. See README.md, step 3.
	return Reply{}, ErrTODO
}

// Client is a connection to a key-value server (Store.Handle). It is not
// safe for concurrent use.
type Client struct {
	conn net.Conn
	bw   *bufio.Writer
	rr   *ReplyReader
	line []byte // reused to build command lines
}

// NewClient returns a Client speaking over conn. Close closes conn.
func NewClient(conn net.Conn) *Client {
	// TODO(step 3): keep conn with a bufio.Writer and a ReplyReader.
	return nil
}

// Dial connects to the key-value server at addr (host:port) and returns a
// Client. ctx bounds the dial only.
func Dial(ctx context.Context, addr string) (*Client, error) {
	// TODO(step 3): dial with ctx, then NewClient.
	return nil, ErrTODO
}

// Do sends one command, waits for its reply and returns it. A 4xx or 5xx
// reply is not an error of Do's: look at Reply.Code, or call Reply.Err.
// The Reply's Text is valid until the next call on c.
func (c *Client) Do(cmd Command) (Reply, error) {
	// TODO(step 3): one command, one reply (Pipeline of one).
	return Reply{}, ErrTODO
}

// Pipeline sends cmds without waiting for replies and calls each with every
// reply, in order: i is the index of the command the reply answers. It
// writes up to Window commands in one Write (one Flush), then reads their
// replies, then sends the next Window. The Reply passed to each is valid
// only during the call. Pipeline returns the first error of the network or
// of each; a reply that never comes (the server closed the connection,
// after QUIT for instance) is io.ErrUnexpectedEOF; after an error the
// replies are out of step with the commands, so close the Client. Once the
// buffers exist,
// Pipeline allocates nothing per command or reply.
func (c *Client) Pipeline(cmds []Command, each func(i int, r Reply) error) error {
	// TODO(step 3): write a window of commands, Flush once, read their replies; repeat. See README.md, step 3.
	return ErrTODO
}

// Close closes the connection, without sending QUIT.
func (c *Client) Close() error {
	// TODO(step 3): close the connection.
	return ErrTODO
}
