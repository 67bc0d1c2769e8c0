package chat

import (
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/transcript"
	"github.com/stretchr/testify/require"
)

func TestStep4_ValidName(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name string
		want bool
	}{
		{"alice", true}, {"王大锤", true}, {"bob_2-x", true}, {strings.Repeat("a", MaxName), true},
		{"", false}, {strings.Repeat("a", MaxName+1), false}, {"two words", false}, {"tab\there", false},
		{"/alice", false}, {"*alice", false}, {"!alice", false}, {"al:ice", false}, {"al,ice", false},
		{"bad\xffutf8", false}, {"nul\x00", false},
		// Near misses: bytes, not characters; Unicode spaces and controls.
		{strings.Repeat("王", MaxName/3) + strings.Repeat("a", MaxName%3), true}, // exactly MaxName bytes
		{strings.Repeat("王", MaxName/3+1), false},                               // fewer than MaxName characters, more than MaxName bytes
		{"ideographic\u3000space", false}, {"no\u00a0break", false}, {"del\x7f", false}, {"next\u0085line", false},
		{"a/b", true}, {"ali*ce!", true},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, ValidName(tc.name), "ValidName(%q)", tc.name)
	}
}

func TestStep4_Nick(t *testing.T) {
	readme.Explain(t)
	room := &Room{}
	addr := startRoom(t, room)
	alice := join(t, addr, "alice")
	bob := join(t, addr, "bob", alice)

	alice.Send("/nick 王大锤")
	alice.Expect("* alice is now 王大锤")
	bob.Expect("* alice is now 王大锤")
	alice.Send("hi")
	bob.Expect("王大锤: hi")
	require.Equal(t, []string{"bob", "王大锤"}, room.Members(), "Members() after alice's /nick")

	bob.Send("/nick 王大锤")
	bob.Expect("! name 王大锤 is taken")
	bob.Send("/nick")
	bob.Expect("! usage: /nick NAME")
	bob.Send("/nick two words")
	if got := bob.ReadLine(); !strings.HasPrefix(got, "! invalid name ") {
		t.Fatalf("after \"/nick two words\" bob read %q, want a line starting \"! invalid name \"", got)
	}
	bob.Send("still bob")
	alice.Expect("bob: still bob")
}

func TestStep4_Who(t *testing.T) {
	readme.Explain(t)
	addr := startRoom(t, &Room{})
	ms := joinMany(t, addr, 20)
	ms[3].Send("/who")
	ms[3].Expect("* members: " + strings.Join(names(20), ", "))
	// Only the asker gets the list.
	ms[0].Send("next")
	for _, m := range ms[1:] {
		m.Expect("m01: next")
	}
}

func TestStep4_BadCommands(t *testing.T) {
	readme.Explain(t)
	addr := startRoom(t, &Room{})
	alice := join(t, addr, "alice")
	bob := join(t, addr, "bob", alice)

	alice.Send("/dance")
	alice.Expect("! unknown command /dance (try /nick NAME, /who, /quit)")
	alice.Send("//dance is a path")
	bob.Expect("alice: /dance is a path")
	alice.Send("/quit now")
	alice.ExpectEOF()
	bob.Expect("* alice left")
}

func TestStep4_NameAtJoin(t *testing.T) {
	readme.Explain(t)
	addr := startRoom(t, &Room{})
	alice := join(t, addr, "alice")

	taken := transcript.Dial(t, addr, "alice2")
	taken.Send("alice")
	taken.Expect("! name alice is taken")
	taken.ExpectEOF()

	bad := transcript.Dial(t, addr, "bad")
	bad.Send("* alice")
	if got := bad.ReadLine(); !strings.HasPrefix(got, "! invalid name ") {
		t.Fatalf("after the name \"* alice\" the room said %q, want a line starting \"! invalid name \"", got)
	}
	bad.ExpectEOF()

	join(t, addr, "bob", alice) // alice heard nothing of the two refused
}
