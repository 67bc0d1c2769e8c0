package httpfetch

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep2_Download(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	data := pictureBytes(1, 300_000)
	s.servePicture("/pics/a.jpg", data, `"v1"`)
	dir := t.TempDir()
	f := &Fetcher{Client: newClient(t)}
	path, err := f.Download(context.Background(), s.URL+"/pics/a.jpg", dir)
	require.NoError(t, err, "Download(%s/pics/a.jpg)", s.URL)
	require.Equal(t, filepath.Join(dir, "a.jpg"), path, "the path Download returned")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, len(data), len(got), "bytes saved in %s", path)
	require.Equal(t, data, got, "content saved in %s", path)
	require.Equal(t, []string{"a.jpg"}, listDir(t, dir), "files left in the output folder")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o644), fi.Mode().Perm(),
		"mode of %s: os.CreateTemp makes 0600, readable by you alone; a downloaded file is 0644, as curl and wget save it (f.Chmod before the rename)", path)
}

func TestStep2_DownloadClosesEveryBody(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	s.servePicture("/ok.jpg", pictureBytes(13, 50_000), `"ok"`)
	s.servePicture("/big.jpg", pictureBytes(14, 50_000), `"big"`) // Content-Length 50000
	s.mux.HandleFunc("/missing.jpg", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such picture", http.StatusNotFound)
	})
	s.mux.HandleFunc("/busy.jpg", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "try later", http.StatusServiceUnavailable)
	})
	for _, path := range []string{"/ok.jpg", "/missing.jpg", "/busy.jpg", "/big.jpg"} {
		client := newClient(t)
		f := &Fetcher{Client: client, MaxBytes: 10_000}
		if path == "/ok.jpg" {
			f.MaxBytes = 0
		}
		_, err := f.Download(context.Background(), s.URL+path, t.TempDir())
		if path == "/ok.jpg" {
			require.NoError(t, err, "Download(%s)", path)
		} else {
			require.Error(t, err, "Download(%s)", path)
			require.NotErrorIs(t, err, ErrTODO, "Download is still the stub")
		}
		s.waitAllClosed(t, client, "Download("+path+")")
	}
}

func TestStep2_DownloadRefusesErrors(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	s.mux.HandleFunc("/missing.jpg", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no such picture", http.StatusNotFound)
	})
	s.servePicture("/big.jpg", pictureBytes(2, 4096), `"big"`)
	s.mux.HandleFunc("/unsized.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush() // no Content-Length: the cap must hold while reading
		w.Write(pictureBytes(3, 4096))
	})

	s.mux.HandleFunc("/choices.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusMultipleChoices) // 300: not followed by net/http, and not 2xx
		w.Write([]byte("<a href=a.jpg>a</a> <a href=b.jpg>b</a>"))
	})
	for _, tc := range []struct {
		path string
		code int
	}{{"/missing.jpg", http.StatusNotFound}, {"/choices.jpg", http.StatusMultipleChoices}} {
		t.Run(fmt.Sprintf("%d is not saved", tc.code), func(t *testing.T) {
			dir := t.TempDir()
			_, err := (&Fetcher{Client: newClient(t)}).Download(context.Background(), s.URL+tc.path, dir)
			var se *StatusError
			require.ErrorAs(t, err, &se, "Download of a %d", tc.code)
			require.Equal(t, tc.code, se.Code)
			require.Empty(t, listDir(t, dir), "files left after a %d", tc.code)
		})
	}
	for _, path := range []string{"/big.jpg", "/unsized.jpg"} {
		t.Run("over the cap "+path, func(t *testing.T) {
			dir := t.TempDir()
			f := &Fetcher{Client: newClient(t), MaxBytes: 1000}
			_, err := f.Download(context.Background(), s.URL+path, dir)
			require.ErrorIs(t, err, ErrTooLarge, "Download of 4096 bytes with MaxBytes 1000")
			require.Empty(t, listDir(t, dir), "files left after a body over the cap")
		})
	}
	t.Run("endless body stops at the cap", func(t *testing.T) {
		e := newEndless("")
		s.mux.Handle("/endless.jpg", e)
		dir := t.TempDir()
		f := &Fetcher{Client: newClient(t), MaxBytes: 1 << 20}
		_, err := f.Download(context.Background(), s.URL+"/endless.jpg", dir)
		require.ErrorIs(t, err, ErrTooLarge, "Download of a body without end")
		sent := loopback.Wait(t, e.done, "the server to notice the client stopped reading")
		require.Less(t, sent, int64(1<<20+maxSentAfterLimit),
			"the server sent %d bytes before Download stopped reading: stop at MaxBytes, whatever the server says", sent)
		require.Empty(t, listDir(t, dir))
	})
	for _, tc := range []struct {
		path string
		data []byte
	}{{"/unsized.jpg", pictureBytes(3, 4096)}, {"/big.jpg", pictureBytes(2, 4096)}} {
		t.Run("exactly the cap is fine "+tc.path, func(t *testing.T) {
			dir := t.TempDir()
			f := &Fetcher{Client: newClient(t), MaxBytes: 4096}
			path, err := f.Download(context.Background(), s.URL+tc.path, dir)
			require.NoError(t, err, "Download of %s, 4096 bytes, with MaxBytes 4096", tc.path)
			got, err := os.ReadFile(path)
			require.NoError(t, err)
			require.Equal(t, tc.data, got, "content saved from %s: all 4096 bytes", tc.path)
		})
	}
	t.Run("unsafe name is never requested", func(t *testing.T) {
		dir := t.TempDir()
		_, err := (&Fetcher{Client: newClient(t)}).Download(context.Background(), s.URL+"/..%2Fevil.jpg", dir)
		require.ErrorIs(t, err, ErrBadName)
		require.Zero(t, s.count("/../evil.jpg"), "requests made for an unsafe name")
		require.Empty(t, listDir(t, dir))
	})
}

func TestStep2_DownloadNeverShowsHalfAFile(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	half := make(chan struct{})
	finish := make(chan struct{})
	data := pictureBytes(4, 64*1024)
	s.mux.HandleFunc("/slow.jpg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "65536")
		w.Write(data[:32*1024])
		w.(http.Flusher).Flush()
		close(half)
		select {
		case <-finish:
		case <-r.Context().Done():
			return
		}
		w.Write(data[32*1024:])
	})
	dir := t.TempDir()
	done := make(chan error, 1)
	go func() {
		_, err := (&Fetcher{Client: newClient(t)}).Download(context.Background(), s.URL+"/slow.jpg", dir)
		done <- err
	}()
	select {
	case <-half:
	case err := <-done:
		t.Fatalf("Download returned (%v) before the server had sent half the picture", err)
	case <-time.After(loopback.Timeout):
		t.Fatalf("waited %v for Download to request /slow.jpg", loopback.Timeout)
	}
	waitForFile(t, dir)
	// A file is being written and half the body is on its way: the final
	// name must not exist yet.
	_, statErr := os.Stat(filepath.Join(dir, "slow.jpg"))
	close(finish)
	require.NoError(t, loopback.Wait(t, done, "Download to finish"), "Download of /slow.jpg")
	require.True(t, os.IsNotExist(statErr), "slow.jpg existed while only half of it had arrived: write to a temporary file and rename it when complete (stat: %v)", statErr)
	require.Equal(t, []string{"slow.jpg"}, listDir(t, dir))
}

// waitForFile waits until dir holds at least one entry. The file system
// sends no event to wait on, so it looks every few milliseconds.
func waitForFile(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(loopback.Timeout)
	for len(listDir(t, dir)) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for Download to create a file in %s", loopback.Timeout, dir)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
