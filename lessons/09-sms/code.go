package sms

import "io"

// CodeDigits is the length of a verification code.
const CodeDigits = 6

// NewCode returns a verification code of CodeDigits decimal digits,
// leading zeros kept ("004271"), each of the 1,000,000 codes equally
// likely. random is the source of randomness: crypto/rand.Reader in
// production, a fixed stream in tests.
//
// Random bytes make a number in [0, 2^k); folding it into [0, 1000000)
// with % favours the small codes, because 2^k is not a multiple of
// 1000000. NewCode instead rejects a number in the uneven top slice and
// draws again, so a source that starts with all-one bytes (0xFF ...) is
// read on past them. It reads random in pieces of 1, 2, 3, 4 or 8 bytes.
// An error reading random is returned, wrapped.
func NewCode(random io.Reader) (string, error) {
	// TODO(step 4): draw a number in [0, 1000000) without bias and keep 6 digits. See README.md, step 4.
	return "", ErrTODO
}
