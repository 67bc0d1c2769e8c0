package sms

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// DefaultBaseURL is the notes' provider, 互亿无线 (ihuyi), over plain HTTP as
// in the notes.
const DefaultBaseURL = "http://106.ihuyi.com"

// DefaultMaxAttempts is how many times Send tries when a Client leaves
// MaxAttempts at 0.
const DefaultMaxAttempts = 3

// Client sends messages through the provider. Set the fields before the
// first Send and leave them alone after; Send may then run on many
// goroutines at once.
type Client struct {
	BaseURL  string // the provider, e.g. DefaultBaseURL or "http://127.0.0.1:8086"
	Account  string // the provider's account (APIID)
	Password string // the provider's password (APIKEY); never in an error or a log line

	// HTTP sends the requests; nil means http.DefaultClient.
	HTTP *http.Client
	// MaxAttempts bounds the tries per message; 0 means DefaultMaxAttempts.
	MaxAttempts int
	// Sleep waits d between tries, or returns ctx's error if ctx ends
	// first; nil means a timer. Tests pass one that records d and returns.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logf, if not nil, gets one line for each try that failed and is tried
	// again.
	Logf func(format string, args ...any)
}

// Backoff is how long Send waits after failed try number attempt (1, 2 ...)
// before the next: 100ms, doubling each time, at most 5s.
//
//	Backoff(1) = 100ms, Backoff(2) = 200ms, Backoff(3) = 400ms ... Backoff(7) = 5s
func Backoff(attempt int) time.Duration {
	const first, most = 100 * time.Millisecond, 5 * time.Second
	if attempt < 1 {
		attempt = 1
	}
	if attempt > 7 { // 100ms << 6 is already past most; no overflow for huge attempts
		return most
	}
	return min(first<<(attempt-1), most)
}

// Send submits msg (built by NewRequest from the client's fields) and
// returns the provider's Reply when its code is CodeOK.
//
// ctx bounds the whole of Send, tries and waits between them: when it ends
// Send returns an error that wraps ctx's error (context.DeadlineExceeded,
// context.Canceled).
//
// Send tries again, after Sleep(ctx, Backoff(n)) following try n and at
// most MaxAttempts tries in all, only when the provider cannot have sent
// the message:
//
//   - the request was never written (the dial failed, say), or
//   - the reply is HTTP 5xx (a policy: the provider failed before it took
//     the message).
//
// It never tries again once the request was written and no reply came
// (a timeout, a connection dropped: the message may have gone), nor after
// any other reply: an *APIError (the provider answered: sending again
// would get the same answer or send the message twice), a non-5xx
// *StatusError, ErrMalformedReply, ErrReplyTooLarge. The last try's error
// is returned, wrapped, with the same types as ReadReply's.
//
// Neither errors nor Logf lines contain the password.
func (c *Client) Send(ctx context.Context, msg Message) (Reply, error) {
	attempts := c.MaxAttempts
	if attempts <= 0 {
		attempts = DefaultMaxAttempts
	}
	for n := 1; ; n++ {
		reply, again, err := c.try(ctx, msg)
		if err == nil {
			return reply, nil
		}
		err = fmt.Errorf("sms: send to %s (try %d of %d): %w", msg.Mobile, n, attempts, err)
		if !again || n >= attempts || ctx.Err() != nil {
			return reply, err
		}
		wait := Backoff(n)
		c.logf("%v; trying again in %v", err, wait)
		if err := c.sleep(ctx, wait); err != nil {
			return Reply{}, fmt.Errorf("sms: send to %s: waiting to try again: %w", msg.Mobile, err)
		}
	}
}

// try makes one attempt. again reports whether the error allows another:
// only when the provider cannot have acted on the request.
func (c *Client) try(ctx context.Context, msg Message) (reply Reply, again bool, err error) {
	// Once the request has been written, the provider may have sent the
	// message, reply or not. httptrace tells us when that point is passed;
	// the callback runs on the transport's goroutine, hence the atomic.
	var written atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { written.Store(true) },
	})
	req, err := NewRequest(ctx, c.BaseURL, c.Account, c.Password, msg)
	if err != nil {
		return Reply{}, false, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		// *url.Error quotes the URL, which holds no password: it is in the body.
		return Reply{}, !written.Load(), err
	}
	reply, err = ReadReply(resp)
	var se *StatusError
	return reply, errors.As(err, &se) && se.StatusCode >= 500, err
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Client) logf(format string, args ...any) {
	if c.Logf != nil {
		c.Logf(format, args...)
	}
}
