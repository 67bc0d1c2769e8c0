package tcp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

// splitReads returns a reader whose every Read returns at most one of
// reads: TCP may split or merge what the peer wrote.
func splitReads(reads []string) io.Reader {
	rs := make([]io.Reader, len(reads))
	for i, r := range reads {
		rs[i] = strings.NewReader(r)
	}
	return io.MultiReader(rs...)
}

// bytewise splits s into one-byte reads.
func bytewise(s string) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = s[i : i+1]
	}
	return out
}

// notesHead is the request head of the notes' http请求信息, as a browser
// sends it.
const notesHead = "GET / HTTP/1.1\r\n" +
	"Accept: text/html, application/xhtml+xml, image/jxr, */*\r\n" +
	"Accept-Language: zh-CN\r\n" +
	"User-Agent: Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko\r\n" +
	"Accept-Encoding: gzip, deflate\r\n" +
	"Host: 192.168.3.35\r\n" +
	"Connection: Keep-Alive\r\n" +
	"\r\n"

func TestStep4_ReadHead(t *testing.T) {
	readme.Explain(t)
	second := "GET /second HTTP/1.1\r\nHost: b\r\n\r\n"
	tests := []struct {
		name  string
		reads []string // what each Read returns
		want  []string // the heads, in order
		end   error    // what ReadHead returns after the last head
	}{
		{"whole head in one read", []string{notesHead}, []string{notesHead}, io.EOF},
		{"one byte per read", bytewise(notesHead), []string{notesHead}, io.EOF},
		{"split inside CRLFCRLF", []string{"GET / HTTP/1.1\r\nHost: a\r\n\r", "\n"}, []string{"GET / HTTP/1.1\r\nHost: a\r\n\r\n"}, io.EOF},
		{"two requests in one read", []string{notesHead + second}, []string{notesHead, second}, io.EOF},
		{"a body after the head stays unread", []string{"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"},
			[]string{"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n"}, nil},
		{"cut in the middle", []string{"GET / HTTP/1.1\r\nHost: a\r\n"}, nil, io.ErrUnexpectedEOF},
		{"nothing at all", nil, nil, io.EOF},
		{"too long", []string{"GET / HTTP/1.1\r\nX-Big: " + strings.Repeat("x", MaxHeadBytes) + "\r\n\r\n"}, nil, ErrHeadTooLarge},
		{"too long, one long line", []string{strings.Repeat("G", MaxHeadBytes+1)}, nil, ErrHeadTooLarge},
		{"exactly the limit", []string{"GET / HTTP/1.1\r\nX: " + strings.Repeat("x", MaxHeadBytes-23) + "\r\n\r\n"},
			[]string{"GET / HTTP/1.1\r\nX: " + strings.Repeat("x", MaxHeadBytes-23) + "\r\n\r\n"}, io.EOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReader(splitReads(tc.reads))
			for _, want := range tc.want {
				got, err := ReadHead(br)
				require.NoError(t, err, "ReadHead on reads %q", abbrev(tc.reads))
				require.Equal(t, want, string(got), "ReadHead on reads %q", abbrev(tc.reads))
			}
			if tc.end == nil {
				return
			}
			_, err := ReadHead(br)
			require.ErrorIs(t, err, tc.end, "ReadHead after the last head of reads %q", abbrev(tc.reads))
		})
	}
	t.Run("a line that never ends", func(t *testing.T) {
		r := &endlessLine{}
		_, err := ReadHead(bufio.NewReader(r))
		require.ErrorIs(t, err, ErrHeadTooLarge,
			"ReadHead on a stream of 'x' with no newline, after reading %d bytes of it: want ErrHeadTooLarge as soon as the head passes MaxHeadBytes (%d), without waiting for the line to end",
			r.n, MaxHeadBytes)
		if r.n > 256<<10 {
			t.Fatalf("ReadHead read %d bytes of a line with no newline before it returned ErrHeadTooLarge; want it to stop soon after MaxHeadBytes (%d): "+
				"a reader that waits for the whole line (ReadString, ReadBytes) holds all of it in memory (%s)", r.n, MaxHeadBytes, readme.Ref(t))
		}
	})
}

