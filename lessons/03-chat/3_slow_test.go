package chat

import (
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

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
