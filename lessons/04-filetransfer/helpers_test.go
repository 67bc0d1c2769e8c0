package filetransfer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bulkTimeout bounds a transfer of many megabytes, which under -race on a
// busy machine takes longer than one network event's loopback.Timeout; a
// hang still fails, only later.
var bulkTimeout = 4 * loopback.Timeout

// testContext returns a context cancelled after d (or loopback.Timeout if d
// is 0) or when the test ends.
func testContext(t testing.TB, d time.Duration) context.Context {
	t.Helper()
	if d == 0 {
		d = loopback.Timeout
	}
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// startServer runs serve on a free loopback port until the test ends and
// returns the address. serve is ServeV1 or ServeV2 with its arguments bound.
func startServer(t testing.TB, serve func(ctx context.Context, ln net.Listener) error) string {
	t.Helper()
	return startServerOn(t, loopback.Listen(t), serve)
}

// startServerOn is startServer on a listener of the test's choosing.
func startServerOn(t testing.TB, ln net.Listener, serve func(ctx context.Context, ln net.Listener) error) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		err := serve(ctx, ln)
		ln.Close() // a Serve that gave up early refuses clients at once, not after a timeout
		served <- err
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-served:
			assert.NoError(t, err, "Serve after its context was cancelled")
		case <-time.After(loopback.Timeout):
			t.Errorf("Serve still running %v after its context was cancelled: close the listener and the connections", loopback.Timeout)
		}
	})
	return ln.Addr().String()
}

// startV1 serves the file name with contents data under v1.
func startV1(t testing.TB, name string, data []byte) string {
	t.Helper()
	return startServer(t, func(ctx context.Context, ln net.Listener) error { return ServeV1(ctx, ln, name, data) })
}

// startV2 serves the files in dir under v2.
func startV2(t testing.TB, dir string) string {
	t.Helper()
	return startServer(t, func(ctx context.Context, ln net.Listener) error { return ServeV2(ctx, ln, dir) })
}

// listTree returns every file and directory under root, relative to it,
// sorted ("out/", "out/x.jpg"), so a test can say what was written where.
func listTree(t *testing.T, root string) []string {
	t.Helper()
	var got []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || path == root {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			rel += "/"
		}
		got = append(got, rel)
		return nil
	})
	require.NoError(t, err, "list %s", root)
	sort.Strings(got)
	return got
}

// randomBytes returns n bytes from r.
func randomBytes(r interface{ Uint64() uint64 }, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint64())
	}
	return b
}

// splitReads returns a reader whose every Read returns at most one piece of
// b, in pieces of the given size: TCP delivers bytes in pieces of any size.
func splitReads(b []byte, size int) io.Reader {
	return &pieceReader{b: b, size: size}
}

type pieceReader struct {
	b    []byte
	size int
}

func (r *pieceReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), r.size, len(r.b))
	copy(p, r.b[:n])
	r.b = r.b[n:]
	return n, nil
}

// errTestReader is what failingReader returns after its bytes.
var errTestReader = errors.New("test reader: the connection broke")

// failingReader returns b, then errTestReader.
func failingReader(b []byte) io.Reader {
	return io.MultiReader(splitReads(b, 100), &errReader{errTestReader})
}

type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

// testAcceptBackoff checks that serve (ServeV1 or ServeV2, arguments bound)
// lives through temporary Accept errors (README.md, steps 2 and 4): it
// backs off and accepts again, waits longer after each failure in a row,
// and stops at once when ctx ends during a wait. fetch is a client that
// must succeed once the errors are over.
func testAcceptBackoff(t *testing.T, name string, serve func(ctx context.Context, ln net.Listener) error, fetch func(addr string) error) {
	t.Run("accepts again after EMFILE", func(t *testing.T) {
		ln := loopback.Flaky(loopback.Listen(t), 3)
		addr := startServerOn(t, ln, serve)
		err := fetch(addr)
		require.NoError(t, err, "a client of %s whose first 3 Accepts failed with EMFILE (too many open files, %d failed): a temporary error; wait and accept again, as net/http does", name, ln.Failed())
		require.Equal(t, 3, ln.Failed(), "Accepts that failed before the client was served")
	})

	t.Run("waits longer after each failure and stops at once", func(t *testing.T) {
		ln := loopback.Flaky(loopback.Listen(t), 1<<30)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		served := make(chan error, 1)
		start := time.Now()
		go func() { served <- serve(ctx, ln) }()
		// 5+10+20+40+80+160ms of waits come before the 7th failure; the
		// 7th wait is 320ms.
		for ln.Failed() < 7 {
			select {
			case err := <-served:
				t.Fatalf("%s returned %v after %d Accepts failed with EMFILE: a temporary error; wait and accept again", name, err, ln.Failed())
			case <-time.After(time.Millisecond):
			}
			if time.Since(start) > loopback.Timeout {
				t.Fatalf("%s: only %d Accepts in %v: after a failure, wait 5ms, twice as long after each further one, at most 1s", name, ln.Failed(), loopback.Timeout)
			}
		}
		if took := time.Since(start); took < 300*time.Millisecond {
			t.Fatalf("%s tried Accept 7 times in %v: it must wait between tries (5ms, then 10, 20, 40...: 315ms before the 7th), or a process out of file descriptors spins at full CPU", name, took)
		}
		cancel()
		cancelled := time.Now()
		err := loopback.Wait(t, served, name+" to return after its context was cancelled")
		require.NoError(t, err, "%s cancelled while it waited to accept again", name)
		if took := time.Since(cancelled); took > 150*time.Millisecond {
			t.Fatalf("%s returned %v after its context was cancelled, in the middle of a 320ms wait to accept again: the wait must end when ctx does (select on ctx.Done())", name, took)
		}
	})
}

