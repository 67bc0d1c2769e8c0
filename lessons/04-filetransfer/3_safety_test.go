package filetransfer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

// unsafeNames are names a hostile server could send. "ROOT" stands for the
// directory that holds the client's output directory: a client that writes
// there has been tricked.
var unsafeNames = []struct{ why, name string }{
	{"parent directory", "../escaped"},
	{"parent of a subdirectory", "a/../../escaped"},
	{"absolute path", "ROOT/escaped"},
	{"absolute path outside", "/etc/escaped"},
	{"subdirectory", "a/escaped"},
	{"empty", ""},
	{"dot", "."},
	{"dot dot", ".."},
	{"trailing slash", "escaped/"},
	{"NUL byte", "escaped\x00.jpg"},
	{"newline", "esc\naped"},
	{"Windows parent", `..\escaped`},
	{"Windows separator", `a\escaped`},
	{"Windows drive letter", `C:\escaped`},
	{"Windows drive-relative", "C:escaped"},
	{"DEL", "esc\x7faped"},
	{"C1 control (CSI, U+009B)", "esc\u009b2Japed"},
	{"over-long", strings.Repeat("x", MaxName+1)},
	{"over-long in bytes, not in characters", strings.Repeat("吉", MaxName/3+1)}, // 67 characters, 201 bytes
	{"invalid UTF-8", "esc\xffaped"},
}

// safeNames are ordinary names that must keep working.
var safeNames = []string{"guido.jpg", "吉多.jpg", ".hidden", "a..b", "..x", "x..", "with space.txt", strings.Repeat("x", MaxName),
	strings.Repeat("吉", MaxName/3) + "xx", "é~¡ü.txt"} // 200 bytes in 68 characters; printable beyond ASCII

func TestStep3_SafePath(t *testing.T) {
	readme.Explain(t)
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	for _, tc := range unsafeNames {
		name := strings.ReplaceAll(tc.name, "ROOT", root)
		got, err := SafePath(dir, name)
		require.ErrorIs(t, err, ErrUnsafeName, "SafePath(%q, %q) (%s) = %q, %v; want ErrUnsafeName", dir, name, tc.why, got, err)
	}
	for _, name := range safeNames {
		got, err := SafePath(dir, name)
		require.NoError(t, err, "SafePath(%q, %q)", dir, name)
		require.Equal(t, filepath.Join(dir, name), got, "SafePath(%q, %q)", dir, name)
	}
}

func TestStep3_FetchV1RefusesTraversal(t *testing.T) {
	readme.Explain(t)
	for _, tc := range unsafeNames {
		if !utf8.ValidString(tc.name) {
			continue // JSON cannot carry it: a JSON decoder turns it into U+FFFD
		}
		t.Run(tc.why, func(t *testing.T) {
			root := t.TempDir()
			dir := filepath.Join(root, "out")
			require.NoError(t, os.Mkdir(dir, 0o755))
			require.NoError(t, os.Mkdir(filepath.Join(dir, "a"), 0o755)) // so "a/../../x" could resolve
			name := strings.ReplaceAll(tc.name, "ROOT", root)
			addr := serveDoc(t, pythonDump(t, name, "aGk="))

			c := &Client{Dir: dir}
			path, err := c.FetchV1(testContext(t, 0), addr)
			require.ErrorIs(t, err, ErrUnsafeName, "FetchV1 from a server sending the name %q (%s) = %q, %v; want ErrUnsafeName", name, tc.why, path, err)
			require.Equal(t, []string{"out/", "out/a/"}, listTree(t, root), "files after FetchV1 refused the name %q: want nothing written", name)
		})
	}
}

