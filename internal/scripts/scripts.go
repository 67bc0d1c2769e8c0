// Package scripts runs a lesson's testscript scenarios (testscripts/NN-name/
// *.txtar) with the commands every lesson shares:
//
//	serve VAR [NAME=VALUE...] PROGRAM [ARG...]
//	                             start a server in the background, wait for its
//	                             "listening on HOST:PORT" line, set $VAR to HOST:PORT
//	shutdown VAR                 SIGINT the server, wait, fail unless it exits 0;
//	                             its output is then in $WORK/VAR.stdout and VAR.stderr
//	waitline VAR REGEXP          wait until the server's stdout has a matching line
//	waitfile PATH                wait until PATH exists
//	cmpfile A B                  compare two files byte for byte (binary-safe)
//	netcat [-crlf] ADDR FILE     send FILE's bytes to ADDR over TCP, half-close,
//	                             and print what comes back until the peer closes;
//	                             -crlf sends each "\n" as "\r\n" and prints "\r\n" as "\n"
//
// $TESTDATA is the lesson's testdata folder (absolute), for binary inputs a
// txtar cannot hold.
//
// serve passes the script's starting environment and the NAME=VALUE words
// given before PROGRAM; variables set later with env reach exec'd commands
// but not serve's (testscript does not expose them), so name them.
//
// A server still running when the script ends is shut down as by shutdown,
// and must exit 0. Every
// wait has a deadline (Timeout).
package scripts

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/netkata/netkata/internal/sockerr"
)

// Timeout bounds every wait of the commands above.
var Timeout = 10 * time.Second

// Run runs every script in ../../testscripts/<lesson>/ where <lesson> is the
// name of the working directory (go test runs in the lesson's folder). A
// lesson with no scripts fails: nothing ran is not a pass.
func Run(t *testing.T) {
	t.Helper()
	p := Params(t)
	files, _ := filepath.Glob(filepath.Join(p.Dir, "*.txtar"))
	if len(files) == 0 {
		t.Fatalf("no scenarios in %s: every lesson has at least one testscript", p.Dir)
	}
	testscript.Run(t, p)
}

// Params returns the testscript parameters Run uses, for a lesson that needs
// to add its own commands or setup.
func Params(t testing.TB) testscript.Params {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	testdata := filepath.Join(wd, "testdata")
	return testscript.Params{
		Dir:                 filepath.Join("..", "..", "testscripts", filepath.Base(wd)),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			env.Values[envKey{}] = env
			env.Values[testKey{}] = t
			env.Setenv("TESTDATA", testdata)
			return nil
		},
		Cmds: Commands(),
	}
}

// Commands returns the shared commands, to merge into a lesson's own Params.
func Commands() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	return map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"serve":     cmdServe,
		"shutdown":  cmdShutdown,
		"waitline":  cmdWaitLine,
		"waitfile":  cmdWaitFile,
		"cmpfile":   cmdCmpFile,
		"netcat":    cmdNetcat,
		"httpreply": cmdHTTPReply,
	}
}

type (
	envKey  struct{}
	testKey struct{}
)

// deferredFail returns how to report a failure found after the script ran:
// an error on the test that runs the scripts, naming the script.
func deferredFail(ts *testscript.TestScript) func(format string, args ...any) {
	t, _ := ts.Value(testKey{}).(testing.TB)
	return func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		ts.Logf("%s", msg)
		if t != nil {
			t.Errorf("%s: %s", ts.Name(), msg)
		}
	}
}

// server is one background program started by serve.
type server struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited and output is read
	err  error         // cmd.Wait's result, valid after done

	mu     sync.Mutex
	cond   *sync.Cond
	stdout []string // complete lines so far
	stderr bytes.Buffer
}

func (s *server) lines() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.stdout...)
}

type serversKey struct{}

func servers(ts *testscript.TestScript) map[string]*server {
	env, _ := ts.Value(envKey{}).(*testscript.Env)
	if env == nil {
		ts.Fatalf("scripts: the script runs without scripts.Params' Setup")
	}
	m, _ := env.Values[serversKey{}].(map[string]*server)
	if m == nil {
		m = map[string]*server{}
		env.Values[serversKey{}] = m
	}
	return m
}

