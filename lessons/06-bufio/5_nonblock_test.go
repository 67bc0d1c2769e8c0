package lineproto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep5_TryRead(t *testing.T) {
	readme.Explain(t)
	client, server := connPair(t)
	buf := make([]byte, 64)

	n, err := TryRead(server, buf)
	require.ErrorIs(t, err, ErrWouldBlock, "TryRead on a connection with nothing sent = %d, %v; want ErrWouldBlock at once (%s)", n, err, readme.Ref(t))
	require.Zero(t, n, "TryRead's count with nothing sent")

	_, err = client.Write([]byte("hello"))
	require.NoError(t, err)
	got := tryReadUntil(t, server, buf, 5)
	require.Equal(t, "hello", string(got), "TryRead after the peer sent %q", "hello")

	// TryRead must leave the connection as it found it: a plain Read
	// afterwards waits for bytes as usual.
	n, err = TryRead(server, buf)
	require.ErrorIs(t, err, ErrWouldBlock, "TryRead after reading everything = %d, %v; want ErrWouldBlock", n, err)
	read := make(chan string, 1)
	go func() {
		b := make([]byte, 16)
		n, err := server.Read(b) // no deadline of our own: we check what TryRead left behind
		if err != nil {
			read <- "error: " + err.Error()
			return
		}
		read <- string(b[:n])
	}()
	_, err = client.Write([]byte("later"))
	require.NoError(t, err)
	select {
	case s := <-read:
		require.Equal(t, "later", s, "a plain Read after TryRead returned ErrWouldBlock; want it to wait and get %q. A deadline TryRead set and did not clear makes every later Read time out (%s)", "later", readme.Ref(t))
	case <-time.After(loopback.Timeout):
		server.Close()
		<-read
		t.Fatalf("a plain Read after TryRead waited %v for %q and got nothing", loopback.Timeout, "later")
	}

	// A buffer smaller than what is waiting gets what fits; the rest stays.
	_, err = client.Write([]byte("0123456789"))
	require.NoError(t, err)
	small := make([]byte, 4)
	got = tryReadUntil(t, server, small, 4)
	require.Equal(t, "0123", string(got), "TryRead into a 4-byte buffer after the peer sent %q", "0123456789")
	got = tryReadUntil(t, server, buf, 6)
	require.Equal(t, "456789", string(got), "the next TryRead after the peer sent %q and 4 bytes were read", "0123456789")

	// The peer's close is the end of the stream, not "nothing yet".
	require.NoError(t, client.Close())
	deadline := time.Now().Add(loopback.Timeout)
	for {
		n, err = TryRead(server, buf)
		if !errors.Is(err, ErrWouldBlock) || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond) // polling TryRead is the point of this step; the deadline bounds it
	}
	require.ErrorIs(t, err, io.EOF, "TryRead after the peer closed = %d, %v; want 0, io.EOF", n, err)
	require.Zero(t, n, "TryRead's count after the peer closed")
}

func TestStep5_TryReadDoesNotWait(t *testing.T) {
	readme.Explain(t)
	_, server := connPair(t)
	buf := make([]byte, 64)
	const calls = 40
	limit := time.Second // 40 system calls take microseconds; a pause in each adds up
	start := time.Now()
	for i := range calls {
		n, err := TryRead(server, buf)
		require.ErrorIs(t, err, ErrWouldBlock, "TryRead number %d on an idle connection = %d, %v; want ErrWouldBlock", i+1, n, err)
		if time.Since(start) > limit {
			break
		}
	}
	took := time.Since(start)
	require.Less(t, took, limit, "%d TryReads on an idle connection took %v; TryRead returns at once, without sleeping or waiting for a deadline to pass (%s)", calls, took, readme.Ref(t))
}

