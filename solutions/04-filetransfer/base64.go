package filetransfer

import (
	"errors"
	"fmt"
	"slices"
)

// ErrBadBase64 means a string is not valid standard base64: a byte outside
// the alphabet, a length that is not a multiple of 4, padding in the wrong
// place, or unused bits that are not zero.
var ErrBadBase64 = errors.New("filetransfer: bad base64")

// Encode returns src in standard base64 (RFC 4648 section 4): each group of
// 3 bytes becomes 4 characters of the alphabet
//
//	ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/
//
// and a last group of 1 or 2 bytes becomes 2 or 3 characters padded with
// "=" to 4. So "f" is "Zg==", "fo" is "Zm8=", "foo" is "Zm9v". The output is
// exactly what Python's base64.b64encode and Go's base64.StdEncoding give.
func Encode(src []byte) string {
	return string(appendEncode(nil, src))
}

// appendEncode appends the base64 of src to dst; WriteV1 uses it to encode
// straight into the document, with no string copy in between.
func appendEncode(dst, src []byte) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	di := len(dst)
	dst = slices.Grow(dst, (len(src)+2)/3*4)[:di+(len(src)+2)/3*4]
	for len(src) >= 3 {
		// 24 bits, read as four 6-bit numbers, most significant first.
		v := uint(src[0])<<16 | uint(src[1])<<8 | uint(src[2])
		dst[di+0] = alphabet[v>>18&63]
		dst[di+1] = alphabet[v>>12&63]
		dst[di+2] = alphabet[v>>6&63]
		dst[di+3] = alphabet[v&63]
		src, di = src[3:], di+4
	}
	switch len(src) {
	case 1: // 8 bits: two characters (12 bits, the last 4 zero), then "=="
		v := uint(src[0]) << 16
		dst[di], dst[di+1], dst[di+2], dst[di+3] = alphabet[v>>18&63], alphabet[v>>12&63], '=', '='
	case 2: // 16 bits: three characters (18 bits, the last 2 zero), then "="
		v := uint(src[0])<<16 | uint(src[1])<<8
		dst[di], dst[di+1], dst[di+2], dst[di+3] = alphabet[v>>18&63], alphabet[v>>12&63], alphabet[v>>6&63], '='
	}
	return dst
}

// Decode returns the bytes that the standard base64 string s encodes. It is
// strict, so that every byte string has exactly one accepted encoding (the
// one Encode writes):
//
//   - len(s) is a multiple of 4 ("Zg=" and "Zg" are errors);
//   - every character is in the alphabet, except that the last group may end
//     in "=" or "==" ("Zm9v!" and "Zg==Zg==" are errors, and so are "\n" and
//     spaces: Decode does not skip them);
//   - the bits that padding leaves over are zero ("Zh==" is an error; "Zg=="
//     is "f").
//
// Invalid input returns an error wrapping ErrBadBase64 that says at which
// byte offset the trouble is.
func Decode(s string) ([]byte, error) {
	if len(s)%4 != 0 {
		return nil, fmt.Errorf("%w: length %d is not a multiple of 4", ErrBadBase64, len(s))
	}
	dst := make([]byte, 0, len(s)/4*3)
	for i := 0; i < len(s); i += 4 {
		// The fast path: four symbols, no padding.
		a, b, c, d := decodeTable[s[i]], decodeTable[s[i+1]], decodeTable[s[i+2]], decodeTable[s[i+3]]
		if a|b|c|d < 64 {
			n := uint(a)<<18 | uint(b)<<12 | uint(c)<<6 | uint(d)
			dst = append(dst, byte(n>>16), byte(n>>8), byte(n))
			continue
		}
		last := i+4 == len(s)
		var v [4]byte
		pad := 0
		for j := range 4 {
			c := s[i+j]
			if c == '=' && last && j >= 2 {
				pad++
				continue
			}
			if pad > 0 { // a symbol after "=": "Zg=A"
				return nil, fmt.Errorf("%w: %q after padding at offset %d", ErrBadBase64, c, i+j)
			}
			d := decodeTable[c]
			if d == invalid {
				return nil, fmt.Errorf("%w: %q at offset %d", ErrBadBase64, c, i+j)
			}
			v[j] = d
		}
		n := uint(v[0])<<18 | uint(v[1])<<12 | uint(v[2])<<6 | uint(v[3])
		switch pad {
		case 0:
			dst = append(dst, byte(n>>16), byte(n>>8), byte(n))
		case 1: // 18 bits carry 2 bytes; the low 2 bits must be zero
			if n&0xff != 0 {
				return nil, fmt.Errorf("%w: nonzero bits before padding at offset %d", ErrBadBase64, i+2)
			}
			dst = append(dst, byte(n>>16), byte(n>>8))
		case 2: // 12 bits carry 1 byte; the low 4 bits must be zero
			if n&0xffff != 0 {
				return nil, fmt.Errorf("%w: nonzero bits before padding at offset %d", ErrBadBase64, i+1)
			}
			dst = append(dst, byte(n>>16))
		}
	}
	return dst, nil
}

// invalid marks a byte that is not a base64 symbol in decodeTable.
const invalid = 0xff

// decodeTable maps each byte to its 6-bit value, or to invalid.
var decodeTable = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = invalid
	}
	for i := range len(alphabet) {
		t[alphabet[i]] = byte(i)
	}
	return t
}()
