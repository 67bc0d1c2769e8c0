package filetransfer

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

// pythonDocs are what Python 3's json.dumps({'filename': name, 'filedata':
// b64encode(b'hi').decode()}) writes, copied from a Python session.
var pythonDocs = []struct{ name, doc string }{
	{"guido.jpg", `{"filename": "guido.jpg", "filedata": "aGk="}`},
	{`Guido "van" Rossum\.jpg`, `{"filename": "Guido \"van\" Rossum\\.jpg", "filedata": "aGk="}`},
	{"吉多.jpg", `{"filename": "\u5409\u591a.jpg", "filedata": "aGk="}`},
	{"café.txt", `{"filename": "caf\u00e9.txt", "filedata": "aGk="}`},
	{"🐍.png", `{"filename": "\ud83d\udc0d.png", "filedata": "aGk="}`},
	{"tab\there\n.txt", `{"filename": "tab\there\n.txt", "filedata": "aGk="}`},
	{"del\x7f.txt", `{"filename": "del\u007f.txt", "filedata": "aGk="}`},
	{"x\uffff.txt", `{"filename": "x\uffff.txt", "filedata": "aGk="}`},         // the last character without a surrogate pair
	{"\U00010000.txt", `{"filename": "\ud800\udc00.txt", "filedata": "aGk="}`}, // the first with one
}

func TestStep2_WriteV1MatchesPython(t *testing.T) {
	readme.Explain(t)
	for _, tc := range pythonDocs {
		var b bytes.Buffer
		require.NoError(t, WriteV1(&b, tc.name, []byte("hi")), "WriteV1(%q, \"hi\")", tc.name)
		require.Equal(t, tc.doc, b.String(), "WriteV1(%q, \"hi\"): want what Python's json.dumps writes", tc.name)
	}
	var b bytes.Buffer
	require.NoError(t, WriteV1(&b, "a", nil), `WriteV1("a", empty file)`)
	require.Equal(t, `{"filename": "a", "filedata": ""}`, b.String(), `WriteV1("a", empty file): want what Python's json.dumps writes`)
	data, doc := readTestdata(t)
	b.Reset()
	require.NoError(t, WriteV1(&b, "吉多.jpg", data))
	require.Equal(t, string(doc), b.String(), "WriteV1(\"吉多.jpg\", testdata/guido.jpg): want testdata/python-dumps.json")
}

func TestStep2_ReadV1ReadsToEOF(t *testing.T) {
	readme.Explain(t)
	data, doc := readTestdata(t)
	for _, size := range []int{1, 7, 1024, len(doc)} {
		name, got, err := ReadV1(splitReads(doc, size), 1<<20)
		require.NoError(t, err, "ReadV1(testdata/python-dumps.json arriving %d bytes per Read)", size)
		require.Equal(t, "吉多.jpg", name, "ReadV1(testdata/python-dumps.json arriving %d bytes per Read): name", size)
		require.Equal(t, data, got, "ReadV1(testdata/python-dumps.json arriving %d bytes per Read): data, want testdata/guido.jpg", size)
	}
	for _, tc := range pythonDocs {
		name, got, err := ReadV1(splitReads([]byte(tc.doc), 3), 1<<20)
		require.NoError(t, err, "ReadV1(%q)", tc.doc)
		require.Equal(t, tc.name, name, "ReadV1(%q): name", tc.doc)
		require.Equal(t, "hi", string(got), "ReadV1(%q): data", tc.doc)
	}
	other := []string{
		`{"filename":"a.txt","filedata":"aGk="}`,                       // Go's json.Marshal, no spaces
		`{"filedata": "aGk=", "filename": "a.txt"}`,                    // members in another order
		"{\n  \"filename\": \"a.txt\",\n  \"filedata\": \"aGk=\"\n}\n", // indented
		`{"filename": "a.txt", "filedata": "aGk=", "size": 2}`,         // a member more
	}
	for _, doc := range other {
		name, got, err := ReadV1(splitReads([]byte(doc), 5), 1<<20)
		require.NoError(t, err, "ReadV1(%q)", doc)
		require.Equal(t, "a.txt", name, "ReadV1(%q): name", doc)
		require.Equal(t, "hi", string(got), "ReadV1(%q): data", doc)
	}
}

func TestStep2_ServeV1(t *testing.T) {
	readme.Explain(t)
	addr := startV1(t, "guido.jpg", []byte("hi"))
	for _, who := range []string{"first", "second"} {
		c := transcript.Dial(t, addr, who)
		got := c.ReadAll() // until the server closes
		require.Equal(t, `{"filename": "guido.jpg", "filedata": "aGk="}`, got,
			"ServeV1(\"guido.jpg\", \"hi\"): the %s client got the document above, then EOF", who)
	}
}

