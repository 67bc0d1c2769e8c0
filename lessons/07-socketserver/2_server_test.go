package socketserver

import (
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/netkata/netkata/internal/transcript"
)

func TestStep2_SyncServesOneAtATime(t *testing.T) {
	readme.Explain(t)
	log := &eventLog{}
	ln := startStream(t, log.wrap(NewEcho))
	alice := dialName(t, ln, "alice")
	log.name(alice, "alice")
	alice.Write("a1")
	alice.ExpectBytes("Your msg = a1")

	// bob connects (the kernel completes the handshake: the listen backlog)
	// and sends, while alice's session goes on and ends.
	bob := dialName(t, ln, "bob")
	log.name(bob, "bob")
	bob.Write("b1")
	alice.Write("a2")
	alice.ExpectBytes("Your msg = a2")
	alice.Write("quit")
	alice.ExpectEOF()
	bob.ExpectBytes("Your msg = b1") // bob is served now, after alice
	bob.Write("quit")
	bob.ExpectEOF()

	want := []string{"alice setup", "alice handle", "alice finish", "bob setup", "bob handle", "bob finish"}
	require.Equal(t, want, log.events(),
		"the order of handler calls on a synchronous server: it accepts bob only when alice's handler "+
			"has finished; a server without Threading starts no goroutine for a connection")
}

func TestStep2_ThreadingServesTogether(t *testing.T) {
	readme.Explain(t)
	ln := startStream(t, NewEcho, Threading())
	alice := dialName(t, ln, "alice")
	alice.Write("a1")
	alice.ExpectBytes("Your msg = a1")
	// alice's handler is still waiting for her next message; bob must be
	// answered anyway.
	bob := dialName(t, ln, "bob")
	bob.Write("b1")
	bob.ExpectBytes("Your msg = b1")
	alice.Write("a2")
	alice.ExpectBytes("Your msg = a2")
	bob.Write("quit")
	bob.ExpectEOF()
	alice.Write("quit")
	alice.ExpectEOF()
}

