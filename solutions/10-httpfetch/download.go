package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultMaxBytes caps one download when Fetcher.MaxBytes is 0.
const DefaultMaxBytes = 64 << 20

// Fetcher downloads files over HTTP. The zero value works: it uses
// http.DefaultClient, caps a file at DefaultMaxBytes and never retries.
type Fetcher struct {
	Client   *http.Client // nil means http.DefaultClient
	MaxBytes int64        // the most bytes one file may have; 0 means DefaultMaxBytes

	// Retries is how many more times a download is tried after a 5xx or
	// 429 reply, a timeout or a connection cut mid-body (step 4).
	Retries int
	// Backoff is how long to wait before retry number attempt (0, 1, ...)
	// when the server does not say; nil means 200ms doubled each time, at
	// most 5s.
	Backoff func(attempt int) time.Duration
	// Sleep waits d or until ctx ends; nil means a timer. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Progress, if set, is called as bytes arrive with the file's name, the
	// bytes saved so far and the total (-1 when the server does not say).
	Progress func(name string, done, total int64)
}

// Download saves the body of rawURL in dir under FileName(rawURL) and
// returns the file's path.
//
// The body streams to a temporary file in dir (its name starts with ".")
// that is renamed to the final name once complete, so the final name never
// holds half a file. The file gets mode 0644, as curl and wget save files
// (os.CreateTemp makes 0600). A reply that is not 2xx is a *StatusError, a body over
// MaxBytes is ErrTooLarge, an unsafe name is ErrBadName (and nothing is
// requested); on every error the temporary file is removed.
//
// Step 4: a 5xx or 429 reply, a timeout or a body cut short is tried again,
// up to Retries more times, after Backoff(attempt), or after what the reply
// says: "Retry-After: N" (N seconds) or "Retry-After: <HTTP date>" (until
// then); Sleep does the waiting. A body cut short
// is resumed, not fetched again: the next request asks for the rest with
// "Range: bytes=<saved>-" and "If-Range: <the first reply's ETag, or else its
// Last-Modified>"; a 206 reply is appended, a 200 reply (the file changed)
// starts the file over. Other replies are never retried.
func (f *Fetcher) Download(ctx context.Context, rawURL, dir string) (string, error) {
	name, err := FileName(rawURL)
	if err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, "."+name+".part-*")
	if err != nil {
		return "", fmt.Errorf("download %s: %w", rawURL, err)
	}
	saved := false
	defer func() {
		if !saved {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	d := &download{f: f, url: rawURL, name: name, file: tmp}
	for attempt := 0; ; attempt++ {
		wait, err := d.try(ctx)
		if err == nil {
			break
		}
		var t *transient
		if !errors.As(err, &t) || attempt >= f.Retries || ctx.Err() != nil {
			return "", err
		}
		if wait <= 0 {
			wait = f.backoff(attempt)
		}
		if err := f.sleep(ctx, wait); err != nil {
			return "", fmt.Errorf("download %s: waiting to retry: %w", rawURL, err)
		}
	}
	if err := tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600
		return "", fmt.Errorf("download %s: %w", rawURL, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("download %s: %w", rawURL, err)
	}
	final := filepath.Join(dir, name)
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", fmt.Errorf("download %s: %w", rawURL, err)
	}
	saved = true
	return final, nil
}

// transient marks an error worth another try.
type transient struct{ err error }

func (t *transient) Error() string { return t.err.Error() }
func (t *transient) Unwrap() error { return t.err }

// download is one file being fetched, across its attempts.
type download struct {
	f         *Fetcher
	url, name string
	file      *os.File
	have      int64  // bytes saved so far
	validator string // ETag or Last-Modified of the first reply, for If-Range
}

// try makes one request and saves what it gets. It returns how long the
// server asked to wait before the next try, if it said.
func (d *download) try(ctx context.Context) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.url, nil)
	if err != nil {
		return 0, fmt.Errorf("download %s: %w", d.url, err)
	}
	if d.have > 0 && d.validator != "" {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", d.have))
		req.Header.Set("If-Range", d.validator)
	}
	client := d.f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		err = fmt.Errorf("download %s: %w", d.url, err)
		if isTransient(err) {
			return 0, &transient{err}
		}
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusPartialContent && d.have > 0 {
		start, ok := contentRangeStart(resp.Header.Get("Content-Range"))
		if !ok || start != d.have {
			return 0, fmt.Errorf("download %s: asked for bytes from %d, got Content-Range %q", d.url, d.have, resp.Header.Get("Content-Range"))
		}
	} else if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		// The whole file, from the start: on the first try, or because it changed.
		if err := d.restart(); err != nil {
			return 0, err
		}
		d.validator = resp.Header.Get("ETag")
		if d.validator == "" {
			d.validator = resp.Header.Get("Last-Modified")
		}
	} else {
		err := &StatusError{URL: d.url, Code: resp.StatusCode, Status: resp.Status}
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
			return retryAfter(resp.Header.Get("Retry-After")), &transient{err}
		}
		return 0, err
	}
	max := d.f.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	total := int64(-1)
	if resp.ContentLength >= 0 {
		total = d.have + resp.ContentLength
	}
	if total > max {
		return 0, fmt.Errorf("download %s: %d bytes, more than %d: %w", d.url, total, max, ErrTooLarge)
	}
	// One byte past the cap tells "exactly the cap" from "more".
	n, err := io.Copy(d.progress(total), io.LimitReader(resp.Body, max-d.have+1))
	d.have += n
	if d.have > max {
		return 0, fmt.Errorf("download %s: more than %d bytes: %w", d.url, max, ErrTooLarge)
	}
	if err != nil {
		err = fmt.Errorf("download %s: body cut after %d bytes: %w", d.url, d.have, err)
		if errors.Is(err, io.ErrUnexpectedEOF) || isTransient(err) {
			return 0, &transient{err}
		}
		return 0, err
	}
	return 0, nil
}

// restart empties the file for a fresh start.
func (d *download) restart() error {
	d.have = 0
	if err := d.file.Truncate(0); err != nil {
		return fmt.Errorf("download %s: %w", d.url, err)
	}
	if _, err := d.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("download %s: %w", d.url, err)
	}
	return nil
}

// progress returns the file, reporting each write to Progress if set.
func (d *download) progress(total int64) io.Writer {
	if d.f.Progress == nil {
		return d.file
	}
	return &progressWriter{d: d, total: total}
}

type progressWriter struct {
	d     *download
	total int64
	done  int64
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.d.file.Write(b)
	p.done += int64(n)
	p.d.f.Progress(p.d.name, p.d.have+p.done, p.total)
	return n, err
}

// isTransient reports timeouts and connections reset or cut.
func isTransient(err error) bool {
	var ne net.Error
	return (errors.As(err, &ne) && ne.Timeout()) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// contentRangeStart returns the first byte of "bytes 100-199/200".
func contentRangeStart(v string) (int64, bool) {
	rest, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(first, 10, 64)
	return n, err == nil && n >= 0
}

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}

func (f *Fetcher) backoff(attempt int) time.Duration {
	if f.Backoff != nil {
		return f.Backoff(attempt)
	}
	return min(200*time.Millisecond<<attempt, 5*time.Second)
}

func (f *Fetcher) sleep(ctx context.Context, d time.Duration) error {
	if f.Sleep != nil {
		return f.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
