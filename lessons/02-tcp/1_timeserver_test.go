package tcp

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

func TestStep1_FormatTime(t *testing.T) {
	readme.Explain(t)
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"the notes' example", time.Date(2019, 5, 16, 15, 32, 7, 123456000, time.UTC), "2019-05-16 15:32:07.123456"},
		{"microsecond 0: no fraction", time.Date(2019, 5, 16, 15, 32, 7, 0, time.UTC), "2019-05-16 15:32:07"},
		{"leading zeros in the fraction", time.Date(2001, 2, 3, 4, 5, 6, 7000, time.UTC), "2001-02-03 04:05:06.000007"},
		{"nanoseconds dropped, not rounded", time.Date(2019, 5, 16, 15, 32, 7, 123456999, time.UTC), "2019-05-16 15:32:07.123456"},
		{"less than a microsecond: no fraction", time.Date(2019, 5, 16, 15, 32, 7, 999, time.UTC), "2019-05-16 15:32:07"},
		{"in its own location", time.Date(2019, 5, 16, 23, 59, 59, 500000000, cst), "2019-05-16 23:59:59.500000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := FormatTime(tc.in)
			require.Equal(t, tc.want, got, "FormatTime(%v)", tc.in)
		})
	}
}

func TestStep1_TimeServer(t *testing.T) {
	readme.Explain(t)
	// Each connection takes the next time from the clock: one with a
	// fraction, one without (Python leaves it out when the microsecond is 0).
	times := []time.Time{
		time.Date(2019, 5, 16, 15, 32, 7, 123456000, time.Local),
		time.Date(2019, 5, 16, 15, 32, 8, 0, time.Local),
	}
	wants := []string{"2019-05-16 15:32:07.123456", "2019-05-16 15:32:08"}
	var mu sync.Mutex
	next := 0
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		tm := times[next%len(times)]
		next++
		return tm
	}
	addr := startTimeServer(t, clock)
	for i, want := range wants {
		c := transcript.Dial(t, addr, []string{"first", "second"}[i])
		c.ExpectBytes(want) // UTF-8 text, no newline,
		c.ExpectEOF()       // then the close
	}
}

// startTimeServer runs ServeTime with clock on a free loopback port until
// the test ends, and checks that it returns nil then.
func startTimeServer(t *testing.T, clock func() time.Time) string {
	t.Helper()
	ln := loopback.Listen(t)
	loopback.Serve(t, "ServeTime", func(ctx context.Context) error { return ServeTime(ctx, ln, clock) }, func() { ln.Close() })
	return ln.Addr().String()
}

func TestStep1_FetchTime(t *testing.T) {
	readme.Explain(t)
	type result struct {
		got string
		err error
	}
	fetch := func(ctx context.Context, ln net.Listener) <-chan result {
		ch := make(chan result, 1)
		go func() {
			got, err := FetchTime(ctx, ln.Addr().String())
			ln.Close() // if FetchTime never dialled, accept fails now, not in 5s
			ch <- result{got, err}
		}()
		return ch
	}
	t.Run("in pieces, until EOF", func(t *testing.T) {
		ln := loopback.Listen(t)
		ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
		defer cancel()
		results := fetch(ctx, ln)
		srv := transcript.Serve(t, accept(t, ln), "time server")
		pieces := []string{"2019-05-16 ", "15:32:07", ".123456"}
		srv.Write(pieces[0])
		// A client that takes one Read for the whole text returns now,
		// with half of it. Give it the time to do so.
		select {
		case r := <-results:
			t.Fatalf("FetchTime returned (%q, %v) after the first piece %q, with the connection still open; want it to read until EOF",
				r.got, r.err, pieces[0])
		case <-time.After(100 * time.Millisecond):
		}
		srv.Write(pieces[1])
		srv.Write(pieces[2])
		srv.Close()
		r := loopback.Wait(t, results, "FetchTime to return after the server closed")
		require.NoError(t, r.err, "FetchTime, server sent %q then closed", pieces)
		require.Equal(t, "2019-05-16 15:32:07.123456", r.got, "FetchTime, server sent %q then closed", pieces)
	})
	t.Run("a server that never closes", func(t *testing.T) {
		ln := loopback.Listen(t)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		results := fetch(ctx, ln)
		srv := transcript.Serve(t, accept(t, ln), "time server")
		srv.Write("2019-05-16 15:32:07") // and then nothing, no close
		r := loopback.Wait(t, results, "FetchTime to give up when its context's deadline passed")
		require.ErrorIs(t, r.err, context.DeadlineExceeded, "FetchTime with a 200ms deadline, server never closes; got %q", r.got)
	})
}

func TestStep1_TimeClientProgramShowsControls(t *testing.T) {
	readme.Explain(t)
	// A hostile time server sends escape sequences: timeclient must show
	// them, not pass them to the terminal (which would obey them).
	hostile := "\x1b[2J\x1b]0;pwned\x072019-05-16 15:32:07 \u009b31m"
	addr := loopback.Fake(t, func(conn net.Conn) { io.WriteString(conn, hostile) })
	var stdout, stderr strings.Builder
	code := TimeClientMain([]string{"-addr", addr, "-timeout", loopback.Timeout.String()}, &stdout, &stderr)
	require.Equal(t, 0, code, "timeclient's exit status; stderr: %s", stderr.String())
	want := `\x1b[2J\x1b]0;pwned\x072019-05-16 15:32:07 \x9b31m` + "\n"
	require.Equal(t, want, stdout.String(), "timeclient's output for the server text %q: control characters shown as \\xNN (that filter is in programs.go), the rest as sent", hostile)
}