// endlessLine is a reader that sends one line that never ends: 'x' after
// 'x', no newline. Past 1 MiB it fails with errReadTooFar, so that a
// ReadHead that waits for the line's end, however long, fails the test
// instead of eating the machine's memory.
type endlessLine struct{ n int }

var errReadTooFar = errors.New("read 1 MiB of a line with no newline: ReadHead kept reading past MaxHeadBytes")

func (r *endlessLine) Read(p []byte) (int, error) {
	if r.n >= 1<<20 {
		return 0, errReadTooFar
	}
	n := min(len(p), 1<<20-r.n)
	for i := range p[:n] {
		p[i] = 'x'
	}
	r.n += n
	return n, nil
}

// lingerAdvice explains a reset after (or instead of) the response.
const lingerAdvice = "closing a connection with unread bytes makes the kernel reset it, and the reset can destroy the response before the client reads it; " +
	"after the response, Handle must half-close (CloseWrite) and read away what the client still sends before closing"

// rawExchange sends sent on a new connection to addr, half-closes if
// closeWrite, waits for every channel of before, and returns what comes
// back up to EOF. It does not log the bytes, unlike transcript: they are
// too many for a replay line.
func rawExchange(t *testing.T, addr, sent string, closeWrite bool, before ...<-chan struct{}) (string, error) {
	t.Helper()
	conn := loopback.Dial(t, addr)
	require.NoError(t, conn.SetDeadline(loopback.Deadline()))
	written := make(chan error, 1)
	go func() {
		_, err := io.WriteString(conn, sent)
		if err == nil && closeWrite {
			err = conn.(*net.TCPConn).CloseWrite()
		}
		written <- err
	}()
	if closeWrite {
		// The server reads everything: the write must complete.
		if err := loopback.Wait(t, written, "the client to send its bytes"); err != nil {
			return "", fmt.Errorf("sending %d bytes: %w", len(sent), err)
		}
	}
	for _, ch := range before {
		loopback.Wait(t, ch, "Handle to return after the client half-closed")
	}
	got, err := io.ReadAll(conn)
	return string(got), err
}

// abbrev shortens long test inputs for failure messages.
func abbrev(reads []string) []string {
	if len(reads) > 8 {
		return []string{fmt.Sprintf("%d reads of one byte: %q", len(reads), strings.Join(reads, ""))}
	}
	out := make([]string, len(reads))
	for i, r := range reads {
		if len(r) > 80 {
			r = fmt.Sprintf("%s... (%d bytes)", r[:60], len(r))
		}
		out[i] = r
	}
	return out
}

