package mailer

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gomail "github.com/emersion/go-message/mail"
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/netkata/netkata/internal/scripts"
)

// programs are the lesson's commands, run in-process by the scenarios.
var programs = map[string]func(){
	"sendmail": func() { os.Exit(SendmailMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"devsmtp":  func() { os.Exit(DevSMTPMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs the scenarios with two commands of this lesson's own:
//
//	readmail FILE   decode the last message devsmtp printed to FILE, with
//	                go-message (any valid encoding of a header reads the same)
//	smtppeer VAR [REPLY...]
//	                listen on loopback; to every client send the first
//	                REPLY, the next after each line it reads, then say
//	                nothing; $VAR is the address
func TestScripts(t *testing.T) {
	p := scripts.Params(t)
	p.Cmds["readmail"] = cmdReadMail
	p.Cmds["smtppeer"] = cmdPeer
	testscript.Run(t, p)
}

// cmdReadMail prints the decoded headers and parts of the last message in
// a devsmtp output file:
//
//	From: 王大锤 <abcdefg@126.com>
//	Subject: 本月数据
//	text: 附件中有本月数据请查收
//	attachment: 汇总数据.xlsx application/vnd...sheet 25 bytes
func cmdReadMail(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: readmail FILE")
	}
	out := ts.ReadFile(args[0])
	start := strings.LastIndex("\n"+out, "\n--- message from ") // where the line starts in out
	if start < 0 {
		ts.Fatalf("readmail: no message in %s", args[0])
	}
	_, msg, _ := strings.Cut(out[start:], "---\n")
	msg, _, ok := strings.Cut(msg, "--- end ---")
	if !ok {
		ts.Fatalf("readmail: the last message in %s has no end line", args[0])
	}
	raw := strings.ReplaceAll(msg, "\n", "\r\n") // devsmtp printed it with \n
	mr, err := gomail.CreateReader(bytes.NewReader([]byte(raw)))
	if err != nil {
		ts.Fatalf("readmail: go-message cannot read the message: %v", err)
	}
	w := ts.Stdout()
	for _, key := range []string{"From", "To", "Cc"} {
		if list, err := mr.Header.AddressList(key); err == nil && len(list) > 0 {
			var s []string
			for _, a := range list {
				s = append(s, fmt.Sprintf("%s <%s>", a.Name, a.Address))
			}
			fmt.Fprintf(w, "%s: %s\n", key, strings.Join(s, ", "))
		}
	}
	subject, err := mr.Header.Subject()
	if err != nil {
		ts.Fatalf("readmail: Subject %q: %v", mr.Header.Get("Subject"), err)
	}
	fmt.Fprintf(w, "Subject: %s\n", subject)
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			ts.Fatalf("readmail: %v", err)
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			ts.Fatalf("readmail: %v", err)
		}
		switch h := p.Header.(type) {
		case *gomail.InlineHeader:
			fmt.Fprintf(w, "text: %s\n", body)
		case *gomail.AttachmentHeader:
			name, err := h.Filename()
			if err != nil {
				ts.Fatalf("readmail: attachment file name: %v", err)
			}
			ct, _, _ := h.ContentType()
			fmt.Fprintf(w, "attachment: %s %s %d bytes\n", name, ct, len(body))
		}
	}
}

// cmdPeer starts a server until the script ends. To each connection it
// sends the first reply, then one more reply after each line it reads,
// then it never says a word. Replies may hold Go escapes such as \x1b.
func cmdPeer(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 {
		ts.Fatalf("usage: smtppeer VAR [REPLY...]")
	}
	var replies []string
	for _, a := range args[1:] {
		r, err := strconv.Unquote(`"` + a + `"`)
		if err != nil {
			ts.Fatalf("smtppeer: reply %s: %v", a, err)
		}
		replies = append(replies, r+"\r\n")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ts.Fatalf("smtppeer: %v", err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.SetDeadline(time.Now().Add(scripts.Timeout))
				br := bufio.NewReader(c)
				for i, r := range replies {
					if i > 0 {
						if _, err := br.ReadString('\n'); err != nil {
							return
						}
					}
					if _, err := io.WriteString(c, r); err != nil {
						return
					}
				}
			}()
		}
	}()
	ts.Defer(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	ts.Setenv(args[0], ln.Addr().String())
}
