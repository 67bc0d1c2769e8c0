package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
	limit = max(limit, 1)
	results := make([]Result, len(urls))
	names := map[string]string{}
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i, u := range urls {
		results[i].URL = u
		if name, err := FileName(u); err == nil {
			if first, dup := names[name]; dup {
				results[i].Err = fmt.Errorf("%s saves to %q like %s: %w", u, name, first, ErrSameName)
				continue
			}
			names[name] = u
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			for j := i; j < len(urls); j++ {
				results[j] = Result{URL: urls[j], Err: ctx.Err()}
			}
			return results
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i].Path, results[i].Err = f.Download(ctx, u, dir)
		}()
	}
	return results
}
