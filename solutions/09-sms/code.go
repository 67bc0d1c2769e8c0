package sms

import (
	"crypto/rand"
	"fmt"
	"io"
	"math/big"
)

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
	// crypto/rand.Int draws ceil(20/8) = 3 bytes, masks them to 20 bits
	// (0..1048575) and rejects anything >= 1000000: no bias.
	n, err := rand.Int(random, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("sms: verification code: %w", err)
	}
	return fmt.Sprintf("%0*d", CodeDigits, n.Int64()), nil
}
