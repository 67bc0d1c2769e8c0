// Package spinner tells a user that slow work is under way: on a
// terminal a spinner with the time so far, elsewhere (a pipe, a CI log)
// one line.
package spinner

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Start says on w what is under way once it has taken after (at once when
// after is 0): on a terminal (tty) "| what... 3s", redrawn until stop is
// called and then cleared; otherwise the one line "kata: what...". Work
// that ends sooner says nothing. A terminal with TERM=dumb gets the line.
// The returned function stops the spinner and returns once it has stopped
// writing.
func Start(w io.Writer, what string, after time.Duration, tty bool) (stop func()) {
	tty = tty && os.Getenv("TERM") != "dumb"
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		if after > 0 {
			t := time.NewTimer(after)
			defer t.Stop()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
		if !tty {
			fmt.Fprintf(w, "kata: %s...\n", what)
			return
		}
		frames := `|/-\`
		tick := time.NewTicker(150 * time.Millisecond)
		defer tick.Stop()
		start := time.Now()
		for i := 0; ; i++ {
			fmt.Fprintf(w, "\r%c %s... %s", frames[i%len(frames)], what, time.Since(start).Round(time.Second))
			select {
			case <-done:
				fmt.Fprint(w, "\r\x1b[K")
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
