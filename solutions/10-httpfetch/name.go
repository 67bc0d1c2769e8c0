package httpfetch

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
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
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("file name of %q: %w", rawURL, err)
	}
	// u.Path is already percent-decoded; EscapedPath keeps "%2F" apart from "/".
	escaped := u.EscapedPath()
	seg := escaped[strings.LastIndexByte(escaped, '/')+1:]
	name, err := url.PathUnescape(seg)
	if err != nil {
		return "", fmt.Errorf("file name of %q: %w", rawURL, ErrBadName)
	}
	if reason := unsafeName(name); reason != "" {
		return "", fmt.Errorf("file name %q of %q %s: %w", name, rawURL, reason, ErrBadName)
	}
	return name, nil
}

// unsafeName says why name is not safe, or returns "".
func unsafeName(name string) string {
	if name == "" {
		return "is empty"
	}
	if strings.HasPrefix(name, ".") {
		return "starts with a dot"
	}
	if len(name) > MaxNameBytes {
		return fmt.Sprintf("is longer than %d bytes", MaxNameBytes)
	}
	if !utf8.ValidString(name) {
		return "is not valid UTF-8"
	}
	if strings.ContainsAny(name, `/\:`) {
		return "holds a path separator or a colon"
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "holds a control character"
		}
	}
	return ""
}
