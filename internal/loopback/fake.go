package loopback

import (
	"net"
	"testing"
)

// Fake plays a server for the code under test, on a free loopback port:
// handle runs for each connection the code makes, one connection at a
// time, with the connection's deadline set to Deadline(), and the
// connection is closed when handle returns. When the test ends, Fake stops
// listening and waits for the handler running then. It returns the address
// to dial.
func Fake(t testing.TB, handle func(conn net.Conn)) string {
	t.Helper()
	ln := Listen(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.SetDeadline(Deadline())
			handle(conn)
			conn.Close()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	return ln.Addr().String()
}
