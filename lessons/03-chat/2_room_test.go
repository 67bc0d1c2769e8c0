package chat

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
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

func TestStep3_SlowMemberDropped(t *testing.T) {
	readme.Explain(t)
	room := &Room{QueueLen: 8}
	release := make(chan struct{})
	ln := &hookListener{Listener: loopback.Listen(t), wrap: func(i int, c net.Conn) net.Conn {
		if i == 20 { // the 21st to join never reads: writes to it block
			return newStuckConn(c, release)
		}
		return c
	}}
	addr := serveRoom(t, room, ln)
	t.Cleanup(func() { close(release) }) // runs before serveRoom's Stop
	ms := joinMany(t, addr, 20)
	// If the room stalls from here on, say why in the student's terms.
	stalled := true
	t.Cleanup(func() {
		if t.Failed() && stalled {
			t.Errorf("the room stopped relaying once slow, a member that never reads, had joined: writes to slow block, "+
				"and a room that writes to a member while holding its lock, or waits for one member's write before serving the others, "+
				"is blocked by the slowest member; queue each member's messages and write them from that member's own goroutine, "+
				"outside the lock, and drop a member whose queue is full (%s)", readme.Ref(t))
		}
	})
	slow := transcript.Dial(t, addr, "slow")
	slow.Send("slow")
	for _, m := range ms {
		m.Expect("* slow joined")
	}

	// m01 says n lines, one at a time: every other member gets each line (the
	// room does not stall), and, once, the notice that slow was dropped.
	const n = 50
	notices := make([]int, len(ms))
	for i := 1; i <= n; i++ {
		line := fmt.Sprintf("line %d", i)
		ms[0].Send(line)
		for j, m := range ms[1:] {
			got := m.ReadLine()
			if got == "* slow dropped (too slow)" {
				notices[j]++
				got = m.ReadLine()
			}
			if got != "m01: "+line {
				stalled = false // a wrong line, not a stall
			}
			require.Equal(t, "m01: "+line, got, "%s's next line after m01 sent %q (slow never reads, and QueueLen is %d)", memberName(j+2), line, room.QueueLen)
		}
	}
	stalled = false
	for j, got := range notices[:len(ms)-1] {
		require.Equal(t, 1, got, "notices \"* slow dropped (too slow)\" %s read while m01 sent %d lines: a member with QueueLen=%d messages waiting is dropped", memberName(j+2), n, room.QueueLen)
	}
	require.Equal(t, names(20), room.Members(), "Members() after slow was dropped")
}

func TestStep3_QueueLenCounted(t *testing.T) {
	readme.Explain(t)
	// QueueLen 4, and slow's writer stuck in its first Write ("* slow
	// joined"). Then "* alice joined", "* bob joined", "alice: 1" and
	// "alice: 2" wait for slow: 4 messages, a full queue, so "alice: 3" finds
	// no room and slow is dropped. Counting the message stuck in Write as
	// waiting too is fair, and drops slow at "alice: 2". Letting a fifth wait
	// is one too many.
	room := &Room{QueueLen: 4}
	release := make(chan struct{})
	writing := make(chan struct{}, 1)
	ln := &hookListener{Listener: loopback.Listen(t), wrap: func(i int, c net.Conn) net.Conn {
		if i == 0 {
			sc := newStuckConn(c, release)
			sc.writing = writing
			return sc
		}
		return c
	}}
	addr := serveRoom(t, room, ln)
	t.Cleanup(func() { close(release) }) // runs before serveRoom's Stop
	slow := transcript.Dial(t, addr, "slow")
	slow.Send("slow")
	select {
	case <-writing: // slow's writer took "* slow joined" and is stuck writing it
	case <-time.After(loopback.Timeout):
		t.Fatalf("slow sent its name, but the room never wrote \"* slow joined\" to it within %v (%s)", loopback.Timeout, readme.Ref(t))
	}
	alice := join(t, addr, "alice")
	bob := join(t, addr, "bob", alice)
	var got []string // what bob reads; alice waits for each line to reach bob
	for i := 1; i <= 4; i++ {
		said := fmt.Sprintf("alice: %d", i)
		alice.Send(fmt.Sprintf("%d", i))
		for line := ""; line != said && len(got) < 6; {
			line = bob.ReadLine()
			got = append(got, line)
		}
	}
	drop := slices.Index(got, "* slow dropped (too slow)")
	if drop < 2 || drop > 3 {
		t.Fatalf("bob read %q while alice said 1, 2, 3, 4 (QueueLen 4; slow's writer stuck in Write since \"* slow joined\", then \"* alice joined\" and \"* bob joined\" queued for slow); "+
			"want \"* slow dropped (too slow)\" right after \"alice: 3\", which found four waiting (or after \"alice: 2\", if you count the one stuck in Write): "+
			"QueueLen is how many messages may wait (%s)", got, readme.Ref(t))
	}
}

