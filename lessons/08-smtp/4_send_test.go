package mailer

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// sendCtx is a context that ends when the test's network timeout does.
func sendCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
	t.Cleanup(cancel)
	return ctx
}

// smtpLog is the conversation so far, for failure messages.
func smtpLog(t *testing.T) string {
	return "conversation (C: your client, S: the server):\n" + transcript.For(t).String()
}

// clientSaid is everything the client sent so far, in clear text.
func clientSaid(t *testing.T) string {
	return string(transcript.For(t).Sent("smtp", transcript.Client))
}

func TestStep4_SendOverSTARTTLS(t *testing.T) {
	readme.Explain(t)
	srv := startSMTP(t, smtpdOptions{tls: true})
	m := notesMessage()
	raw := compose(t, m)
	cfg := Config{Addr: srv.addr, TLS: srv.clientTLS(), Username: testUser, Password: testPassword}
	require.Equal(t, []string{"uvwxyz@qq.com", "uvwxyz@126.com", "hidden@example.com"}, m.Recipients(),
		"Recipients: To, Cc and Bcc, in that order")
	err := Send(sendCtx(t), cfg, m.From.Address, m.Recipients(), raw)
	require.NoError(t, err, "Send over STARTTLS with AUTH (%s)\n%s", readme.Ref(t), smtpLog(t))
	got := srv.Deliveries()
	require.Len(t, got, 1, "messages delivered\n%s", smtpLog(t))
	require.Equal(t, "abcdefg@126.com", got[0].From, "MAIL FROM")
	require.Equal(t, m.Recipients(), got[0].Rcpts, "RCPT TO: every recipient, Bcc included")
	require.Equal(t, string(raw), string(got[0].Data), "the message the server received")
	require.NotContains(t, string(got[0].Data), "hidden@example.com", "Bcc leaked into the delivered message")
	require.Equal(t, []bool{true}, srv.AuthsOverTLS(), "AUTH happened once, and only after STARTTLS\n%s", smtpLog(t))
}

func TestStep4_RefusesWithoutSTARTTLS(t *testing.T) {
	readme.Explain(t)
	srv := startSMTP(t, smtpdOptions{tls: false, insecureAuth: true})
	cfg := Config{Addr: srv.addr, TLS: &tlsConfigNoVerify, Username: testUser, Password: testPassword}
	err := Send(sendCtx(t), cfg, "abcdefg@126.com", []string{"uvwxyz@qq.com"}, compose(t, notesMessage()))
	require.ErrorIs(t, err, ErrNoStartTLS, "Send with TLS required to a server that does not offer STARTTLS\n%s", smtpLog(t))
	said := clientSaid(t)
	require.NotContains(t, said, "AUTH", "the client sent AUTH over a plain connection\n%s", smtpLog(t))
	require.NotContains(t, said, "MAIL FROM", "the client went on without TLS\n%s", smtpLog(t))
	require.Empty(t, srv.Deliveries())
}

func TestStep4_AuthOnlyOverTLSOrLoopback(t *testing.T) {
	readme.Explain(t)
	srv := startSMTP(t, smtpdOptions{tls: false, insecureAuth: true})
	raw := compose(t, notesMessage())

	// To a loopback address, a password without TLS is acceptable.
	cfg := Config{Addr: srv.addr, Username: testUser, Password: testPassword}
	require.NoError(t, Send(sendCtx(t), cfg, "abcdefg@126.com", []string{"uvwxyz@qq.com"}, raw),
		"Send with AUTH to %s without TLS\n%s", srv.addr, smtpLog(t))

	// To a server by name, never: the dial leads to the same loopback server.
	_, port, _ := net.SplitHostPort(srv.addr)
	cfg.Addr = "smtp.126.com:" + port
	cfg.Dial = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.addr)
	}
	before := strings.Count(clientSaid(t), "AUTH")
	err := Send(sendCtx(t), cfg, "abcdefg@126.com", []string{"uvwxyz@qq.com"}, raw)
	require.ErrorIs(t, err, ErrInsecureAuth, "Send with AUTH to smtp.126.com without TLS\n%s", smtpLog(t))
	require.Equal(t, before, strings.Count(clientSaid(t), "AUTH"), "the password was sent in the clear\n%s", smtpLog(t))
}

func TestStep4_TypedErrors(t *testing.T) {
	readme.Explain(t)
	srv := startSMTP(t, smtpdOptions{tls: true, rejectRcpts: []string{"nobody@qq.com"}})
	raw := compose(t, notesMessage())

	cfg := Config{Addr: srv.addr, TLS: srv.clientTLS(), Username: testUser, Password: "wrong-" + testPassword}
	err := Send(sendCtx(t), cfg, "abcdefg@126.com", []string{"uvwxyz@qq.com"}, raw)
	require.ErrorIs(t, err, ErrAuthFailed, "Send with a wrong password\n%s", smtpLog(t))
	var re *ReplyError
	require.ErrorAs(t, err, &re)
	require.Equal(t, 535, re.Code)
	require.False(t, leaksPassword(err.Error()), "the error holds the password: %q", err)

	cfg.Password = testPassword
	err = Send(sendCtx(t), cfg, "abcdefg@126.com", []string{"uvwxyz@qq.com", "nobody@qq.com"}, raw)
	var rcptErr *RecipientError
	require.ErrorAs(t, err, &rcptErr, "Send to a recipient the server refuses\n%s", smtpLog(t))
	require.Equal(t, "nobody@qq.com", rcptErr.Addr)
	require.Equal(t, 550, rcptErr.Reply.Code)
	require.False(t, leaksPassword(err.Error()), "the error holds the password: %q", err)
	require.Empty(t, srv.Deliveries(), "nothing is delivered when a recipient is refused")
}