// testFetchCancel runs fetch against a server that accepts, reads the
// request line if before is true (v2), sends first, and then stalls; the
// test cancels ctx once the server is stalling. fetch must return at once
// with an error wrapping context.Canceled, and leave no file but the ones
// in left.
func testFetchCancel(t *testing.T, name string, request bool, first []byte, fetch func(ctx context.Context, addr, dir string) error, left []string) {
	t.Helper()
	stalling := make(chan struct{}, 1)
	release := make(chan struct{})
	addr := loopback.Fake(t, func(conn net.Conn) {
		if request {
			if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
				return
			}
		}
		conn.Write(first)
		stalling <- struct{}{}
		<-release // the server goes silent, the connection stays open
	})
	t.Cleanup(func() { close(release) }) // runs before loopback.Fake's cleanup, which waits for this handler
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- fetch(ctx, addr, dir) }()
	select {
	case <-stalling:
	case err := <-errc:
		t.Fatalf("%s returned %v before the server went silent", name, err)
	case <-time.After(loopback.Timeout):
		t.Fatalf("%s: the server got no connection within %v", name, loopback.Timeout)
	}
	if !request {
		// v1's client sends nothing, so nothing tells that its dial has
		// returned and it is reading: give it that time, or the cancel
		// may only stop the dial (which passes, but proves nothing).
		time.Sleep(100 * time.Millisecond)
	}
	// Bytes sent: wait until they are on disk (the files in left are not
	// empty), so the cancel comes in the middle of the transfer.
	for deadline := time.Now().Add(loopback.Timeout); len(first) > 0 && len(left) > 0; {
		got := 0
		for _, f := range left {
			if fi, err := os.Stat(filepath.Join(dir, f)); err == nil && fi.Size() > 0 {
				got++
			}
		}
		if got == len(left) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v after the server sent %q, %q not written yet", name, loopback.Timeout, first, left)
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	start := time.Now()
	err := loopback.Wait(t, errc, name+" to return after its context was cancelled, with the server silent")
	require.ErrorIs(t, err, context.Canceled, "%s cancelled while the server, after sending %q, says nothing", name, first)
	if took := time.Since(start); took > time.Second {
		t.Fatalf("%s took %v to return after its context was cancelled: it must stop at once (close the connection or set a past deadline with context.AfterFunc)", name, took)
	}
	require.Equal(t, left, listTree(t, dir), "files after %s was cancelled", name)
}

// readTestdata returns testdata/guido.jpg (301 random bytes) and
// testdata/python-dumps.json, the document the notes' Python server sends
// for it under the name "吉多.jpg".
func readTestdata(t *testing.T) (data, doc []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "guido.jpg"))
	require.NoError(t, err)
	doc, err = os.ReadFile(filepath.Join("testdata", "python-dumps.json"))
	require.NoError(t, err)
	return data, doc
}

// pythonDump returns the document Python's json.dumps would write for name
// and the base64 text filedata (which may be anything, even invalid),
// without going through WriteV1.
func pythonDump(t *testing.T, name, filedata string) []byte {
	t.Helper()
	n, err := json.Marshal(name)
	require.NoError(t, err)
	d, err := json.Marshal(filedata)
	require.NoError(t, err)
	return []byte(`{"filename": ` + string(n) + `, "filedata": ` + string(d) + `}`)
}

// serveDoc plays a v1 server that sends doc to every client, then closes.
func serveDoc(t *testing.T, doc []byte) string {
	t.Helper()
	return loopback.Fake(t, func(conn net.Conn) {
		io.Copy(conn, bytes.NewReader(doc))
	})
}

// helloSum is the SHA-256 of "hello\n".
const helloSum = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"

// fakeV2 plays a v2 server that reads the request line, sends reply, and
// closes. The request lines it got come out of the returned channel.
func fakeV2(t *testing.T, reply func(req string) []byte) (string, <-chan string) {
	t.Helper()
	reqs := make(chan string, 10)
	addr := loopback.Fake(t, func(conn net.Conn) {
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\n")
		reqs <- line
		conn.Write(reply(line))
	})
	return addr, reqs
}

// v2Reply returns the header for name, size and the SHA-256 of whole, then
// body.
func v2Reply(name string, size int64, whole, body []byte) []byte {
	h := Header{Name: name, Size: size, SHA256: sha256.Sum256(whole)}
	return append([]byte(h.String()+"\n"), body...)
}
