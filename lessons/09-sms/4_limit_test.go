package sms

import (
	"sync"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a fake clock: it moves only when the test says.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2024, 2, 9, 23, 59, 30, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// allow calls l.Allow(mobile) and checks its answer against want (true:
// allowed) at the clock's time, offset from start.
func allow(t *testing.T, l *Limiter, c *clock, start time.Time, mobile string, want bool) {
	t.Helper()
	err := l.Allow(mobile)
	require.NotErrorIs(t, err, ErrTODO, "Allow is still the stub")
	at := c.Now().Sub(start)
	if want {
		require.NoError(t, err, "Allow(%q) at +%v", mobile, at)
	} else {
		require.ErrorIs(t, err, ErrRateLimited, "Allow(%q) at +%v", mobile, at)
	}
}

func TestStep4_RateLimitInterval(t *testing.T) {
	readme.Explain(t)
	c := newClock()
	start := c.Now()
	l := NewLimiter(c.Now)
	require.NotNil(t, l, "NewLimiter")
	assert.Equal(t, DefaultInterval, l.Interval, "NewLimiter's Interval")
	assert.Equal(t, DefaultPerDay, l.PerDay, "NewLimiter's PerDay")

	allow(t, l, c, start, "13800138000", true)
	c.Advance(59 * time.Second)
	allow(t, l, c, start, "13800138000", false) // less than a minute after the first
	err := l.Allow("13800138000")
	require.ErrorContains(t, err, "1s", "Allow 59s after a code: the error says how long to wait (as time.Duration prints it)")
	c.Advance(time.Second)
	allow(t, l, c, start, "13800138000", true) // a minute after the first: the refusal did not count
	c.Advance(30 * time.Second)
	allow(t, l, c, start, "+8613800138000", false) // the same number, written with +86
}

func TestStep4_RateLimitPerDay(t *testing.T) {
	readme.Explain(t)
	c := newClock()
	start := c.Now()
	l := NewLimiter(c.Now)
	for i := range DefaultPerDay {
		allow(t, l, c, start, "13800138000", true) // code i+1 of the day, a minute apart
		if i < DefaultPerDay-1 {
			c.Advance(time.Minute)
		}
	}
	c.Advance(time.Minute)
	allow(t, l, c, start, "13800138000", false) // the 11th in a day
	err := l.Allow("13800138000")
	require.ErrorContains(t, err, "23h50m0s", "Allow of an 11th code 10 minutes after the first: the error says how long to wait, until the first is 24 hours old")
	c.Advance(12 * time.Hour)
	allow(t, l, c, start, "13800138000", false) // midnight has passed, but 24 hours have not
	c.Advance(start.Add(24*time.Hour - time.Second).Sub(c.Now()))
	allow(t, l, c, start, "13800138000", false) // a second before the first code is 24 hours old
	c.Advance(time.Second)
	allow(t, l, c, start, "13800138000", true) // 24 hours after the first: one slot free
	c.Advance(time.Minute)
	allow(t, l, c, start, "13800138000", true) // and the second's slot, a minute later

	t.Run("other limits", func(t *testing.T) {
		c := newClock()
		l := NewLimiter(c.Now)
		l.Interval, l.PerDay = 0, 3
		for range 3 {
			allow(t, l, c, c.Now(), "13912345678", true)
		}
		allow(t, l, c, c.Now(), "13912345678", false)
	})
}

func TestStep4_RateLimitPerNumber(t *testing.T) {
	readme.Explain(t)
	c := newClock()
	start := c.Now()
	l := NewLimiter(c.Now)
	allow(t, l, c, start, "13800138000", true)
	allow(t, l, c, start, "13912345678", true) // another number is not held up
	allow(t, l, c, start, "+8615000000000", true)
	allow(t, l, c, start, "13800138000", false)
	allow(t, l, c, start, "8613912345678", false)
	err := l.Allow("12345")
	require.ErrorIs(t, err, ErrInvalidMobile, "Allow(%q)", "12345")
}

func TestStep4_RateLimitConcurrent(t *testing.T) {
	readme.Explain(t)
	c := newClock()
	l := NewLimiter(c.Now)
	const n = 50
	results := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results <- l.Allow("13800138000")
		}()
	}
	wg.Wait()
	close(results)
	allowed := 0
	for err := range results {
		require.NotErrorIs(t, err, ErrTODO, "Allow is still the stub")
		if err == nil {
			allowed++
		} else {
			require.ErrorIs(t, err, ErrRateLimited, "Allow from %d goroutines at once", n)
		}
	}
	assert.Equal(t, 1, allowed, "codes allowed when %d goroutines ask for the same number at the same instant", n)
}
