package spinner

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// lockedBuffer is a bytes.Buffer the spinner's goroutine and the test can
// share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestStart(t *testing.T) {
	t.Setenv("TERM", "xterm") // a CI log may say dumb
	cases := []struct {
		name  string
		after time.Duration
		tty   bool
		check func(t *testing.T, out string)
	}{
		{"at once, in a log: one line", 0, false, func(t *testing.T, out string) {
			assert.Equal(t, "kata: compiling...\n", out)
		}},
		{"at once, on a terminal: a frame, then cleared", 0, true, func(t *testing.T, out string) {
			assert.True(t, strings.HasPrefix(out, "\r| compiling... 0s"), "got %q, want the first frame first", out)
			assert.True(t, strings.HasSuffix(out, "\r\x1b[K"), "got %q, want the line cleared at the end", out)
		}},
		{"quick work: nothing", time.Hour, false, func(t *testing.T, out string) {
			assert.Empty(t, out)
		}},
		{"quick work on a terminal: nothing", time.Hour, true, func(t *testing.T, out string) {
			assert.Empty(t, out)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out lockedBuffer
			stop := Start(&out, "compiling", c.after, c.tty)
			stop()
			c.check(t, out.String())
		})
	}
}

// TestStartOnADumbTerminal: a terminal that says TERM=dumb (Emacs' shell,
// some editors' consoles) cannot move back along a line or clear it: it
// gets the one line a log gets, never "\r" or an escape sequence.
func TestStartOnADumbTerminal(t *testing.T) {
	t.Setenv("TERM", "dumb")
	var out lockedBuffer
	stop := Start(&out, "compiling", 0, true)
	stop()
	assert.Equal(t, "kata: compiling...\n", out.String())
}
