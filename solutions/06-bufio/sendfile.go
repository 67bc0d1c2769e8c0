package lineproto

import (
	"fmt"
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
	n, err := io.Copy(w, f)
	if err != nil {
		return n, fmt.Errorf("send file %q after %d bytes: %w", f.Name(), n, err)
	}
	return n, nil
}

// SendFileLoop is the loop SendFile replaces, kept to measure against:
// it reads f into a buffer of bufSize bytes and writes what it read to w,
// until the end of the file, so every byte is copied into the program and
// out again, and each Write to w is at most bufSize bytes. It returns how
// many bytes it wrote; a bufSize below 1 is an error.
func SendFileLoop(w io.Writer, f *os.File, bufSize int) (int64, error) {
	if bufSize < 1 {
		return 0, fmt.Errorf("send file %q: buffer size %d, want at least 1", f.Name(), bufSize)
	}
	buf := make([]byte, bufSize)
	var total int64
	for {
		n, err := f.Read(buf)
		if n > 0 {
			// Write returns an error whenever it writes less than n.
			m, werr := w.Write(buf[:n])
			total += int64(m)
			if werr != nil {
				return total, fmt.Errorf("send file %q after %d bytes: %w", f.Name(), total, werr)
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, fmt.Errorf("read file %q after %d bytes: %w", f.Name(), total, err)
		}
	}
}
