package filetransfer

import (
	"encoding/base64"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/stretchr/testify/require"
)

// rfc4648 are the test vectors of RFC 4648 section 10.
var rfc4648 = []struct{ plain, encoded string }{
	{"", ""},
	{"f", "Zg=="},
	{"fo", "Zm8="},
	{"foo", "Zm9v"},
	{"foob", "Zm9vYg=="},
	{"fooba", "Zm9vYmE="},
	{"foobar", "Zm9vYmFy"},
}

func TestStep1_Encode(t *testing.T) {
	readme.Explain(t)
	for _, tc := range rfc4648 {
		require.Equal(t, tc.encoded, Encode([]byte(tc.plain)), "Encode(%q)", tc.plain)
	}
	// Every byte value, and every length modulo 3, against the standard library.
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	r := seed.Rand(t)
	for range 200 {
		n := r.IntN(len(all))
		src := make([]byte, n)
		for i := range src {
			src[i] = all[r.IntN(256)]
		}
		require.Equal(t, base64.StdEncoding.EncodeToString(src), Encode(src), "Encode(%x)", src)
	}
	require.Equal(t, base64.StdEncoding.EncodeToString(all), Encode(all), "Encode(every byte 0x00..0xff)")
}

func TestStep1_Decode(t *testing.T) {
	readme.Explain(t)
	for _, tc := range rfc4648 {
		got, err := Decode(tc.encoded)
		require.NoError(t, err, "Decode(%q)", tc.encoded)
		require.Equal(t, tc.plain, string(got), "Decode(%q)", tc.encoded)
	}
	r := seed.Rand(t)
	for range 200 {
		src := make([]byte, r.IntN(300))
		for i := range src {
			src[i] = byte(r.IntN(256))
		}
		s := base64.StdEncoding.EncodeToString(src)
		got, err := Decode(s)
		require.NoError(t, err, "Decode(%q)", s)
		require.Equal(t, src, got, "Decode(%q)", s)
	}
	got, err := Decode("+/+/")
	require.NoError(t, err, "Decode(%q)", "+/+/")
	require.Equal(t, []byte{0xfb, 0xff, 0xbf}, got, `Decode("+/+/"): '+' is 62 and '/' is 63`)
}

func TestStep1_DecodeRejectsBadInput(t *testing.T) {
	readme.Explain(t)
	tests := []struct{ name, in string }{
		{"length 3", "Zg="},
		{"length 2", "Zg"},
		{"length 5", "Zm9vY"},
		{"a symbol outside the alphabet", "Zm9v!A=="},
		{"URL-safe alphabet", "-_-_"},
		{"a space", "Zm9v Zg=="},
		{"a newline", "Zm9v\nZg=="},
		{"a NUL", "Zm9\x00"},
		{"non-ASCII", "Zm9v\u00e9A=="},
		{"padding only", "===="},
		{"three padding characters", "Z==="},
		{"padding in the middle of a group", "Zg=A"},
		{"padding before the last group", "Zg==Zm9v"},
		{"padding in the first half", "Z=g="},
		{"nonzero bits before ==", "Zh=="},
		{"nonzero bits before =", "Zm9="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Decode(tc.in)
			require.ErrorIs(t, err, ErrBadBase64, "Decode(%q) = %q, %v; want an error wrapping ErrBadBase64", tc.in, got, err)
		})
	}
}

func TestStep1_DecodeSaysWhere(t *testing.T) {
	readme.Explain(t)
	// The error says at which byte offset the trouble is: exactly, for a
	// byte outside the alphabet; for padding trouble, any offset inside the
	// 4-character group that holds it (the "=", or the symbol before or after
	// it: each is a fair answer).
	tests := []struct {
		in     string
		lo, hi int // the offsets accepted
	}{
		{"Zm9vY!A=", 5, 5},    // '!'
		{"Zm9vZ g=", 5, 5},    // a space
		{"Zm9vZm\x009", 6, 6}, // a NUL
		{"Zm9vZg=A", 4, 7},    // a symbol after "="
		{"Zm9vZh==", 4, 7},    // 'h' leaves nonzero bits before "=="
		{"Zm9vZm9=", 4, 7},    // '9' leaves nonzero bits before "="
	}
	number := regexp.MustCompile(`\b\d+\b`)
	for _, tc := range tests {
		_, err := Decode(tc.in)
		require.ErrorIs(t, err, ErrBadBase64, "Decode(%q)", tc.in)
		found := false
		for _, m := range number.FindAllString(err.Error(), -1) {
			if n, _ := strconv.Atoi(m); n >= tc.lo && n <= tc.hi {
				found = true
			}
		}
		where := fmt.Sprintf("%d", tc.lo)
		if tc.hi > tc.lo {
			where = fmt.Sprintf("between %d and %d (the group that holds the padding trouble)", tc.lo, tc.hi)
		}
		require.True(t, found, "Decode(%q) = error %q; want it to say at which byte offset the trouble is: %s", tc.in, err, where)
	}
}

// FuzzStep1_Base64 compares Encode and Decode with encoding/base64. Run it
// longer with: go test -run '^$' -fuzz FuzzStep1_Base64 -fuzztime 60s ./lessons/04-filetransfer/
func FuzzStep1_Base64(f *testing.F) {
	readme.Explain(f)
	for _, tc := range rfc4648 {
		f.Add([]byte(tc.plain))
		f.Add([]byte(tc.encoded))
	}
	f.Add([]byte("Zh=="))
	f.Add([]byte("Zg=A"))
	f.Add([]byte("Zm9v\r\nYmFy"))
	f.Fuzz(func(t *testing.T, b []byte) {
		require.Equal(t, base64.StdEncoding.EncodeToString(b), Encode(b), "Encode(%q)", b)

		s := string(b)
		got, err := Decode(s)
		if strings.ContainsAny(s, "\r\n") {
			// encoding/base64 skips line breaks; Decode refuses them.
			require.ErrorIs(t, err, ErrBadBase64, "Decode(%q) = %q, %v; want ErrBadBase64", s, got, err)
			return
		}
		want, wantErr := base64.StdEncoding.Strict().DecodeString(s)
		if wantErr != nil {
			require.ErrorIs(t, err, ErrBadBase64, "Decode(%q) = %q, %v; encoding/base64 says %v", s, got, err, wantErr)
			return
		}
		require.NoError(t, err, "Decode(%q), which encoding/base64 decodes to %q", s, want)
		require.Equal(t, want, got, "Decode(%q)", s)
	})
}
