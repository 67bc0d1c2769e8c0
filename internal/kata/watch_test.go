package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"github.com/stretchr/testify/require"
)

// screen is an io.Writer that tests can wait on.
type screen struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	more chan struct{}
}

func newScreen() *screen { return &screen{more: make(chan struct{}, 1)} }

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.more <- struct{}{}:
	default:
	}
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the text written since mark contains want, and
// returns the new mark.
func (s *screen) waitFor(t *testing.T, mark int, want string) int {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		if i := strings.Index(s.String()[mark:], want); i >= 0 {
			return mark + i + len(want)
		}
		select {
		case <-s.more:
		case <-deadline:
			t.Fatalf("waited 60s for %q on the screen; it shows:\n%s", want, s.String()[mark:])
		}
	}
}

// unpackScript unpacks the workbook of a testscript scenario into a temp dir.
func unpackScript(t *testing.T, script string) string {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "testscripts", "kata", script))
	require.NoError(t, err)
	dir := t.TempDir()
	for _, f := range a.Files {
		p := filepath.Join(dir, f.Name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o777))
		require.NoError(t, os.WriteFile(p, f.Data, 0o666))
	}
	return dir
}

// TestWatch saves files the way a student does and measures the time from
// the save to the next failure on the screen.
func TestWatch(t *testing.T) {
	for _, mode := range []string{"events", "poll"} {
		t.Run(mode, func(t *testing.T) {
			dir := unpackScript(t, "progress.txtar")
			scr := newScreen()
			e := &env{stdout: scr, stderr: scr, dir: dir}
			args := []string{"-debounce", "50ms"}
			if mode == "poll" {
				args = append(args, "-poll", "-interval", "100ms")
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- runWatch(ctx, e, args) }()
			defer func() {
				cancel()
				select {
				case err := <-done:
					require.NoError(t, err, "Ctrl-C ends watch cleanly")
				case <-time.After(30 * time.Second):
					t.Fatal("watch did not stop within 30s of Ctrl-C")
				}
			}()

			mark := scr.waitFor(t, 0, "next:  TestStep1_Hello")
			if mode == "poll" {
				scr.waitFor(t, 0, "polling every 100ms")
			}
			save := func(name string) time.Time {
				b, err := os.ReadFile(filepath.Join(dir, "solutions", name))
				require.NoError(t, err)
				start := time.Now()
				require.NoError(t, os.WriteFile(filepath.Join(dir, "lessons", name), b, 0o666))
				return start
			}
			start := save("01-demo/hello.go")
			mark = scr.waitFor(t, mark, "next:  TestStep2_Add")
			t.Logf("%s: save to the next failure on screen: %s", mode, time.Since(start).Round(time.Millisecond))

			save("01-demo/add.go")
			mark = scr.waitFor(t, mark, "lessons/01-demo is done: on to lessons/02-echo")
			scr.waitFor(t, mark, "next:  TestStep1_Echo")
		})
	}
}
