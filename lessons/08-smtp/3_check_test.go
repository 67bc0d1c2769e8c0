package mailer

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/readme"
)

// badMessages are messages Validate and Bytes must refuse, with the error
// each must match.
var badMessages = []struct {
	name   string
	change func(m *Message)
	want   error
}{
	{"CRLF in the subject", func(m *Message) { m.Subject = "Hi\r\nBcc: victim@example.com" }, ErrHeaderInjection},
	{"LF in the subject", func(m *Message) { m.Subject = "Hi\nX-Spam: yes" }, ErrHeaderInjection},
	{"LF in a display name", func(m *Message) { m.To[0].Name = "老吴\nBcc: victim@example.com" }, ErrHeaderInjection},
	{"CR in an address", func(m *Message) { m.Cc[0].Address = "a@b.com\rX: y" }, ErrHeaderInjection},
	{"LF in an attachment name", func(m *Message) {
		m.Attachments = []Attachment{{Name: "a.txt\r\nContent-Type: text/html", Data: []byte("x")}}
	}, ErrHeaderInjection},
	{"not an address", func(m *Message) { m.To[0].Address = "not an address" }, ErrBadAddress},
	{"address with a name in it", func(m *Message) { m.To[0].Address = "Bob <bob@example.com>" }, ErrBadAddress},
	{"no From", func(m *Message) { m.From = nil }, ErrBadAddress},
	{"no recipients", func(m *Message) { m.To, m.Cc, m.Bcc = nil, nil, nil }, ErrNoRecipients},
}

func TestStep3_Validate(t *testing.T) {
	readme.Explain(t)
	require.NoError(t, notesMessage().Validate(), "Validate of the notes' message")
	for _, tc := range badMessages {
		t.Run(tc.name, func(t *testing.T) {
			m := notesMessage()
			tc.change(m)
			require.ErrorIs(t, m.Validate(), tc.want, "Validate with %s", tc.name)
		})
	}
	m := notesMessage()
	m.Attachments = []Attachment{{Name: "../../etc/passwd", Data: []byte("x")}}
	require.Error(t, m.Validate(), "an attachment name with a path in it")
	m.Attachments = []Attachment{{Name: strings.Repeat("名", 100) + ".txt", Data: []byte("x")}}
	require.Error(t, m.Validate(), "an attachment name of 304 bytes")
}

func TestStep3_BytesRefusesInjection(t *testing.T) {
	readme.Explain(t)
	for _, tc := range badMessages {
		t.Run(tc.name, func(t *testing.T) {
			m := notesMessage()
			tc.change(m)
			raw, err := m.Bytes()
			require.ErrorIs(t, err, tc.want, "Bytes with %s: call Validate first; it returned:\n%s", tc.name, raw)
			require.Nil(t, raw)
		})
	}
	m := notesMessage()
	m.To = append(m.To, &mail.Address{Address: "ok@example.com"})
	_, err := m.Bytes()
	require.NoError(t, err)
}
