package mailer

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// ErrHeaderInjection means a header value or address holds a CR or LF,
// which would let it end its header line and start new ones (a forged Bcc:,
// a second body).
var ErrHeaderInjection = errors.New("mailer: CR or LF in a header value")

// ErrBadAddress means an address is not a valid RFC 5322 addr-spec.
var ErrBadAddress = errors.New("mailer: invalid address")

// ErrNoRecipients means a message has no To, Cc or Bcc.
var ErrNoRecipients = errors.New("mailer: no recipients")

// MaxNameBytes is the longest attachment file name Validate accepts.
const MaxNameBytes = 255

// Validate checks m before it is composed or sent: a From address, at
// least one recipient (ErrNoRecipients), every address valid by net/mail
// (ErrBadAddress), and no CR or LF in any name, address, the subject or an
// attachment name (ErrHeaderInjection). An attachment name must also be a
// plain name (no "/" or "\", no NUL) of at most MaxNameBytes bytes. Errors
// quote the offending value.
func (m *Message) Validate() error {
	if m.From == nil {
		return fmt.Errorf("no From address: %w", ErrBadAddress)
	}
	if len(m.To)+len(m.Cc)+len(m.Bcc) == 0 {
		return ErrNoRecipients
	}
	for _, list := range []struct {
		field string
		addrs []*mail.Address
	}{{"From", []*mail.Address{m.From}}, {"To", m.To}, {"Cc", m.Cc}, {"Bcc", m.Bcc}} {
		for _, a := range list.addrs {
			if err := checkAddress(list.field, a); err != nil {
				return err
			}
		}
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return fmt.Errorf("Subject %q: %w", m.Subject, ErrHeaderInjection)
	}
	for _, a := range m.Attachments {
		if strings.ContainsAny(a.Name, "\r\n") || strings.ContainsAny(a.ContentType, "\r\n") {
			return fmt.Errorf("attachment %q: %w", a.Name, ErrHeaderInjection)
		}
		if a.Name == "" || strings.ContainsAny(a.Name, "/\\\x00") || len(a.Name) > MaxNameBytes {
			return fmt.Errorf("attachment name %q: want a plain file name of 1 to %d bytes", a.Name, MaxNameBytes)
		}
	}
	return nil
}

func checkAddress(field string, a *mail.Address) error {
	if a == nil {
		return fmt.Errorf("%s: nil address: %w", field, ErrBadAddress)
	}
	if strings.ContainsAny(a.Name, "\r\n") || strings.ContainsAny(a.Address, "\r\n") {
		return fmt.Errorf("%s %q <%q>: %w", field, a.Name, a.Address, ErrHeaderInjection)
	}
	parsed, err := mail.ParseAddress(a.Address)
	if err != nil || parsed.Address != a.Address {
		return fmt.Errorf("%s address %q: %w", field, a.Address, ErrBadAddress)
	}
	return nil
}
