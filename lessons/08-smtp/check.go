package mailer

import (
	"errors"
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
	// TODO(step 3): check the addresses with net/mail and refuse CR and LF everywhere.
	return ErrTODO
}
