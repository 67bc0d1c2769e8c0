package tcp

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/scripts"
	"github.com/rogpeppe/go-internal/testscript"
)

var programs = map[string]func(){
	"timeserver": func() { os.Exit(TimeServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"timeclient": func() { os.Exit(TimeClientMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"echoserver": func() { os.Exit(EchoServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"echoclient": func() { os.Exit(EchoClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	"webserver":  func() { os.Exit(WebServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs the programs end to end: testscripts/02-tcp/*.txtar,
// with the shared commands and this lesson's rawhttp.
func TestScripts(t *testing.T) {
	p := scripts.Params(t)
	p.Cmds["rawhttp"] = cmdRawHTTP
	stopServersSafely(&p)
	if files, _ := filepath.Glob(filepath.Join(p.Dir, "*.txtar")); len(files) == 0 {
		t.Fatalf("no scenarios in %s", p.Dir)
	}
	testscript.Run(t, p)
}

// cmdRawHTTP is "rawhttp ADDR FILE": it sends FILE to ADDR with every "\n"
// turned into "\r\n" (txtar files hold plain lines), half-closes, reads the
// reply until the server closes, and prints it with "\r\n" turned back
// into "\n".
func cmdRawHTTP(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: rawhttp ADDR FILE")
	}
	req := strings.ReplaceAll(ts.ReadFile(args[1]), "\n", "\r\n")
	conn, err := net.DialTimeout("tcp", args[0], scripts.Timeout)
	ts.Check(err)
	defer conn.Close()
	ts.Check(conn.SetDeadline(time.Now().Add(scripts.Timeout)))
	_, err = io.WriteString(conn, req)
	ts.Check(err)
	ts.Check(conn.(*net.TCPConn).CloseWrite())
	reply, err := io.ReadAll(conn)
	ts.Check(err)
	ts.Stdout().Write([]byte(strings.ReplaceAll(string(reply), "\r\n", "\n")))
}

// stopServersSafely works around a crash in internal/scripts: at the end
// of a script, serve's own check stops a server still registered and calls
// ts.Fatalf if it exits non-zero. ts.Fatalf panics, and outside a command
// nothing recovers that panic, so a server that died on its own (as the
// stubs' do, Serve returning ErrTODO at once) takes the whole test binary
// down and hides every other test's result. Here each script stops its
// servers first, in a deferred function that turns that panic into a
// failed test. (The fix belongs in internal/scripts; remove this then.)
func stopServersSafely(p *testscript.Params) {
	type key struct{}
	type state struct {
		t    testscript.T
		open map[string]bool // started by serve, not yet shut down
	}
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Values[key{}] = &state{t: env.T(), open: map[string]bool{}}
		return setup(env)
	}
	serve, shutdown := p.Cmds["serve"], p.Cmds["shutdown"]
	p.Cmds["serve"] = func(ts *testscript.TestScript, neg bool, args []string) {
		serve(ts, neg, args)
		st, name := ts.Value(key{}).(*state), args[0]
		st.open[name] = true
		ts.Defer(func() {
			if !st.open[name] {
				return
			}
			delete(st.open, name)
			defer func() {
				r := recover()
				if r == nil {
					return
				}
				if err, ok := r.(error); !ok || err.Error() != "fail now!" {
					panic(r)
				}
				st.t.(interface{ Fail() }).Fail() // the reason is in the script's log
			}()
			shutdown(ts, false, []string{name})
		})
	}
	p.Cmds["shutdown"] = func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) == 1 {
			delete(ts.Value(key{}).(*state).open, args[0])
		}
		shutdown(ts, neg, args)
	}
}
