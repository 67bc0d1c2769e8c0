// You don't need to edit this file.

package tcp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/netkata/netkata/internal/cli"
)

// shutdownGrace is how long a server program waits for connections in
// flight after SIGINT or SIGTERM before it closes them.
const shutdownGrace = 5 * time.Second

// TimeServerMain is the timeserver program: the notes' time server. It
// returns the exit status: 0 after SIGINT or SIGTERM, 1 if serving failed,
// 2 for bad flags.
func TimeServerMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("timeserver", "answer each TCP connection with the time of day, then close it (the notes' time server)", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:6789", "listen on `host:port` (port 0 picks a free one)")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	return cli.Serve("timeserver", "tcp", *addr, stdout, stderr, func(ctx context.Context, ln net.Listener) error {
		return ServeTime(ctx, ln, time.Now)
	})
}

// TimeClientMain is the timeclient program: it prints the time server's
// text and a newline. It returns 0 on success, 1 on failure, 2 for bad
// flags.
func TimeClientMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("timeclient", "print the time of day a timeserver sends", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:6789", "the time server's `host:port`")
	timeout := fs.Duration("timeout", 10*time.Second, "give up after this long")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	got, err := FetchTime(ctx, *addr)
	if err != nil {
		fmt.Fprintf(stderr, "timeclient: %v\n", err)
		return 1
	}
	// The text goes to a terminal: show a server's control characters
	// instead of obeying them.
	fmt.Fprintln(cli.SafeWriter(stdout), got)
	return 0
}

// EchoServerMain is the echoserver program. It returns the exit status:
// 0 after SIGINT or SIGTERM, 1 if serving failed, 2 for bad flags.
func EchoServerMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("echoserver", "send back every byte each TCP client sends, many clients at once", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:7007", "listen on `host:port` (port 0 picks a free one)")
	idle := fs.Duration("idle", 5*time.Minute, "drop a connection idle for this long (0: never)")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	srv := &Server{Handle: func(conn net.Conn) { Echo(conn, *idle) }}
	return serveUntilSignal("echoserver", srv, *addr, stdout, stderr)
}

// EchoClientMain is the echoclient program: it sends each line of stdin to
// the echo server and prints each reply. It returns 0 on success, 1 on
// failure, 2 for bad flags.
func EchoClientMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("echoclient", "send each line of stdin to an echo server and print each reply", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:7007", "the echo server's `host:port`")
	timeout := fs.Duration("timeout", time.Minute, "give up after this long")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	bw := bufio.NewWriter(cli.SafeWriter(stdout)) // the echo comes from a server
	err := EchoLines(ctx, *addr, stdin, bw)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintf(stderr, "echoclient: %v\n", err)
		return 1
	}
	return 0
}

// WebServerMain is the webserver program: the tiny web server, serving one
// page at "/". It returns the exit status: 0 after SIGINT or SIGTERM, 1 if
// serving failed, 2 for bad flags.
func WebServerMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("webserver", "serve one web page over HTTP/1.1, written by hand on a TCP socket", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port` (port 0 picks a free one)")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	site := &Site{
		Pages: map[string]Page{
			"/": {ContentType: "text/html; charset=utf-8", Body: "<h1>Hello World!</h1>\n<p>你好，世界</p>\n"},
		},
		ReadTimeout: 10 * time.Second,
	}
	return serveUntilSignal("webserver", &Server{Handle: site.Handle}, *addr, stdout, stderr)
}

// serveUntilSignal runs srv on addr until SIGINT or SIGTERM, then shuts it
// down, giving connections in flight shutdownGrace to end.
func serveUntilSignal(name string, srv *Server, addr string, stdout, stderr io.Writer) int {
	return cli.Serve(name, "tcp", addr, stdout, stderr, func(ctx context.Context, ln net.Listener) error {
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		select {
		case err := <-served:
			return err
		case <-ctx.Done():
		}
		sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			fmt.Fprintf(stderr, "%s: shutdown: %v (connections closed)\n", name, err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			return err
		}
		return nil
	})
}
