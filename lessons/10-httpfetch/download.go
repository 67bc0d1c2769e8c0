package httpfetch

import (
	"context"
	"net/http"
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
	// TODO(step 2): stream into a temporary file in dir, rename it when complete.
	// TODO(step 4): retry transient failures and resume a cut body with Range and If-Range.
	return "", ErrTODO
}
