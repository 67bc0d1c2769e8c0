package mailer

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/readme"
)

// badMessages are messages Validate and Bytes must refuse, with the error
// each must match. Where a value breaks two rules (a CR inside an address
// is a line break and not an address either), either error is right: the
// README leaves the order of the checks to you.
var badMessages = []struct {
	name   string
	change func(m *Message)
	want   []error // any one of these
}{
	{"CRLF in the subject", func(m *Message) { m.Subject = "Hi\r\nBcc: victim@example.com" }, injection},
	{"LF in the subject", func(m *Message) { m.Subject = "Hi\nX-Spam: yes" }, injection},
	{"CR alone in the subject", func(m *Message) { m.Subject = "Hi\rX-Spam: yes" }, injection},
	{"LF in a display name", func(m *Message) { m.To[0].Name = "老吴\nBcc: victim@example.com" }, injection},
	{"LF in From's name", func(m *Message) { m.From.Name = "王大锤\r\nReply-To: thief@example.com" }, injection},
	{"LF in a Bcc name", func(m *Message) { m.Bcc[0].Name = "秘密\nX: y" }, injection},
	{"LF in a Cc name", func(m *Message) { m.Cc[0].Name = "cc\nX: y" }, injection},
	{"CR in an address", func(m *Message) { m.Cc[0].Address = "a@b.com\rX: y" }, injectionOrAddress},
	{"CRLF in a Bcc address", func(m *Message) { m.Bcc[0].Address = "x>\r\nRCPT TO:<evil@example.com" }, injectionOrAddress},
	{"CRLF in From's address", func(m *Message) { m.From.Address = "a@b.com\r\nRCPT TO:<evil@example.com>" }, injectionOrAddress},
	{"LF in an attachment name", func(m *Message) {
		m.Attachments = []Attachment{{Name: "a.txt\r\nContent-Type: text/html", Data: []byte("x")}}
	}, injection},
	{"LF in an attachment's type", func(m *Message) {
		m.Attachments = []Attachment{{Name: "a.txt", ContentType: "text/plain\r\nX: y", Data: []byte("x")}}
	}, injection},
	{"not an address", func(m *Message) { m.To[0].Address = "not an address" }, address},
	{"address with a name in it", func(m *Message) { m.To[0].Address = "Bob <bob@example.com>" }, address},
	{"Bcc not an address", func(m *Message) { m.Bcc[0].Address = "hidden at example.com" }, address},
	{"From not an address", func(m *Message) { m.From.Address = "abcdefg" }, address},
	{"nil recipient", func(m *Message) { m.To[0] = nil }, address},
	{"no From", func(m *Message) { m.From = nil }, address},
	{"no recipients", func(m *Message) { m.To, m.Cc, m.Bcc = nil, nil, nil }, []error{ErrNoRecipients}},
}

func TestStep3_Validate(t *testing.T) {
	readme.Explain(t)
	require.NoError(t, notesMessage().Validate(), "Validate of the notes' message")
	for _, tc := range badMessages {
		t.Run(tc.name, func(t *testing.T) {
			m := notesMessage()
			tc.change(m)
			requireOneOf(t, m.Validate(), tc.want, "Validate with %s", tc.name)
		})
	}
	m := notesMessage()
	m.Attachments = []Attachment{{Name: "../../etc/passwd", Data: []byte("x")}}
	require.Error(t, m.Validate(), "an attachment name with a path in it")
	m.Attachments = []Attachment{{Name: strings.Repeat("名", 100) + ".txt", Data: []byte("x")}}
	require.Error(t, m.Validate(), "an attachment name of 304 bytes (104 characters: MaxNameBytes counts bytes)")
	m.Attachments = []Attachment{{Name: strings.Repeat("名", 83) + "abc.txt", Data: []byte("x")}}
	require.Error(t, m.Validate(), "an attachment name of 256 bytes")
	m.Attachments = []Attachment{{Name: strings.Repeat("名", 83) + "ab.txt", Data: []byte("x")}}
	require.NoError(t, m.Validate(), "an attachment name of exactly MaxNameBytes (255) bytes")
	m.Attachments = []Attachment{{Name: "", Data: []byte("x")}}
	require.Error(t, m.Validate(), "an attachment without a name")
}

func TestStep3_BytesRefusesInjection(t *testing.T) {
	readme.Explain(t)
	for _, tc := range badMessages {
		t.Run(tc.name, func(t *testing.T) {
			m := notesMessage()
			tc.change(m)
			raw, err := m.Bytes()
			requireOneOf(t, err, tc.want, "Bytes with %s (call Validate first; it returned %q)", tc.name, raw)
			require.Nil(t, raw)
		})
	}
	m := notesMessage()
	m.To = append(m.To, &mail.Address{Address: "ok@example.com"})
	_, err := m.Bytes()
	require.NoError(t, err)
}
