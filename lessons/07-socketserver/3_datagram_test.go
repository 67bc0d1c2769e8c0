package socketserver

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep3_UDPEcho(t *testing.T) {
	readme.Explain(t)
	pc := startDatagram(t, loopback.ListenPacket(t), NewEcho)
	client := loopback.DialOn(t, "udp", pc.LocalAddr().String())
	for _, msg := range []string{"hello", "你好, udp", strings.Repeat("x", 2000), "quit!"} {
		exchange(t, client, msg, ReplyPrefix+msg)
	}
}

func TestStep3_UDPQuitGetsNoReply(t *testing.T) {
	readme.Explain(t)
	for _, tc := range []struct {
		packet string
		want   []string
	}{
		{"quit", nil},
		{"quit!", []string{ReplyPrefix + "quit!"}},
		{"quit\n", []string{ReplyPrefix + "quit\n"}},
		{"", []string{ReplyPrefix}},
	} {
		var replies []string
		req := &Request{Packet: []byte(tc.packet), ClientAddr: &net.UDPAddr{}, Reply: func(b []byte) error {
			replies = append(replies, string(b))
			return nil
		}}
		h := NewEcho()
		require.NoError(t, h.Setup(req), "Echo.Setup for the datagram %q", tc.packet)
		require.NoError(t, h.Handle(req), "Echo.Handle of the datagram %q", tc.packet)
		require.Equal(t, tc.want, replies, "Echo's replies to the datagram %q: exactly %q ends a session and gets no reply (%s)", tc.packet, Quit, readme.Ref(t))
	}
}

func TestStep3_UDPShutdown(t *testing.T) {
	readme.Explain(t)
	// A server that never served: Shutdown has no ServeForever to wait for.
	idle := NewDatagramServer(loopback.ListenPacket(t), NewEcho)
	shut := make(chan error, 1)
	go func() { shut <- idle.Shutdown() }()
	require.NoError(t, loopback.Wait(t, shut, "Shutdown of a DatagramServer whose ServeForever never ran"), "Shutdown")

	// A synchronous server in a handler: Shutdown returns only after
	// ServeForever has.
	entered, release := make(chan struct{}), make(chan struct{})
	pc := loopback.ListenPacket(t)
	srv := NewDatagramServer(pc, func() Handler {
		return &hookHandler{handle: func(req *Request) error {
			close(entered)
			<-release
			return nil
		}}
	})
	served := make(chan error, 1)
	go func() { served <- srv.ServeForever() }()
	client := loopback.DialOn(t, "udp", pc.LocalAddr().String())
	_, err := client.Write([]byte("hold"))
	require.NoError(t, err)
	loopback.Wait(t, entered, "the handler to get the datagram")
	go func() { shut <- srv.Shutdown() }()
	select {
	case err := <-shut:
		close(release)
		t.Fatalf("Shutdown returned %v while ServeForever was still in a handler; want it to wait for ServeForever (%s)", err, readme.Ref(t))
	case <-time.After(50 * time.Millisecond): // not a wait for an event: a check that one has not happened
	}
	close(release)
	require.NoError(t, loopback.Wait(t, shut, "Shutdown to return after the handler ended"), "Shutdown")
	// ServeForever has returned (Shutdown waited for it); its value is on
	// its way through our goroutine.
	require.NoError(t, loopback.Wait(t, served, "ServeForever to return after Shutdown"), "ServeForever after Shutdown")
}

func TestStep3_UDPErrorsLogged(t *testing.T) {
	readme.Explain(t)
	logged := make(chan string, 10)
	newHandler := func() Handler {
		return &hookHandler{handle: func(req *Request) error {
			if string(req.Packet) == "fail" {
				return errors.New("handler failed on purpose")
			}
			return req.Reply([]byte("ok"))
		}}
	}
	pc := loopback.ListenPacket(t)
	srv := NewDatagramServer(pc, newHandler, ErrorLog(func(format string, args ...any) {
		logged <- fmt.Sprintf(format, args...)
	}))
	startDatagramServer(t, srv)
	client := loopback.DialOn(t, "udp", pc.LocalAddr().String())
	exchange(t, client, "fine", "ok")
	select {
	case line := <-logged:
		t.Fatalf("the server logged %q for a datagram its handler served without error (%s)", line, readme.Ref(t))
	default:
	}
	_, err := client.Write([]byte("fail"))
	require.NoError(t, err)
	line := loopback.Wait(t, logged, "the server to log (ErrorLog) the error of a failed datagram handler")
	require.Contains(t, line, "handler failed on purpose", "what the server logged for a failed datagram handler")
}

