package lineproto

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep3_KVClientProgramShowsControls(t *testing.T) {
	readme.Explain(t)
	// A hostile server answers with escape sequences: kvclient must show
	// them, not pass them to the terminal (which would obey them).
	ln := loopback.Listen(t)
	hostile := "200 \x1b[2J\x1b]0;pwned\x07hi \u202eevil \u009b31m"
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done }) // ln.Close ends an Accept nobody dialled
	go func() {
		defer close(done)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		conn.SetDeadline(loopback.Deadline())
		if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
			return
		}
		io.WriteString(conn, hostile+"\r\n")
	}()
	var stdout, stderr strings.Builder
	code := KVClientMain([]string{"-addr", ln.Addr().String(), "-timeout", loopback.Timeout.String()}, strings.NewReader("GET k\n"), &stdout, &stderr)
	require.Equal(t, 0, code, "kvclient's exit status; stderr: %s", stderr.String())
	want := `200 \x1b[2J\x1b]0;pwned\x07hi \u202eevil \x9b31m` + "\n"
	require.Equal(t, want, stdout.String(), "kvclient's output for the reply %q to GET k: control characters shown as \\xNN (that filter is in programs.go), the rest as sent", hostile)
}
