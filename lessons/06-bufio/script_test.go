package lineproto

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"greetserver": func() { os.Exit(GreetServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"kvserver":    func() { os.Exit(KVServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"kvclient":    func() { os.Exit(KVClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
}

// TestScripts runs testscripts/06-bufio with the shared commands and one of
// this lesson's own: nc ADDR FILE sends FILE's bytes raw to ADDR, half-closes,
// and writes what comes back, until the server closes, to stdout. It plays
// the notes' Python client, byte for byte (scripts has no raw TCP client).
func TestScripts(t *testing.T) {
	requireWritten(t)
	p := scripts.Params(t)
	p.Cmds["nc"] = cmdNC
	testscript.Run(t, p)
}

func cmdNC(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: nc ADDR FILE")
	}
	data := ts.ReadFile(args[1])
	conn, err := net.DialTimeout("tcp", args[0], scripts.Timeout)
	ts.Check(err)
	defer conn.Close()
	ts.Check(conn.SetDeadline(time.Now().Add(scripts.Timeout)))
	_, err = conn.Write([]byte(data))
	ts.Check(err)
	ts.Check(conn.(*net.TCPConn).CloseWrite())
	got, err := io.ReadAll(conn)
	ts.Check(err)
	ts.Stdout().Write(got)
}

// requireWritten fails the test at once, naming the function, while a stub
// the programs call still returns ErrTODO: the scenarios would only fail
// later and less clearly.
func requireWritten(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // each Serve must return at once, with nil
	checks := []struct {
		name string
		err  error
	}{
		{"ServeGreet (step 1)", ServeGreet(ctx, loopback.Listen(t))},
		{"ServeKV (step 2)", ServeKV(ctx, loopback.Listen(t), NewStore())},
		{"ParseCommand (step 2)", func() error { _, err := ParseCommand([]byte("QUIT")); return err }()},
		{"Client.Pipeline (step 3)", NewClient(nil).Pipeline(nil, nil)},
	}
	for _, c := range checks {
		if errors.Is(c.err, ErrTODO) {
			t.Fatalf("the programs run your code, and %s is not written yet: %v", c.name, c.err)
		}
	}
}
