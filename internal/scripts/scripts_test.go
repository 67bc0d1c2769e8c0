package scripts

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"testing"

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
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(conn, "hi\n")
			fmt.Printf("greeted %s\n", conn.RemoteAddr())
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