func TestStep2_ServeV1ManyClientsAtOnce(t *testing.T) {
	readme.Explain(t)
	// 6 MiB encode to 8 MiB, more than socket buffers hold (about 4 MiB on
	// Linux): a server that writes to one client at a time is stuck on the
	// client that does not read.
	data := bytes.Repeat(randomBytes(seed.Rand(t), 64<<10), 6<<4)
	want := `{"filename": "big.bin", "filedata": "` + base64.StdEncoding.EncodeToString(data) + `"}`
	addr := startV1(t, "big.bin", data)

	slow := loopback.Dial(t, addr) // connects and reads nothing (yet)
	fast := loopback.Dial(t, addr)
	for _, c := range []struct {
		who  string
		conn net.Conn
	}{{"the second client, while the first one reads nothing", fast}, {"the first client, reading at last", slow}} {
		// 8 MiB, under -race on a busy machine: more than one network
		// event's Timeout; a server stuck on the other client never sends.
		c.conn.SetDeadline(time.Now().Add(bulkTimeout))
		got, err := io.ReadAll(c.conn)
		require.NoError(t, err, "%s: want the whole document within %v", c.who, bulkTimeout)
		require.True(t, want == string(got), "%s got %d bytes, want the %d of the document", c.who, len(got), len(want))
	}
}

func TestStep2_ServeV1SurvivesAcceptErrors(t *testing.T) {
	readme.Explain(t)
	data := []byte("still serving\n")
	testAcceptBackoff(t, "ServeV1",
		func(ctx context.Context, ln net.Listener) error { return ServeV1(ctx, ln, "a.txt", data) },
		func(addr string) error {
			conn, err := net.DialTimeout("tcp", addr, loopback.Timeout)
			if err != nil {
				return err
			}
			defer conn.Close()
			conn.SetDeadline(loopback.Deadline())
			got, err := io.ReadAll(conn)
			if err != nil {
				return err
			}
			var want bytes.Buffer
			WriteV1(&want, "a.txt", data)
			if !bytes.Equal(got, want.Bytes()) {
				return fmt.Errorf("got %q, want %q", got, want.Bytes())
			}
			return nil
		})
}

func TestStep2_FetchV1StopsOnCancel(t *testing.T) {
	readme.Explain(t)
	fetch := func(ctx context.Context, addr, dir string) error {
		_, err := (&Client{Dir: dir}).FetchV1(ctx, addr)
		return err
	}
	t.Run("before any byte", func(t *testing.T) {
		testFetchCancel(t, "FetchV1", false, nil, fetch, nil)
	})
	t.Run("in the middle of the document", func(t *testing.T) {
		testFetchCancel(t, "FetchV1", false, []byte(`{"filename": "a.txt", "filedata": "aGVsbG`), fetch, nil)
	})
}

func TestStep2_FetchV1(t *testing.T) {
	readme.Explain(t)
	data, _ := readTestdata(t)
	addr := startV1(t, "吉多.jpg", data)
	dir := t.TempDir()
	c := &Client{Dir: dir}
	path, err := c.FetchV1(testContext(t, 0), addr)
	require.NoError(t, err, "FetchV1 from ServeV1(\"吉多.jpg\", testdata/guido.jpg)")
	require.Equal(t, filepath.Join(dir, "吉多.jpg"), path, "FetchV1: the path it saved to")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, data, got, "the saved file: want testdata/guido.jpg")
	require.Equal(t, []string{"吉多.jpg"}, listTree(t, dir), "files in the output directory after FetchV1")
}

func TestStep2_FetchV1Cap(t *testing.T) {
	readme.Explain(t)
	// Max 30 bytes: its base64 is 40 characters, so FetchV1 accepts a
	// document of 40+4096 bytes and refuses one byte more (ErrTooLarge).
	// JSON allows spaces before "}", which make the documents that long.
	c := &Client{Dir: t.TempDir(), Max: 30}
	data := []byte("thirty bytes of file, no more.")
	limit := (30+2)/3*4 + 4096
	padded := func(n int) []byte {
		doc := pythonDump(t, "a.txt", Encode(data))
		pad := bytes.Repeat([]byte(" "), n-len(doc))
		return append(append(doc[:len(doc)-1:len(doc)-1], pad...), '}')
	}
	path, err := c.FetchV1(testContext(t, 0), serveDoc(t, padded(limit)))
	require.NoError(t, err, "FetchV1 (Max 30) of a %d-byte document: the base64 length of the cap (40) plus 4096 is allowed", limit)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, data, got, "the saved file")
	require.NoError(t, os.Remove(path))
	_, err = c.FetchV1(testContext(t, 0), serveDoc(t, padded(limit+1)))
	require.ErrorIs(t, err, ErrTooLarge, "FetchV1 (Max 30) of a %d-byte document: one byte over the base64 length of the cap (40) plus 4096", limit+1)
}
