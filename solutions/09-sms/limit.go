package sms

import (
	"errors"
	"fmt"
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
	return &Limiter{Interval: DefaultInterval, PerDay: DefaultPerDay, now: now}
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
	n, err := NormalizeMobile(mobile)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if l.sent == nil {
		l.sent = map[string][]time.Time{}
	}
	// Forget codes older than a day, so the map does not grow forever.
	times := l.sent[n]
	for len(times) > 0 && !now.Before(times[0].Add(24*time.Hour)) {
		times = times[1:]
	}
	if len(times) == 0 {
		delete(l.sent, n)
	} else {
		l.sent[n] = times
	}
	if len(times) > 0 {
		if wait := times[len(times)-1].Add(l.Interval).Sub(now); wait > 0 {
			return fmt.Errorf("%w: %s had a code less than %v ago; wait %v", ErrRateLimited, n, l.Interval, wait)
		}
	}
	if len(times) >= l.PerDay {
		wait := times[len(times)-l.PerDay].Add(24 * time.Hour).Sub(now)
		return fmt.Errorf("%w: %s had %d codes in 24 hours; wait %v", ErrRateLimited, n, l.PerDay, wait)
	}
	l.sent[n] = append(times, now)
	return nil
}