func TestStep4_ParseHead(t *testing.T) {
	readme.Explain(t)
	good := []struct {
		name string
		head string
		want Request
	}{
		{"the notes' request", notesHead, Request{Method: "GET", Target: "/", Proto: "HTTP/1.1", Header: map[string]string{
			"Accept":          "text/html, application/xhtml+xml, image/jxr, */*",
			"Accept-Language": "zh-CN",
			"User-Agent":      "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
			"Accept-Encoding": "gzip, deflate",
			"Host":            "192.168.3.35",
			"Connection":      "Keep-Alive",
		}}},
		{"no headers", "GET /a?b=c HTTP/1.0\r\n\r\n", Request{Method: "GET", Target: "/a?b=c", Proto: "HTTP/1.0", Header: map[string]string{}}},
		{"names are case-insensitive, values trimmed", "POST /x HTTP/1.1\r\nhost:  example \r\ncontent-LENGTH:0\r\n\r\n",
			Request{Method: "POST", Target: "/x", Proto: "HTTP/1.1", Header: map[string]string{"Host": "example", "Content-Length": "0"}}},
		{"a repeated header", "GET / HTTP/1.1\r\nAccept: a\r\nAccept:\r\nAccept: b\r\n\r\n",
			Request{Method: "GET", Target: "/", Proto: "HTTP/1.1", Header: map[string]string{"Accept": "a, b"}}},
		{"UTF-8 in a value", "GET / HTTP/1.1\r\nX-Name: 张三\r\n\r\n",
			Request{Method: "GET", Target: "/", Proto: "HTTP/1.1", Header: map[string]string{"X-Name": "张三"}}},
		{"every token character in a method and a name", "AZaz09!#$%&'*+-.^_`|~ / HTTP/1.1\r\nAZaz09!#$%&'*+-.^_`|~: v\r\n\r\n",
			Request{Method: "AZaz09!#$%&'*+-.^_`|~", Target: "/", Proto: "HTTP/1.1",
				Header: map[string]string{textproto.CanonicalMIMEHeaderKey("AZaz09!#$%&'*+-.^_`|~"): "v"}}},
		{"version digits 0 to 9", "GET / HTTP/9.0\r\n\r\n", Request{Method: "GET", Target: "/", Proto: "HTTP/9.0", Header: map[string]string{}}},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseHead([]byte(tc.head))
			require.NoError(t, err, "ParseHead(%q)", tc.head)
			require.Equal(t, tc.want, *got, "ParseHead(%q)", tc.head)
		})
	}
	bad := []struct{ name, head string }{
		{"empty", ""},
		{"no blank line at the end", "GET / HTTP/1.1\r\nHost: a\r\n"},
		{"bare LF line ends", "GET / HTTP/1.1\nHost: a\n\n"},
		{"the notes' space before CRLF", "GET / HTTP/1.1 \r\n\r\n"},
		{"two words", "GET /\r\n\r\n"},
		{"four words", "GET / x HTTP/1.1\r\n\r\n"},
		{"not HTTP", "GET / FTP/1.1\r\n\r\n"},
		{"empty method", " / HTTP/1.1\r\n\r\n"},
		{"space in the method", "G T / HTTP/1.1\r\n\r\n"},
		{"header without a colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n"},
		{"space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n"},
		{"empty header name", "GET / HTTP/1.1\r\n: a\r\n\r\n"},
		{"folded header line", "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"},
		{"control character in a value", "GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n"},
		{"blank line first", "\r\nGET / HTTP/1.1\r\n\r\n"},
		{"tab in the target", "GET /a\tb HTTP/1.1\r\n\r\n"},
		{"DEL in the target", "GET /a\x7fb HTTP/1.1\r\n\r\n"},
		{"a version that is not digits", "GET / HTTP/1.x\r\n\r\n"},
		{"a version with a colon for a digit", "GET / HTTP/1.:\r\n\r\n"},
		{"a version with a slash for a digit", "GET / HTTP//.1\r\n\r\n"},
		{"DEL in a value", "GET / HTTP/1.1\r\nX: a\x7fb\r\n\r\n"},
	}
	// Characters just outside the token ranges, in a method and in a name.
	for _, c := range []string{"@", "[", "{", "/", "\"", "\x7f", "\x80", "你"} {
		bad = append(bad,
			struct{ name, head string }{fmt.Sprintf("%q in the method", c), "G" + c + "T / HTTP/1.1\r\n\r\n"},
			struct{ name, head string }{fmt.Sprintf("%q in a header name", c), "GET / HTTP/1.1\r\nX" + c + "Y: v\r\n\r\n"})
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseHead([]byte(tc.head))
			require.ErrorIs(t, err, ErrMalformed, "ParseHead(%q) = %+v, %v; want ErrMalformed", tc.head, got, err)
		})
	}
}

