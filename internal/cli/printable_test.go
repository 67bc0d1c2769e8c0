package cli

import (
	"strings"
	"testing"
)

func TestPrintable(t *testing.T) {
	tests := []struct {
		name, in, want string
		keep           []rune
	}{
		{"plain text", "550 mailbox unavailable", "550 mailbox unavailable", nil},
		{"Chinese", "发送成功", "发送成功", nil},
		{"escape sequence", "ERR \x1b[2Jgone", `ERR \x1b[2Jgone`, nil},
		{"newline escaped by default", "a\nb", `a\x0ab`, nil},
		{"newline kept", "a\nb\tc\rd", "a\nb\tc\\x0dd", []rune{'\n', '\t'}},
		{"DEL and C1", "a\x7fb\u0085c", `a\x7fb\x85c`, nil},
		{"bidi override", "abc\u202edcba", `abc\u202edcba`, nil},
		{"invalid UTF-8", "a\xffb", `a\xffb`, nil},
		{"a real U+FFFD stays", "a\uFFFDb", "a\uFFFDb", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Printable(tc.in, tc.keep...); got != tc.want {
				t.Errorf("Printable(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSafeWriterJoinsCutCharacters(t *testing.T) {
	var out strings.Builder
	w := SafeWriter(&out)
	whole := "你好\x1b[31m\n"
	// Write one byte at a time: every multi-byte character is cut.
	for i := 0; i < len(whole); i++ {
		n, err := w.Write([]byte{whole[i]})
		if n != 1 || err != nil {
			t.Fatalf("Write(byte %d) = %d, %v; want 1, nil", i, n, err)
		}
	}
	if got, want := out.String(), "你好\\x1b[31m\n"; got != want {
		t.Errorf("SafeWriter wrote %q, want %q", got, want)
	}
}