func TestStep3_UDPHandlerGetsPacketAndReply(t *testing.T) {
	readme.Explain(t)
	type seen struct {
		packet string
		addr   string
		conn   bool
	}
	got := make(chan seen, 1)
	newHandler := func() Handler {
		return &hookHandler{handle: func(req *Request) error {
			got <- seen{string(req.Packet), req.ClientAddr.String(), req.Conn != nil}
			// two replies to one datagram: Reply is a way back, not a one-shot
			if err := req.Reply([]byte("first")); err != nil {
				return err
			}
			return req.Reply([]byte("second"))
		}}
	}
	pc := loopback.ListenPacket(t)
	srv := NewDatagramServer(pc, newHandler)
	t.Cleanup(func() { srv.Close() })
	handled := make(chan error, 1)
	go func() { handled <- srv.HandleRequest() }()
	client := loopback.DialOn(t, "udp", pc.LocalAddr().String())
	_, err := client.Write([]byte("ping"))
	require.NoError(t, err, "send a datagram")
	var s seen
	select {
	case s = <-got:
		require.NoError(t, loopback.Wait(t, handled, "HandleRequest to return after one datagram"), "HandleRequest")
	case err := <-handled:
		require.NoError(t, err, "HandleRequest")
		select {
		case s = <-got:
		default:
			t.Fatalf("HandleRequest returned nil, and the handler never got the datagram")
		}
	case <-time.After(loopback.Timeout):
		t.Fatalf("waited %v for the handler to get the datagram", loopback.Timeout)
	}
	require.Equal(t, seen{"ping", client.LocalAddr().String(), false}, s,
		"the Request a datagram handler got: Packet, ClientAddr (the sender) and no Conn")
	for _, want := range []string{"first", "second"} {
		require.Equal(t, want, readDatagram(t, client), "the datagrams Reply sent back, in order")
	}
}

func TestStep3_UDPThreadingPacketsAreOwn(t *testing.T) {
	readme.Explain(t)
	// Each handler holds its datagram until all have arrived: if the
	// server reused one buffer for all, they would all see the last one.
	const n = 4
	var mu sync.Mutex
	arrived := 0
	all := make(chan struct{})
	newHandler := func() Handler {
		return &hookHandler{handle: func(req *Request) error {
			mu.Lock()
			arrived++
			if arrived == n {
				close(all)
			}
			mu.Unlock()
			<-all
			return req.Reply(append([]byte("got "), req.Packet...))
		}}
	}
	pc := startDatagram(t, loopback.ListenPacket(t), newHandler, Threading())
	client := loopback.DialOn(t, "udp", pc.LocalAddr().String())
	want := map[string]bool{}
	for _, msg := range []string{"one", "two", "three", "four"} {
		_, err := client.Write([]byte(msg))
		require.NoError(t, err, "send %q", msg)
		want["got "+msg] = true
	}
	got := map[string]bool{}
	for range n {
		got[readDatagram(t, client)] = true
	}
	require.Equal(t, want, got, "the replies of %d handlers that held their Packet until all had come", n)
}

// notifyPacketConn tells the test when the server calls ReadFrom.
type notifyPacketConn struct {
	net.PacketConn
	reading chan struct{}
}

func (p *notifyPacketConn) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case p.reading <- struct{}{}:
	default:
	}
	return p.PacketConn.ReadFrom(b)
}

// startDatagram serves a DatagramServer on pc until the test ends; it
// returns pc.
func startDatagram(t *testing.T, pc net.PacketConn, newHandler func() Handler, opts ...Option) net.PacketConn {
	t.Helper()
	np := &notifyPacketConn{PacketConn: pc, reading: make(chan struct{}, 100)}
	srv := NewDatagramServer(np, newHandler, opts...)
	run := &running{done: make(chan struct{})}
	go func() {
		defer close(run.done)
		run.err = srv.ServeForever()
	}()
	t.Cleanup(func() { stopServer(t, srv, run) })
	waitOrStopped(t, np.reading, run, "ServeForever to read a datagram")
	return pc
}

// exchange sends msg as one datagram and expects want as the reply.
func exchange(t *testing.T, conn net.Conn, msg, want string) {
	t.Helper()
	_, err := conn.Write([]byte(msg))
	require.NoError(t, err, "send %q", msg)
	require.Equal(t, want, readDatagram(t, conn), "the reply to the datagram %q", msg)
}

// readDatagram reads one datagram within the deadline.
func readDatagram(t *testing.T, conn net.Conn) string {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(loopback.Deadline()))
	buf := make([]byte, MaxPacket)
	n, err := conn.Read(buf)
	require.NoError(t, err, "read a reply datagram from %v", conn.RemoteAddr())
	return string(buf[:n])
}