func FuzzStep4_ParseHead(f *testing.F) {
	readme.Explain(f)
	f.Add([]byte(notesHead))
	f.Add([]byte("GET /a?b=c HTTP/1.0\r\n\r\n"))
	f.Add([]byte("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n"))
	f.Add([]byte("POST /x HTTP/1.1\r\nhost:  example \r\n\r\n"))
	f.Fuzz(func(t *testing.T, head []byte) {
		req, err := ParseHead(head)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("ParseHead(%q) = %v; want nil or an error wrapping ErrMalformed", head, err)
			}
			return
		}
		// What parses must follow the grammar: re-built, it parses the same.
		if req.Method == "" || req.Target == "" || !strings.HasPrefix(req.Proto, "HTTP/") {
			t.Fatalf("ParseHead(%q) = %+v: empty method or target, or a version without HTTP/", head, req)
		}
		var b strings.Builder
		b.WriteString(req.Method + " " + req.Target + " " + req.Proto + "\r\n")
		for k, v := range req.Header {
			if strings.ContainsAny(k, " :\r\n") || strings.ContainsAny(v, "\r\n") {
				t.Fatalf("ParseHead(%q): header %q: %q holds a separator", head, k, v)
			}
			b.WriteString(k + ": " + v + "\r\n")
		}
		b.WriteString("\r\n")
		again, err := ParseHead([]byte(b.String()))
		require.NoError(t, err, "ParseHead(%q) parsed as %+v, but its rebuilt head %q does not parse", head, req, b.String())
		require.Equal(t, req, again, "ParseHead of %q, rebuilt from ParseHead(%q)", b.String(), head)
	})
}

func TestStep4_WriteResponse(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		want   string
	}{
		{"a Chinese page: Content-Length in bytes", 200, "text/html; charset=utf-8", "<h1>你好, World!</h1>",
			"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 23\r\nConnection: close\r\n\r\n<h1>你好, World!</h1>"},
		{"not found", 404, "text/plain; charset=utf-8", "404 Not Found\n",
			"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 14\r\nConnection: close\r\n\r\n404 Not Found\n"},
		{"405 says which methods", 405, "text/plain; charset=utf-8", "405 Method Not Allowed\n",
			"HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain; charset=utf-8\r\nAllow: GET, HEAD\r\nContent-Length: 23\r\nConnection: close\r\n\r\n405 Method Not Allowed\n"},
		{"empty body", 200, "text/plain", "",
			"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			err := WriteResponse(&b, tc.status, tc.ctype, tc.body)
			require.NoError(t, err, "WriteResponse(%d, %q, %q)", tc.status, tc.ctype, tc.body)
			if b.String() != tc.want {
				t.Fatalf("WriteResponse(%d, %q, %q) wrote bytes that differ from the expected response:\n%s",
					tc.status, tc.ctype, tc.body, transcript.Diff(transcript.Server, []byte(tc.want), []byte(b.String())))
			}
		})
	}
}

// testPage is the page the web server tests serve at "/": Chinese text,
// so its length in bytes (UTF-8) is not its length in characters.
const testPage = "<h1>你好，世界</h1>\n<p>创建一个简单Web服务器</p>\n"

// startWebServer serves a Site with testPage at "/" until the test ends.
func startWebServer(t *testing.T) string {
	t.Helper()
	site := &Site{
		Pages:       map[string]Page{"/": {ContentType: "text/html; charset=utf-8", Body: testPage}},
		ReadTimeout: loopback.Timeout,
	}
	addr, _ := startServer(t, site.Handle)
	return addr
}

