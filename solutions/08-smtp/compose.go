package mailer

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is an e-mail to compose: the notes' MIMEText and MIMEMultipart
// in one type.
type Message struct {
	From        *mail.Address
	To, Cc, Bcc []*mail.Address // Bcc receives the mail but never appears in it
	Subject     string
	Text        string       // the plain-text body, UTF-8
	Attachments []Attachment // step 2
	Date        time.Time    // the zero time means now
	MessageID   string       // without <>; "" means a new random one
}

// Attachment is a file sent along with a message.
type Attachment struct {
	Name        string // the file name the receiver sees, e.g. "汇总数据.xlsx"
	ContentType string // "" means ContentTypeFor(Name)
	Data        []byte
}

// Bytes returns the message in Internet Message Format (RFC 5322) with
// MIME (RFC 2045-2047), ready for SMTP's DATA:
//
//	From: =?utf-8?q?=E7=8E=8B=E5=A4=A7=E9=94=A4?= <abcdefg@126.com>
//	To: =?utf-8?q?=E8=80=81=E5=90=B4?= <uvwxyz@qq.com>
//	Subject: =?utf-8?b?56S65L6L5Luj56CB5a6e6aqM6YKu5Lu2?=
//	Date: Thu, 16 May 2019 15:32:07 +0800
//	Message-ID: <2f1c...@126.com>
//	MIME-Version: 1.0
//	Content-Type: text/plain; charset=utf-8
//	Content-Transfer-Encoding: base64
//
//	55SoUHl0aG9u5Y+R6YCB6YKu5Lu255qE56S65L6L5Luj56CBLg==
//
// Every line ends in CRLF and none is longer than 998 bytes (header lines are
// folded at 78 where they can be). Names and the subject that are not plain
// ASCII are RFC 2047 encoded words. Bcc is never written. With attachments
// (step 2) the message is multipart/mixed: the text part, then one part per
// attachment. Bytes first checks the message with Validate (step 3).
func (m *Message) Bytes() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	writeHeader(&b, "From", m.From.String())
	if len(m.To) > 0 {
		writeHeader(&b, "To", addressList(m.To))
	}
	if len(m.Cc) > 0 {
		writeHeader(&b, "Cc", addressList(m.Cc))
	}
	writeHeader(&b, "Subject", mime.BEncoding.Encode("utf-8", m.Subject))
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	writeHeader(&b, "Date", date.Format(time.RFC1123Z))
	id := m.MessageID
	if id == "" {
		id = newMessageID(m.From.Address)
	}
	writeHeader(&b, "Message-ID", "<"+id+">")
	writeHeader(&b, "MIME-Version", "1.0")
	if len(m.Attachments) == 0 {
		writeHeader(&b, "Content-Type", "text/plain; charset=utf-8")
		writeHeader(&b, "Content-Transfer-Encoding", "base64")
		b.WriteString("\r\n")
		if err := WriteBase64(&b, []byte(m.Text)); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b) // multipart writes CRLF, and picks a random boundary
	writeHeader(&b, "Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	text, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return nil, err
	}
	if err := WriteBase64(text, []byte(m.Text)); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		w, err := mw.CreatePart(AttachmentHeader(a))
		if err != nil {
			return nil, fmt.Errorf("attach %q: %w", a.Name, err)
		}
		if err := WriteBase64(w, a.Data); err != nil {
			return nil, fmt.Errorf("attach %q: %w", a.Name, err)
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteBase64 writes data to w in base64 (standard alphabet, padded), in
// lines of 76 characters, each ending in CRLF, as RFC 2045 6.8 asks.
func WriteBase64(w io.Writer, data []byte) error {
	const line = 76 / 4 * 3 // 57 input bytes make one full 76-character line
	buf := make([]byte, 0, 78)
	for len(data) > 0 {
		n := min(line, len(data))
		buf = buf[:base64.StdEncoding.EncodedLen(n)]
		base64.StdEncoding.Encode(buf, data[:n])
		buf = append(buf, '\r', '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// addressList joins addresses with ", ", each formatted by net/mail (which
// encodes non-ASCII names as RFC 2047 words).
func addressList(list []*mail.Address) string {
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}

// writeHeader writes "Key: value" and CRLF, folding at spaces so that lines
// stay within 78 characters where a space allows (RFC 5322 2.2.3).
func writeHeader(b *bytes.Buffer, key, value string) {
	lineLen := len(key) + 2
	b.WriteString(key + ":")
	for i, word := range strings.Split(value, " ") {
		if i > 0 && lineLen+1+len(word) > 78 {
			b.WriteString("\r\n")
			lineLen = 0
		}
		b.WriteString(" " + word)
		lineLen += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// newMessageID returns a unique id: random hex, "@", the sender's domain.
func newMessageID(from string) string {
	var r [16]byte
	rand.Read(r[:]) // crypto/rand.Read never fails (Go 1.24)
	domain := "localhost"
	if i := strings.LastIndexByte(from, '@'); i >= 0 {
		domain = from[i+1:]
	}
	return hex.EncodeToString(r[:]) + "@" + domain
}
