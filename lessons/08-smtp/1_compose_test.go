package mailer

import (
	"bytes"
	"encoding/base64"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/readme"
)

// headerSection returns the raw header lines of a message.
func headerSection(raw []byte) string {
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	return head
}

func TestStep1_ComposeText(t *testing.T) {
	readme.Explain(t)
	m := notesMessage()
	raw := compose(t, m)
	mr := readMail(t, raw)
	h := mr.Header

	from, err := h.AddressList("From")
	require.NoError(t, err, "From header of:\n%s", raw)
	require.Len(t, from, 1)
	require.Equal(t, "王大锤", from[0].Name, "From's display name, decoded")
	require.Equal(t, "abcdefg@126.com", from[0].Address)
	to, err := h.AddressList("To")
	require.NoError(t, err)
	require.Equal(t, "老吴", to[0].Name)
	cc, err := h.AddressList("Cc")
	require.NoError(t, err)
	require.Equal(t, "uvwxyz@126.com", cc[0].Address)
	subject, err := h.Subject()
	require.NoError(t, err)
	require.Equal(t, "示例代码实验邮件", subject, "Subject, decoded")
	date, err := h.Date()
	require.NoError(t, err, "Date header")
	require.True(t, m.Date.Equal(date), "Date = %v, want %v", date, m.Date)
	id, err := h.MessageID()
	require.NoError(t, err)
	require.Equal(t, "20190516153207.42@126.com", id, "Message-ID")
	require.Equal(t, "1.0", h.Get("MIME-Version"))
	ct, params, err := h.ContentType()
	require.NoError(t, err)
	require.Equal(t, "text/plain", ct)
	require.Equal(t, "utf-8", strings.ToLower(params["charset"]))

	part, err := mr.NextPart()
	require.NoError(t, err)
	body, err := io.ReadAll(part.Body)
	require.NoError(t, err)
	require.Equal(t, m.Text, string(body), "the body, decoded")

	head := headerSection(raw)
	for _, r := range head {
		require.Less(t, r, rune(0x80), "header lines must be ASCII: encode names and the subject as RFC 2047 words (mime.BEncoding); the headers are:\n%s", head)
	}
	require.NotContains(t, strings.ToLower(head), "bcc", "Bcc must never appear in the message; the headers are:\n%s", head)
	require.NotContains(t, string(raw), "hidden@example.com", "the Bcc address is in the message")
}

func TestStep1_LinesAreCRLFAndShort(t *testing.T) {
	readme.Explain(t)
	m := notesMessage()
	m.Subject = strings.Repeat("很长的主题", 80) // 400 characters, 1200 bytes of UTF-8
	m.Text = strings.Repeat("一行很长的正文。", 2000) + "\n第二行\r\n第三行"
	raw := compose(t, m)
	checkLines(t, raw)
	mr := readMail(t, raw)
	subject, err := mr.Header.Subject()
	require.NoError(t, err)
	require.Equal(t, m.Subject, subject, "a long subject, folded over lines and decoded")
	part, err := mr.NextPart()
	require.NoError(t, err)
	body, err := io.ReadAll(part.Body)
	require.NoError(t, err)
	require.Equal(t, m.Text, string(body), "a long body survives")
}

func TestStep1_WriteBase64(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, ""},
		{"one byte", []byte("a"), "YQ==\r\n"},
		{"57 bytes make one full line", bytes.Repeat([]byte("x"), 57), strings.Repeat("eHh4", 19) + "\r\n"},
		{"58 bytes take two lines", bytes.Repeat([]byte("x"), 58), strings.Repeat("eHh4", 19) + "\r\neA==\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteBase64(&b, tc.in))
			require.Equal(t, tc.want, b.String(), "WriteBase64 of %d bytes", len(tc.in))
		})
	}
	t.Run("every byte value", func(t *testing.T) {
		in := make([]byte, 1000)
		for i := range in {
			in[i] = byte(i * 31)
		}
		var b bytes.Buffer
		require.NoError(t, WriteBase64(&b, in))
		lines := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
		for i, line := range lines {
			require.LessOrEqual(t, len(line), 76, "line %d of the base64 is %d characters; RFC 2045 allows 76", i+1, len(line))
		}
		got, err := base64.StdEncoding.DecodeString(strings.Join(lines, ""))
		require.NoError(t, err)
		require.Equal(t, in, got, "what WriteBase64 wrote decodes back")
	})
}

func TestStep1_DateAndMessageIDDefaults(t *testing.T) {
	readme.Explain(t)
	m := notesMessage()
	m.Date, m.MessageID = time.Time{}, ""
	before := time.Now().Add(-time.Minute)
	h1 := readMail(t, compose(t, m)).Header
	h2 := readMail(t, compose(t, m)).Header
	date, err := h1.Date()
	require.NoError(t, err, "a message without a Date still gets one")
	require.True(t, date.After(before) && date.Before(time.Now().Add(time.Minute)), "Date %v is not now", date)
	id1, err := h1.MessageID()
	require.NoError(t, err)
	id2, err := h2.MessageID()
	require.NoError(t, err)
	require.NotEmpty(t, id1, "a message without a Message-ID still gets one")
	require.NotEqual(t, id1, id2, "two messages got the same Message-ID")
	require.True(t, strings.HasSuffix(id1, "@126.com"), "Message-ID %q should end in the sender's domain", id1)
}
