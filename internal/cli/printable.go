package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable returns s as text that is safe to show on a terminal: every
// control character (C0, DEL and C1, "\x1b" among them), every
// bidirectional override or isolate (which can make text read backwards),
// and every byte that is not UTF-8 is written as a Go escape ("\x1b",
// "\u202e", "\xff"). Runes in keep are passed through as they are (a
// multi-line text keeps "\n" and "\t").
//
// Anything a peer sends is hostile until shown otherwise: a server's error
// text holding "\x1b[2J" would clear the user's screen if printed raw.
func Printable(s string, keep ...rune) string {
	var b strings.Builder
	b.Grow(len(s))
	appendPrintable(&b, s, keep)
	return b.String()
}

func appendPrintable(b *strings.Builder, s string, keep []rune) {
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(b, "\\x%02x", s[0])
		case keeps(keep, r):
			b.WriteRune(r)
		case r < 0x100 && unicode.IsControl(r):
			fmt.Fprintf(b, "\\x%02x", r)
		case unicode.IsControl(r) || isBidiControl(r):
			fmt.Fprintf(b, "\\u%04x", r)
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
}

func keeps(keep []rune, r rune) bool {
	for _, k := range keep {
		if k == r {
			return true
		}
	}
	return false
}

// isBidiControl reports whether r is one of the explicit bidirectional
// formatting characters (U+202A-U+202E, U+2066-U+2069).
func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// SafeWriter returns a writer that passes text from a peer on to w as
// Printable does, keeping newlines and tabs. A UTF-8 character cut between
// two Writes is held back until the rest of it comes; Write reports the
// whole of p as written once w has taken the escaped text.
func SafeWriter(w io.Writer) io.Writer { return &safeWriter{w: w} }

type safeWriter struct {
	w     io.Writer
	carry []byte
}

func (s *safeWriter) Write(p []byte) (int, error) {
	buf := append(s.carry, p...)
	s.carry = nil
	// Hold back a last character that is only cut short, not invalid.
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax; i-- {
		if utf8.RuneStart(buf[i]) {
			if !utf8.FullRune(buf[i:]) {
				s.carry = append([]byte(nil), buf[i:]...)
				buf = buf[:i]
			}
			break
		}
	}
	var b strings.Builder
	appendPrintable(&b, string(buf), []rune{'\n', '\t'})
	if _, err := io.WriteString(s.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}