// response returns the exact bytes the web server should send.
func response(status int, ctype, body string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n", status, http.StatusText(status), ctype)
	if status == http.StatusMethodNotAllowed {
		b.WriteString("Allow: GET, HEAD\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	return b.String()
}

// headOnly cuts a response after its head: what a HEAD request gets.
func headOnly(resp string) string {
	return resp[:strings.Index(resp, "\r\n\r\n")+4]
}

func plainResponse(status int) string {
	return response(status, "text/plain; charset=utf-8", fmt.Sprintf("%d %s\n", status, http.StatusText(status)))
}

func TestStep4_WebServerNetHTTP(t *testing.T) {
	readme.Explain(t)
	addr := startWebServer(t)
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: loopback.Timeout}
	tests := []struct {
		method, path string
		status       int
		ctype, body  string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", testPage},
		{"GET", "/?lang=zh", 200, "text/html; charset=utf-8", testPage},
		{"GET", "/missing", 404, "text/plain; charset=utf-8", "404 Not Found\n"},
		{"POST", "/", 405, "text/plain; charset=utf-8", "405 Method Not Allowed\n"},
		{"HEAD", "/", 200, "text/html; charset=utf-8", testPage},
		{"HEAD", "/missing", 404, "text/plain; charset=utf-8", "404 Not Found\n"},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, tc.method, "http://"+addr+tc.path, nil)
			require.NoError(t, err)
			resp, err := client.Do(req)
			require.NoError(t, err, "net/http client: %s %s", tc.method, tc.path)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err, "net/http client: reading the body of %s %s (Content-Length %d)", tc.method, tc.path, resp.ContentLength)
			require.Equal(t, tc.status, resp.StatusCode, "%s %s: status", tc.method, tc.path)
			require.Equal(t, tc.ctype, resp.Header.Get("Content-Type"), "%s %s: Content-Type", tc.method, tc.path)
			require.Equal(t, int64(len(tc.body)), resp.ContentLength, "%s %s: Content-Length, want the body's length in bytes", tc.method, tc.path)
			if tc.method == http.MethodHead {
				// Content-Length says what a GET would get; the body is not sent.
				tc.body = ""
			}
			require.Equal(t, tc.body, string(body), "%s %s: body", tc.method, tc.path)
			if tc.status == http.StatusMethodNotAllowed {
				require.Equal(t, "GET, HEAD", resp.Header.Get("Allow"), "%s %s: Allow, the methods the server serves", tc.method, tc.path)
			}
			require.True(t, resp.Close, "%s %s: want Connection: close", tc.method, tc.path)
		})
	}
}

