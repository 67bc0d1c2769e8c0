package cli

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServeFailsOnBadAddress(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Serve("demo", "tcp", "127.0.0.1:notaport", &out, &errOut, func(context.Context, net.Listener) error { return nil })
	require.Equal(t, 1, code)
	require.Empty(t, out.String(), "nothing on stdout when listening failed")
	require.True(t, strings.HasPrefix(errOut.String(), "demo: "), "stderr %q", errOut.String())
}

func TestServeReportsServeError(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Serve("demo", "tcp", "127.0.0.1:0", &out, &errOut, func(context.Context, net.Listener) error { return errors.New("boom") })
	require.Equal(t, 1, code)
	require.Regexp(t, `^listening on 127\.0\.0\.1:\d+\n$`, out.String())
	require.Equal(t, "demo: boom\n", errOut.String())
}