// environ rebuilds the script's current environment for a child process.
func environ(ts *testscript.TestScript) []string {
	env := ts.Value(envKey{}).(*testscript.Env)
	seen := map[string]bool{}
	var out []string
	for _, kv := range env.Vars {
		k, _, _ := strings.Cut(kv, "=")
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k+"="+ts.Getenv(k))
	}
	for name := range servers(ts) {
		if !seen[name] {
			out = append(out, name+"="+ts.Getenv(name))
		}
	}
	return out
}

var (
	listeningRE = regexp.MustCompile(`^listening on (\S+)$`)
	envAssignRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
)

func cmdServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: serve VAR [NAME=VALUE...] PROGRAM [ARG...]")
	}
	name := args[0]
	args = args[1:]
	var extraEnv []string
	for len(args) > 0 && envAssignRE.MatchString(args[0]) {
		extraEnv = append(extraEnv, args[0])
		args = args[1:]
	}
	if len(args) == 0 {
		ts.Fatalf("usage: serve VAR [NAME=VALUE...] PROGRAM [ARG...]")
	}
	prog := args[0]
	args = append([]string{name, prog}, args[1:]...)
	if _, ok := servers(ts)[name]; ok {
		ts.Fatalf("serve: %s is already serving", name)
	}
	path, err := exec.LookPath(prog)
	if err != nil {
		ts.Fatalf("serve: %v", err)
	}
	cmd := exec.Command(path, args[2:]...)
	cmd.Dir = ts.MkAbs(".")
	cmd.Env = append(environ(ts), extraEnv...)
	s := &server{name: name, cmd: cmd, done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	stdout, err := cmd.StdoutPipe()
	ts.Check(err)
	cmd.Stderr = &lockedWriter{mu: &s.mu, w: &s.stderr}
	ts.Check(cmd.Start())
	servers(ts)[name] = s
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			s.mu.Lock()
			s.stdout = append(s.stdout, sc.Text())
			s.cond.Broadcast()
			s.mu.Unlock()
		}
		io.Copy(io.Discard, stdout)
		s.err = cmd.Wait()
		close(s.done)
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	}()
	ts.Defer(func() {
		// Deferred functions run after the script, where ts.Fatalf would
		// crash the test binary: report through the test instead.
		fail := deferredFail(ts)
		select {
		case <-s.done:
		default:
			if err := stopServer(ts, s, fail); err != nil {
				fail("%s exited with %v after SIGINT at the end of the script, want exit status 0; stderr: %q", name, err, s.stderrString())
			}
		}
	})
	line, ok := s.wait(listeningRE, Timeout)
	if !ok {
		stopServer(ts, s, func(string, ...any) {})
		ts.Fatalf("serve: %s did not print \"listening on HOST:PORT\" within %v; stdout: %q; stderr: %q",
			prog, Timeout, strings.Join(s.lines(), "\n"), s.stderrString())
	}
	addr := listeningRE.FindStringSubmatch(line)[1]
	ts.Setenv(name, addr)
	ts.Logf("%s is %s listening on %s", name, prog, addr)
}