func TestStep4_WebServerRawBytes(t *testing.T) {
	readme.Explain(t)
	addr := startWebServer(t)
	get := "GET / HTTP/1.1\r\nHost: " + addr + "\r\nAccept-Language: zh-CN\r\n\r\n"
	ok := response(200, "text/html; charset=utf-8", testPage)
	tests := []struct {
		name   string
		writes []string // each sent with its own Write
		want   string   // the whole response, then EOF
	}{
		{"whole head in one write", []string{get}, ok},
		{"one byte at a time", bytewise(get), ok},
		{"two requests in one write: one answer, then close", []string{get + "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n"}, ok},
		{"the notes' request", []string{notesHead}, ok},
		{"unknown path", []string{"GET /nothing-here HTTP/1.1\r\n\r\n"}, plainResponse(404)},
		{"wrong method", []string{"DELETE / HTTP/1.1\r\n\r\n"}, plainResponse(405)},
		{"HEAD: GET's head, no body", []string{"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"}, headOnly(ok)},
		{"HEAD of an unknown path: 404's head, no body", []string{"HEAD /nothing-here HTTP/1.1\r\n\r\n"}, headOnly(plainResponse(404))},
		{"a method that merely starts with GET", []string{"GETS / HTTP/1.1\r\n\r\n"}, plainResponse(405)},
		{"a method in lower case", []string{"get / HTTP/1.1\r\n\r\n"}, plainResponse(405)},
		{"malformed request line", []string{"GET /\r\n\r\n"}, plainResponse(400)},
		{"malformed header", []string{"GET / HTTP/1.1\r\nno colon here\r\n\r\n"}, plainResponse(400)},
		{"head over the limit", []string{"GET / HTTP/1.1\r\nX-Big: " + strings.Repeat("大", MaxHeadBytes/3+1) + "\r\n\r\n"}, plainResponse(431)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := transcript.Dial(t, addr, "client")
			for _, w := range tc.writes {
				c.Write(w)
			}
			c.ExpectBytes(tc.want)
			c.ExpectEOF()
		})
	}
	t.Run("half-closed in the middle of the head", func(t *testing.T) {
		c := transcript.Dial(t, addr, "client")
		c.Write("GET / HTTP/1.1\r\nHost: a\r\n")
		c.CloseWrite()
		c.ExpectBytes(plainResponse(400))
		c.ExpectEOF()
	})
	t.Run("a head line that never ends", func(t *testing.T) {
		// 64 KiB with no newline, and the connection stays open: the
		// server must answer 431 once it has MaxHeadBytes, not wait for
		// the end of the line.
		sent := "GET /" + strings.Repeat("x", 64<<10)
		got, err := rawExchange(t, addr, sent, false)
		want := plainResponse(431)
		advice := fmt.Sprintf("ReadHead must stop at MaxHeadBytes (%d) instead of waiting for the end of the line", MaxHeadBytes)
		if got != "" {
			advice = lingerAdvice
		}
		require.NoError(t, err, "sent %q (%d bytes, no newline) and kept the connection open; got %q before the error; want %q then EOF: %s",
			abbrev([]string{sent}), len(sent), got, want, advice)
		require.Equal(t, want, got, "sent %q (%d bytes, no newline): the response", abbrev([]string{sent}), len(sent))
	})
	t.Run("unread bytes after the request", func(t *testing.T) {
		// The request, then 256 KiB the server never needs, then the
		// client half-closes and reads only once Handle has returned. A
		// server that closes its socket with those bytes unread makes the
		// kernel reset the connection, and the reset destroys the response
		// before the client reads it: Handle must half-close and read the
		// rest away.
		site := &Site{Pages: map[string]Page{"/": {ContentType: "text/html; charset=utf-8", Body: testPage}}, ReadTimeout: loopback.Timeout}
		handled := make(chan struct{}, 1)
		addr, _ := startServer(t, func(conn net.Conn) {
			site.Handle(conn)
			conn.Close()
			handled <- struct{}{}
		})
		sent := get + strings.Repeat("x", 256<<10)
		got, err := rawExchange(t, addr, sent, true, handled)
		require.NoError(t, err, "sent a GET request followed by 256 KiB of 'x' and a half-close, read after Handle returned; got %q before the error: "+
			"%s", got, lingerAdvice)
		require.Equal(t, ok, got, "sent a GET request followed by 256 KiB of 'x' and a half-close: the response")
	})
	t.Run("ReadTimeout 0 means no limit", func(t *testing.T) {
		site := &Site{Pages: map[string]Page{"/": {ContentType: "text/html; charset=utf-8", Body: testPage}}}
		addr, _ := startServer(t, site.Handle)
		c := transcript.Dial(t, addr, "client")
		c.Write(get)
		c.ExpectBytes(ok)
		c.ExpectEOF()
	})
	t.Run("a client that stalls in the middle of the head", func(t *testing.T) {
		// Half a head, then silence: after ReadTimeout the server gives up,
		// closes, and answers nothing.
		const timeout = 200 * time.Millisecond
		site := &Site{Pages: map[string]Page{"/": {ContentType: "text/html; charset=utf-8", Body: testPage}}, ReadTimeout: timeout}
		addr, _ := startServer(t, site.Handle)
		c := transcript.Dial(t, addr, "client")
		start := time.Now()
		c.Write("GET / HTTP/1.1\r\nHost: a\r\n")
		c.ExpectEOF()
		if waited := time.Since(start); waited < timeout/2 {
			t.Fatalf("the server closed after %v, before its ReadTimeout of %v passed", waited, timeout)
		}
	})
	t.Run("connect and close", func(t *testing.T) {
		c := transcript.Dial(t, addr, "client")
		c.CloseWrite()
		c.ExpectEOF() // no request, no response
	})
}
