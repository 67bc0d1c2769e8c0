package mailer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
)

// Config says how Send reaches and talks to an SMTP server.
type Config struct {
	Addr      string // host:port of the server, e.g. "smtp.126.com:587"
	LocalName string // the name sent with EHLO; "" means "localhost"

	// TLS, when not nil, makes STARTTLS required: Send upgrades the
	// connection after the first EHLO, and refuses to go on (ErrNoStartTLS)
	// if the server does not offer it. Its ServerName defaults to Addr's host.
	TLS *tls.Config

	// Username and Password, when Username is set, log in with AUTH PLAIN,
	// only over TLS or to a loopback address (else ErrInsecureAuth).
	Username, Password string

	// Dial, if set, opens the connection instead of net.Dialer.DialContext
	// (tests use it to reach a loopback server under another name).
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// ReplyError is an SMTP reply with an unexpected code, such as
// "535 5.7.8 Authentication failed" or "550 5.1.1 No such user".
type ReplyError struct {
	Code int
	Msg  string
}

func (e *ReplyError) Error() string { return fmt.Sprintf("%03d %s", e.Code, e.Msg) }

// Is makes errors.Is(err, ErrAuthFailed) true for a 535 reply.
func (e *ReplyError) Is(target error) bool { return target == ErrAuthFailed && e.Code == 535 }

// RecipientError is a recipient the server refused at RCPT TO.
type RecipientError struct {
	Addr  string
	Reply *ReplyError
}

func (e *RecipientError) Error() string {
	return fmt.Sprintf("recipient %s refused: %v", e.Addr, e.Reply)
}

// Unwrap returns the server's reply.
func (e *RecipientError) Unwrap() error { return e.Reply }

var (
	// ErrNoStartTLS means TLS was required but the server does not offer STARTTLS.
	ErrNoStartTLS = errors.New("mailer: server does not offer STARTTLS")
	// ErrInsecureAuth means AUTH would send the password in the clear to a
	// remote server.
	ErrInsecureAuth = errors.New("mailer: refusing to send a password without TLS")
	// ErrAuthFailed is a 535 reply to AUTH: wrong user name or password.
	ErrAuthFailed = errors.New("mailer: authentication failed")
	// ErrAuthNotOffered means a Username is set but the server's EHLO
	// reply does not list AUTH with the PLAIN mechanism: the password is
	// not sent.
	ErrAuthNotOffered = errors.New("mailer: server does not offer AUTH PLAIN")
)

// Recipients returns every address m is delivered to: To, Cc and Bcc, in
// that order. These go to RCPT TO; only To and Cc are in the message.
func (m *Message) Recipients() []string {
	// TODO(step 4): To, then Cc, then Bcc.
	return nil
}

// Send delivers msg, a complete message with CRLF line endings (as
// Message.Bytes makes it), from the envelope sender from to every address in
// to, over SMTP (RFC 5321):
//
//	S: 220 mail.example ESMTP
//	C: EHLO localhost
//	S: 250-mail.example
//	S: 250 STARTTLS
//	C: STARTTLS                      (when cfg.TLS is set)
//	S: 220 Ready
//	   ... TLS handshake, then EHLO again ...
//	C: AUTH PLAIN AHVzZXIAcGFzcw==   (when cfg.Username is set)
//	S: 235 Authenticated
//	C: MAIL FROM:<from>
//	C: RCPT TO:<each address of to>
//	C: DATA
//	S: 354 Go ahead
//	C: msg, dot-stuffed, then "."
//	C: QUIT
//
// Every reply is checked; an unexpected one is a *ReplyError (a 535 to AUTH
// matches ErrAuthFailed), a refused recipient a *RecipientError. An
// envelope address holding CR, LF, "<" or ">" is refused before anything is
// sent (ErrHeaderInjection or ErrBadAddress). AUTH is sent only when the
// last EHLO reply lists AUTH with PLAIN (else ErrAuthNotOffered). The
// context bounds the whole exchange. No error ever holds the password.
func Send(ctx context.Context, cfg Config, from string, to []string, msg []byte) error {
	// TODO(step 4): greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA (dot-stuffed), QUIT.
	return ErrTODO
}

// session is the textproto side of one SMTP conversation.
type session struct{ text *textproto.Conn }
