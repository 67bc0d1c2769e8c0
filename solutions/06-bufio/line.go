package lineproto

import (
	"bufio"
	"errors"
	"io"
)

// MaxLine is the longest command or reply line, in bytes, not counting its
// "\r\n" or "\n".
const MaxLine = 1024

// ErrLineTooLong means the peer sent more than MaxLine bytes without a line end.
var ErrLineTooLong = errors.New("lineproto: line too long")

// LineReader reads lines of at most MaxLine bytes from a stream, holding no
// more than one buffer of MaxLine+2 bytes however long the peer's lines are.
type LineReader struct {
	br   *bufio.Reader
	skip bool // the rest of a too-long line is still to be discarded
}

// NewLineReader returns a LineReader reading from r through a buffer of
// MaxLine+2 bytes (room for a longest line and its "\r\n").
func NewLineReader(r io.Reader) *LineReader {
	return &LineReader{br: bufio.NewReaderSize(r, MaxLine+2)}
}

// ReadLine returns the next line without its "\n" or "\r\n". The slice
// points into the reader's buffer: it is valid only until the next call
// (read it, or copy it, before reading on), which is what lets a steady
// stream of lines be read without allocating.
//
// A line longer than MaxLine is ErrLineTooLong, returned as soon as the
// buffer is full without a line end: ReadLine does not wait for the end of
// the line, so the caller can answer at once. The next call first discards
// the rest of that line, however long, then reads the line after it.
//
// At the end of the stream ReadLine returns io.EOF, or io.ErrUnexpectedEOF
// if the stream ends in the middle of a line.
func (lr *LineReader) ReadLine() ([]byte, error) {
	for lr.skip {
		_, err := lr.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			continue // a full buffer of the long line: drop it, read on
		}
		if err != nil {
			return nil, err
		}
		lr.skip = false
	}
	line, err := lr.br.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		lr.skip = true
		return nil, ErrLineTooLong
	case errors.Is(err, io.EOF) && len(line) > 0:
		return nil, io.ErrUnexpectedEOF
	case err != nil:
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if len(line) > MaxLine {
		return nil, ErrLineTooLong // the whole line came at once: nothing to skip
	}
	return line, nil
}

// Buffered returns how many bytes have arrived but not been read yet. Zero
// means the next ReadLine will wait for the peer: the moment to flush
// replies that are still buffered.
func (lr *LineReader) Buffered() int {
	return lr.br.Buffered()
}
