package httpfetch

import (
	"context"
	"errors"
)

// Result is the outcome of one download of a batch.
type Result struct {
	URL  string
	Path string // where the file was saved, if Err is nil
	Err  error
}

// ErrSameName means two URLs of one batch would be saved under one name; the
// later one is not downloaded.
var ErrSameName = errors.New("httpfetch: another URL of the batch has the same file name")

// DownloadAll downloads every URL into dir, at most limit at a time (a
// limit below 1 counts as 1), and returns one Result per URL, in the order
// of urls.
//
// One failure does not stop the others. When ctx ends, downloads under way
// stop promptly, the ones not started are not started (their Err is
// ctx.Err()), and DownloadAll returns once every download it started has
// ended.
func (f *Fetcher) DownloadAll(ctx context.Context, urls []string, dir string, limit int) []Result {
	// TODO(step 3): run at most limit downloads at once; one Result per URL, in order.
	results := make([]Result, len(urls))
	for i, u := range urls {
		results[i] = Result{URL: u, Err: ErrTODO}
	}
	return results
}
