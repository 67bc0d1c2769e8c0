package filetransfer

import "errors"

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
	// TODO(step 1): turn each 3 bytes into 4 symbols; pad the last group with "=". See README.md, step 1.
	return ""
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
	// TODO(step 1): check the length, map each symbol back to 6 bits, handle "=" and refuse the rest.
	return nil, ErrTODO
}
