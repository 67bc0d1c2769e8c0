package tcp

import (
	"bufio"
	"errors"
	"io"
	"net"
	"time"
)

// MaxHeadBytes is the longest request head ReadHead accepts, in bytes,
// counting the request line, the headers and the blank line that ends them.
const MaxHeadBytes = 8 << 10

// ErrHeadTooLarge means the peer sent more than MaxHeadBytes without the
// blank line that ends a request head; the web server answers 431.
var ErrHeadTooLarge = errors.New("tcp: request head too large")

// ErrMalformed means a request head breaks HTTP/1.1's grammar; the web
// server answers 400.
var ErrMalformed = errors.New("tcp: malformed request head")

// Request is a parsed HTTP/1.1 request head (http请求信息): the request line
// and the headers.
//
//	GET /index.html HTTP/1.1\r\n     request line: method, target, version
//	Host: 127.0.0.1:8080\r\n         headers: "Name: value"
//	Accept-Language: zh-CN\r\n
//	\r\n                             a blank line ends the head
type Request struct {
	Method string // "GET"
	Target string // "/index.html", as sent (path and query)
	Proto  string // "HTTP/1.1"
	// Header maps each header name, in canonical form
	// (textproto.CanonicalMIMEHeaderKey: "accept-language" becomes
	// "Accept-Language"), to its value without surrounding spaces. The
	// values of a repeated header are joined with ", ", empty ones left
	// out.
	Header map[string]string
}

// ReadHead reads one request head from br: every byte up to and including
// the first "\r\n\r\n", and nothing after it, so that a second request sent
// in the same packet stays in br for the next call.
//
// TCP keeps no message boundaries: the head may arrive one byte per Read,
// or together with a body or the next request in a single Read. ReadHead
// returns the same head however it is split.
//
// A head longer than MaxHeadBytes is ErrHeadTooLarge. At the end of the
// stream ReadHead returns io.EOF if no byte of a head came, or
// io.ErrUnexpectedEOF in the middle of one.
func ReadHead(br *bufio.Reader) ([]byte, error) {
	// TODO(step 4): read up to "\r\n\r\n", however the bytes are split. See README.md, step 4.
	return nil, ErrTODO
}

// ParseHead parses a request head as ReadHead returns it: a request line
// "METHOD SP TARGET SP HTTP/x.y", then zero or more "Name: value" lines,
// every line ended by "\r\n", then an empty line.
//
// The method and header names are tokens (letters, digits and
// !#$%&'*+-.^_`|~); the target is non-empty and has no spaces or control
// characters; the version is HTTP/ and a digit, a dot, a digit. A header
// value may have spaces and tabs but no other control character, and a
// line starting with a space (obsolete line folding) is not allowed.
// Anything else is an error wrapping ErrMalformed.
func ParseHead(head []byte) (*Request, error) {
	// TODO(step 4): split the request line and the headers. See README.md, step 4.
	return nil, ErrTODO
}

// WriteResponse writes a complete HTTP/1.1 response to w, in one Write:
//
//	HTTP/1.1 200 OK\r\n
//	Content-Type: text/html; charset=utf-8\r\n
//	Content-Length: 23\r\n
//	Connection: close\r\n
//	\r\n
//	<h1>你好, World!</h1>
//
// The reason phrase is http.StatusText(status). Content-Length counts the
// body's bytes as sent (UTF-8), not its characters. A 405 response also
// carries "Allow: GET, HEAD" after Content-Type, the methods the web server
// serves.
func WriteResponse(w io.Writer, status int, contentType, body string) error {
	// TODO(step 4): status line, headers, blank line, body. See README.md, step 4.
	return ErrTODO
}

// Page is what the web server sends for one path.
type Page struct {
	ContentType string // "text/html; charset=utf-8"
	Body        string
}

// Site is the tiny web server (创建一个简单Web服务器) done right. Its
// Handle serves one request per connection, then closes it
// (Connection: close).
type Site struct {
	// Pages maps a path ("/") to its page.
	Pages map[string]Page
	// ReadTimeout bounds the time to receive the whole request head;
	// 0 means no limit.
	ReadTimeout time.Duration
}

// Handle serves one HTTP/1.1 request on conn and closes the connection:
//
//   - the head is read with ReadHead and parsed with ParseHead;
//   - the page for the target's path (the target up to any "?") is sent
//     with status 200 and the page's Content-Type;
//   - errors get a text/plain; charset=utf-8 body of the status code and
//     reason and a newline ("404 Not Found\n"): 400 for a malformed or cut
//     head, 431 for ErrHeadTooLarge, 404 for a path with no page, 405 for a
//     known path with a method other than GET or HEAD;
//   - a HEAD request gets the response a GET would get, status line and
//     headers (Content-Length included) alike, without the body: a
//     response to HEAD never has one (RFC 9110, 9.3.2);
//   - a connection that closes before sending anything, or that times out,
//     gets no answer.
//
// Every response goes out through WriteResponse. After it Handle
// half-closes the connection and discards what the client still sends (a
// second request, the rest of a huge head) until the client closes, so
// that closing with unread data does not reset the connection before the
// client has read the response.
func (s *Site) Handle(conn net.Conn) {
	// TODO(step 4): read, parse, route, respond, close. See README.md, step 4.
}
