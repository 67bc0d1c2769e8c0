package mailer

import (
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"

	gomail "github.com/emersion/go-message/mail"
	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/readme"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func TestStep2_ContentTypeFor(t *testing.T) {
	readme.Explain(t)
	machineTypes(t)
	tests := []struct{ name, want string }{
		{"hello.txt", "text/plain; charset=utf-8"},
		{"汇总数据.xlsx", xlsxType},
		{"REPORT.XLSX", xlsxType},
		{"photo.jpg", "image/jpeg"},
		{"doc.pdf", "application/pdf"},
		{"data.bin", "application/octet-stream"},
		{"README", "application/octet-stream"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, ContentTypeFor(tc.name), "ContentTypeFor(%q): the lesson's contentTypes table first, the extension in lower case, then mime.TypeByExtension (README.md, step 2)", tc.name)
	}
}

// machineTypes makes the test the same on every machine. Go's mime table
// reads /etc/mime.types and the like, so whether it knows .xlsx (and with
// which type) depends on the machine: here it says something else, as an
// old or odd table would, and the lesson's own contentTypes must win.
func machineTypes(t *testing.T) {
	t.Helper()
	require.NoError(t, mime.AddExtensionType(".xlsx", "application/x-this-machine-says-so"))
}

func TestStep2_AttachmentHeader(t *testing.T) {
	readme.Explain(t)
	h := AttachmentHeader(Attachment{Name: "汇总数据.xlsx", Data: []byte("x")})
	require.Equal(t, xlsxType, h.Get("Content-Type"))
	require.Equal(t, "base64", h.Get("Content-Transfer-Encoding"))
	cd := h.Get("Content-Disposition")
	for _, r := range cd {
		require.Less(t, r, rune(0x80), "Content-Disposition must be ASCII (RFC 2231: filename*=utf-8''...): %q", cd)
	}
	disp, params, err := mime.ParseMediaType(cd)
	require.NoError(t, err, "Content-Disposition %q", cd)
	require.Equal(t, "attachment", disp)
	require.Equal(t, "汇总数据.xlsx", params["filename"], "the file name in %q, decoded", cd)

	h = AttachmentHeader(Attachment{Name: "hello.txt", ContentType: "text/plain"})
	require.Equal(t, "text/plain", h.Get("Content-Type"), "an explicit ContentType wins")
	// filename=hello.txt and filename="hello.txt" are both right: judge the
	// parsed header, not one spelling of it.
	cd = h.Get("Content-Disposition")
	disp, params, err = mime.ParseMediaType(cd)
	require.NoError(t, err, "Content-Disposition %q", cd)
	require.Equal(t, "attachment", disp, "the disposition in %q", cd)
	require.Equal(t, map[string]string{"filename": "hello.txt"}, params, "the parameters of %q", cd)
}

func TestStep2_Attachments(t *testing.T) {
	readme.Explain(t)
	xlsx := make([]byte, 3000)
	for i := range xlsx {
		xlsx[i] = byte(i * 13)
	}
	m := &Message{
		From:    &mail.Address{Address: "abcdefg@126.com"},
		To:      []*mail.Address{{Address: "uvwxyz@qq.com"}},
		Subject: "本月数据",
		Text:    "附件中有本月数据请查收",
		Attachments: []Attachment{
			{Name: "hello.txt", Data: []byte("hello, world\n")},
			{Name: "汇总数据.xlsx", Data: xlsx},
		},
	}
	raw := compose(t, m)
	checkLines(t, raw)
	mr := readMail(t, raw)
	ct, _, err := mr.Header.ContentType()
	require.NoError(t, err)
	require.Equal(t, "multipart/mixed", ct, "a message with attachments")

	type part struct {
		kind, name, contentType string
		data                    string
	}
	var got []part
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "reading the parts of:\n%.3000s", raw)
		b, err := io.ReadAll(p.Body)
		require.NoError(t, err)
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			ct, _, _ := h.ContentType()
			got = append(got, part{"text", "", ct, string(b)})
		case *gomail.AttachmentHeader:
			name, err := h.Filename()
			require.NoError(t, err)
			ct, _, _ := h.ContentType()
			got = append(got, part{"attachment", name, ct, string(b)})
		}
	}
	require.Equal(t, []part{
		{"text", "", "text/plain", "附件中有本月数据请查收"},
		{"attachment", "hello.txt", "text/plain", "hello, world\n"},
		{"attachment", "汇总数据.xlsx", xlsxType, string(xlsx)},
	}, got, "the parts go-message reads from the message")

	_, body, _ := strings.Cut(string(raw), "\r\n\r\n")
	for _, line := range strings.Split(body, "\r\n") {
		if len(line) > 76 && !strings.Contains(line, ":") {
			t.Fatalf("a body line of %d characters: base64 lines are at most 76: %.90q", len(line), line)
		}
	}
}