func TestStep3_ByteCap(t *testing.T) {
	readme.Explain(t)
	// A document that never ends: 8 MiB of "A" in filedata, then an error.
	// A reader without a cap would read all of it (or, from a real hostile
	// server, run out of memory); ReadV1 must stop after max+1 bytes.
	endless := bytes.Repeat([]byte("A"), 8<<20)
	copy(endless, `{"filename": "x", "filedata": "`)
	name, data, err := ReadV1(failingReader(endless), 1<<20)
	require.ErrorIs(t, err, ErrTooLarge, "ReadV1 of an endless document with max 1 MiB = %q, %d bytes, %v; want ErrTooLarge", name, len(data), err)

	_, doc := readTestdata(t)
	_, _, err = ReadV1(bytes.NewReader(doc), int64(len(doc)))
	require.NoError(t, err, "ReadV1(testdata/python-dumps.json, max = its length %d)", len(doc))
	_, _, err = ReadV1(bytes.NewReader(doc), int64(len(doc))-1)
	require.ErrorIs(t, err, ErrTooLarge, "ReadV1(testdata/python-dumps.json, max = its length - 1)")

	// The client's cap is on the file: 1000 bytes is too many for Max 999.
	root := t.TempDir()
	addr := startV1(t, "big.bin", bytes.Repeat([]byte{7}, 1000))
	c := &Client{Dir: root, Max: 999}
	path, err := c.FetchV1(testContext(t, 0), addr)
	require.ErrorIs(t, err, ErrTooLarge, "FetchV1 of a 1000-byte file with Max 999 = %q, %v", path, err)
	require.Empty(t, listTree(t, root), "files after FetchV1 refused a file over its cap")
	c.Max = 1000
	_, err = c.FetchV1(testContext(t, 0), addr)
	require.NoError(t, err, "FetchV1 of a 1000-byte file with Max 1000")
}

func TestStep3_CorruptInputRefused(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name string
		doc  string
		want error
	}{
		{"cut in the middle", `{"filename": "x.jpg", "filedata": "aGk`, ErrBadDocument},
		{"not JSON", "hello", ErrBadDocument},
		{"empty", "", ErrBadDocument},
		{"a list", `["x.jpg", "aGk="]`, ErrBadDocument},
		{"no filename", `{"filedata": "aGk="}`, ErrBadDocument},
		{"no filedata", `{"filename": "x.jpg"}`, ErrBadDocument},
		{"filedata not a string", `{"filename": "x.jpg", "filedata": 42}`, ErrBadDocument},
		{"filedata not base64", `{"filename": "x.jpg", "filedata": "a!k="}`, ErrBadBase64},
		{"filedata with bad padding", `{"filename": "x.jpg", "filedata": "aGk"}`, ErrBadBase64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			addr := serveDoc(t, []byte(tc.doc))
			c := &Client{Dir: root}
			path, err := c.FetchV1(testContext(t, 0), addr)
			require.ErrorIs(t, err, tc.want, "FetchV1 from a server sending %q = %q, %v", tc.doc, path, err)
			require.Empty(t, listTree(t, root), "files after FetchV1 got %q: want none", tc.doc)
		})
	}
}

func TestStep3_NoPartialFile(t *testing.T) {
	readme.Explain(t)
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789"), 10_000)

	// The connection breaks after 5000 bytes: nothing may be left behind.
	path, err := SaveFile(dir, "x.bin", failingReader(data[:5000]))
	require.ErrorIs(t, err, errTestReader, "SaveFile with a reader that fails after 5000 bytes = %q, %v", path, err)
	require.Empty(t, listTree(t, dir), "files after SaveFile failed: want none, not even a temporary file")

	// A good copy, then a broken one over it: the good one stays.
	path, err = SaveFile(dir, "x.bin", bytes.NewReader(data))
	require.NoError(t, err, "SaveFile(%q, \"x.bin\", 100000 bytes)", dir)
	require.Equal(t, filepath.Join(dir, "x.bin"), path)
	_, err = SaveFile(dir, "x.bin", failingReader([]byte("broken")))
	require.ErrorIs(t, err, errTestReader, "SaveFile over x.bin with a reader that fails")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.Equal(data, got), "x.bin after a failed SaveFile over it: %d bytes, want the old %d", len(got), len(data))
	require.Equal(t, []string{"x.bin"}, listTree(t, dir), "files after a failed SaveFile over x.bin")

	// An unsafe name creates nothing, not even a temporary file.
	_, err = SaveFile(dir, "../x.bin", bytes.NewReader(data))
	require.ErrorIs(t, err, ErrUnsafeName, "SaveFile(%q, \"../x.bin\")", dir)
	require.Equal(t, []string{"x.bin"}, listTree(t, dir), "files after SaveFile refused \"../x.bin\"")
}
