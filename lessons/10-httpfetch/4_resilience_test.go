package httpfetch

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/readme"
)

// sleeper records the waits a Fetcher asks for, without waiting.
type sleeper struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeper) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// failing serves data at path after failing the first fails requests with
// status (and the Retry-After header, if set).
func (s *site) failing(path string, fails, status int, retryAfter string, data []byte) {
	var mu sync.Mutex
	n := 0
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		fail := n <= fails
		mu.Unlock()
		if fail {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			http.Error(w, "try later", status)
			return
		}
		w.Write(data)
	})
}

func backoff(attempt int) time.Duration { return time.Duration(attempt+1) * time.Second }

func TestStep4_RetriesServerErrors(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	data := pictureBytes(7, 5000)
	s.failing("/flaky.jpg", 2, http.StatusInternalServerError, "", data)
	sl := &sleeper{}
	f := &Fetcher{Client: newClient(t), Retries: 3, Backoff: backoff, Sleep: sl.sleep}
	path, err := f.Download(context.Background(), s.URL+"/flaky.jpg", t.TempDir())
	require.NoError(t, err, "Download after two 500 replies with Retries 3")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, data, got)
	require.Equal(t, 3, s.count("/flaky.jpg"), "requests: two 500s, then the file")
	require.Equal(t, []time.Duration{time.Second, 2 * time.Second}, sl.got(), "waits before retries 0 and 1 (Backoff(attempt))")
}

func TestStep4_RetryAfterIsHonoured(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	s.failing("/busy.jpg", 1, http.StatusServiceUnavailable, "7", pictureBytes(8, 100))
	sl := &sleeper{}
	f := &Fetcher{Client: newClient(t), Retries: 2, Backoff: backoff, Sleep: sl.sleep}
	_, err := f.Download(context.Background(), s.URL+"/busy.jpg", t.TempDir())
	require.NoError(t, err)
	require.Equal(t, []time.Duration{7 * time.Second}, sl.got(), "the wait after a 503 with Retry-After: 7")
}

func TestStep4_GivesUpAndNeverRetriesClientErrors(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	s.failing("/down.jpg", 100, http.StatusBadGateway, "", nil)
	s.failing("/forbidden.jpg", 100, http.StatusForbidden, "", nil)
	sl := &sleeper{}
	f := &Fetcher{Client: newClient(t), Retries: 2, Backoff: backoff, Sleep: sl.sleep}

	dir := t.TempDir()
	_, err := f.Download(context.Background(), s.URL+"/down.jpg", dir)
	var se *StatusError
	require.ErrorAs(t, err, &se, "Download when every reply is 502")
	require.Equal(t, http.StatusBadGateway, se.Code)
	require.Equal(t, 3, s.count("/down.jpg"), "requests with Retries 2: the first and two more")

	_, err = f.Download(context.Background(), s.URL+"/forbidden.jpg", dir)
	require.ErrorAs(t, err, &se, "Download of a 403")
	require.Equal(t, 1, s.count("/forbidden.jpg"), "requests for a 403: a client error is never retried")
	require.Empty(t, listDir(t, dir))
}

// cutOnce serves data at path; the first request gets the headers and the
// first cut bytes, then the connection drops.
func (s *site) cutOnce(path string, data []byte, cut int, etag func() string) {
	var mu sync.Mutex
	first := true
	s.mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		wasFirst := first
		first = false
		mu.Unlock()
		w.Header().Set("ETag", etag())
		if wasFirst {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data[:cut])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // drop the connection mid-body
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
	})
}

func TestStep4_ResumesACutDownload(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	data := pictureBytes(9, 100_000)
	s.cutOnce("/cut.jpg", data, 40_000, func() string { return `"same"` })
	sl := &sleeper{}
	f := &Fetcher{Client: newClient(t), Retries: 1, Backoff: backoff, Sleep: sl.sleep}
	path, err := f.Download(context.Background(), s.URL+"/cut.jpg", t.TempDir())
	require.NoError(t, err, "Download when the first reply is cut after 40000 of 100000 bytes")
	require.Equal(t, 2, s.count("/cut.jpg"))
	h := s.lastHeader()
	require.Equal(t, "bytes=40000-", h.Get("Range"), "the second request's Range: ask only for what is missing")
	require.Equal(t, `"same"`, h.Get("If-Range"), "the second request's If-Range: the first reply's ETag")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, len(data), len(got), "bytes saved")
	require.Equal(t, data, got, "content saved: the first 40000 bytes, then the rest")
}

func TestStep4_StartsOverWhenTheFileChanged(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	oldData, newData := pictureBytes(10, 50_000), pictureBytes(11, 50_000)
	var mu sync.Mutex
	version := `"v1"`
	s.mux.HandleFunc("/changing.jpg", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		v := version
		version = `"v2"`
		mu.Unlock()
		w.Header().Set("ETag", v)
		if v == `"v1"` {
			w.Header().Set("Content-Length", "50000")
			w.Write(oldData[:20_000])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(newData)) // If-Range "v1" no longer matches: 200
	})
	f := &Fetcher{Client: newClient(t), Retries: 1, Backoff: backoff, Sleep: (&sleeper{}).sleep}
	path, err := f.Download(context.Background(), s.URL+"/changing.jpg", t.TempDir())
	require.NoError(t, err)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, newData, got, "after a 200 reply to a Range request the file starts over, not appended")
}

func TestStep4_ReportsProgress(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	s.servePicture("/p.jpg", pictureBytes(12, 70_000), `"p"`)
	var mu sync.Mutex
	var last, total int64 = -1, -2
	calls := 0
	f := &Fetcher{Client: newClient(t), Progress: func(name string, done, tot int64) {
		mu.Lock()
		defer mu.Unlock()
		if name != "p.jpg" || done < last {
			t.Errorf("Progress(%q, %d, %d) after done=%d: want name p.jpg and done never going back", name, done, tot, last)
		}
		calls++
		last, total = done, tot
	}}
	_, err := f.Download(context.Background(), s.URL+"/p.jpg", t.TempDir())
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Positive(t, calls, "Progress calls")
	require.Equal(t, int64(70_000), last, "the last Progress call's done")
	require.Equal(t, int64(70_000), total, "Progress's total (from Content-Length)")
}
