package chat

import (
	"bufio"
	"errors"
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
	// TODO(step 1): read up to '\n' and enforce MaxLine. See README.md, step 1.
	return "", ErrTODO
}
