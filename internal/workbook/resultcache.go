package workbook

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/netkata/netkata/internal/atomicfile"
	"github.com/netkata/netkata/internal/i18n"
)

// ResultCache remembers a lesson's go test runs by the content of every
// file they depend on: the lesson, its scenarios, internal/, go.mod and
// go.sum, and the overlay. go test caches only passing runs; a lesson
// nobody touched fails the same way every time, so kata's progress table
// reads it from here instead of running it again.
type ResultCache struct {
	Dir string
}

// DefaultResultCache is the cache under the user's cache folder, or nil
// where there is none.
func DefaultResultCache() *ResultCache {
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	return &ResultCache{Dir: filepath.Join(dir, "netkata", "results")}
}

// key hashes what a run of l with opt depends on.
func (c *ResultCache) key(root string, l *Lesson, opt CheckOptions) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%v\x00%s\x00%v\x00", runtime.Version(), l.Name, opt.Step, opt.Timeout, opt.Overlay, opt.Race)
	// The tests' messages are in the student's language: a result cached
	// in another must not be shown.
	fmt.Fprintf(h, "lang=%s\x00", i18n.Current())
	var files []string
	for _, dir := range []string{l.Dir, l.ScriptDir, filepath.Join(root, "internal")} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if !d.IsDir() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	files = append(files, filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"))
	if opt.Overlay != "" {
		files = append(files, opt.Overlay)
		if m, err := readOverlay(opt.Overlay); err == nil {
			for _, v := range m {
				files = append(files, v)
			}
		}
	}
	sort.Strings(files)
	for _, p := range files {
		f, err := os.Open(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s\x00", p)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func readOverlay(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var o struct{ Replace map[string]string }
	return o.Replace, json.Unmarshal(b, &o)
}

// load returns the run stored under key, if any.
func (c *ResultCache) load(key string) (*Run, bool) {
	b, err := os.ReadFile(filepath.Join(c.Dir, key+".json"))
	if err != nil {
		return nil, false
	}
	var r Run
	if json.Unmarshal(b, &r) != nil || r.Tests == nil {
		return nil, false
	}
	return &r, true
}

// store saves r under key (a temporary file, then a rename); a cache that
// cannot be written is no error, only slower.
func (c *ResultCache) store(key string, r *Run) {
	b, err := json.Marshal(r)
	if err != nil || os.MkdirAll(c.Dir, 0o777) != nil {
		return
	}
	atomicfile.WriteFile(filepath.Join(c.Dir, key+".json"), b, 0o644) // best effort
}
