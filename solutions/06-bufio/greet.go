package lineproto

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
)

// Greet answers one greeting on rw, the notes' makefile server in Go: it
// reads one line and writes "hello " followed by that line, newline and all,
// then flushes. For the line "alice\n" the exchange is
//
//	C: alice\n
//	S: hello alice\n
//
// Like Python's text-mode readline, a "\r\n" line end arrives as "\n"
// ("alice\r\n" is answered "hello alice\n"), a last line without "\n" is
// answered as it is ("alice" then end of stream: "hello alice"), and a
// stream that ends before any byte is answered "hello ".
//
// Greet reads through a bufio.Reader and writes through a bufio.Writer, so
// the whole reply leaves in one Write on rw, and only when Flush is called.
// It returns nil once the reply is flushed, or the read or write error.
func Greet(rw io.ReadWriter) error {
	br := bufio.NewReader(rw)
	bw := bufio.NewWriter(rw)
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read greeting: %w", err)
	}
	// Python's text mode (universal newlines) turns "\r\n" into "\n".
	if s, ok := strings.CutSuffix(line, "\r\n"); ok {
		line = s + "\n"
	}
	bw.WriteString("hello ") // a bufio.Writer keeps its first error for Flush
	bw.WriteString(line)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write greeting: %w", err)
	}
	return nil
}

// ServeGreet accepts connections on ln and runs Greet on each, one goroutine
// per connection, closing the connection when Greet returns. It stops when
// ctx is done: it closes ln and the open connections, waits for their
// goroutines, and returns nil. An Accept failure before that is returned.
func ServeGreet(ctx context.Context, ln net.Listener) error {
	return serve(ctx, ln, func(conn net.Conn) error { return Greet(conn) })
}

// serve runs handle on every connection ln accepts until ctx is done, then
// closes ln and the connections and waits for the handlers.
func serve(ctx context.Context, ln net.Listener, handle func(net.Conn) error) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accept: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Closing the connection is what unblocks a handler stuck in a
			// Read when the server stops.
			stopConn := context.AfterFunc(ctx, func() { conn.Close() })
			defer stopConn()
			handle(conn) // a failed connection is the client's problem, not the server's
			conn.Close() // the reply is flushed, nothing is lost by closing
		}()
	}
}
