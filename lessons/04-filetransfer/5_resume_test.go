package filetransfer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

func TestStep5_ServeV2FromOffset(t *testing.T) {
	readme.Explain(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello\n"), 0o644))
	addr := startV2(t, dir)

	for _, tc := range []struct{ offset, rest string }{{"3", "lo\n"}, {"5", "\n"}, {"6", ""}} {
		c := transcript.Dial(t, addr, "client")
		c.Send("GET " + tc.offset + " hello.txt")
		c.Expect("OK 6 " + helloSum + " hello.txt") // the header describes the whole file
		if tc.rest != "" {
			c.ExpectBytes(tc.rest)
		}
		c.ExpectEOF()
	}
	c := transcript.Dial(t, addr, "client")
	c.Send("GET 7 hello.txt")
	line := c.ReadLine()
	require.Regexp(t, "^ERR ", line, "ServeV2 answered \"GET 7 hello.txt\" for a 6-byte file with %q; want \"ERR <text>\"", line)
	c.ExpectEOF()
}

func TestStep5_ResumeAfterCut(t *testing.T) {
	readme.Explain(t)
	data := randomBytes(seed.Rand(t), 1<<20+3)
	half := int64(len(data) / 2)
	size := int64(len(data))
	first := true
	addr, reqs := fakeV2(t, func(req string) []byte {
		if first { // the connection breaks after half the file
			first = false
			return v2Reply("big.bin", size, data, data[:half])
		}
		var offset int64
		var name string
		if _, err := fmt.Sscanf(req, "GET %d %s", &offset, &name); err != nil || offset > size {
			return []byte("ERR bad request\n")
		}
		return v2Reply("big.bin", size, data, data[offset:])
	})
	out := t.TempDir()
	c := &Client{Dir: out, Resume: true}

	_, err := c.FetchV2(testContext(t, 0), addr, "big.bin")
	require.ErrorIs(t, err, ErrIncomplete, "FetchV2 from a server that sends %d of %d bytes, then closes", half, size)
	require.NotContains(t, err.Error(), "%!", "FetchV2's error after the cut, %q: a formatting mistake (a nil error given to %%w?)", err)
	require.Regexp(t, fmt.Sprintf(`(^|[^-0-9])%d([^0-9]|$)`, half), err.Error(), "FetchV2's error after the cut: want it to say how many bytes big.bin.part holds (%d)", half)
	require.Equal(t, "GET 0 big.bin", loopback.Wait(t, reqs, "the first request"), "the first request, with no big.bin.part yet")
	require.Equal(t, []string{"big.bin.part"}, listTree(t, out), "files after the cut: want only what resume needs")
	part, err := os.ReadFile(filepath.Join(out, "big.bin.part"))
	require.NoError(t, err)
	require.True(t, bytes.Equal(data[:half], part), "big.bin.part after the cut: %d bytes, want the %d that arrived", len(part), half)

	path, err := c.FetchV2(testContext(t, 0), addr, "big.bin")
	require.NoError(t, err, "FetchV2 with Resume after the cut")
	require.Equal(t, fmt.Sprintf("GET %d big.bin", half), loopback.Wait(t, reqs, "the second request"), "the request resuming big.bin.part of %d bytes", half)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.Equal(data, got), "big.bin after resuming: %d bytes that differ from the %d served", len(got), len(data))
	require.Equal(t, []string{"big.bin"}, listTree(t, out), "files after resuming")
}

func TestStep5_ResumeFromServeV2(t *testing.T) {
	readme.Explain(t)
	data := randomBytes(seed.Rand(t), 2<<20+5)
	src, out := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "big.bin"), data, 0o644))
	addr := startV2(t, src)
	for _, k := range []int{1, 1 << 20, len(data) - 1, len(data)} {
		require.NoError(t, os.WriteFile(filepath.Join(out, "big.bin.part"), data[:k], 0o644))
		c := &Client{Dir: out, Resume: true}
		path, err := c.FetchV2(testContext(t, 0), addr, "big.bin")
		require.NoError(t, err, "FetchV2 with Resume and a big.bin.part holding the first %d of %d bytes", k, len(data))
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		require.True(t, bytes.Equal(data, got), "big.bin resumed from %d bytes: %d bytes that differ from the %d served", k, len(got), len(data))
		require.Equal(t, []string{"big.bin"}, listTree(t, out), "files after resuming from %d bytes", k)
		require.NoError(t, os.Remove(path))
	}
}

func TestStep5_ResumeChecksTheWholeFile(t *testing.T) {
	readme.Explain(t)
	data := randomBytes(seed.Rand(t), 100_000)
	src, out := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(src, "big.bin"), data, 0o644))
	addr := startV2(t, src)

	// A part from some other file: the hash over the whole result is wrong,
	// and the part goes, so the next try starts over.
	wrong := bytes.Repeat([]byte{0xee}, 40_000)
	part := filepath.Join(out, "big.bin.part")
	require.NoError(t, os.WriteFile(part, wrong, 0o644))
	c := &Client{Dir: out, Resume: true}
	_, err := c.FetchV2(testContext(t, 0), addr, "big.bin")
	require.ErrorIs(t, err, ErrHashMismatch, "FetchV2 with Resume and a big.bin.part that is not the start of big.bin")
	require.Empty(t, listTree(t, out), "files after the hash mismatch: the part must go")
	path, err := c.FetchV2(testContext(t, 0), addr, "big.bin")
	require.NoError(t, err, "FetchV2 with Resume after the bad part was removed")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.Equal(data, got), "big.bin after starting over")

	// Without Resume, a part is ignored and overwritten from the start.
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.WriteFile(part, wrong, 0o644))
	c.Resume = false
	path, err = c.FetchV2(testContext(t, 0), addr, "big.bin")
	require.NoError(t, err, "FetchV2 without Resume, a stale big.bin.part on disk")
	got, err = os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.Equal(data, got), "big.bin fetched without Resume over a stale part")
	require.Equal(t, []string{"big.bin"}, listTree(t, out))
}