func TestStep3_LongLineRefused(t *testing.T) {
	readme.Explain(t)
	addr := startRoom(t, &Room{})
	alice := join(t, addr, "alice")
	bob := join(t, addr, "bob", alice)

	// The long lines go out unrecorded, so that the transcript's replay
	// command stays short; sendLong says how to make them by hand.
	atLimit := strings.Repeat("长", MaxLine/3) + strings.Repeat("x", MaxLine%3)
	sendLong(t, alice, "alice", atLimit, fmt.Sprintf(`printf '长%%.0s' $(seq %d); printf '%s\n'`, MaxLine/3, strings.Repeat("x", MaxLine%3)))
	got := bob.ReadLine()
	if want := "alice: " + atLimit; got != want {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		shown := got
		if len(shown) > 80 {
			shown = shown[:60] + fmt.Sprintf("... (%d bytes)", len(got))
		}
		t.Fatalf("alice sent a line of exactly MaxLine (%d) bytes, %d times 长 and %d x; bob read %q, which differs from byte %d on; want %q followed by the line (%d bytes): a line of MaxLine bytes is allowed (%s)",
			MaxLine, MaxLine/3, MaxLine%3, shown, i, "alice: ", len(want), readme.Ref(t))
	}

	sendLong(t, alice, "alice", strings.Repeat("x", MaxLine+1), fmt.Sprintf(`head -c %d /dev/zero | tr '\\0' x; echo`, MaxLine+1))
	alice.Expect(fmt.Sprintf("! line too long (max %d bytes)", MaxLine))
	alice.ExpectEOF()
	bob.Expect("* alice left")
}

// BenchmarkChatBroadcast measures a Lines room relaying one sender's
// lines to 19 other members (20 in the room): deliveries per second and
// allocations per delivery (the room's and the readers' together).
func BenchmarkChatBroadcast(b *testing.B) {
	const members, window = 20, 64
	room := &Room{QueueLen: 4 * window}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	served := make(chan error, 1)
	go func() { served <- room.Serve(ln) }()
	defer func() {
		room.Stop()
		<-served
	}()

	var received atomic.Int64
	progress := make(chan struct{}, 1)
	var readers sync.WaitGroup
	conns := make([]net.Conn, members)
	for i := range conns {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), loopback.Timeout)
		require.NoError(b, err)
		conns[i] = c
		fmt.Fprintf(c, "%s\n", memberName(i+1))
		br := bufio.NewReader(c)
		_, err = br.ReadSlice('\n') // "* mNN joined": in the room (later joins are skipped below)
		require.NoError(b, err)
		readers.Add(1)
		go func(i int, br *bufio.Reader) {
			defer readers.Done()
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				if line[0] != '*' {
					received.Add(1)
					select {
					case progress <- struct{}{}:
					default:
					}
				}
			}
		}(i, br)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
		readers.Wait()
	}()
	sender := conns[0]
	msg := []byte("m01 says hello to the whole room\n")
	perMsg := int64(members - 1)

	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	sent := int64(0)
	for b.Loop() {
		// Every window lines, wait until every reader has them all, so that no
		// reader falls QueueLen behind (and is dropped as too slow).
		if sent%window == 0 {
			for received.Load() < sent*perMsg {
				<-progress
			}
		}
		if _, err := sender.Write(msg); err != nil {
			b.Fatal(err)
		}
		sent++
	}
	for received.Load() < sent*perMsg {
		select {
		case <-progress:
		case <-time.After(loopback.Timeout):
			b.Fatalf("delivered %d of %d lines", received.Load(), sent*perMsg)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	deliveries := float64(sent * perMsg)
	b.ReportMetric(deliveries/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/deliveries, "allocs/delivery")
}

// sendLong sends line and "\n" as c without recording them in the
// transcript, whose replay command would grow by the whole line; it logs
// the shell command that makes the same line instead.
func sendLong(t *testing.T, c *transcript.Conn, name, line, shell string) {
	t.Helper()
	t.Logf("%s sends a line of %d bytes (left out of the transcript below; make it with: %s)", name, len(line), shell)
	c.Net().SetWriteDeadline(loopback.Deadline())
	if _, err := io.WriteString(c.Net(), line+"\n"); err != nil {
		t.Fatalf("sending a line of %d bytes: %v", len(line), err)
	}
}
