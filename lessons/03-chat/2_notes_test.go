package chat

import (
	"fmt"
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

func TestStep2_PyRepr(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 54321}, "('127.0.0.1', 54321)"},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 3, 35).To4(), Port: 8080}, "('192.168.3.35', 8080)"},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 54321}, "('::1', 54321, 0, 0)"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 9999}, "('2001:db8::1', 9999, 0, 0)"},
		{&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 80, Zone: "2"}, "('fe80::1%2', 80, 0, 2)"},
		{&net.UDPAddr{IP: net.ParseIP("10.0.0.1"), Port: 53}, "('10.0.0.1', 53)"},
		{&net.UnixAddr{Name: "/tmp/chat.sock", Net: "unix"}, "('/tmp/chat.sock',)"},
	}
	// A zone given by name is its interface's index, as Python's scope_id.
	if lo, err := net.InterfaceByIndex(1); err == nil {
		tests = append(tests, struct {
			addr net.Addr
			want string
		}{&net.TCPAddr{IP: net.ParseIP("fe80::1"), Port: 80, Zone: lo.Name}, fmt.Sprintf("('fe80::1%%%s', 80, 0, %d)", lo.Name, lo.Index)})
	}
	for _, tc := range tests {
		t.Run(tc.addr.String(), func(t *testing.T) {
			require.Equal(t, tc.want, PyRepr(tc.addr), "PyRepr(%v)", tc.addr)
		})
	}
}

// notesMember is a connection to a Notes room and the prefix the room
// puts before what it says.
type notesMember struct {
	*transcript.Conn
	prefix string
}

// notesJoin connects to a Notes room and says hello; once its own hello
// comes back, the room has registered it.
func notesJoin(t *testing.T, addr, name string) notesMember {
	t.Helper()
	c := transcript.Dial(t, addr, name)
	m := notesMember{c, PyRepr(c.Net().LocalAddr()) + ":"}
	c.Write("hello from " + name)
	c.ExpectBytes(m.prefix + "hello from " + name)
	return m
}

func TestStep2_NotesRoomRelaysToAll(t *testing.T) {
	readme.Explain(t)
	addr := startRoom(t, &Room{Proto: Notes})
	var ms []notesMember
	for i := 1; i <= 20; i++ {
		m := notesJoin(t, addr, memberName(i))
		for _, o := range ms { // the others hear the new member's hello too
			o.ExpectBytes(m.prefix + "hello from " + memberName(i))
		}
		ms = append(ms, m)
	}
	// Every member says something; every member, the sender too, reads it
	// after the sender's address as Python prints it, and nothing else.
	for i, sender := range ms {
		text := fmt.Sprintf("大家好, I am member %d", i+1)
		sender.Write(text)
		for _, m := range ms {
			m.ExpectBytes(sender.prefix + text)
		}
	}

	t.Run("IPv6", func(t *testing.T) {
		ln := loopback.ListenOn(t, "tcp6", "[::1]:0") // skips where IPv6 is off
		addr := serveRoom(t, &Room{Proto: Notes}, ln)
		alice := notesJoin(t, addr, "alice")
		require.Regexp(t, `^\('::1', \d+, 0, 0\):$`, alice.prefix)
	})
}

func TestStep2_NotesQuit(t *testing.T) {
	readme.Explain(t)
	room := &Room{Proto: Notes}
	addr := startRoom(t, room)
	alice := notesJoin(t, addr, "alice")
	bob := notesJoin(t, addr, "bob")
	alice.ExpectBytes(bob.prefix + "hello from bob")
	carol := notesJoin(t, addr, "carol")
	alice.ExpectBytes(carol.prefix + "hello from carol")
	bob.ExpectBytes(carol.prefix + "hello from carol")

	// "quit\n" is not "quit": it is a message like any other.
	carol.Write("quit\n")
	for _, m := range []notesMember{alice, bob, carol} {
		m.ExpectBytes(carol.prefix + "quit\n")
	}
	// Exactly "quit" leaves: the room closes the connection and tells nobody.
	alice.Write("quit")
	alice.ExpectEOF()
	bob.Write("still here?")
	bob.ExpectBytes(bob.prefix + "still here?")
	carol.ExpectBytes(bob.prefix + "still here?")
	// The notes announce no leave, so there is no event to wait for: ask.
	waitMembers(t, room, "after alice sent \"quit\"", bob.prefix, carol.prefix)

	// A member whose connection dies leaves too, and says nothing as it
	// goes: the Read that saw the end returned no bytes, so there is no
	// message to relay.
	bob.Close()
	waitMembers(t, room, "after bob's connection closed", carol.prefix)
	carol.Write("anyone?")
	carol.ExpectBytes(carol.prefix + "anyone?")
}

// waitMembers waits until room.Members() are the given prefixes without
// their ":", asking every 5ms, and fails after loopback.Timeout.
func waitMembers(t *testing.T, room *Room, when string, prefixes ...string) {
	t.Helper()
	var want []string
	for _, p := range prefixes {
		want = append(want, strings.TrimSuffix(p, ":"))
	}
	slices.Sort(want)
	var got []string
	deadline := time.Now().Add(loopback.Timeout)
	for time.Now().Before(deadline) {
		if got = room.Members(); slices.Equal(got, want) {
			return
		}
		time.Sleep(5 * time.Millisecond) // polling: the notes' protocol has no leave notice to wait on
	}
	t.Fatalf("Members() %s = %q for %v, want %q: remove a member from the registry when it quits or its connection dies (%s)",
		when, got, loopback.Timeout, want, readme.Ref(t))
}
