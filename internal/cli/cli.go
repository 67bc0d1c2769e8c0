// Package cli is what every lesson's server program does once its flags
// are parsed: listen, print "listening on HOST:PORT" as the first line of
// stdout (testscripts and students wait for it), serve until SIGINT or
// SIGTERM, and turn the outcome into an exit status.
//
// Exit statuses follow DESIGN.md: 0 after a clean stop, 1 when listening or
// serving failed (the error goes to stderr as "name: error"), 2 for bad
// flags (the programs return that before calling here).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// SignalContext returns a context cancelled by SIGINT or SIGTERM.
func SignalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// Serve listens on network and addr ("tcp", "127.0.0.1:0"; "unix", a path),
// prints the listening line, and runs serve until it returns; its context
// ends on SIGINT or SIGTERM, and serve must then return nil.
func Serve(name, network, addr string, stdout, stderr io.Writer, serve func(ctx context.Context, ln net.Listener) error) int {
	ctx, stop := SignalContext()
	defer stop()
	ln, err := net.Listen(network, addr)
	if err != nil {
		return Fail(stderr, name, err)
	}
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
	if err := serve(ctx, ln); err != nil {
		return Fail(stderr, name, err)
	}
	return 0
}

// ServePacket is Serve for datagram sockets ("udp", "unixgram").
func ServePacket(name, network, addr string, stdout, stderr io.Writer, serve func(ctx context.Context, pc net.PacketConn) error) int {
	ctx, stop := SignalContext()
	defer stop()
	pc, err := net.ListenPacket(network, addr)
	if err != nil {
		return Fail(stderr, name, err)
	}
	fmt.Fprintf(stdout, "listening on %s\n", pc.LocalAddr())
	if err := serve(ctx, pc); err != nil {
		return Fail(stderr, name, err)
	}
	return 0
}

// ShutdownGrace is how long ServeHTTP lets requests under way finish after
// a signal.
const ShutdownGrace = 5 * time.Second

// ServeHTTP serves h over HTTP on addr with sane server timeouts, and on
// SIGINT or SIGTERM shuts down gracefully (ShutdownGrace).
func ServeHTTP(name, addr string, h http.Handler, stdout, stderr io.Writer) int {
	return Serve(name, "tcp", addr, stdout, stderr, func(ctx context.Context, ln net.Listener) error {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		served := make(chan error, 1)
		go func() { served <- srv.Serve(ln) }()
		select {
		case err := <-served:
			return err
		case <-ctx.Done():
		}
		shutdown, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
		defer cancel()
		err := srv.Shutdown(shutdown)
		if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
		return err
	})
}

// Fail prints "name: err" to stderr and returns exit status 1.
func Fail(stderr io.Writer, name string, err error) int {
	fmt.Fprintf(stderr, "%s: %v\n", name, err)
	return 1
}
