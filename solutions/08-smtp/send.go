package mailer

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
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
	var out []string
	for _, list := range [][]*mail.Address{m.To, m.Cc, m.Bcc} {
		for _, a := range list {
			out = append(out, a.Address)
		}
	}
	return out
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
	if len(to) == 0 {
		return ErrNoRecipients
	}
	for _, a := range append([]string{from}, to...) {
		if strings.ContainsAny(a, "\r\n<>") {
			return fmt.Errorf("envelope address %q: %w", a, ErrHeaderInjection)
		}
	}
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("smtp server %q: %w", cfg.Addr, err)
	}
	dial := cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", cfg.Addr, err)
	}
	defer conn.Close()
	// When ctx ends, a deadline in the past unblocks any read or write.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()

	s := &session{text: textproto.NewConn(conn)}
	if _, err := s.reply(220, "greeting"); err != nil {
		return s.ctxErr(ctx, err)
	}
	name := cfg.LocalName
	if name == "" {
		name = "localhost"
	}
	ext, err := s.ehlo(name)
	if err != nil {
		return s.ctxErr(ctx, err)
	}
	secure := false
	if cfg.TLS != nil {
		if _, ok := ext["STARTTLS"]; !ok {
			return ErrNoStartTLS
		}
		if _, err := s.cmd(220, "STARTTLS"); err != nil {
			return s.ctxErr(ctx, err)
		}
		tc := cfg.TLS.Clone()
		if tc.ServerName == "" {
			tc.ServerName = host
		}
		tlsConn := tls.Client(conn, tc)
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("TLS handshake with %s: %w", cfg.Addr, err)
		}
		s.text = textproto.NewConn(tlsConn)
		secure = true
		if ext, err = s.ehlo(name); err != nil { // RFC 3207 4.2: forget what was said before TLS
			return s.ctxErr(ctx, err)
		}
	}
	if cfg.Username != "" {
		if !secure && !isLoopback(host) {
			return ErrInsecureAuth
		}
		if !offers(ext["AUTH"], "PLAIN") {
			return fmt.Errorf("%s offers AUTH %q: %w", cfg.Addr, ext["AUTH"], ErrAuthNotOffered)
		}
		// RFC 4616: authzid NUL authcid NUL passwd, in base64.
		token := base64.StdEncoding.EncodeToString([]byte("\x00" + cfg.Username + "\x00" + cfg.Password))
		if _, err := s.cmdSecret(235, "AUTH PLAIN "+token, "AUTH PLAIN"); err != nil {
			return s.ctxErr(ctx, err)
		}
	}
	if _, err := s.cmd(250, "MAIL FROM:<"+from+">"); err != nil {
		return s.ctxErr(ctx, err)
	}
	for _, rcpt := range to {
		if _, err := s.cmd(25, "RCPT TO:<"+rcpt+">"); err != nil {
			var re *ReplyError
			if errors.As(err, &re) {
				return &RecipientError{Addr: rcpt, Reply: re}
			}
			return s.ctxErr(ctx, err)
		}
	}
	if _, err := s.cmd(354, "DATA"); err != nil {
		return s.ctxErr(ctx, err)
	}
	// DotWriter does RFC 5321 4.5.2 for us: a line starting with "." gets
	// one more ".", and Close writes the final ".".
	w := s.text.DotWriter()
	if _, err := w.Write(msg); err != nil {
		return s.ctxErr(ctx, fmt.Errorf("send message: %w", err))
	}
	if err := w.Close(); err != nil {
		return s.ctxErr(ctx, fmt.Errorf("send message: %w", err))
	}
	if _, err := s.reply(250, "the end of DATA"); err != nil {
		return s.ctxErr(ctx, err)
	}
	if _, err := s.cmd(221, "QUIT"); err != nil {
		return s.ctxErr(ctx, err)
	}
	return nil
}

// session is the textproto side of one SMTP conversation.
type session struct{ text *textproto.Conn }

// cmd sends a command and reads its reply, which must have the code want
// (a one- or two-digit want matches any code starting with it).
func (s *session) cmd(want int, line string) (string, error) {
	return s.cmdSecret(want, line, line)
}

// cmdSecret is cmd for a line that must not appear in errors: show is
// written in its place.
func (s *session) cmdSecret(want int, line, show string) (string, error) {
	if err := s.text.PrintfLine("%s", line); err != nil {
		return "", fmt.Errorf("send %s: %w", show, err)
	}
	return s.reply(want, show)
}

// reply reads a reply that must have the code want.
func (s *session) reply(want int, after string) (string, error) {
	_, msg, err := s.text.ReadResponse(want)
	if err != nil {
		var te *textproto.Error
		if errors.As(err, &te) {
			return "", fmt.Errorf("reply to %s: %w", after, &ReplyError{Code: te.Code, Msg: te.Msg})
		}
		return "", fmt.Errorf("reply to %s: %w", after, err)
	}
	return msg, nil
}

// ehlo sends EHLO and returns the extensions the server lists, by keyword.
func (s *session) ehlo(name string) (map[string]string, error) {
	msg, err := s.cmd(250, "EHLO "+name)
	if err != nil {
		return nil, err
	}
	ext := map[string]string{}
	lines := strings.Split(msg, "\n")
	for _, line := range lines[1:] { // the first line is the server's name
		k, v, _ := strings.Cut(line, " ")
		ext[strings.ToUpper(k)] = v
	}
	return ext, nil
}

// ctxErr prefers the context's error when it ended the exchange.
func (s *session) ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (%v)", ctx.Err(), err)
	}
	return err
}

// offers reports whether mech is among the space-separated mechanisms of an
// AUTH extension line.
func offers(mechs, mech string) bool {
	for _, m := range strings.Fields(mechs) {
		if strings.EqualFold(m, mech) {
			return true
		}
	}
	return false
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
