// You don't need to edit this file.

package socketserver

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/netkata/netkata/internal/cli"
)

// ChildHandlers are the handlers a forked child of this lesson's programs
// can run, by name: the name passed to Forking.
var ChildHandlers = map[string]func() Handler{"echo": NewEcho}

// EchoServerMain is the echoserver program: the notes' echo handler served
// by a synchronous, threading or forking server over TCP, UDP or a Unix
// socket. It first runs ChildMain, so the program is also its own forked
// child. It returns the exit status: 0 after SIGINT or SIGTERM, 1 if
// serving failed, 2 for bad flags.
func EchoServerMain(args []string, stdout, stderr io.Writer) int {
	if child, err := ChildMain(ChildHandlers); child {
		if err != nil {
			fmt.Fprintf(stderr, "echoserver child %d: %v\n", os.Getpid(), err)
			return 1
		}
		return 0
	}
	fs := cli.NewFlags("echoserver", "serve the notes' echo handler with a sync, threading or forking server over TCP, UDP or Unix sockets", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port`, or on a socket file path for unix and unixgram")
	mode := fs.String("mode", "threading", "handle requests `sync`hronously, in threads (threading) or in child processes (forking)")
	network := fs.String("network", "tcp", "serve over `tcp`, udp, unix or unixgram")
	fs.Check(func() error { return checkAddr(*network, *addr) })
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "echoserver: unexpected arguments %q\n", fs.Args())
		return 2
	}
	logger := log.New(stderr, "echoserver: ", 0)
	opts := []Option{ErrorLog(logger.Printf)}
	switch *mode {
	case "sync":
	case "threading":
		opts = append(opts, Threading())
	case "forking":
		if *network == "udp" || *network == "unixgram" {
			fmt.Fprintf(stderr, "echoserver: -mode forking serves stream networks (tcp, unix), not %s\n", *network)
			return 2
		}
		opts = append(opts, Forking("echo"))
	default:
		fmt.Fprintf(stderr, "echoserver: -mode %q: want sync, threading or forking\n", *mode)
		return 2
	}

	var srv interface {
		ServeForever() error
		Shutdown() error
		Close() error
	}
	var where string
	var err error
	switch *network {
	case "tcp", "unix":
		var ln net.Listener
		if *network == "tcp" {
			ln, err = net.Listen("tcp", *addr)
		} else {
			ln, err = ListenUnix(*addr)
		}
		if err == nil {
			where = ln.Addr().String()
			srv = NewStreamServer(ln, NewEcho, opts...)
		}
	case "udp", "unixgram":
		var pc net.PacketConn
		if *network == "udp" {
			pc, err = net.ListenPacket("udp", *addr)
		} else {
			pc, err = ListenUnixgram(*addr)
		}
		if err == nil {
			where = pc.LocalAddr().String()
			srv = NewDatagramServer(pc, NewEcho, opts...)
		}
	default:
		fmt.Fprintf(stderr, "echoserver: -network %q: want tcp, udp, unix or unixgram\n", *network)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "echoserver: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(stdout, "listening on %s\n", where) // first line; testscripts wait for it
	stopped := context.AfterFunc(ctx, func() { srv.Shutdown() })
	defer stopped()
	serveErr := srv.ServeForever()
	closeErr := srv.Close()
	if err := errors.Join(serveErr, closeErr); err != nil {
		fmt.Fprintf(stderr, "echoserver: %v\n", err)
		return 1
	}
	return 0
}

// EchoClientMain is the echoclient program, the notes' Python client: it
// sends each line of stdin (without its newline) as one message, prints
// each reply on a line of its own, and at the end of stdin sends "quit"
// (stream networks) and waits for the server to close. It returns 0, 1 if
// the exchange failed, 2 for bad flags.
func EchoClientMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("echoclient", "send each line of stdin to an echo server as one message and print each reply (the notes' client)", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "the server's `host:port`, or its socket file for unix and unixgram")
	network := fs.String("network", "tcp", "talk over `tcp`, udp, unix or unixgram")
	timeout := fs.Duration("timeout", 10*time.Second, "give up on a reply after this `duration`")
	fs.Check(func() error { return checkAddr(*network, *addr) })
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "echoclient: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if err := echoClient(*network, *addr, *timeout, stdin, stdout); err != nil {
		fmt.Fprintf(stderr, "echoclient: %v\n", err)
		return 1
	}
	return 0
}

func echoClient(network, addr string, timeout time.Duration, stdin io.Reader, stdout io.Writer) error {
	var conn net.Conn
	var err error
	switch network {
	case "tcp", "unix", "udp":
		conn, err = net.DialTimeout(network, addr, timeout)
	case "unixgram":
		// A datagram client needs an address of its own for the replies.
		dir, derr := os.MkdirTemp("", "echoclient")
		if derr != nil {
			return derr
		}
		defer os.RemoveAll(dir)
		laddr := &net.UnixAddr{Name: filepath.Join(dir, "c.sock"), Net: "unixgram"}
		conn, err = net.DialUnix("unixgram", laddr, &net.UnixAddr{Name: addr, Net: "unixgram"})
	default:
		return fmt.Errorf("-network %q: want tcp, udp, unix or unixgram", network)
	}
	if err != nil {
		return err
	}
	defer conn.Close()
	datagrams := network == "udp" || network == "unixgram"
	sc := bufio.NewScanner(stdin)
	buf := make([]byte, MaxPacket)
	for sc.Scan() {
		msg := strings.TrimSpace(sc.Text())
		if msg == "" || msg == Quit {
			continue
		}
		conn.SetDeadline(time.Now().Add(timeout))
		if _, err := conn.Write([]byte(msg)); err != nil {
			return fmt.Errorf("send %q: %w", msg, err)
		}
		want := len(ReplyPrefix) + len(msg)
		var n int
		if datagrams {
			n, err = conn.Read(buf)
		} else {
			// A stream has no message boundaries: read the reply's length.
			n, err = io.ReadFull(conn, buf[:want])
		}
		if err != nil {
			return fmt.Errorf("reply to %q: %w", msg, err)
		}
		fmt.Fprintf(stdout, "%s\n", cli.Printable(string(buf[:n]))) // the server's bytes
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if datagrams {
		return nil
	}
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := conn.Write([]byte(Quit)); err != nil {
		return fmt.Errorf("send %q: %w", Quit, err)
	}
	if rest, err := io.ReadAll(conn); err != nil || len(rest) > 0 {
		return fmt.Errorf("after %q: got %q, %v; want the server to close", Quit, rest, err)
	}
	return nil
}

// checkAddr checks -addr for -network: a host:port for tcp and udp, a
// socket file path for unix and unixgram.
func checkAddr(network, addr string) error {
	switch network {
	case "tcp", "udp":
		if err := cli.HostPort(addr); err != nil {
			return fmt.Errorf("-addr %s: %v", addr, err)
		}
	case "unix", "unixgram":
		if addr == "" {
			return fmt.Errorf("-addr: name the socket file for -network %s", network)
		}
	default:
		return fmt.Errorf("-network %q: want tcp, udp, unix or unixgram", network)
	}
	return nil
}
