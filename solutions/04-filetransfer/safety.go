package filetransfer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
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
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%w: %q: %s", ErrUnsafeName, name, why)
	}
	switch {
	case name == "" || name == "." || name == "..":
		return bad("not a file name")
	case len(name) > MaxName:
		return bad(fmt.Sprintf("longer than %d bytes", MaxName))
	case !utf8.ValidString(name):
		return bad("not UTF-8")
	case strings.ContainsAny(name, `/\`):
		return bad("has a path separator")
	case strings.ContainsRune(name, ':'):
		return bad("has a ':' (a drive letter on Windows)")
	case strings.ContainsFunc(name, unicode.IsControl): // C0, DEL and C1 (U+009B is a terminal's CSI)
		return bad("has a control character")
	}
	return filepath.Join(dir, name), nil
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
	path, err := SafePath(dir, name)
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, ".filetransfer-*.tmp")
	if err != nil {
		return "", fmt.Errorf("save %q: %w", name, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close() // already failing; the first error is the one to report
			os.Remove(tmp)
		}
	}()
	if _, err := io.Copy(f, r); err != nil {
		return "", fmt.Errorf("save %q: %w", name, err)
	}
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes 0600
		return "", fmt.Errorf("save %q: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("save %q: %w", name, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("save %q: %w", name, err)
	}
	ok = true
	return path, nil
}
