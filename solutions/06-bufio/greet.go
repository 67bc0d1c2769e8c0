package lineproto

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"time"
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
// A line is at most MaxLine bytes, not counting its "\n" or "\r\n". A
// longer one gets no reply: Greet returns ErrLineTooLong as soon as it has
// seen MaxLine+2 bytes without a "\n", so a client that sends a gigabyte
// and never a newline costs it one small buffer, not a gigabyte.
//
// Greet reads through a bufio.Reader and writes through a bufio.Writer, so
// the whole reply leaves in one Write on rw, and only when Flush is called.
// It returns nil once the reply is flushed, or the read or write error.
func Greet(rw io.ReadWriter) error {
	// A buffer of MaxLine+2 holds the longest line with its "\r\n";
	// ReadSlice returns bufio.ErrBufferFull rather than grow it.
	br := bufio.NewReaderSize(rw, MaxLine+2)
	bw := bufio.NewWriter(rw)
	line, err := br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return ErrLineTooLong
	case err != nil && !errors.Is(err, io.EOF):
		return fmt.Errorf("read greeting: %w", err)
	}
	// Python's text mode (universal newlines) turns "\r\n" into "\n".
	body, crlf := bytes.CutSuffix(line, []byte("\r\n"))
	if !crlf {
		body, _ = bytes.CutSuffix(line, []byte("\n"))
	}
	if len(body) > MaxLine {
		return ErrLineTooLong
	}
	if crlf {
		line = append(body, '\n') // overwrites the "\r" in br's buffer: fine, it is ours
	}
	bw.WriteString("hello ") // a bufio.Writer keeps its first error for Flush
	bw.Write(line)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write greeting: %w", err)
	}
	return nil
}

// ServeGreet accepts connections on ln and runs Greet on each, one goroutine
// per connection, closing the connection when Greet returns. It stops when
// ctx is done: it closes ln and the open connections, waits for their
// goroutines, and returns nil.
//
// A temporary Accept failure, such as EMFILE when the process has run out
// of file descriptors, does not stop the server: it waits (5 ms, doubling
// up to 1 s, as net/http does; less if ctx is done first) and accepts
// again. Any other Accept failure before ctx is done is returned.
func ServeGreet(ctx context.Context, ln net.Listener) error {
	return serve(ctx, ln, func(conn net.Conn) error { return Greet(conn) })
}

// temporary reports whether an Accept error is worth retrying: EMFILE and
// ENFILE (out of file descriptors), ECONNABORTED, or any net.Error that says
// it is temporary.
func temporary(err error) bool {
	var ne interface{ Temporary() bool }
	if errors.As(err, &ne) && ne.Temporary() {
		return true
	}
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) || errors.Is(err, syscall.ECONNABORTED)
}

// serve runs handle on every connection ln accepts until ctx is done, then
// closes ln and the connections and waits for the handlers.
func serve(ctx context.Context, ln net.Listener, handle func(net.Conn) error) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var pause time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if !temporary(err) {
				return fmt.Errorf("accept: %w", err)
			}
			// Out of file descriptors, say: back off and try again, as
			// net/http's Server.Serve does, rather than stop for everyone.
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(pause):
			}
			continue
		}
		pause = 0
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
