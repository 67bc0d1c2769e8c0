package lineproto

import (
	"io"
	"os"
)

// SendFile writes the whole of f, from its current offset to its end, to
// w and returns how many bytes it wrote. It hands the file itself to
// io.Copy, so when w is a TCP connection the kernel moves the bytes from
// the page cache to the socket (sendfile(2), Python's socket.sendfile)
// without copying them through the program. Errors are wrapped with what
// was being done.
func SendFile(w io.Writer, f *os.File) (int64, error) {
	// TODO(step 4): hand the file to io.Copy. See README.md, step 4.
	return 0, ErrTODO
}

// SendFileLoop is the loop SendFile replaces, kept to measure against:
// it reads f into a buffer of bufSize bytes and writes what it read to w,
// until the end of the file, so every byte is copied into the program and
// out again, and each Write to w is at most bufSize bytes. It returns how
// many bytes it wrote; a bufSize below 1 is an error.
func SendFileLoop(w io.Writer, f *os.File, bufSize int) (int64, error) {
	// TODO(step 4): read into a bufSize buffer, write what you read, until EOF. See README.md, step 4.
	return 0, ErrTODO
}