func (s *server) stderrString() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// wait waits until a stdout line matches re, the process ends, or timeout
// passes, and returns the line.
func (s *server) wait(re *regexp.Regexp, timeout time.Duration) (string, bool) {
	timer := time.AfterFunc(timeout, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(timeout)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; ; {
		for ; i < len(s.stdout); i++ {
			if re.MatchString(s.stdout[i]) {
				return s.stdout[i], true
			}
		}
		select {
		case <-s.done:
			return "", false
		default:
		}
		if !time.Now().Before(deadline) {
			return "", false
		}
		s.cond.Wait()
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// stopServer interrupts s, waits for it and saves its output to $WORK. It
// returns the process's exit error (nil for status 0), and reports through
// fail if the process ignores SIGINT for Timeout.
func stopServer(ts *testscript.TestScript, s *server, fail func(format string, args ...any)) error {
	select {
	case <-s.done:
	default:
		if runtime.GOOS == "windows" {
			s.cmd.Process.Kill()
		} else if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
			s.cmd.Process.Kill()
		}
	}
	hung := false
	select {
	case <-s.done:
	case <-time.After(Timeout):
		hung = true
		s.cmd.Process.Kill()
		<-s.done
	}
	work := ts.Getenv("WORK")
	out := strings.Join(s.lines(), "\n")
	if out != "" {
		out += "\n"
	}
	if err := os.WriteFile(filepath.Join(work, s.name+".stdout"), []byte(out), 0o666); err != nil {
		fail("save %s's output: %v", s.name, err)
	}
	if err := os.WriteFile(filepath.Join(work, s.name+".stderr"), []byte(s.stderrString()), 0o666); err != nil {
		fail("save %s's output: %v", s.name, err)
	}
	if hung {
		fail("%s did not exit within %v of SIGINT: a server must stop cleanly on SIGINT and SIGTERM", s.name, Timeout)
	}
	return s.err
}

// cmdShutdown stops a server; "shutdown VAR" wants exit status 0 and
// "! shutdown VAR" a failure.
func cmdShutdown(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: shutdown VAR")
	}
	s, ok := servers(ts)[args[0]]
	if !ok {
		ts.Fatalf("shutdown: no server %s (start it with serve %s PROGRAM)", args[0], args[0])
	}
	delete(servers(ts), args[0])
	err := stopServer(ts, s, ts.Fatalf)
	switch {
	case err != nil && !neg:
		ts.Fatalf("shutdown: %s exited with %v after SIGINT, want exit status 0; stderr: %q", s.name, err, s.stderrString())
	case err == nil && neg:
		ts.Fatalf("shutdown: %s exited 0, want a failure", s.name)
	}
}

func cmdWaitLine(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitline VAR REGEXP")
	}
	s, ok := servers(ts)[args[0]]
	if !ok {
		ts.Fatalf("waitline: no server %s", args[0])
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	if _, ok := s.wait(re, Timeout); !ok {
		ts.Fatalf("waitline: %s printed no line matching %q within %v; stdout so far:\n%s",
			args[0], args[1], Timeout, strings.Join(s.lines(), "\n"))
	}
}

func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(Timeout)
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("waitfile: %s did not appear within %v", args[0], Timeout)
		}
		time.Sleep(10 * time.Millisecond) // polling a file: there is no event to wait on
	}
}

func cmdCmpFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpfile A B")
	}
	a, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	b, err := os.ReadFile(ts.MkAbs(args[1]))
	ts.Check(err)
	same := bytes.Equal(a, b)
	switch {
	case same && neg:
		ts.Fatalf("cmpfile: %s and %s are the same (%d bytes), want them to differ", args[0], args[1], len(a))
	case !same && !neg:
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		ts.Fatalf("cmpfile: %s (%d bytes) and %s (%d bytes) differ from byte %d on", args[0], len(a), args[1], len(b), i)
	}

}

func cmdNetcat(ts *testscript.TestScript, neg bool, args []string) {
	crlf := len(args) > 0 && args[0] == "-crlf"
	if crlf {
		args = args[1:]
	}
	if neg || len(args) != 2 {
		ts.Fatalf("usage: netcat [-crlf] ADDR FILE")
	}
	data := ts.ReadFile(args[1])
	if crlf {
		data = strings.ReplaceAll(data, "\n", "\r\n")
	}
	conn, err := net.DialTimeout("tcp", args[0], Timeout)
	ts.Check(err)
	defer conn.Close()
	ts.Check(conn.SetDeadline(time.Now().Add(Timeout)))
	// Like nc: a server may answer and close (or reset) the connection
	// before it read everything; then writing or half-closing fails, and
	// the reply is still there to print. Only a server that never closes
	// is an error.
	_, werr := io.WriteString(conn, data)
	if cw, ok := conn.(interface{ CloseWrite() error }); ok && werr == nil {
		werr = cw.CloseWrite()
	}
	reply, rerr := io.ReadAll(conn)
	if crlf {
		reply = bytes.ReplaceAll(reply, []byte("\r\n"), []byte("\n"))
	}
	ts.Stdout().Write(reply)
	switch {
	case rerr != nil && sockerr.IsTimeout(rerr):
		ts.Fatalf("netcat: %s did not close the connection within %v (got %d bytes)", args[0], Timeout, len(reply))
	case rerr != nil:
		fmt.Fprintf(ts.Stderr(), "netcat: %v\n", rerr)
	case werr != nil:
		fmt.Fprintf(ts.Stderr(), "netcat: %v\n", werr)
	}
}