func TestStep5_Poll(t *testing.T) {
	readme.Explain(t)
	const clients = 3
	var peers, conns []net.Conn
	for range clients {
		c, s := connPair(t)
		peers = append(peers, c)
		conns = append(conns, s)
	}
	got := make([]bytes.Buffer, clients)
	polled := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
	defer cancel()
	go func() {
		polled <- Poll(ctx, conns, func(i int, data []byte) error {
			got[i].Write(data)
			_, err := conns[i].Write(bytes.ToUpper(data)) // an echo server, in capitals
			return err
		})
	}()
	// The clients take turns, each waiting for its echo: Poll must serve
	// all of them at once from its one goroutine. Client 0 leaves early.
	for round := range 3 {
		for i, peer := range peers {
			if i == 0 && round > 0 {
				continue
			}
			msg := fmt.Sprintf("client %d round %d;", i, round)
			require.NoError(t, peer.SetDeadline(loopback.Deadline()))
			_, err := peer.Write([]byte(msg))
			require.NoError(t, err)
			echo := make([]byte, len(msg))
			_, err = io.ReadFull(peer, echo)
			require.NoError(t, err, "client %d sent %q and waited for its echo from Poll (%s)", i, msg, readme.Ref(t))
			require.Equal(t, string(bytes.ToUpper([]byte(msg))), string(echo), "echo to client %d", i)
		}
		if round == 0 {
			require.NoError(t, peers[0].Close(), "client 0 leaves")
		}
	}
	for _, peer := range peers[1:] {
		require.NoError(t, peer.Close())
	}
	err := loopback.Wait(t, polled, "Poll to return after every client closed")
	require.NoError(t, err, "Poll after every client closed")
	for i := range clients {
		require.Contains(t, got[i].String(), fmt.Sprintf("client %d round 0;", i), "what handle got from client %d", i)
	}

	// An error from handle ends Poll with that error.
	c, s := connPair(t)
	_, err = c.Write([]byte("x"))
	require.NoError(t, err)
	boom := errors.New("handle failed")
	go func() { polled <- Poll(ctx, []net.Conn{s}, func(int, []byte) error { return boom }) }()
	err = loopback.Wait(t, polled, "Poll to return handle's error")
	require.ErrorIs(t, err, boom, "Poll when handle returns an error")
}

func TestStep5_PollStopsWithContext(t *testing.T) {
	readme.Explain(t)
	_, s1 := connPair(t)
	peer, s2 := connPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	handled := make(chan struct{}, 1)
	polled := make(chan error, 1)
	go func() {
		polled <- Poll(ctx, []net.Conn{s1, s2}, func(int, []byte) error {
			select {
			case handled <- struct{}{}:
			default:
			}
			return nil
		})
	}()
	_, err := peer.Write([]byte("x"))
	require.NoError(t, err)
	select {
	case <-handled:
	case err := <-polled:
		t.Fatalf("Poll returned %v while its clients were connected; want it to hand the byte sent to handle (%s)", err, readme.Ref(t))
	case <-time.After(loopback.Timeout):
		t.Fatalf("Poll did not hand the byte sent to handle within %v", loopback.Timeout)
	}
	cancel() // both clients stay connected and silent
	err = loopback.Wait(t, polled, "Poll to return after its context was cancelled, with two idle clients (README.md, step 5)")
	require.ErrorIs(t, err, context.Canceled, "Poll after its context was cancelled")
}

