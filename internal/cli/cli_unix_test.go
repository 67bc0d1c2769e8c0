//go:build unix

package cli

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
)

func TestServeHTTPStopsOnSignal(t *testing.T) {
	out := &syncBuffer{}
	var errOut bytes.Buffer
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- ServeHTTP("web", "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "hi")
		}), io.MultiWriter(out, pw), &errOut)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go io.Copy(io.Discard, pr)
	addr := strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: loopback.Timeout}).Get("http://" + addr + "/")
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "hi", string(b))

	require.NoError(t, syscall.Kill(syscall.Getpid(), syscall.SIGTERM))
	require.Equal(t, 0, loopback.Wait(t, done, "ServeHTTP to return after SIGTERM"), "exit status; stderr %q", errOut.String())
}
