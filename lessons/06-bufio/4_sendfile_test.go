package lineproto

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
)

func TestStep4_SendFile(t *testing.T) {
	readme.Explain(t)
	data := randomBytes(t, 3<<20+17)
	f := tempFile(t, data)
	_, err := f.Seek(1000, io.SeekStart) // SendFile sends from the current offset
	require.NoError(t, err)
	got, n, err := sendOverLoopback(t, func(w io.Writer) (int64, error) { return SendFile(w, f) })
	require.NoError(t, err, "SendFile of a %d-byte file from offset 1000", len(data))
	require.Equal(t, int64(len(data)-1000), n, "SendFile's count of bytes sent from offset 1000 of %d", len(data))
	require.True(t, bytes.Equal(data[1000:], got), "SendFile from offset 1000: %d bytes arrived, want %d, the file's bytes from offset 1000", len(got), len(data)-1000)
}

func TestStep4_SendFileLoop(t *testing.T) {
	readme.Explain(t)
	data := randomBytes(t, 100<<10+3)
	for _, size := range []int{1, 512, 4096} {
		f := tempFile(t, data)
		rec := &recorder{}
		n, err := SendFileLoop(rec, f, size)
		require.NoError(t, err, "SendFileLoop(%d)", size)
		require.Equal(t, int64(len(data)), n, "SendFileLoop(%d) count", size)
		var got []byte
		for i, w := range rec.writes {
			require.LessOrEqual(t, len(w), size, "SendFileLoop(%d): Write %d has %d bytes, more than the buffer", size, i, len(w))
			got = append(got, w...)
		}
		require.True(t, bytes.Equal(data, got), "SendFileLoop(%d): %d bytes written, want the file's %d", size, len(got), len(data))
	}
	_, err := SendFileLoop(io.Discard, tempFile(t, data), 0)
	require.Error(t, err, "SendFileLoop with a buffer of 0 bytes")
	require.NotErrorIs(t, err, ErrTODO, "SendFileLoop with a buffer of 0 bytes")
}

func BenchmarkSendfile(b *testing.B) {
	data := randomBytes(b, 16<<20)
	for _, bc := range []struct {
		name string
		send func(io.Writer, *os.File) (int64, error)
	}{
		{"io.Copy", SendFile},
		{"loop-512B", func(w io.Writer, f *os.File) (int64, error) { return SendFileLoop(w, f, 512) }},
		{"loop-32KiB", func(w io.Writer, f *os.File) (int64, error) { return SendFileLoop(w, f, 32<<10) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			f := tempFile(b, data)
			ln := loopback.Listen(b)
			drained := make(chan error, 1)
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					drained <- err
					return
				}
				defer conn.Close()
				_, err = io.Copy(io.Discard, conn)
				drained <- err
			}()
			conn := loopback.Dial(b, ln.Addr().String())
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					b.Fatal(err)
				}
				if _, err := bc.send(conn, f); err != nil {
					b.Fatal(err)
				}
			}
			conn.Close()
			require.NoError(b, loopback.Wait(b, drained, "the receiver to drain"))
		})
	}
}

// sendOverLoopback runs send on the client end of a loopback connection and
// returns what the server end received, with send's results.
func sendOverLoopback(t *testing.T, send func(io.Writer) (int64, error)) ([]byte, int64, error) {
	t.Helper()
	ln := loopback.Listen(t)
	type result struct {
		data []byte
		err  error
	}
	received := make(chan result, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			received <- result{nil, err}
			return
		}
		defer conn.Close()
		conn.SetDeadline(loopback.Deadline())
		data, err := io.ReadAll(conn)
		received <- result{data, err}
	}()
	conn := loopback.Dial(t, ln.Addr().String())
	require.NoError(t, conn.SetDeadline(loopback.Deadline()))
	n, err := send(conn)
	conn.Close()
	r := loopback.Wait(t, received, "the receiver to read until the sender closed")
	require.NoError(t, r.err, "receive")
	return r.data, n, err
}

func randomBytes(t testing.TB, n int) []byte {
	t.Helper()
	rng := seed.Rand(t)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// tempFile writes data to a new file in the test's temporary directory and
// returns it open for reading, closed when the test ends.
func tempFile(t testing.TB, data []byte) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}
