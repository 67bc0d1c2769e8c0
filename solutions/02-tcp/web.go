package tcp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
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
	var head []byte
	for {
		chunk, err := br.ReadSlice('\n')
		head = append(head, chunk...)
		if len(head) > MaxHeadBytes {
			return nil, fmt.Errorf("read head: more than %d bytes: %w", MaxHeadBytes, ErrHeadTooLarge)
		}
		switch {
		case err == nil:
			if bytes.HasSuffix(head, []byte("\r\n\r\n")) {
				return head, nil
			}
		case errors.Is(err, bufio.ErrBufferFull):
			// A long line: keep collecting it.
		case errors.Is(err, io.EOF) && len(head) == 0:
			return nil, io.EOF
		case errors.Is(err, io.EOF):
			return nil, fmt.Errorf("read head: stream ended after %d bytes: %w", len(head), io.ErrUnexpectedEOF)
		default:
			return nil, fmt.Errorf("read head: %w", err)
		}
	}
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
	text, ok := strings.CutSuffix(string(head), "\r\n\r\n")
	if !ok {
		return nil, fmt.Errorf("%w: head does not end with an empty line (\\r\\n\\r\\n)", ErrMalformed)
	}
	lines := strings.Split(text, "\r\n")
	reqLine := lines[0]
	method, rest, ok1 := strings.Cut(reqLine, " ")
	target, proto, ok2 := strings.Cut(rest, " ")
	if !ok1 || !ok2 || !isToken(method) || !validTarget(target) || !validProto(proto) {
		return nil, fmt.Errorf("%w: request line %q, want METHOD TARGET HTTP/x.y", ErrMalformed, reqLine)
	}
	req := &Request{Method: method, Target: target, Proto: proto, Header: map[string]string{}}
	for _, line := range lines[1:] {
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return nil, fmt.Errorf("%w: header line %q, want Name: value", ErrMalformed, line)
		}
		value = strings.Trim(value, " \t")
		for i := 0; i < len(value); i++ {
			if c := value[i]; (c < 0x20 && c != '\t') || c == 0x7f {
				return nil, fmt.Errorf("%w: control character %q in header line %q", ErrMalformed, c, line)
			}
		}
		key := textproto.CanonicalMIMEHeaderKey(name)
		if old := req.Header[key]; old != "" && value != "" {
			value = old + ", " + value
		} else if old != "" {
			value = old
		}
		req.Header[key] = value
	}
	return req, nil
}

// tchars are the characters of an RFC 9110 token.
const tchars = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// isToken reports whether s is an RFC 9110 token: one or more tchars.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(tchars, s[i]) < 0 {
			return false
		}
	}
	return true
}

func validTarget(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	return true
}

func validProto(s string) bool {
	return len(s) == len("HTTP/1.1") && strings.HasPrefix(s, "HTTP/") &&
		isDigit(s[5]) && s[6] == '.' && isDigit(s[7])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

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
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %03d %s\r\n", status, http.StatusText(status))
	b.WriteString("Content-Type: " + contentType + "\r\n")
	if status == http.StatusMethodNotAllowed {
		b.WriteString("Allow: GET, HEAD\r\n")
	}
	b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n") // bytes, not runes
	b.WriteString("Connection: close\r\n\r\n")
	b.WriteString(body)
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write %d response: %w", status, err)
	}
	return nil
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
	defer conn.Close()
	if s.ReadTimeout > 0 {
		conn.SetReadDeadline(time.Now().Add(s.ReadTimeout))
	}
	br := bufio.NewReader(conn)
	status, ctype, body, head := s.respond(br)
	if status == 0 {
		return
	}
	var resp bytes.Buffer
	WriteResponse(&resp, status, ctype, body) // a bytes.Buffer never fails
	out := resp.Bytes()
	if head {
		// HEAD: GET's status line and headers, not its body.
		out = out[:bytes.Index(out, []byte("\r\n\r\n"))+4]
	}
	if _, err := conn.Write(out); err != nil {
		return // the client has gone: nobody to tell
	}
	// A lingering close, as net/http does: tell the client we are done,
	// then read what it still sends, for a bounded time.
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	conn.SetReadDeadline(time.Now().Add(time.Second))
	io.Copy(io.Discard, io.LimitReader(conn, 1<<20))
}

// respond works out the response to the request in br; status 0 means
// none. isHead reports a HEAD request, whose response goes without body.
func (s *Site) respond(br *bufio.Reader) (status int, ctype, body string, isHead bool) {
	head, err := ReadHead(br)
	switch {
	case errors.Is(err, ErrHeadTooLarge):
		return plain(http.StatusRequestHeaderFieldsTooLarge, false)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return plain(http.StatusBadRequest, false)
	case err != nil:
		return 0, "", "", false // EOF, timeout or reset: nobody to answer
	}
	req, err := ParseHead(head)
	if err != nil {
		return plain(http.StatusBadRequest, false)
	}
	isHead = req.Method == http.MethodHead
	path, _, _ := strings.Cut(req.Target, "?")
	page, ok := s.Pages[path]
	switch {
	case !ok:
		return plain(http.StatusNotFound, isHead)
	case req.Method != http.MethodGet && !isHead:
		return plain(http.StatusMethodNotAllowed, false)
	}
	return http.StatusOK, page.ContentType, page.Body, isHead
}

func plain(status int, isHead bool) (int, string, string, bool) {
	return status, "text/plain; charset=utf-8", fmt.Sprintf("%d %s\n", status, http.StatusText(status)), isHead
}
