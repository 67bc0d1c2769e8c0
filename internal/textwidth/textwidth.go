// Package textwidth measures text in terminal columns, where East Asian
// wide characters (汉字, fullwidth forms) take two.
package textwidth

import "strings"

// Of returns how many terminal columns s takes.
func Of(s string) int {
	w := 0
	for _, r := range s {
		w++
		if Wide(r) {
			w++
		}
	}
	return w
}

// Wide reports whether r takes two terminal columns.
func Wide(r rune) bool {
	return r >= 0x1100 && (r <= 0x115F || (r >= 0x2E80 && r <= 0xA4CF && r != 0x303F) ||
		(r >= 0xAC00 && r <= 0xD7A3) || (r >= 0xF900 && r <= 0xFAFF) ||
		(r >= 0xFE30 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF60) ||
		(r >= 0xFFE0 && r <= 0xFFE6) || (r >= 0x20000 && r <= 0x3FFFD))
}

// Pad returns s cut or padded with spaces to exactly width columns; a cut
// string ends in "…".
func Pad(s string, width int) string {
	if Of(s) <= width {
		return s + spaces(width-Of(s))
	}
	out, w := []rune{}, 0
	for _, r := range s {
		rw := 1
		if Wide(r) {
			rw = 2
		}
		if w+rw > width-1 {
			break
		}
		out = append(out, r)
		w += rw
	}
	return string(out) + "…" + spaces(width-1-w)
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = ' '
	}
	return string(b)
}

// CutWords returns s if it fits in width columns, and otherwise its words
// that fit, followed by "…": a word is never cut in half (a first word
// wider than width is, as Pad would).
func CutWords(s string, width int) string {
	if Of(s) <= width {
		return s
	}
	out := ""
	for _, word := range strings.Fields(s) {
		next := word
		if out != "" {
			next = out + " " + word
		}
		if Of(next)+1 > width {
			break
		}
		out = next
	}
	if out == "" {
		return Pad(s, width)
	}
	return strings.TrimRight(out, ",;:-–") + "…"
}
