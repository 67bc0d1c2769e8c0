package scripts

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/netkata/netkata/internal/leakcheck"
)

// fakeserver listens, prints the line serve waits for, greets every client
// with "hi\n" and exits 0 on SIGINT (or 3 if started with -fail).
func fakeserver() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	if len(os.Args) > 1 && os.Args[1] == "-rude" {
		// Read one byte, answer, and close with the rest unread: the
		// kernel resets the connection.
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				conn.SetReadDeadline(time.Now().Add(Timeout))
				conn.Read(make([]byte, 1))
				fmt.Fprintf(conn, "refused\n")
				conn.Close()
			}
		}()
		<-ctx.Done()
		ln.Close()
		return
	}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(conn, "hi\n")
			fmt.Printf("greeted %s\n", conn.RemoteAddr())
			// Half-close, then read what the client sends until it closes:
			// closing with unread data would reset the connection.
			conn.(*net.TCPConn).CloseWrite()
			conn.SetReadDeadline(time.Now().Add(Timeout))
			io.Copy(io.Discard, conn)
			conn.Close()
		}
	}()
	<-ctx.Done()
	ln.Close()
	if len(os.Args) > 1 && os.Args[1] == "-fail" {
		fmt.Fprintln(os.Stderr, "failing on purpose")
		os.Exit(3)
	}
}

// dial connects to its argument and prints what it reads.
func dial() {
	conn, err := net.Dial("tcp", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buf := make([]byte, 16)
	n, _ := conn.Read(buf)
	os.Stdout.Write(buf[:n])
}

func TestMain(m *testing.M) {
	leakcheck.Main(m, map[string]func(){"fakeserver": fakeserver, "dial": dial})
}

func TestScripts(t *testing.T) {
	p := Params(t)
	p.Dir = "testdata"
	testscript.Run(t, p)
}

// fakeT runs scripts for TestFailingScriptDoesNotCrash and records what
// they report, instead of failing the real test.
type fakeT struct {
	mu     sync.Mutex
	failed bool
	logs   []string
}

func (f *fakeT) Skip(args ...any)  { f.Log(args...); runtime.Goexit() }
func (f *fakeT) Fatal(args ...any) { f.Log(args...); f.FailNow() }
func (f *fakeT) Parallel()         {}
func (f *fakeT) Log(args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.logs = append(f.logs, fmt.Sprint(args...))
}
func (f *fakeT) FailNow() {
	f.mu.Lock()
	f.failed = true
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeT) Run(name string, fn func(testscript.T)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
}
func (f *fakeT) Verbose() bool { return false }

// errorRecorder is the test that runs the scripts, with Errorf recorded.
type errorRecorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (e *errorRecorder) Errorf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.errs = append(e.errs, fmt.Sprintf(format, args...))
}

func TestFailingScriptDoesNotCrash(t *testing.T) {
	rec := &errorRecorder{TB: t}
	p := Params(rec)
	p.Dir = "testdata/failing"
	ft := &fakeT{}
	testscript.RunT(ft, p) // a crash here takes the whole test binary down
	if !ft.failed {
		t.Fatalf("the failing script passed; logs: %v", ft.logs)
	}
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "exited with exit status 3 after SIGINT") {
		t.Fatalf("errors reported for the server that exited 3: %q, want one naming its exit status", rec.errs)
	}
}
