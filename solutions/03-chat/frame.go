package chat

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// MaxLine is the longest line a room accepts, in bytes, not counting "\n".
const MaxLine = 4096

// ErrLineTooLong means a peer sent more than MaxLine bytes without a "\n".
var ErrLineTooLong = errors.New("chat: line too long")

// ReadLine returns the next line from br, without its "\n" or "\r\n".
//
// TCP delivers bytes, not messages: one Read may hold half a line or three
// lines. ReadLine returns exactly one line per call, however the bytes
// arrive. If the peer's two lines arrive as these two reads
//
//	"alice: hi\nbob: hel"
//	"lo\n"
//
// ReadLine returns "alice: hi", then "bob: hello".
//
// A line longer than MaxLine is ErrLineTooLong. At the end of the stream
// ReadLine returns io.EOF, or io.ErrUnexpectedEOF in the middle of a line.
func ReadLine(br *bufio.Reader) (string, error) {
	// ReadSlice never buffers more than br's size, so a peer that never sends
	// "\n" costs at most that much memory; the pieces are kept only up to
	// MaxLine (+2 for "\r\n").
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		if len(line)+len(frag) > MaxLine+2 || (err == nil && tooLong(line, frag)) {
			return "", ErrLineTooLong
		}
		if err == nil {
			if line == nil {
				return trimEOL(string(frag)), nil // the common case: one copy
			}
			return trimEOL(string(append(line, frag...))), nil
		}
		line = append(line, frag...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue // a line longer than br's buffer: keep reading
		case errors.Is(err, io.EOF) && len(line) > 0:
			return "", io.ErrUnexpectedEOF
		default:
			return "", err
		}
	}
}

// tooLong reports whether the line made of line+frag (which ends in "\n") is
// over MaxLine without its "\n" or "\r\n".
func tooLong(line, frag []byte) bool {
	n := len(line) + len(frag) - 1 // without "\n"
	if n > 0 && endsCR(line, frag) {
		n--
	}
	return n > MaxLine
}

func endsCR(line, frag []byte) bool {
	if len(frag) >= 2 {
		return frag[len(frag)-2] == '\r'
	}
	return len(line) > 0 && line[len(line)-1] == '\r'
}

func trimEOL(s string) string {
	s = strings.TrimSuffix(s, "\n")
	return strings.TrimSuffix(s, "\r")
}
