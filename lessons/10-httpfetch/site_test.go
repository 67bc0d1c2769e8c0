package httpfetch

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
)

// site is a test web server standing in for the news API and its image host.
type site struct {
	*httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	requests map[string]int // path -> how many requests came
	headers  []http.Header  // request headers, in arrival order
	open     int            // connections open now
	changed  chan struct{}  // a token when open changes
}

// newSite starts a site on loopback, stopped when the test ends.
func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{mux: http.NewServeMux(), requests: map[string]int{}, changed: make(chan struct{}, 1)}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[r.URL.Path]++
		s.headers = append(s.headers, r.Header.Clone())
		s.mu.Unlock()
		s.mux.ServeHTTP(w, r)
	}))
	s.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		s.mu.Lock()
		switch state {
		case http.StateNew:
			s.open++
		case http.StateClosed, http.StateHijacked:
			s.open--
		}
		s.mu.Unlock()
		select {
		case s.changed <- struct{}{}:
		default:
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// waitAllClosed closes the client's idle connections and waits until the
// site has no connection open. A connection still open then is one whose
// reply body nobody closed: the transport neither reuses nor closes it.
func (s *site) waitAllClosed(t *testing.T, c *http.Client, after string) {
	t.Helper()
	c.CloseIdleConnections()
	deadline := time.After(loopback.Timeout)
	for {
		s.mu.Lock()
		open := s.open
		s.mu.Unlock()
		if open == 0 {
			return
		}
		select {
		case <-s.changed:
		case <-deadline:
			t.Fatalf("after %s, %d connection(s) to the server stayed open %v after the client closed its idle ones: close resp.Body on every path (defer resp.Body.Close()), or the connection is never reused nor closed", after, open, loopback.Timeout)
		}
	}
}

// count returns how many requests came for path.
func (s *site) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// lastHeader returns the headers of the last request.
func (s *site) lastHeader() http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.headers) == 0 {
		return nil
	}
	return s.headers[len(s.headers)-1]
}

// servePicture serves data at path with an ETag, so Range and If-Range work.
func (s *site) servePicture(path string, data []byte, etag string) {
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "image/jpeg")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	})
}

// newClient returns an HTTP client with a deadline whose idle connections
// are closed when the test ends (so no goroutine outlives it).
func newClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	// Three times loopback.Timeout: longer than waitAllClosed waits, so a
	// body left unclosed is seen open, not closed by the client's own timer.
	return &http.Client{Transport: tr, Timeout: 3 * loopback.Timeout}
}

// listDir returns the names in dir, sorted, hidden ones included.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("read %s: %v", dir, err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// newsJSON is a news API reply listing the given picture URLs.
func newsJSON(urls ...string) string {
	var items bytes.Buffer
	for i, u := range urls {
		if i > 0 {
			items.WriteString(",")
		}
		fmt.Fprintf(&items, `{"title":"图片 %d","picUrl":%q,"url":"http://example.invalid/%d"}`, i+1, u, i+1)
	}
	return `{"code":200,"msg":"success","newslist":[` + items.String() + `]}`
}

// endless serves prefix, then bytes without end (256 MiB at most), and
// records how many it managed to send before the client hung up. A client
// that stops reading at its limit keeps that number small.
type endless struct {
	prefix string
	done   chan int64 // how many bytes were sent, once the handler ends
}

func newEndless(prefix string) *endless { return &endless{prefix: prefix, done: make(chan int64, 1)} }

func (e *endless) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	sent, _ := w.Write([]byte(e.prefix))
	chunk := bytes.Repeat([]byte("x"), 64*1024)
	total := int64(sent)
	for total < 256<<20 {
		n, err := w.Write(chunk)
		total += int64(n)
		if err != nil {
			break
		}
	}
	e.done <- total
}

// maxSentAfterLimit is how far past a client's limit the server may get
// before it notices the client hung up: the kernel's socket buffers.
const maxSentAfterLimit = 32 << 20
