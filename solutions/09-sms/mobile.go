package sms

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidMobile means a string is not a mainland China mobile number.
var ErrInvalidMobile = errors.New("sms: invalid mobile number")

// NormalizeMobile checks that s is a mainland China mobile number and
// returns its 11 digits:
//
//	13800138000      "13800138000"
//	+8613800138000   "13800138000" (country code +86 ...)
//	8613800138000    "13800138000" (... or 86, without the +)
//
// The number is 11 ASCII digits, "1" then "3" to "9"; nothing else is
// allowed: no spaces, dashes, full-width digits (１３８...), or other
// country codes. Anything else is ErrInvalidMobile, wrapped with s quoted.
func NormalizeMobile(s string) (string, error) {
	n := s
	if rest, ok := strings.CutPrefix(n, "+86"); ok {
		n = rest
	} else if len(n) == 13 && strings.HasPrefix(n, "86") {
		n = n[2:]
	}
	if len(n) != 11 || n[0] != '1' || n[1] < '3' || n[1] > '9' {
		return "", fmt.Errorf("%w: %q: want 11 digits starting 13 to 19, optionally after +86", ErrInvalidMobile, s)
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return "", fmt.Errorf("%w: %q: want 11 digits starting 13 to 19, optionally after +86", ErrInvalidMobile, s)
		}
	}
	return n, nil
}
