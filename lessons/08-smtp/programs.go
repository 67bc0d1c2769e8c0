package mailer

// You don't need to edit this file.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/netkata/netkata/internal/atomicfile"
	"github.com/netkata/netkata/internal/cli"
)

// PasswordEnv is the environment variable sendmail reads the password
// from: a password in a flag would show in ps and in shell history.
const PasswordEnv = "SMTP_PASSWORD"

// SendmailMain is the sendmail program: it composes a message from its
// flags and sends it. It returns 0 when the server took the message, 1 when
// composing or sending failed, 2 for bad flags.
//
//	SMTP_PASSWORD=... sendmail -addr smtp.126.com:587 -user abcdefg@126.com \
//	    -from '王大锤 <abcdefg@126.com>' -to '老吴 <uvwxyz@qq.com>' \
//	    -subject 本月数据 -body 附件中有本月数据请查收 -attach 汇总数据.xlsx
func SendmailMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("sendmail", "compose a message (with attachments) from flags and send it over SMTP", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:2525", "the SMTP server's `host:port`")
	from := fs.String("from", "", "the sender, `'Name <addr>'` or addr")
	to := fs.String("to", "", "recipients, comma-separated")
	cc := fs.String("cc", "", "copy recipients, comma-separated")
	bcc := fs.String("bcc", "", "blind copy recipients, comma-separated (never shown in the message)")
	subject := fs.String("subject", "", "the subject")
	body := fs.String("body", "", "the text; - reads it from standard input")
	user := fs.String("user", "", "log in as `name` (password from $"+PasswordEnv+")")
	noTLS := fs.Bool("no-starttls", false, "do not require STARTTLS (only for a server on this machine)")
	timeout := fs.Duration("timeout", time.Minute, "give up on the whole exchange after `d`")
	caFile := fs.String("cafile", "", "trust the server certificate(s) in this PEM `file` (devsmtp -certout writes one)")
	var attach []string
	fs.Func("attach", "attach this `file` (repeat for more)", func(s string) error {
		attach = append(attach, s)
		return nil
	})
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	// Errors hold the server's words: strip what a terminal would obey.
	fail := func(err error) int {
		fmt.Fprintf(stderr, "sendmail: %s\n", cli.Printable(err.Error()))
		return 1
	}
	password, hasPassword := os.LookupEnv(PasswordEnv)
	if *user != "" && (!hasPassword || password == "") {
		fmt.Fprintf(stderr, "sendmail: -user %s needs the password in $%s (not a flag: flags show in ps)\n", *user, PasswordEnv)
		return 2
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "sendmail: -timeout %v: want a positive duration\n", *timeout)
		return 2
	}
	m := &Message{Subject: *subject}
	var err error
	if m.From, err = mail.ParseAddress(*from); err != nil {
		fmt.Fprintf(stderr, "sendmail: -from %q: %v\n", *from, err)
		return 2
	}
	for _, list := range []struct {
		flag, value string
		dst         *[]*mail.Address
	}{{"-to", *to, &m.To}, {"-cc", *cc, &m.Cc}, {"-bcc", *bcc, &m.Bcc}} {
		if list.value == "" {
			continue
		}
		if *list.dst, err = mail.ParseAddressList(list.value); err != nil {
			fmt.Fprintf(stderr, "sendmail: %s %q: %v\n", list.flag, list.value, err)
			return 2
		}
	}
	m.Text = *body
	if *body == "-" {
		b, err := io.ReadAll(os.Stdin)
		if err != nil {
			return fail(err)
		}
		m.Text = string(b)
	}
	for _, path := range attach {
		data, err := os.ReadFile(path)
		if err != nil {
			return fail(err)
		}
		m.Attachments = append(m.Attachments, Attachment{Name: filepath.Base(path), Data: data})
	}
	raw, err := m.Bytes()
	if err != nil {
		return fail(err)
	}
	cfg := Config{Addr: *addr, Username: *user, Password: password}
	if !*noTLS {
		cfg.TLS = &tls.Config{}
		if *caFile != "" {
			pem, err := os.ReadFile(*caFile)
			if err != nil {
				return fail(err)
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return fail(fmt.Errorf("no certificate in %s", *caFile))
			}
			cfg.TLS.RootCAs = pool
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := Send(ctx, cfg, m.From.Address, m.Recipients(), raw); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fail(fmt.Errorf("no answer from %s within -timeout %v: %w", *addr, *timeout, err))
		}
		return fail(err)
	}
	fmt.Fprintf(stdout, "sent %q to %d recipients\n", m.Subject, len(m.Recipients()))
	return 0
}

// DevSMTPMain is the devsmtp program: a mail server for trying sendmail on
// your own machine. It accepts every message (and any login; with -user and
// $SMTP_PASSWORD, only mail sent after logging in as that user) and prints
// each one to stdout instead of delivering it, control characters escaped. With -certout it offers STARTTLS with a new self-signed
// certificate, written to that file for sendmail -cafile.
func DevSMTPMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("devsmtp", "a mail server for trying sendmail locally: prints each message instead of delivering it", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:2525", "listen on `host:port` (port 0 picks a free one)")
	certOut := fs.String("certout", "", "offer STARTTLS, and write the certificate to this PEM `file`")
	user := fs.String("user", "", "accept only this user (password from $"+PasswordEnv+")")
	reject := fs.String("reject", "", "answer 550 to these recipients, comma-separated")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	dev := &DevServer{Reject: map[string]bool{}}
	if *user != "" {
		password := os.Getenv(PasswordEnv)
		if password == "" {
			fmt.Fprintf(stderr, "devsmtp: -user %s needs the password in $%s\n", *user, PasswordEnv)
			return 2
		}
		dev.Users = map[string]string{*user: password}
		dev.RequireAuth = true
	}
	for _, r := range strings.Split(*reject, ",") {
		if r = strings.TrimSpace(r); r != "" {
			dev.Reject[r] = true
		}
	}
	out := make(chan Delivery, 16)
	dev.OnDeliver = func(d Delivery) { out <- d }
	srv := smtp.NewServer(dev)
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	srv.AllowInsecureAuth = true // a server for this machine only
	if *certOut != "" {
		cert, _, pemBytes, err := SelfSigned()
		if err != nil {
			fmt.Fprintf(stderr, "devsmtp: %v\n", err)
			return 1
		}
		if err := atomicfile.WriteFile(*certOut, pemBytes, 0o644); err != nil {
			fmt.Fprintf(stderr, "devsmtp: %v\n", err)
			return 1
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	return cli.Serve("devsmtp", "tcp", *addr, stdout, stderr, func(ctx context.Context, ln net.Listener) error {
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		for {
			select {
			case d := <-out:
				// What a client sends is untrusted: no escape codes reach the terminal.
				fmt.Fprintf(stdout, "--- message from %s to %s ---\n%s--- end ---\n",
					cli.Printable(d.From), cli.Printable(strings.Join(d.Rcpts, ", ")),
					cli.Printable(strings.ReplaceAll(string(d.Data), "\r\n", "\n"), '\n', '\t'))
			case <-ctx.Done():
				srv.Close()
				<-served
				return nil
			case err := <-served:
				if errors.Is(err, smtp.ErrServerClosed) {
					return nil
				}
				return err
			}
		}
	})
}
