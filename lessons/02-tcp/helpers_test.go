package tcp

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// accept accepts one connection from ln within loopback.Timeout; it is
// closed when the test ends.
func accept(t *testing.T, ln net.Listener) net.Conn {
	t.Helper()
	if tl, ok := ln.(*net.TCPListener); ok {
		require.NoError(t, tl.SetDeadline(loopback.Deadline()))
	}
	conn, err := ln.Accept()
	if errors.Is(err, net.ErrClosed) {
		// The tests close ln when the function under test returns.
		t.Fatalf("the code under test returned without connecting to %s: nothing dialled the server (%s)", ln.Addr(), readme.Ref(t))
	}
	if err != nil {
		t.Fatalf("no connection from the code under test to %s within %v: %v (%s)", ln.Addr(), loopback.Timeout, err, readme.Ref(t))
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// startServer serves handle with a Server on a free loopback port until
// the test ends; it returns the address and the server. At the end it
// shuts the server down and checks that Serve returned ErrServerClosed.
func startServer(t testing.TB, handle func(net.Conn)) (string, *Server) {
	t.Helper()
	ln := loopback.Listen(t)
	srv := &Server{Handle: handle}
	served := make(chan error, 1)
	early := make(chan struct{}) // closed if Serve returns before Shutdown
	go func() {
		err := srv.Serve(ln)
		if !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve(ln) returned before Shutdown, with error: %v; want it to accept connections until Shutdown (%s)", err, readme.Ref(t))
			ln.Close() // make the test's dials fail fast
			close(early)
		}
		served <- err
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
		defer cancel()
		err := srv.Shutdown(ctx)
		select {
		case <-early:
			return // reported above; the rest would be noise
		default:
		}
		assert.NoError(t, err, "Shutdown at the end of the test")
		select {
		case err := <-served:
			assert.ErrorIs(t, err, ErrServerClosed, "Serve after Shutdown")
		case <-time.After(loopback.Timeout):
			t.Errorf("Serve still running %v after Shutdown returned (%s)", loopback.Timeout, readme.Ref(t))
		}
	})
	return ln.Addr().String(), srv
}
