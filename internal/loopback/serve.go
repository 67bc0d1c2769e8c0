package loopback

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/i18n"
)

// Serving is a server that Serve runs for a test.
type Serving struct {
	died chan struct{}
	mu   sync.Mutex
	err  error
}

// Died is closed if the server returned before the test ended (a stub
// returns at once).
func (s *Serving) Died() <-chan struct{} { return s.died }

// Err is what the server returned, once Died is closed.
func (s *Serving) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Serve runs serve, named name in messages ("ServeEcho"), in a goroutine
// until the test ends. A server runs until its context is cancelled, so:
//
//   - if serve returns while the test still runs, the test fails at once
//     saying so (a stub's ErrTODO shows here, before any client's error),
//     early is called (when not nil: close the listener, so that the
//     test's clients fail at once instead of waiting out a timeout), and
//     Died is closed;
//   - when the test ends, Serve cancels the context and waits up to Timeout
//     for serve to return nil; still running, or an error, fails the test.
func Serve(t testing.TB, name string, serve func(ctx context.Context) error, early func()) *Serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Serving{died: make(chan struct{})}
	returned := make(chan error, 1)
	go func() {
		err := serve(ctx)
		if ctx.Err() == nil {
			t.Errorf("%s", i18n.Tr("loopback.serve.early", name, err))
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			if early != nil {
				early()
			}
			close(s.died)
		}
		returned <- err
	}()
	t.Cleanup(func() {
		cancel()
		timer := time.NewTimer(Timeout)
		defer timer.Stop()
		select {
		case err := <-returned:
			select {
			case <-s.died: // reported when it happened
			default:
				if err != nil {
					t.Errorf("%s", i18n.Tr("loopback.serve.err", name, err))
				}
			}
		case <-timer.C:
			t.Errorf("%s", i18n.Tr("loopback.serve.stuck", name, Timeout))
		}
	})
	return s
}
