package filetransfer

import (
	"errors"
	"io"
)

// MaxName is the longest file name, in bytes, that a client accepts. It
// leaves room under the usual 255-byte limit of file systems for the
// ".part" suffix of a partial download.
const MaxName = 200

// DefaultMax is the byte cap a Client uses when its Max is 0: the largest
// file it accepts, under either protocol.
const DefaultMax = 1 << 30

// ErrUnsafeName means a file name from the network could put a file outside
// the client's output directory, or is not a plain file name at all.
var ErrUnsafeName = errors.New("filetransfer: unsafe file name")

// ErrTooLarge means the peer sent, or announced, more bytes than the
// client's cap allows.
var ErrTooLarge = errors.New("filetransfer: too large")

// SafePath returns where the file called name goes in dir, or an error
// wrapping ErrUnsafeName if name is not one plain file name. A name from the
// network is untrusted input: the notes' client opens '/Users/Hao/' +
// filename, so a server that sends "../../.bashrc" writes wherever it likes.
//
// SafePath accepts only a single path element and refuses:
//
//	""  "."  ".."                     no file at all
//	"../x"  "a/../../x"  "/etc/x"     a "/" anywhere
//	"..\x"  "a\b"                     a "\" anywhere (Windows separator)
//	"C:x"  "C:\x"                     a ":" anywhere (Windows drive letter)
//	"x\x00y"  "a\nb"  "a\x7fb"  "\u009b"  control characters: C0, DEL and C1
//	                                  (unicode.IsControl)
//	invalid UTF-8, names longer than MaxName bytes
//
// Names such as "guido.jpg", "吉多.jpg", ".hidden" and "a..b" are fine. The
// result is filepath.Join(dir, name).
func SafePath(dir, name string) (string, error) {
	// TODO(step 3): refuse every name that is not one plain file name. See README.md, step 3.
	return "", ErrTODO
}

// SaveFile copies r into the file called name in dir and returns its path.
// The name is checked with SafePath first; an unsafe name is an error
// wrapping ErrUnsafeName and nothing is created.
//
// SaveFile never leaves a partial file: it writes to a temporary file in
// dir (same directory, so same file system) and renames it to its name
// only once everything is written and closed. If reading r, writing or
// closing fails, the temporary file is removed, a file already called name
// keeps its old contents, and the error says what failed.
func SaveFile(dir, name string, r io.Reader) (string, error) {
	// TODO(step 3): write to a temporary file in dir, then rename; remove it on every error.
	return "", ErrTODO
}
