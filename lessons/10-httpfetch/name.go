package httpfetch

import (
	"errors"
)

// MaxNameBytes is the longest file name FileName returns, in bytes.
const MaxNameBytes = 255

// ErrBadName means a URL does not end in a name that is safe to save under.
var ErrBadName = errors.New("httpfetch: no safe file name in the URL")

// FileName returns the name to save rawURL's body under: the last segment of
// the URL's path, percent-decoded ("http://h/img/%E7%8C%AB.jpg" is "猫.jpg").
//
// The name must be safe to join to an output folder: it is an error
// (ErrBadName) if it is empty, ".", "..", starts with ".", holds a "/" or
// "\" (after decoding), a ":" (a Windows drive or stream), a NUL or another
// control character, is not valid UTF-8, or is longer than MaxNameBytes.
// The query and fragment play no part.
func FileName(rawURL string) (string, error) {
	// TODO(step 2): take the last path segment, decode it, refuse anything unsafe.
	return "", ErrTODO
}
