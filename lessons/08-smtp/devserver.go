package mailer

// You don't need to edit this file.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Delivery is one message a DevServer accepted.
type Delivery struct {
	From  string
	Rcpts []string
	Data  []byte
}

// DevServer is a development mail server (on github.com/emersion/go-smtp)
// that keeps what it is sent instead of delivering it. The devsmtp program
// and the lesson's tests run it on loopback.
type DevServer struct {
	// Users maps user names to passwords for AUTH PLAIN; nil accepts anyone.
	Users map[string]string
	// RequireAuth refuses MAIL (530) until the client has logged in.
	RequireAuth bool
	// Reject lists recipients answered with 550.
	Reject map[string]bool
	// OnDeliver, if set, is called with each message accepted.
	OnDeliver func(Delivery)

	mu         sync.Mutex
	deliveries []Delivery
	authTLS    []bool
}

// Deliveries returns the messages accepted so far.
func (d *DevServer) Deliveries() []Delivery {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Delivery(nil), d.deliveries...)
}

// AuthsOverTLS tells, for each AUTH attempt so far, whether the connection
// was encrypted at the time.
func (d *DevServer) AuthsOverTLS() []bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]bool(nil), d.authTLS...)
}

// NewSession implements smtp.Backend.
func (d *DevServer) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &devSession{d: d, c: c}, nil
}

type devSession struct {
	d      *DevServer
	c      *smtp.Conn
	authed bool
	from   string
	rcpts  []string
}

func (s *devSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *devSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		_, encrypted := s.c.TLSConnectionState()
		s.d.mu.Lock()
		s.d.authTLS = append(s.d.authTLS, encrypted)
		s.d.mu.Unlock()
		if want, ok := s.d.Users[username]; s.d.Users != nil && (!ok || want != password) {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *devSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.d.RequireAuth && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *devSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.d.Reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.rcpts = append(s.rcpts, to)
	return nil
}

func (s *devSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	dl := Delivery{From: s.from, Rcpts: s.rcpts, Data: b}
	s.d.mu.Lock()
	s.d.deliveries = append(s.d.deliveries, dl)
	s.d.mu.Unlock()
	if s.d.OnDeliver != nil {
		s.d.OnDeliver(dl)
	}
	return nil
}

func (s *devSession) Reset()        { s.from, s.rcpts = "", nil }
func (s *devSession) Logout() error { return nil }

// SelfSigned makes a one-day certificate for localhost, 127.0.0.1, ::1 and
// the extra names given, and returns it with a pool that trusts it and its
// PEM encoding (for a client's -cafile).
func SelfSigned(names ...string) (tls.Certificate, *x509.CertPool, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "netkata devsmtp"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
		DNSNames:              append([]string{"localhost"}, names...),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, nil, fmt.Errorf("make certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool,
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