func TestStep5_RecvInto(t *testing.T) {
	readme.Explain(t)
	r := bytes.NewReader([]byte("0123456789"))
	buf := make([]byte, 8)
	n, err := RecvInto(r, buf, 3)
	require.NoError(t, err, "RecvInto(buf of 8, nbytes 3)")
	require.Equal(t, "012", string(buf[:n]), "RecvInto(buf of 8, nbytes 3) on %q", "0123456789")
	n, err = RecvInto(r, buf, 0)
	require.NoError(t, err, "RecvInto(buf of 8, nbytes 0)")
	require.Equal(t, "3456789", string(buf[:n]), "RecvInto(buf of 8, nbytes 0 = all of buf) on what is left of %q", "0123456789")
	n, err = RecvInto(r, buf, 0)
	require.ErrorIs(t, err, io.EOF, "RecvInto at the end of the stream = %d, %v", n, err)
	for _, bad := range []int{9, -1} {
		n, err = RecvInto(bytes.NewReader([]byte("x")), buf, bad)
		require.ErrorIs(t, err, ErrBufferTooSmall, "RecvInto(buf of 8, nbytes %d) = %d, %v", bad, n, err)
		require.Zero(t, n, "RecvInto(buf of 8, nbytes %d) count", bad)
	}

	// Over a real connection, a steady stream costs no allocation.
	client, server := connPair(t)
	go func() {
		chunk := bytes.Repeat([]byte("x"), 4096)
		for {
			if _, err := client.Write(chunk); err != nil {
				return // the test closed the connection
			}
		}
	}()
	buf = make([]byte, 4096)
	recv := func() {
		if _, err = RecvInto(server, buf, 1024); err != nil {
			t.Errorf("RecvInto on a steady stream: %v", err)
		}
	}
	recv()
	allocs := testing.AllocsPerRun(200, recv)
	require.Zero(t, allocs, "allocations per RecvInto on a steady stream; want 0: recv_into reads into the caller's buffer (%s)", readme.Ref(t))
	server.Close() // stop the writer
}

// BenchmarkRecvInto reads a steady stream in 4 KiB reads: into one reused
// buffer (recv_into, RecvInto), or into a new buffer per read (Python's recv,
// which returns a new bytes object every time).
func BenchmarkRecvInto(b *testing.B) {
	for _, bc := range []struct {
		name string
		read func(conn net.Conn, buf []byte) (int, error)
	}{
		{"recv_into", func(conn net.Conn, buf []byte) (int, error) { return RecvInto(conn, buf, 0) }},
		{"recv-new-buffer", func(conn net.Conn, buf []byte) (int, error) {
			fresh := make([]byte, len(buf))
			n, err := conn.Read(fresh)
			copy(buf, fresh[:n]) // keep fresh alive past the Read, as a caller would
			return n, err
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			client, server := connPair(b)
			go func() {
				chunk := make([]byte, 64<<10)
				for {
					if _, err := client.Write(chunk); err != nil {
						return
					}
				}
			}()
			buf := make([]byte, 4096)
			var total int
			b.ReportAllocs()
			for b.Loop() {
				n, err := bc.read(server, buf)
				if err != nil {
					b.Fatal(err)
				}
				total += n
			}
			b.ReportMetric(float64(total)/float64(b.N), "B/read")
			server.Close()
		})
	}
}

// connPair returns the two ends of a TCP connection over loopback, client
// first; both close when the test ends.
func connPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	ln := loopback.Listen(t)
	accepted := make(chan net.Conn, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			accepted <- nil
			return
		}
		accepted <- conn
	}()
	client = loopback.Dial(t, ln.Addr().String())
	server = loopback.Wait(t, accepted, "Accept of the test's own connection")
	if server == nil {
		t.Fatal("Accept of the test's own connection failed")
	}
	t.Cleanup(func() { server.Close() })
	return client, server
}

// tryReadUntil calls TryRead until it has read want bytes or Timeout has
// passed, and returns what it read. A TryRead error other than ErrWouldBlock
// ends the test.
func tryReadUntil(t *testing.T, conn net.Conn, buf []byte, want int) []byte {
	t.Helper()
	var got []byte
	deadline := time.Now().Add(loopback.Timeout)
	for len(got) < want {
		n, err := TryRead(conn, buf[:min(len(buf), want-len(got))])
		if errors.Is(err, ErrWouldBlock) {
			if time.Now().After(deadline) {
				t.Fatalf("TryRead returned ErrWouldBlock for %v after the peer sent %d bytes; got %q so far. A past deadline fails before the read is tried (%s)", loopback.Timeout, want, got, readme.Ref(t))
			}
			time.Sleep(time.Millisecond) // the bytes are on their way through loopback; the deadline bounds the wait
			continue
		}
		require.NoError(t, err, "TryRead after the peer sent %d bytes, %q so far", want, got)
		got = append(got, buf[:n]...)
	}
	return got
}
