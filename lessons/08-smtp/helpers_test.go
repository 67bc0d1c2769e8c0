package mailer

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/stretchr/testify/require"
)

// notesMessage is the notes' first example: MIMEText with Header('王大锤', 'utf-8').
func notesMessage() *Message {
	return &Message{
		From:      &mail.Address{Name: "王大锤", Address: "abcdefg@126.com"},
		To:        []*mail.Address{{Name: "老吴", Address: "uvwxyz@qq.com"}},
		Cc:        []*mail.Address{{Address: "uvwxyz@126.com"}},
		Bcc:       []*mail.Address{{Name: "秘密", Address: "hidden@example.com"}},
		Subject:   "示例代码实验邮件",
		Text:      "用Python发送邮件的示例代码.",
		Date:      time.Date(2019, 5, 16, 15, 32, 7, 0, time.FixedZone("CST", 8*3600)),
		MessageID: "20190516153207.42@126.com",
	}
}

// compose calls Bytes and fails the test on an error.
func compose(t *testing.T, m *Message) []byte {
	t.Helper()
	raw, err := m.Bytes()
	require.NoError(t, err, "Message.Bytes()")
	require.NotEmpty(t, raw, "Message.Bytes()")
	return raw
}

// readMail parses raw with go-message, an independent MIME parser.
func readMail(t *testing.T, raw []byte) *gomail.Reader {
	t.Helper()
	mr, err := gomail.CreateReader(bytes.NewReader(raw))
	require.NoError(t, err, "go-message cannot parse the message:\n%s", raw)
	return mr
}

// checkLines fails unless every line of raw ends in CRLF (no bare CR or
// LF) and none is longer than 998 bytes (RFC 5322 2.1.1).
func checkLines(t *testing.T, raw []byte) {
	t.Helper()
	s := string(raw)
	require.True(t, strings.HasSuffix(s, "\r\n"), "the message must end with CRLF; it ends %q", s[max(0, len(s)-10):])
	for i, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		require.NotContains(t, line, "\n", "line %d has a bare LF (every line ends in CRLF): %q", i+1, line)
		require.NotContains(t, line, "\r", "line %d has a bare CR: %q", i+1, line)
		require.LessOrEqual(t, len(line), 998, "line %d is %d bytes long; the limit is 998: %.80q...", i+1, len(line), line)
	}
}

var (
	injection          = []error{ErrHeaderInjection}
	address            = []error{ErrBadAddress}
	injectionOrAddress = []error{ErrHeaderInjection, ErrBadAddress}
)

// requireOneOf fails unless err matches one of want.
func requireOneOf(t *testing.T, err error, want []error, format string, args ...any) {
	t.Helper()
	for _, w := range want {
		if errors.Is(err, w) {
			return
		}
	}
	var names []string
	for _, w := range want {
		names = append(names, fmt.Sprintf("%q", w))
	}
	got := "nil"
	if err != nil {
		got = fmt.Sprintf("%q", err)
	}
	t.Fatalf("%s = %s, want an error matching %s (errors.Is)", fmt.Sprintf(format, args...), got, strings.Join(names, " or "))
}
