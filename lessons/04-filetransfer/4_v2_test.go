package filetransfer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

func TestStep4_ParseHeader(t *testing.T) {
	readme.Explain(t)
	good := []struct {
		line string
		want Header
	}{
		{"OK 6 " + helloSum + " hello.txt", Header{Name: "hello.txt", Size: 6, SHA256: sha256.Sum256([]byte("hello\n"))}},
		{"OK 0 " + strings.Repeat("0", 64) + " with space.txt", Header{Name: "with space.txt"}},
		{"OK 9223372036854775807 " + strings.Repeat("f", 64) + " 吉多.jpg", Header{Name: "吉多.jpg", Size: 1<<63 - 1, SHA256: [32]byte(bytes.Repeat([]byte{0xff}, 32))}},
		// The longest line allowed: MaxHeader bytes with its "\n".
		{"OK 6 " + helloSum + " " + strings.Repeat("n", MaxHeader-1-len("OK 6 "+helloSum+" ")), Header{Name: strings.Repeat("n", MaxHeader-1-len("OK 6 "+helloSum+" ")), Size: 6, SHA256: sha256.Sum256([]byte("hello\n"))}},
	}
	for _, tc := range good {
		got, err := ParseHeader(tc.line)
		require.NoError(t, err, "ParseHeader(%q)", tc.line)
		require.Equal(t, tc.want, got, "ParseHeader(%q)", tc.line)
		require.Equal(t, tc.line, got.String(), "ParseHeader(%q).String()", tc.line)
	}

	var remote *RemoteError
	_, err := ParseHeader("ERR no such file")
	require.ErrorAs(t, err, &remote, "ParseHeader(%q)", "ERR no such file")
	require.Equal(t, "no such file", remote.Text, "ParseHeader(%q): the server's text", "ERR no such file")

	bad := []string{
		"",
		"OK",
		"OK 6",
		"OK 6 " + helloSum,
		"OK 6 " + helloSum + " ",
		"ok 6 " + helloSum + " hello.txt",
		"OK  6 " + helloSum + " hello.txt",
		"OK +6 " + helloSum + " hello.txt",
		"OK -6 " + helloSum + " hello.txt",
		"OK 06 " + helloSum + " hello.txt",
		"OK 0x6 " + helloSum + " hello.txt",
		"OK 9223372036854775808 " + helloSum + " hello.txt",
		"OK 6 " + strings.ToUpper(helloSum) + " hello.txt",
		"OK 6 " + helloSum[:63] + " hello.txt",
		"OK 6 " + helloSum + "0 hello.txt",
		"OK 6 " + helloSum[:63] + "g hello.txt",
		"OK 6 " + helloSum + " hello.txt\r",
		"OK 6 " + helloSum + " hel\nlo.txt",
		"OK 6 " + helloSum + " " + strings.Repeat("x", MaxHeader),
		"OK 6 " + helloSum + " " + strings.Repeat("x", MaxHeader-len("OK 6 "+helloSum+" ")), // one byte too long
	}
	for _, line := range bad {
		got, err := ParseHeader(line)
		require.ErrorIs(t, err, ErrBadHeader, "ParseHeader(%q) = %+v, %v; want ErrBadHeader", line, got, err)
	}
}

// FuzzStep4_ParseHeader checks that ParseHeader never panics and accepts
// only the lines Header.String writes. Run it longer with:
// go test -run '^$' -fuzz FuzzStep4_ParseHeader -fuzztime 60s ./lessons/04-filetransfer/
func FuzzStep4_ParseHeader(f *testing.F) {
	readme.Explain(f)
	f.Add("OK 6 " + helloSum + " hello.txt")
	f.Add("OK 0 " + helloSum + " a b")
	f.Add("OK 06 " + helloSum + " hello.txt")
	f.Add("ERR no such file")
	f.Add("OK 1 x y")
	f.Fuzz(func(t *testing.T, line string) {
		h, err := ParseHeader(line)
		if err != nil {
			var remote *RemoteError
			if !strings.HasPrefix(line, "ERR ") || !errors.As(err, &remote) {
				require.ErrorIs(t, err, ErrBadHeader, "ParseHeader(%q)", line)
			}
			return
		}
		require.Equal(t, line, h.String(), "ParseHeader(%q).String(): ParseHeader accepted a line String would not write", line)
		again, err := ParseHeader(h.String())
		require.NoError(t, err, "ParseHeader(%q)", h.String())
		require.Equal(t, h, again, "ParseHeader(%q)", h.String())
	})
}

