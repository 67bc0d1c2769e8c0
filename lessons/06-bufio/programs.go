// You don't need to edit this file.

package lineproto

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/netkata/netkata/internal/cli"
)

// GreetServerMain is the greetserver program: the notes' makefile server,
// answering "hello <line>" to the first line of every connection. It returns
// the exit status: 0 after SIGINT or SIGTERM, 1 if serving failed, 2 for bad
// flags.
func GreetServerMain(args []string, stdout, stderr io.Writer) int {
	return serverMain("greetserver", "answer the first line of each connection with \"hello <line>\" (the notes' makefile server)", "127.0.0.1:8080", args, stdout, stderr, ServeGreet)
}

// KVServerMain is the kvserver program: the key-value server of step 2,
// one Store shared by all its clients. It returns the exit status: 0 after
// SIGINT or SIGTERM, 1 if serving failed, 2 for bad flags.
func KVServerMain(args []string, stdout, stderr io.Writer) int {
	st := NewStore()
	serveKV := func(ctx context.Context, ln net.Listener) error { return ServeKV(ctx, ln, st) }
	return serverMain("kvserver", "serve a key-value store over a pipelined text protocol", "127.0.0.1:7006", args, stdout, stderr, serveKV)
}

func serverMain(name, desc, defaultAddr string, args []string, stdout, stderr io.Writer, serve func(context.Context, net.Listener) error) int {
	fs := cli.NewFlags(name, desc, stdout, stderr)
	addr := fs.String("addr", defaultAddr, "listen on `host:port` (port 0 picks a free one)")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected arguments %q\n", name, fs.Args())
		return 2
	}
	return cli.Serve(name, "tcp", *addr, stdout, stderr, serve)
}

// KVClientMain is the kvclient program. It reads commands from stdin, one
// per line, sends them all to the server at -addr pipelined (Window at a
// time), and prints every reply line as it came, "250 OK" and all. A line
// that is not a command is reported with its number before anything is
// sent. It returns the exit status: 0 when every command got its reply
// (error replies included), 1 for a bad line or a network failure, 2 for
// bad flags.
func KVClientMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("kvclient", "send the key-value commands on stdin to a kvserver, pipelined, and print every reply", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:7006", "connect to the key-value server at `host:port`")
	timeout := fs.Duration("timeout", 10*time.Second, "give up when the whole exchange takes longer")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kvclient: unexpected arguments %q (commands come on stdin)\n", fs.Args())
		return 2
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		fmt.Fprintf(stderr, "kvclient: -addr %q: %v\n", *addr, err)
		return 2
	}

	var cmds []Command
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, MaxLine+2), MaxLine+2)
	for n := 1; sc.Scan(); n++ {
		line := append([]byte(nil), sc.Bytes()...) // the Command points into it
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		cmd, err := ParseCommand(line)
		if err != nil {
			fmt.Fprintf(stderr, "kvclient: stdin line %d %q: %v\n", n, line, err)
			return 1
		}
		cmds = append(cmds, cmd)
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "kvclient: read stdin: %v\n", err)
		return 1
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "kvclient: %v\n", err)
		return 1
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline) // the whole exchange, not each read
	c := NewClient(conn)
	defer c.Close()
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	err = c.Pipeline(cmds, func(_ int, r Reply) error {
		// The text comes from the server: escape its control characters.
		_, err := fmt.Fprintf(out, "%03d %s\n", r.Code, cli.Printable(string(r.Text)))
		return err
	})
	if err != nil {
		out.Flush()
		fmt.Fprintf(stderr, "kvclient: %v\n", err)
		return 1
	}
	return 0
}

// SockInfoMain is the sockinfo program of step 5. It connects to -addr and
// prints, one "NAME value" line each, what the kernel reports for the
// connection's socket:
//
//	local 127.0.0.1:41234
//	peer 127.0.0.1:7006
//	TCP_NODELAY 1
//
// -nagle turns Nagle's algorithm back on (SetNoDelay(false)) first. -rcvbuf
// and -sndbuf (both, or neither) ask for buffer sizes with SetBuffers and
// add the sizes the kernel reports back, "SO_RCVBUF 65536" and
// "SO_SNDBUF 65536" for 32768 each on Linux, which doubles them. It
// returns the exit status: 0, 1 if the connection or an option failed, 2
// for bad flags.
func SockInfoMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("sockinfo", "connect to a TCP server and print what the kernel reports for the socket (getsockname, getsockopt)", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:7006", "connect to `host:port`")
	nagle := fs.Bool("nagle", false, "turn Nagle's algorithm on (TCP_NODELAY off) before reading the options")
	rcvbuf := fs.Int("rcvbuf", 0, "ask for a receive buffer of this many `bytes` (with -sndbuf)")
	sndbuf := fs.Int("sndbuf", 0, "ask for a send buffer of this many `bytes` (with -rcvbuf)")
	fs.Check(func() error {
		if (*rcvbuf == 0) != (*sndbuf == 0) || *rcvbuf < 0 || *sndbuf < 0 {
			return fmt.Errorf("-rcvbuf %d -sndbuf %d: give both sizes, each at least 1, or neither", *rcvbuf, *sndbuf)
		}
		return nil
	})
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if err := sockInfo(*addr, *nagle, *rcvbuf, *sndbuf, stdout); err != nil {
		fmt.Fprintf(stderr, "sockinfo: %v\n", err)
		return 1
	}
	return 0
}

func sockInfo(addr string, nagle bool, rcvbuf, sndbuf int, stdout io.Writer) error {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	tcp := conn.(*net.TCPConn)
	if nagle {
		if err := tcp.SetNoDelay(false); err != nil {
			return err
		}
	}
	var rcv, snd int
	if rcvbuf > 0 {
		if rcv, snd, err = SetBuffers(tcp, rcvbuf, sndbuf); err != nil {
			return err
		}
	}
	local, err := Getsockname(tcp)
	if err != nil {
		return err
	}
	noDelay, err := NoDelay(tcp)
	if err != nil {
		return err
	}
	on := 0
	if noDelay {
		on = 1
	}
	fmt.Fprintf(stdout, "local %s\npeer %s\nTCP_NODELAY %d\n", local, conn.RemoteAddr(), on)
	if rcvbuf > 0 {
		fmt.Fprintf(stdout, "SO_RCVBUF %d\nSO_SNDBUF %d\n", rcv, snd)
	}
	return nil
}