func TestStep4_DotStuffing(t *testing.T) {
	readme.Explain(t)
	srv := startSMTP(t, smtpdOptions{tls: true})
	raw := []byte("From: a@example.com\r\nTo: b@example.com\r\nSubject: dots\r\n\r\n" +
		"a line\r\n.\r\n.hidden starts with a dot\r\n..two dots\r\nthe end\r\n")
	cfg := Config{Addr: srv.addr, TLS: srv.clientTLS()}
	require.NoError(t, Send(sendCtx(t), cfg, "a@example.com", []string{"b@example.com"}, raw), "Send\n%s", smtpLog(t))
	got := srv.Deliveries()
	require.Len(t, got, 1, "messages delivered\n%s", smtpLog(t))
	require.Equal(t, string(raw), string(got[0].Data),
		"the delivered message differs: lines starting with \".\" need one more \".\" on the wire (RFC 5321 4.5.2)\n%s", smtpLog(t))
}

func TestStep4_ContextBoundsTheExchange(t *testing.T) {
	readme.Explain(t)
	ln := loopback.Listen(t) // accepts, and never says a word
	held := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err == nil {
			held <- conn
		}
	}()
	t.Cleanup(func() {
		select {
		case c := <-held:
			c.Close()
		default:
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	done := make(chan error, 1)
	go func() {
		done <- Send(ctx, Config{Addr: ln.Addr().String()}, "a@example.com", []string{"b@example.com"}, []byte("x\r\n"))
	}()
	err := loopback.Wait(t, done, "Send to a server that never greets to give up when its context ends")
	require.True(t, errors.Is(err, context.DeadlineExceeded), "Send = %v after %v, want context.DeadlineExceeded", err, time.Since(start))
}

func TestStep4_EnvelopeRefusesLineBreaks(t *testing.T) {
	readme.Explain(t)
	srv := startSMTP(t, smtpdOptions{tls: true})
	raw := compose(t, notesMessage())
	cfg := Config{Addr: srv.addr, TLS: srv.clientTLS()}
	for _, tc := range []struct {
		name, from string
		to         []string
	}{
		{"a recipient", "abcdefg@126.com", []string{"uvwxyz@qq.com", "x>\r\nRCPT TO:<evil@example.com"}},
		{"a recipient with LF", "abcdefg@126.com", []string{"x>\nRCPT TO:<evil@example.com"}},
		{"the sender", "a@b.com>\r\nRCPT TO:<evil@example.com", []string{"uvwxyz@qq.com"}},
		{"a recipient with >", "abcdefg@126.com", []string{"x@example.com> NOTIFY=NEVER"}},
	} {
		err := Send(sendCtx(t), cfg, tc.from, tc.to, raw)
		requireOneOf(t, err, injectionOrAddress, "Send with %s from %q to %q", tc.name, tc.from, tc.to)
		said := clientSaid(t)
		require.NotContains(t, said, "evil", "%s: a line break in an envelope address became a command of its own: check every address before sending it\n%s", tc.name, smtpLog(t))
		require.NotContains(t, said, "NOTIFY", "%s: a \">\" in an envelope address ended the address early\n%s", tc.name, smtpLog(t))
	}
	require.Empty(t, srv.Deliveries(), "nothing is delivered when an envelope address is refused")
}

func TestStep4_AuthOnlyWhereOffered(t *testing.T) {
	readme.Explain(t)
	// Without TLS and without AllowInsecureAuth, go-smtp does not list AUTH.
	srv := startSMTP(t, smtpdOptions{tls: false, insecureAuth: false})
	cfg := Config{Addr: srv.addr, Username: testUser, Password: testPassword}
	err := Send(sendCtx(t), cfg, "abcdefg@126.com", []string{"uvwxyz@qq.com"}, compose(t, notesMessage()))
	require.ErrorIs(t, err, ErrAuthNotOffered, "Send with a Username to a server whose EHLO lists no AUTH PLAIN\n%s", smtpLog(t))
	require.NotContains(t, clientSaid(t), "AUTH", "the client sent AUTH to a server that never offered it: check the EHLO reply first\n%s", smtpLog(t))
	require.False(t, leaksPassword(err.Error()), "the error holds the password: %q", err)
	require.Empty(t, srv.Deliveries())
}

func TestStep4_SendmailTimeout(t *testing.T) {
	readme.Explain(t)
	// A server that accepts and then says nothing, not even its greeting.
	addr := loopback.Fake(t, func(conn net.Conn) { io.Copy(io.Discard, conn) })
	args := []string{"-addr", addr, "-timeout", "300ms", "-from", "me@example.com",
		"-to", "you@example.com", "-subject", "hi", "-body", "hello"}
	var stdout, stderr bytes.Buffer
	done := make(chan int, 1)
	go func() { done <- SendmailMain(args, &stdout, &stderr) }()
	code := loopback.Wait(t, done, "sendmail -timeout 300ms to give up on a server that never answers")
	require.Equal(t, 1, code, "sendmail's exit status; stderr:\n%s", stderr.String())
	require.Contains(t, stderr.String(), "within -timeout 300ms",
		"sendmail %s: stderr should say the server did not answer within -timeout (Send must end when ctx does: %s)",
		strings.Join(args, " "), readme.Ref(t))
}
