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
