package textwidth

import "testing"

func TestOfAndPad(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"abc", 5, "abc  "},
		{"发送短信", 10, "发送短信  "},
		{"发送短信 over HTTP", 8, "发送短… "},
		{"abcdef", 4, "abc…"},
	}
	for _, tc := range tests {
		got := Pad(tc.in, tc.width)
		if got != tc.want || Of(got) != tc.width {
			t.Errorf("Pad(%q, %d) = %q (%d columns), want %q", tc.in, tc.width, got, Of(got), tc.want)
		}
	}
}

func TestCutWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"TCP servers and clients", 40, "TCP servers and clients"},
		{"UDP - datagrams, ping, and what TCP promises", 40, "UDP - datagrams, ping, and what TCP…"},
		{"a chat room (实现多人聊天群)", 20, "a chat room…"},
		{"Supercalifragilistic", 10, "Supercali…"},
	} {
		got := CutWords(tc.in, tc.w)
		if got != tc.want || Of(got) > tc.w {
			t.Errorf("CutWords(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
}