func TestStep4_ServeV2(t *testing.T) {
	readme.Explain(t)
	root := t.TempDir()
	dir := filepath.Join(root, "files")
	require.NoError(t, os.Mkdir(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "empty"), nil, 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "secret"), []byte("secret\n"), 0o644))
	addr := startV2(t, dir)

	c := transcript.Dial(t, addr, "client")
	c.Send("GET 0 hello.txt")
	c.Expect("OK 6 " + helloSum + " hello.txt")
	c.ExpectBytes("hello\n")
	c.ExpectEOF()

	c = transcript.Dial(t, addr, "client")
	c.Send("GET 0 empty")
	c.Expect("OK 0 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 empty")
	c.ExpectEOF()

	for _, req := range []string{"GET 0 missing.txt", "GET 0 ../secret", "GET 0 sub", "GET 0 " + filepath.Join(root, "secret"), "PUT 0 hello.txt", "GET hello.txt", "GET -1 hello.txt"} {
		c := transcript.Dial(t, addr, "client")
		c.Send(req)
		line := c.ReadLine()
		require.True(t, strings.HasPrefix(line, "ERR "), "ServeV2 answered %q with %q; want \"ERR <text>\"", req, line)
		c.ExpectEOF()
	}
}

func TestStep4_FetchV2(t *testing.T) {
	readme.Explain(t)
	src := t.TempDir()
	r := seed.Rand(t)
	files := map[string][]byte{
		"big.bin":   randomBytes(r, 3<<20+17),
		"吉多.jpg":    randomBytes(r, 301),
		"empty":     nil,
		"two words": []byte("hello\n"),
	}
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(src, name), data, 0o644))
	}
	addr := startV2(t, src)
	out := t.TempDir()
	c := &Client{Dir: out}
	for name, data := range files {
		path, err := c.FetchV2(testContext(t, 0), addr, name)
		require.NoError(t, err, "FetchV2(%q) from ServeV2", name)
		require.Equal(t, filepath.Join(out, name), path, "FetchV2(%q): the path", name)
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, got), "FetchV2(%q) saved %d bytes that differ from the %d served", name, len(got), len(data))
	}
	require.Equal(t, []string{"big.bin", "empty", "two words", "吉多.jpg"}, listTree(t, out), "files after FetchV2: no NAME.part left")

	var remote *RemoteError
	_, err := c.FetchV2(testContext(t, 0), addr, "missing")
	require.ErrorAs(t, err, &remote, "FetchV2(\"missing\"): want the server's ERR as a *RemoteError")

	// An ERR text holding escape sequences: the error keeps the text, and
	// prints it quoted.
	hostile := "no such file\x1b[2J\x1b]0;pwned\x07"
	evil, _ := fakeV2(t, func(string) []byte { return []byte("ERR " + hostile + "\n") })
	_, err = c.FetchV2(testContext(t, 0), evil, "f.txt")
	require.ErrorAs(t, err, &remote, "FetchV2 from a server answering ERR %q", hostile)
	require.Equal(t, hostile, remote.Text, "the RemoteError's Text: the server's text as it came")
	require.NotContains(t, err.Error(), "\x1b", "FetchV2's error text %q: control characters from the server must not reach a terminal raw", err.Error())
	_, err = c.FetchV2(testContext(t, 0), addr, "../escaped")
	require.ErrorIs(t, err, ErrUnsafeName, "FetchV2(\"../escaped\")")

	// The longest header line allowed, MaxHeader bytes with its "\n", here an ERR.
	long := strings.Repeat("x", MaxHeader-len("ERR \n"))
	evil, _ = fakeV2(t, func(string) []byte { return []byte("ERR " + long + "\n") })
	_, err = c.FetchV2(testContext(t, 0), evil, "f.txt")
	require.ErrorAs(t, err, &remote, "FetchV2 from a server answering an ERR line of exactly MaxHeader (%d) bytes with its \"\\n\"", MaxHeader)
	require.Equal(t, long, remote.Text, "the RemoteError's Text")
}

func TestStep4_FetchV2Cap(t *testing.T) {
	readme.Explain(t)
	src := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "six"), []byte("hello\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(src, "seven"), []byte("hello!\n"), 0o644))
	addr := startV2(t, src)
	c := &Client{Dir: t.TempDir(), Max: 6}
	_, err := c.FetchV2(testContext(t, 0), addr, "six")
	require.NoError(t, err, "FetchV2 of a 6-byte file with Max 6: a file as big as the cap is allowed")
	_, err = c.FetchV2(testContext(t, 0), addr, "seven")
	require.ErrorIs(t, err, ErrTooLarge, "FetchV2 of a 7-byte file with Max 6")
}

func TestStep4_ServeV2SeesAChangedFile(t *testing.T) {
	readme.Explain(t)
	// A file rewritten with another size within the same clock tick keeps
	// its modification time: a cached hash must not outlive the old size.
	src, out := t.TempDir(), t.TempDir()
	path := filepath.Join(src, "f.txt")
	require.NoError(t, os.WriteFile(path, []byte("hello\n"), 0o644))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	addr := startV2(t, src)
	c := &Client{Dir: out}
	got, err := c.FetchV2(testContext(t, 0), addr, "f.txt")
	require.NoError(t, err, "FetchV2(\"f.txt\")")
	require.NoError(t, os.Remove(got))
	require.NoError(t, os.WriteFile(path, []byte("hello, world\n"), 0o644))
	require.NoError(t, os.Chtimes(path, fi.ModTime(), fi.ModTime()))
	got, err = c.FetchV2(testContext(t, 0), addr, "f.txt")
	require.NoError(t, err, "FetchV2(\"f.txt\") after f.txt was rewritten with another size (same modification time): the header's hash must be the new file's")
	b, err := os.ReadFile(got)
	require.NoError(t, err)
	require.Equal(t, "hello, world\n", string(b), "f.txt after it changed")
}

