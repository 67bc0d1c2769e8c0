package mailer

import (
	"io"
	"net/mail"
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
	// TODO(step 1): write the headers and the base64 body; then (step 2) the multipart form, and (step 3) call Validate first.
	return nil, ErrTODO
}

// WriteBase64 writes data to w in base64 (standard alphabet, padded), in
// lines of 76 characters, each ending in CRLF, as RFC 2045 6.8 asks.
func WriteBase64(w io.Writer, data []byte) error {
	// TODO(step 1): encode 57 bytes at a time into 76-character lines ending in CRLF.
	return ErrTODO
}
