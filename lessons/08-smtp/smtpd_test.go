package mailer

import (
	"crypto/tls"
	"crypto/x509"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/transcript"
)

// testUser and testPassword are the only credentials the test server takes.
const (
	testUser     = "abcdefg@126.com"
	testPassword = "secretpass-9f2c"
)

// smtpd is a real SMTP server (a DevServer, on github.com/emersion/go-smtp)
// on loopback, for the test's client to talk to.
type smtpd struct {
	*DevServer
	addr string
	pool *x509.CertPool // trusts the server's certificate, when it has TLS
}

type smtpdOptions struct {
	tls          bool     // offer STARTTLS
	insecureAuth bool     // allow AUTH without TLS
	rejectRcpts  []string // answer 550 to these recipients
}

// startSMTP starts a server that lives until the test ends. Its side of
// the conversation goes to the test's transcript.
func startSMTP(t *testing.T, o smtpdOptions) *smtpd {
	t.Helper()
	s := &smtpd{DevServer: &DevServer{Users: map[string]string{testUser: testPassword}, Reject: map[string]bool{}}}
	for _, r := range o.rejectRcpts {
		s.Reject[r] = true
	}
	srv := smtp.NewServer(s.DevServer)
	srv.Domain = "mail.example.com"
	srv.AllowInsecureAuth = o.insecureAuth
	srv.ReadTimeout = loopback.Timeout
	srv.WriteTimeout = loopback.Timeout
	srv.Debug = &labeler{log: transcript.For(t)}
	srv.ErrorLog = discardLogger{}
	if o.tls {
		cert, pool, _, err := SelfSigned("mail.example.com")
		if err != nil {
			t.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.pool = pool
	}
	ln := loopback.Listen(t)
	s.addr = ln.Addr().String()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ln.Close() // if Serve has not started yet, Close alone would leave it blocked in Accept
		srv.Close()
		<-served
	})
	return s
}

func (s *smtpd) clientTLS() *tls.Config { return &tls.Config{RootCAs: s.pool} }

// labeler turns go-smtp's debug stream (both directions mixed, in clear
// text even after STARTTLS) into transcript lines: a line that starts with
// a reply code is the server's, any other the client's.
type labeler struct {
	log *transcript.Log
	mu  sync.Mutex
	buf []byte
}

var replyLine = regexp.MustCompile(`^\d{3}[ -]`)

func (l *labeler) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := strings.IndexByte(string(l.buf), '\n')
		if i < 0 {
			return len(p), nil
		}
		line := l.buf[:i+1]
		dir := transcript.Client
		if replyLine.Match(line) {
			dir = transcript.Server
		}
		l.log.Add("smtp", dir, line)
		l.buf = l.buf[i+1:]
	}
}

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}

// leaksPassword reports whether text holds the test password, in clear or
// in the base64 of AUTH PLAIN.
func leaksPassword(text string) bool {
	return strings.Contains(text, testPassword) || strings.Contains(text, "secretpass") ||
		strings.Contains(text, b64("\x00"+testUser+"\x00"+testPassword))
}

// tlsConfigNoVerify is a client TLS config for a test where no handshake
// may ever happen.
var tlsConfigNoVerify = tls.Config{InsecureSkipVerify: true}