func TestStep4_ServeV2SurvivesAcceptErrors(t *testing.T) {
	readme.Explain(t)
	src := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "a.txt"), []byte("still serving\n"), 0o644))
	testAcceptBackoff(t, "ServeV2",
		func(ctx context.Context, ln net.Listener) error { return ServeV2(ctx, ln, src) },
		func(addr string) error {
			_, err := (&Client{Dir: t.TempDir()}).FetchV2(testContext(t, 0), addr, "a.txt")
			return err
		})
}

func TestStep4_FetchV2Mismatch(t *testing.T) {
	readme.Explain(t)
	data := []byte("the whole file\n")
	n := int64(len(data))
	tests := []struct {
		name  string
		reply []byte
		want  error
		left  []string // files left in the output directory
	}{
		{"wrong hash", v2Reply("f.txt", n, []byte("something else"), data), ErrHashMismatch, nil},
		{"one byte changed", v2Reply("f.txt", n, data, append([]byte("T"), data[1:]...)), ErrHashMismatch, nil},
		{"more bytes than announced", v2Reply("f.txt", n, data, append(data, "and more"...)), ErrSizeMismatch, nil},
		{"announced size too small", v2Reply("f.txt", n-1, data[:n-1], data), ErrSizeMismatch, nil},
		{"cut short", v2Reply("f.txt", n, data, data[:5]), ErrIncomplete, []string{"f.txt.part"}},
		{"header only", v2Reply("f.txt", n, data, nil), ErrIncomplete, []string{"f.txt.part"}},
		{"over the cap", v2Reply("f.txt", 1<<40, data, data), ErrTooLarge, nil},
		{"another name", v2Reply("other.txt", n, data, data), ErrBadHeader, nil},
		{"bad header", []byte("OK fifteen\n"), ErrBadHeader, nil},
		{"no header line", []byte("OK 15"), io.ErrUnexpectedEOF, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr, _ := fakeV2(t, func(string) []byte { return tc.reply })
			out := t.TempDir()
			c := &Client{Dir: out}
			path, err := c.FetchV2(testContext(t, 0), addr, "f.txt")
			require.ErrorIs(t, err, tc.want, "FetchV2(\"f.txt\") from a server answering %q = %q, %v", tc.reply, path, err)
			require.Equal(t, tc.left, listTree(t, out), "files after FetchV2 failed on a server answering %q", tc.reply)
		})
	}
}

func TestStep4_FetchV2StopsOnCancel(t *testing.T) {
	readme.Explain(t)
	fetch := func(ctx context.Context, addr, dir string) error {
		_, err := (&Client{Dir: dir}).FetchV2(ctx, addr, "f.txt")
		return err
	}
	data := []byte("the whole file\n")
	t.Run("before the header", func(t *testing.T) {
		testFetchCancel(t, "FetchV2", true, nil, fetch, nil)
	})
	t.Run("in the middle of the bytes", func(t *testing.T) {
		testFetchCancel(t, "FetchV2", true, v2Reply("f.txt", int64(len(data)), data, data[:4]), fetch, []string{"f.txt.part"})
	})
}

func TestStep4_FetchV2MemoryFlat(t *testing.T) {
	readme.Explain(t)
	// 64 MiB generated on the fly: a 1 MiB random block, repeated.
	const size = 64 << 20
	block := randomBytes(seed.Rand(t), 1<<20)
	sum := sha256.New()
	for range size / len(block) {
		sum.Write(block)
	}
	h := Header{Name: "big.bin", Size: size, SHA256: [32]byte(sum.Sum(nil))}
	addr := loopback.Fake(t, func(conn net.Conn) {
		if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
			return
		}
		conn.SetDeadline(time.Now().Add(bulkTimeout)) // 64 MiB: more than one event's Timeout
		io.WriteString(conn, h.String()+"\n")
		for range size / len(block) {
			if _, err := conn.Write(block); err != nil {
				return
			}
		}
	})

	out := t.TempDir()
	c := &Client{Dir: out}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.FetchV2(testContext(t, bulkTimeout), addr, "big.bin")
	runtime.ReadMemStats(&after)
	require.NoError(t, err, "FetchV2 of a 64 MiB file")
	fi, err := os.Stat(filepath.Join(out, "big.bin"))
	require.NoError(t, err)
	require.EqualValues(t, size, fi.Size(), "size of the saved file")
	allocated := after.TotalAlloc - before.TotalAlloc
	require.Less(t, allocated, uint64(8<<20),
		"FetchV2 of a 64 MiB file allocated %d bytes (%.1f MiB); want well under 8 MiB: stream it through a fixed buffer, do not hold it", allocated, float64(allocated)/(1<<20))
	t.Logf("FetchV2 of %d MiB allocated %.1f KiB", size>>20, float64(allocated)/1024)
}
