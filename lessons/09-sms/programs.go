// You don't need to edit this file.

package sms

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/netkata/netkata/internal/cli"
)

// PasswordEnv is the environment variable that holds the provider's
// password, for both programs. A password is never a flag: flags show up in
// ps and in the shell's history.
const PasswordEnv = "SMS_PASSWORD"

// SMSMain is the sms program: it sends one message through the provider
// and prints the provider's smsid. It returns the exit status: 0 when the
// provider took the message, 1 when sending failed, 2 for bad flags or a
// missing password.
//
//	SMS_PASSWORD=... sms -addr 127.0.0.1:8086 -account demo -mobile 13800138000 -content 你好
//
// Without -content it sends the notes' verification message with a fresh
// code, and prints the code.
func SMSMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("sms", "send one text message through an SMS provider's HTTP API and print its smsid", stdout, stderr)
	baseURL := fs.String("url", DefaultBaseURL, "the provider's base `URL`")
	addr := fs.String("addr", "", "the provider's `host:port`, short for -url http://host:port")
	account := fs.String("account", "", "the provider `account` (APIID); the password comes from $"+PasswordEnv)
	mobile := fs.String("mobile", "", "the recipient's mobile `number` (11 digits, optional +86)")
	content := fs.String("content", "", "the message `text`; empty sends a verification code")
	timeout := fs.Duration("timeout", 10*time.Second, "give up after this long, retries included")
	fs.Check(func() error {
		if *addr != "" {
			if err := cli.HostPort(*addr); err != nil {
				return fmt.Errorf("-addr %s: %v", *addr, err)
			}
		}
		return nil
	})
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	usage := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "sms: "+format+"\n", args...)
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case *addr != "" && *baseURL != DefaultBaseURL:
		return usage("-addr and -url both name the provider: give one")
	case *account == "":
		return usage("-account is required")
	}
	if *addr != "" {
		if _, _, err := net.SplitHostPort(*addr); err != nil {
			return usage("-addr %v", err)
		}
		*baseURL = "http://" + *addr
	}
	number, err := NormalizeMobile(*mobile)
	if err != nil {
		return usage("-mobile: %v", err)
	}
	password := os.Getenv(PasswordEnv)
	if password == "" {
		return usage("set %s to the provider's password (it is never a flag)", PasswordEnv)
	}
	text := *content
	if text == "" {
		code, err := NewCode(rand.Reader)
		if err != nil {
			fmt.Fprintf(stderr, "sms: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "code %s\n", code)
		text = "您的验证码是:" + code + "。请不要把验证码泄露给其他人。" // the notes' message
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	c := &Client{
		BaseURL:  *baseURL,
		Account:  *account,
		Password: password,
		Logf:     func(format string, args ...any) { fmt.Fprintln(stderr, cli.Printable(fmt.Sprintf(format, args...))) },
	}
	// The provider's words (msg, smsid, an error page's status) are
	// untrusted: printed with their control characters escaped.
	reply, err := c.Send(ctx, Message{Mobile: number, Content: text})
	if err != nil {
		fmt.Fprintln(stderr, cli.Printable(err.Error()))
		return 1
	}
	fmt.Fprintln(stdout, cli.Printable(fmt.Sprintf("sent to %s: smsid %s (%s)", number, reply.SMSID, reply.Msg)))
	return 0
}

// ProviderMain is the smsprovider program: a fake of the notes' provider
// on -addr, for trying sms end to end (see Provider). It prints "listening
// on HOST:PORT", then one line per request. It accepts -account and the
// password in the file -password-file names, else in $SMS_PASSWORD (any
// password when both are empty). It returns 0 after SIGINT or SIGTERM, 1
// if serving failed, 2 for bad flags.
func ProviderMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("smsprovider", "a fake SMS provider's HTTP API on your machine, for trying sms", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:8086", "listen on `host:port` (port 0 picks a free one)")
	account := fs.String("account", "demo", "the `account` to accept")
	failFirst := fs.Int("fail-first", 0, "answer the first `n` requests with HTTP 503")
	passwordFile := fs.String("password-file", "", "read the password to accept from this `file` (default $"+PasswordEnv+")")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "smsprovider: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	password := os.Getenv(PasswordEnv)
	if *passwordFile != "" {
		b, err := os.ReadFile(*passwordFile)
		if err != nil {
			fmt.Fprintf(stderr, "smsprovider: -password-file: %v\n", err)
			return 2
		}
		password = strings.TrimRight(string(b), "\r\n")
	}
	p := &Provider{Account: *account, Password: password, FailFirst: *failFirst, Log: stdout}
	if p.Password == "" {
		fmt.Fprintf(stderr, "smsprovider: no password set: accepting any password\n")
	}
	return cli.ServeHTTP("smsprovider", *addr, p, stdout, stderr)
}