func TestStep2_ThreadingKeepsClientsApart(t *testing.T) {
	readme.Explain(t)
	ln := startStream(t, NewEcho, Threading())
	rng := seed.Rand(t)
	const clients, rounds = 4, 100
	var wg sync.WaitGroup
	for i := range clients {
		name := fmt.Sprintf("client%d", i)
		c := transcript.New(t, loopback.Dial(t, ln.Addr().String()), name)
		// each client's messages are made of its own letter, of random lengths
		msgs := make([]string, rounds)
		for r := range msgs {
			msgs[r] = strings.Repeat(string(rune('a'+i)), 1+rng.IntN(BufSize-1))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn := c.Net()
			buf := make([]byte, len(ReplyPrefix)+BufSize)
			for _, msg := range msgs {
				if _, err := conn.Write([]byte(msg)); err != nil {
					t.Errorf("%s: send %d bytes: %v", name, len(msg), err)
					return
				}
				want := ReplyPrefix + msg
				got := buf[:len(want)]
				if _, err := readFull(conn, got); err != nil {
					t.Errorf("%s: read the reply to %d bytes of %q: %v", name, len(msg), msg[:1], err)
					return
				}
				if string(got) != want {
					t.Errorf("%s sent %d bytes of %q and got back %q...: replies mix up clients "+
						"(do two requests share one buffer? each needs its own)", name, len(msg), msg[:1], got[:min(len(got), 40)])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestStep2_HandlersKeepOwnBuffers(t *testing.T) {
	readme.Explain(t)
	// Two requests at once, in an order that makes a shared buffer show
	// without the race detector: alice's chunk is read, then bob's chunk is
	// read before alice's reply is taken.
	aliceRead, bobRead := make(chan struct{}), make(chan struct{})
	alice := &stepConn{read: "aaaa", afterRead: aliceRead, beforeWrite: bobRead}
	bob := &stepConn{read: "bb", beforeRead: aliceRead, afterRead: bobRead}
	done := make(chan error, 2)
	for _, c := range []*stepConn{alice, bob} {
		go func() {
			h := NewEcho()
			req := &Request{Conn: c}
			if err := h.Setup(req); err != nil {
				done <- err
				return
			}
			done <- h.Handle(req)
		}()
	}
	for range 2 {
		require.NoError(t, loopback.Wait(t, done, "two Echo handlers to finish"), "Echo.Handle")
	}
	require.Equal(t, []string{ReplyPrefix + "bb"}, bob.writes, "bob's replies")
	require.Equal(t, []string{ReplyPrefix + "aaaa"}, alice.writes,
		"alice sent %q, and bob %q while alice's reply was on its way: alice's replies. Replies mix up clients: "+
			"do two requests share one buffer? Each Echo needs its own, made in Setup (%s)", "aaaa", "bb", readme.Ref(t))
}

// stepConn is a net.Conn for one chunk: Read returns read once, then
// io.EOF. beforeRead, if set, is waited for (up to Timeout) before that
// Read; afterRead, if set, is closed after it; beforeWrite, if set, is
// waited for before a Write is recorded.
type stepConn struct {
	net.Conn    // nil: only Read, Write, Close and the addresses are called
	read        string
	beforeRead  chan struct{}
	afterRead   chan struct{}
	beforeWrite chan struct{}
	writes      []string
}

func (c *stepConn) Read(p []byte) (int, error) {
	if c.read == "" {
		return 0, io.EOF
	}
	if c.beforeRead != nil {
		select {
		case <-c.beforeRead:
		case <-time.After(loopback.Timeout):
		}
	}
	n := copy(p, c.read)
	c.read = ""
	if c.afterRead != nil {
		close(c.afterRead)
	}
	return n, nil
}

func (c *stepConn) Write(p []byte) (int, error) {
	if c.beforeWrite != nil {
		select {
		case <-c.beforeWrite:
		case <-time.After(loopback.Timeout):
		}
	}
	c.writes = append(c.writes, string(p))
	return len(p), nil
}

func (c *stepConn) Close() error         { return nil }
func (c *stepConn) RemoteAddr() net.Addr { return &net.TCPAddr{} }
func (c *stepConn) LocalAddr() net.Addr  { return &net.TCPAddr{} }

func TestStep2_ShutdownBlockOnClose(t *testing.T) {
	readme.Explain(t)
	t.Run("block on close waits for handlers", func(t *testing.T) {
		ln := newNotifyListener(t)
		entered := make(chan struct{}, 1)
		finished := false // written by the handler, read after Shutdown: Shutdown's wait is the only sync
		srv := NewStreamServer(ln, func() Handler {
			return &hookHandler{
				handle: func(*Request) error {
					entered <- struct{}{}
					<-ln.closed
					return nil
				},
				finish: func(*Request, error) { finished = true },
			}
		}, Threading())
		run := serveForever(t, srv, ln)
		loopback.Dial(t, ln.Addr().String())
		waitOrStopped(t, entered, run, "the handler to start")
		require.NoError(t, srv.Shutdown(), "Shutdown")
		require.True(t, finished, "Shutdown returned before the handler finished; "+
			"by default (BlockOnClose(true)) a threading server's Shutdown waits for its handlers")
	})
	t.Run("daemon handlers are not waited for", func(t *testing.T) {
		ln := newNotifyListener(t)
		entered := make(chan struct{}, 1)
		release := make(chan struct{})
		finished := make(chan struct{})
		srv := NewStreamServer(ln, func() Handler {
			return &hookHandler{
				handle: func(*Request) error {
					entered <- struct{}{}
					<-release // the test lets the handler end only after Shutdown returned
					return nil
				},
				finish: func(*Request, error) { close(finished) },
			}
		}, Threading(), BlockOnClose(false))
		run := serveForever(t, srv, ln)
		loopback.Dial(t, ln.Addr().String())
		waitOrStopped(t, entered, run, "the handler to start")
		shut := make(chan error, 1)
		go func() { shut <- srv.Shutdown() }()
		err := loopback.Wait(t, shut, "Shutdown with BlockOnClose(false) to return while a handler still runs")
		require.NoError(t, err, "Shutdown")
		close(release)
		loopback.Wait(t, finished, "the handler to finish after it was released")
	})
}

// eventLog records the handler calls of named clients, in order.
type eventLog struct {
	mu    sync.Mutex
	names map[string]string // client address, as the server sees it, to name
	list  []string          // "address call"
}

// name names the client c (by its local address).
func (l *eventLog) name(c *transcript.Conn, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.names == nil {
		l.names = map[string]string{}
	}
	l.names[c.Net().LocalAddr().String()] = name
}

func (l *eventLog) add(req *Request, what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	addr := "?"
	if req.ClientAddr != nil {
		addr = req.ClientAddr.String()
	}
	l.list = append(l.list, addr+" "+what)
}

// events returns the calls so far, clients named (names may be given
// after the calls, as a server may set up before the test knows the port).
func (l *eventLog) events() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, len(l.list))
	for i, e := range l.list {
		addr, what, _ := strings.Cut(e, " ")
		if name, ok := l.names[addr]; ok {
			addr = name
		}
		out[i] = addr + " " + what
	}
	return out
}

// wrap returns newHandler's handlers, logging their calls.
func (l *eventLog) wrap(newHandler func() Handler) func() Handler {
	return func() Handler {
		inner := newHandler()
		return &hookHandler{
			setup:  func(req *Request) error { l.add(req, "setup"); return inner.Setup(req) },
			handle: func(req *Request) error { l.add(req, "handle"); return inner.Handle(req) },
			finish: func(req *Request, err error) { l.add(req, "finish"); inner.Finish(req, err) },
		}
	}
}
