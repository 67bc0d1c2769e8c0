package sms

import "errors"

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
	// TODO(step 4): strip +86 or 86, then check 11 digits 1[3-9]... See README.md, step 4.
	return "", ErrTODO
}
