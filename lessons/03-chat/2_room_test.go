package chat

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

func TestStep2_RoomRelaysToOthers(t *testing.T) {
	readme.Explain(t)
	room := &Room{}
	addr := startRoom(t, room)
	ms := joinMany(t, addr, 20)
	require.Equal(t, names(20), room.Members(), "Members() after 20 joined")

	// Each member says something; every other member reads "<name>: <text>".
	// The sender reads nothing back: its next line is the next sender's.
	for i, sender := range ms {
		text := fmt.Sprintf("大家好, I am member %d", i+1)
		sender.Send(text)
		for j, m := range ms {
			if j != i {
				m.Expect(memberName(i+1) + ": " + text)
			}
		}
	}
	// Two lines in one write are two messages; one line in three writes is one.
	ms[0].Write("one\ntwo\n")
	ms[0].Write("th")
	ms[0].Write("re")
	ms[0].Write("e\n")
	for _, m := range ms[1:] {
		m.Expect("m01: one")
		m.Expect("m01: two")
		m.Expect("m01: three")
	}
	ms[1].Send("last")
	ms[0].Expect("m02: last")
}

func TestStep2_ConcurrentSenders(t *testing.T) {
	readme.Explain(t)
	// Every member sends and reads at the same time: the registry and the
	// queues are used by many goroutines at once (run with -race to see a
	// missing lock).
	const n, lines = 8, 25
	addr := startRoom(t, &Room{})
	ms := joinMany(t, addr, n)
	start := make(chan struct{})
	errs := make(chan error, 2*n)
	var wg sync.WaitGroup
	for i, m := range ms {
		me := memberName(i + 1)
		conn := m.Net() // every joined line was read: nothing is buffered
		require.NoError(t, conn.SetDeadline(loopback.Deadline()))
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			for k := range lines {
				if _, err := fmt.Fprintf(conn, "line %d of %s\n", k, me); err != nil {
					errs <- fmt.Errorf("%s could not send its line %d: %w", me, k, err)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			br := bufio.NewReader(conn)
			next := map[string]int{} // sender -> the line number expected next
			for got := 0; got < (n-1)*lines; got++ {
				line, err := br.ReadString('\n')
				if err != nil {
					errs <- fmt.Errorf("%s read %d of the %d lines the others sent, then %v (got %q)", me, got, (n-1)*lines, err, line)
					return
				}
				var from, of string
				var k int
				if _, err := fmt.Sscanf(line, "%s line %d of %s", &from, &k, &of); err != nil || from != of+":" || of == me || k != next[of] {
					errs <- fmt.Errorf("%s read %q; want the next line of each other member in the order it was sent (next from %s: line %d)", me, line, of, next[of])
					return
				}
				next[of]++
			}
		}()
	}
	close(start)
	wg.Wait() // the readers' deadline bounds this
	close(errs)
	for err := range errs {
		t.Fatalf("%d members each sent %d lines at once: %v (%s)", n, lines, err, readme.Ref(t))
	}
}

func TestStep2_JoinAndQuit(t *testing.T) {
	readme.Explain(t)
	room := &Room{}
	addr := startRoom(t, room)
	alice := join(t, addr, "alice")
	bob := join(t, addr, "bob", alice)
	carol := join(t, addr, "carol", alice, bob)

	bob.Send("bye")
	alice.Expect("bob: bye")
	carol.Expect("bob: bye")
	bob.Send("/quit")
	bob.ExpectEOF()
	alice.Expect("* bob left")
	carol.Expect("* bob left")
	require.Equal(t, []string{"alice", "carol"}, room.Members(), "Members() after bob's /quit")

	carol.Send("just us")
	alice.Expect("carol: just us")
}

func TestStep2_VanishedMemberRemoved(t *testing.T) {
	readme.Explain(t)
	room := &Room{}
	addr := startRoom(t, room)
	ms := joinMany(t, addr, 20)
	ms[5].Close() // m06's program crashed: no /quit, just a closed connection
	for i, m := range ms {
		if i != 5 {
			m.Expect("* m06 left")
		}
	}
	want := names(20)
	want = append(want[:5], want[6:]...)
	require.Equal(t, want, room.Members(), "Members() after m06's connection closed (and the others read \"* m06 left\")")
	ms[0].Send("still 19 of us")
	for i, m := range ms[1:] {
		if i+1 != 5 {
			m.Expect("m01: still 19 of us")
		}
	}
}

func TestStep2_StopWaitsForGoroutines(t *testing.T) {
	readme.Explain(t)
	room := &Room{}
	gate := make(chan struct{})
	atGate := make(chan struct{}, 32)
	release := sync.OnceFunc(func() { close(gate) })
	ln := &hookListener{Listener: loopback.Listen(t), wrap: func(_ int, c net.Conn) net.Conn {
		return &gatedConn{Conn: c, gate: gate, atGate: atGate}
	}}
	addr := serveRoom(t, room, ln)
	t.Cleanup(release) // runs before serveRoom's Stop
	ms := joinMany(t, addr, 20)

	stopped := make(chan error, 1)
	go func() { stopped <- room.Stop() }()
	for i := range ms {
		loopback.Wait(t, atGate, fmt.Sprintf("member %d's Read to fail once Stop closed its connection", i+1))
	}
	// Every member's goroutine is now held inside Read, after Stop closed its
	// connection. A Stop that waits for its goroutines cannot have returned;
	// one that does not has returned by now, or within a moment.
	select {
	case err := <-stopped:
		t.Fatalf("Stop returned (%v) while the goroutines of 20 members were still running: Stop must wait for every goroutine the room started (%s)", err, readme.Ref(t))
	case <-time.After(100 * time.Millisecond):
	}
	release()
	err := loopback.Wait(t, stopped, "Stop to return once its goroutines ended")
	require.NoError(t, err, "Stop")
	for _, m := range ms {
		m.ExpectEOF()
	}
	if c, err := net.DialTimeout("tcp", addr, loopback.Timeout); err == nil {
		c.Close()
		t.Fatalf("dial %s after Stop succeeded: Stop must close the listener", addr)
	}
}

func TestStep2_AcceptErrorsRetried(t *testing.T) {
	readme.Explain(t)
	// The first 3 Accepts fail with EMFILE ("too many open files"), as when
	// a flood of clients has used up the process's file descriptors.
	const failures = 3
	flaky := loopback.Flaky(loopback.Listen(t), failures)
	ln := &timedListener{Listener: flaky}
	room := &Room{}
	served := make(chan error, 1)
	go func() { served <- room.Serve(ln) }()
	t.Cleanup(func() {
		room.Stop()
		select {
		case <-served:
		case <-time.After(loopback.Timeout):
			t.Errorf("Serve still running %v after Stop returned (%s)", loopback.Timeout, readme.Ref(t))
		}
	})
	joined := make(chan error, 1)
	go func() {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), loopback.Timeout)
		if err != nil {
			joined <- err
			return
		}
		defer conn.Close()
		conn.SetDeadline(loopback.Deadline())
		if _, err := io.WriteString(conn, "alice\n"); err != nil {
			joined <- err
			return
		}
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err == nil && line != "* alice joined\n" {
			err = fmt.Errorf("got %q, want %q", line, "* alice joined\n")
		}
		joined <- err
	}()
	serveStopped := func(err error) {
		served <- err // for the cleanup
		t.Fatalf("Serve returned %v after %d Accept calls failed with a temporary error (EMFILE, too many open files); "+
			"want it to wait a little and accept again, as net/http does: one flood must not close the room for everyone (%s)",
			err, flaky.Failed(), readme.Ref(t))
	}
	select {
	case err := <-served:
		serveStopped(err)
	case err := <-joined:
		if err != nil {
			select { // a Serve that gave up closed ln: say so, not "reset"
			case serr := <-served:
				serveStopped(serr)
			case <-time.After(100 * time.Millisecond):
			}
		}
		require.NoError(t, err, "alice joined after the first %d Accepts failed with EMFILE; want %q", failures, "* alice joined")
	}
	require.Equal(t, failures, flaky.Failed(), "Accept calls that failed with EMFILE before alice was served")
	// Out of file descriptors, an Accept called again at once fails again:
	// a room that does not wait spins at full CPU for as long as it lasts.
	calls := ln.times()
	require.Greater(t, len(calls), failures, "Accept calls")
	for i := 1; i <= failures; i++ {
		if gap := calls[i].Sub(calls[i-1]); gap < 5*time.Millisecond {
			t.Fatalf("Serve called Accept again %v after temporary error %d (EMFILE); want it to wait first, 5ms after the first failure, doubling up to 1s, as net/http does: retrying at once only spins (%s)",
				gap, i, readme.Ref(t))
		}
	}
}
