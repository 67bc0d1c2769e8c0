package httpfetch

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

// gate makes every request under /gate/ wait for a token, and counts how
// many are in the server at once.
type gate struct {
	arrived chan string   // a request's path, when it arrives
	release chan struct{} // one token lets one request finish
	mu      sync.Mutex
	inside  int
	most    int
}

func newGate(s *site) *gate {
	g := &gate{arrived: make(chan string), release: make(chan struct{})}
	s.mux.HandleFunc("/gate/", func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.inside++
		g.most = max(g.most, g.inside)
		g.mu.Unlock()
		defer func() {
			g.mu.Lock()
			g.inside--
			g.mu.Unlock()
		}()
		select {
		case g.arrived <- r.URL.Path:
		case <-r.Context().Done():
			return
		}
		select {
		case <-g.release:
		case <-r.Context().Done():
			return
		}
		w.Write(pictureBytes(byte(len(r.URL.Path)), 1000))
	})
	return g
}

func (g *gate) max() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.most
}

func TestStep3_DownloadAllIsBounded(t *testing.T) {
	readme.Explain(t)
	const n, limit = 12, 3
	s := newSite(t)
	g := newGate(s)
	var urls []string
	for i := range n {
		urls = append(urls, fmt.Sprintf("%s/gate/%02d.jpg", s.URL, i))
	}
	dir := t.TempDir()
	done := make(chan []Result, 1)
	go func() { done <- (&Fetcher{Client: newClient(t)}).DownloadAll(context.Background(), urls, dir, limit) }()

	for range limit {
		select {
		case <-g.arrived:
		case results := <-done:
			t.Fatalf("DownloadAll returned before %d downloads were under way at once (limit %d): %v", limit, limit, results)
		case <-time.After(loopback.Timeout):
			t.Fatalf("waited %v for %d downloads to start at once (limit %d)", loopback.Timeout, limit, limit)
		}
	}
	// limit downloads are in the server, waiting. A bounded client sends no
	// more until one ends; give an unbounded one a moment to show itself.
	select {
	case path := <-g.arrived:
		t.Fatalf("a download of %s started while %d were already under way with limit %d: bound the number of downloads at once", path, limit, limit)
	case <-time.After(100 * time.Millisecond):
	}
	for arrived := limit; arrived < n; arrived++ {
		g.release <- struct{}{}
		loopback.Wait(t, g.arrived, "the next download to start after one ended")
	}
	for range limit {
		g.release <- struct{}{}
	}
	results := loopback.Wait(t, done, "DownloadAll to return")
	require.Len(t, results, n, "DownloadAll results for %d URLs", n)
	for i, r := range results {
		require.Equal(t, urls[i], r.URL, "result %d is for another URL: keep the order of urls", i)
		require.NoError(t, r.Err, "download of %s", r.URL)
	}
	require.Equal(t, limit, g.max(), "most downloads in the server at once (limit %d)", limit)
	require.Len(t, listDir(t, dir), n, "files saved")
}

func TestStep3_DownloadAllKeepsGoing(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	s.servePicture("/a.jpg", pictureBytes(5, 2000), `"a"`)
	s.servePicture("/b.jpg", pictureBytes(6, 3000), `"b"`)
	s.mux.HandleFunc("/gone.jpg", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	urls := []string{s.URL + "/gone.jpg", s.URL + "/a.jpg", s.URL + "/%2e%2e", s.URL + "/b.jpg", s.URL + "/x/a.jpg"}
	dir := t.TempDir()
	results := (&Fetcher{Client: newClient(t)}).DownloadAll(context.Background(), urls, dir, 2)
	require.Len(t, results, len(urls))
	var se *StatusError
	require.ErrorAs(t, results[0].Err, &se, "result for %s", urls[0])
	require.NoError(t, results[1].Err, "result for %s", urls[1])
	require.ErrorIs(t, results[2].Err, ErrBadName, "result for %s", urls[2])
	require.NoError(t, results[3].Err, "result for %s: one failure must not stop the others", urls[3])
	require.ErrorIs(t, results[4].Err, ErrSameName, "result for %s, whose name a.jpg is taken", urls[4])
	require.Equal(t, []string{"a.jpg", "b.jpg"}, listDir(t, dir))
	got, err := os.ReadFile(results[3].Path)
	require.NoError(t, err)
	require.Equal(t, pictureBytes(6, 3000), got)
}

func TestStep3_DownloadAllCancels(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	g := newGate(s)
	var urls []string
	for i := range 6 {
		urls = append(urls, fmt.Sprintf("%s/gate/%d.jpg", s.URL, i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	done := make(chan []Result, 1)
	client := newClient(t)
	held := &holdAfterCancel{inner: client.Transport, hold: make(chan struct{})}
	defer close(held.hold)
	client.Transport = held
	go func() { done <- (&Fetcher{Client: client}).DownloadAll(ctx, urls, dir, 2) }()
	select {
	case <-g.arrived:
	case results := <-done:
		t.Fatalf("DownloadAll returned before any download started: %v", results)
	case <-time.After(loopback.Timeout):
		t.Fatalf("waited %v for the first download to start", loopback.Timeout)
	}
	cancel() // nothing is ever released: only cancellation can end the batch
	results := loopback.Wait(t, done, "DownloadAll to return after its context was cancelled")
	require.Zero(t, held.inflight.Load(),
		"DownloadAll returned while downloads it started were still running: when the context ends, wait for every goroutine you started (sync.WaitGroup) before returning")
	require.Len(t, results, len(urls))
	for _, r := range results {
		require.ErrorIs(t, r.Err, context.Canceled, "result for %s after cancel", r.URL)
	}
	require.Empty(t, listDir(t, dir), "files left after cancel")
}

// holdAfterCancel is a transport whose round trips, once their context has
// ended, take a while longer to return (as a slow network's would): until
// hold is closed or a second has passed. It counts the round trips under
// way, so a DownloadAll that returns without waiting for them shows.
type holdAfterCancel struct {
	inner    http.RoundTripper
	hold     chan struct{}
	inflight atomic.Int32
}

func (h *holdAfterCancel) RoundTrip(r *http.Request) (*http.Response, error) {
	h.inflight.Add(1)
	defer h.inflight.Add(-1)
	resp, err := h.inner.RoundTrip(r)
	if err != nil && r.Context().Err() != nil {
		select {
		case <-h.hold:
		case <-time.After(time.Second):
		}
	}
	return resp, err
}
