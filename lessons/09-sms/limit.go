package sms

import (
	"errors"
	"sync"
	"time"
)

// The limits a NewLimiter starts with.
const (
	DefaultInterval = time.Minute // at most one code per number per minute
	DefaultPerDay   = 10          // at most 10 codes per number in any 24 hours
)

// ErrRateLimited means a number has had as many codes as the limits allow
// for now.
var ErrRateLimited = errors.New("sms: too many codes for this number, try again later")

// Limiter decides whether a number may get another verification code.
// It is safe for concurrent use.
type Limiter struct {
	// Interval is the least time between two codes to one number.
	Interval time.Duration
	// PerDay is the most codes one number gets in any 24 hours (a rolling
	// window, not a calendar day: no time zone involved).
	PerDay int

	now  func() time.Time
	mu   sync.Mutex
	sent map[string][]time.Time // normalized number -> times allowed, oldest first, within 24h
}

// NewLimiter returns a Limiter with DefaultInterval and DefaultPerDay that
// reads the time from now (time.Now in production, a fake clock in
// tests).
func NewLimiter(now func() time.Time) *Limiter {
	// TODO(step 4): set the defaults and keep now. See README.md, step 4.
	return &Limiter{}
}

// Allow reports whether mobile may get a code now, and if so counts it.
//
// Limits are per number: "+8613800138000" and "13800138000" are the same
// number (NormalizeMobile), and one number's codes never hold up
// another's. A code is refused, with ErrRateLimited (wrapped, saying how
// long to wait as a time.Duration prints it: "wait 23h50m0s"), when the
// number's last code is less than Interval ago or it had PerDay codes in
// the last 24 hours; a refused code is not counted.
// An invalid number is ErrInvalidMobile.
func (l *Limiter) Allow(mobile string) error {
	// TODO(step 4): per number, at most one code per Interval and PerDay codes per 24 hours. See README.md, step 4.
	return ErrTODO
}
