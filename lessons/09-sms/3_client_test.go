package sms

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testPassword is the provider password in step 3's tests: every error
// and log line is searched for it.
const testPassword = "s3cr3t-P@ss+秘密&x=1"

func TestStep3_Backoff(t *testing.T) {
	readme.Explain(t)
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond,
		800 * time.Millisecond, 1600 * time.Millisecond, 3200 * time.Millisecond, 5 * time.Second, 5 * time.Second}
	for i, w := range want {
		assert.Equal(t, w, Backoff(i+1), "Backoff(%d)", i+1)
	}
	assert.Equal(t, 5*time.Second, Backoff(100), "Backoff(100): at most 5s, and no overflow")
}

// recorder stands in for Client.Sleep and Client.Logf: it records, and
// sleeps not at all.
type recorder struct {
	mu     sync.Mutex
	sleeps []time.Duration
	logs   []string
}

func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sleeps = append(r.sleeps, d)
	return ctx.Err()
}

func (r *recorder) logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func (r *recorder) Sleeps() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.sleeps...)
}

func (r *recorder) Logs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.logs...)
}

// backoffs is what Sleep should have been asked for after n failed tries.
func backoffs(n int) []time.Duration {
	var d []time.Duration
	for i := 1; i <= n; i++ {
		d = append(d, Backoff(i))
	}
	return d
}

// startProvider serves a fake provider that accepts account "demo" and
// testPassword until the test ends; it returns its base URL.
func startProvider(t *testing.T, p *Provider) string {
	t.Helper()
	if p.Account == "" {
		p.Account, p.Password = "demo", testPassword
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL
}

// newClient returns a Client of base with its own transport (closed when
// the test ends), and the recorder it sleeps and logs into.
func newClient(t *testing.T, base string) (*Client, *recorder, *http.Transport) {
	t.Helper()
	tr := &http.Transport{DialContext: (&net.Dialer{Timeout: loopback.Timeout}).DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	rec := &recorder{}
	c := &Client{BaseURL: base, Account: "demo", Password: testPassword,
		HTTP: &http.Client{Transport: tr}, Sleep: rec.sleep, Logf: rec.logf}
	return c, rec, tr
}

// refuseDials makes tr's first n dials fail as a refused connection does,
// before any byte of the request leaves; it returns the dial counter.
func refuseDials(tr *http.Transport, n int) *atomic.Int32 {
	var dials atomic.Int32
	dial := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= int32(n) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
		}
		return dial(ctx, network, addr)
	}
	return &dials
}

// sendCtx is the context for one Send: loopback.Timeout at most.
func sendCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
	t.Cleanup(cancel)
	return ctx
}

func TestStep3_SendDelivers(t *testing.T) {
	readme.Explain(t)
	p := &Provider{}
	c, rec, _ := newClient(t, startProvider(t, p))
	msg := Message{"13800138000", notesContent}
	got, err := c.Send(sendCtx(t), msg)
	require.NoError(t, err, "Send(%+v) to the fake provider", msg)
	assert.Equal(t, Reply{2, "提交成功", "1"}, got, "Send's Reply")
	assert.Equal(t, []Message{msg}, p.Received(), "messages the provider received")
	assert.Empty(t, rec.Sleeps(), "Send slept, with nothing to try again")
}

func TestStep3_BusinessErrorNotRetried(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name    string
		account string
		mobile  string
		code    int // the *APIError's code
	}{
		{"quota used up", "demo", MobileQuota, 4085},
		{"wrong account", "nobody", "13800138000", 405},
		{"bad number", "demo", "1380013800", 406},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &Provider{}
			c, rec, _ := newClient(t, startProvider(t, p))
			c.Account = tc.account
			_, err := c.Send(sendCtx(t), Message{tc.mobile, "hi"})
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr, "Send to %s as %q: the provider answers code %d", tc.mobile, tc.account, tc.code)
			assert.Equal(t, tc.code, apiErr.Code, "APIError.Code")
			assert.Equal(t, 1, p.Requests(), "requests the provider got: it answered, so sending again could only repeat the answer or send twice")
			assert.Empty(t, rec.Sleeps(), "Send slept before a retry it must not make")
		})
	}
	t.Run("malformed reply", func(t *testing.T) {
		p := &Provider{}
		c, rec, _ := newClient(t, startProvider(t, p))
		_, err := c.Send(sendCtx(t), Message{MobileGarbage, "hi"})
		require.ErrorIs(t, err, ErrMalformedReply, "Send to %s (the provider answers HTML)", MobileGarbage)
		assert.Equal(t, 1, p.Requests(), "requests the provider got: a 200 reply means it took the request")
		assert.Empty(t, rec.Sleeps(), "Send slept before a retry it must not make")
	})
	t.Run("404", func(t *testing.T) {
		p := &Provider{}
		c, _, _ := newClient(t, startProvider(t, p)+"/wrong/prefix")
		_, err := c.Send(sendCtx(t), Message{"13800138000", "hi"})
		var se *StatusError
		require.ErrorAs(t, err, &se, "Send to a wrong path: HTTP 404")
		assert.Equal(t, 404, se.StatusCode, "StatusError.StatusCode")
		assert.Equal(t, 1, p.Requests(), "requests the provider got: only 5xx is tried again")
	})
}

func TestStep3_RetriesBeforeRequestWritten(t *testing.T) {
	readme.Explain(t)
	t.Run("two refused dials, then the provider", func(t *testing.T) {
		p := &Provider{}
		c, rec, tr := newClient(t, startProvider(t, p))
		dials := refuseDials(tr, 2)
		msg := Message{"13800138000", notesContent}
		got, err := c.Send(sendCtx(t), msg)
		require.NoError(t, err, "Send after two refused dials (DefaultMaxAttempts is %d)", DefaultMaxAttempts)
		assert.Equal(t, "1", got.SMSID, "Send's Reply.SMSID")
		assert.Equal(t, int32(3), dials.Load(), "dials")
		assert.Equal(t, backoffs(2), rec.Sleeps(), "Sleep's durations: Backoff(1), then Backoff(2)")
		assert.Equal(t, []Message{msg}, p.Received(), "messages the provider received")
		assert.Len(t, rec.Logs(), 2, "Logf lines: one per try that is tried again")
	})
	t.Run("refused every time", func(t *testing.T) {
		p := &Provider{}
		c, rec, tr := newClient(t, startProvider(t, p))
		c.MaxAttempts = 5
		dials := refuseDials(tr, 1000)
		_, err := c.Send(sendCtx(t), Message{"13800138000", "hi"})
		require.ErrorIs(t, err, syscall.ECONNREFUSED, "Send when every dial is refused: the last try's error, wrapped")
		assert.Equal(t, int32(5), dials.Load(), "dials with MaxAttempts 5")
		assert.Equal(t, backoffs(4), rec.Sleeps(), "Sleep's durations")
	})
}

func TestStep3_RetriesOn5xx(t *testing.T) {
	readme.Explain(t)
	t.Run("two 503s, then success", func(t *testing.T) {
		p := &Provider{FailFirst: 2}
		c, rec, _ := newClient(t, startProvider(t, p))
		msg := Message{"13800138000", notesContent}
		_, err := c.Send(sendCtx(t), msg)
		require.NoError(t, err, "Send to a provider that answers 503 twice (DefaultMaxAttempts is %d)", DefaultMaxAttempts)
		assert.Equal(t, 3, p.Requests(), "requests the provider got")
		assert.Equal(t, []Message{msg}, p.Received(), "messages the provider received")
		assert.Equal(t, backoffs(2), rec.Sleeps(), "Sleep's durations")
	})
	t.Run("500 every time", func(t *testing.T) {
		p := &Provider{}
		c, rec, _ := newClient(t, startProvider(t, p))
		_, err := c.Send(sendCtx(t), Message{MobileServerError, "hi"})
		var se *StatusError
		require.ErrorAs(t, err, &se, "Send to %s (HTTP 500 every time)", MobileServerError)
		assert.Equal(t, 500, se.StatusCode, "StatusError.StatusCode")
		assert.Equal(t, DefaultMaxAttempts, p.Requests(), "requests the provider got: MaxAttempts 0 means DefaultMaxAttempts")
		assert.Equal(t, backoffs(DefaultMaxAttempts-1), rec.Sleeps(), "Sleep's durations")
	})
}

// startHandler serves h until the test ends and counts its requests. h
// may block until release is closed, which happens when the test ends.
func startHandler(t *testing.T, h func(w http.ResponseWriter, r *http.Request, release <-chan struct{})) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r, release)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs first: unblocks h, then Close
	return srv.URL, &n
}

// dropAfterBody reads the whole request, then closes the connection
// without a reply: the provider may have sent the message.
func dropAfterBody(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
	io.Copy(io.Discard, r.Body)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

// hang reads the whole request and answers nothing until the client gives up.
func hang(w http.ResponseWriter, r *http.Request, release <-chan struct{}) {
	io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-release:
	}
}

// echo answers status with the request's own body, as a broken gateway might.
func echo(status int) func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
	return func(w http.ResponseWriter, r *http.Request, _ <-chan struct{}) {
		body, _ := io.ReadAll(r.Body)
		w.WriteHeader(status)
		w.Write(body)
	}
}

func TestStep3_NoRetryAfterRequestSent(t *testing.T) {
	readme.Explain(t)
	t.Run("connection dropped after the request", func(t *testing.T) {
		base, requests := startHandler(t, dropAfterBody)
		c, rec, _ := newClient(t, base)
		_, err := c.Send(sendCtx(t), Message{"13800138000", "hi"})
		require.Error(t, err, "Send when the provider drops the connection without a reply")
		require.NotErrorIs(t, err, ErrTODO, "Send is still the stub")
		assert.Equal(t, int32(1), requests.Load(), "requests the provider got: the request was written, the message may be sent; trying again may send it twice")
		assert.Empty(t, rec.Sleeps(), "Send slept before a retry it must not make")
	})
	t.Run("no reply before the deadline", func(t *testing.T) {
		base, requests := startHandler(t, hang)
		c, rec, _ := newClient(t, base)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		_, err := c.Send(ctx, Message{"13800138000", "hi"})
		require.ErrorIs(t, err, context.DeadlineExceeded, "Send to a provider that never answers, with a 300ms deadline")
		assert.LessOrEqual(t, requests.Load(), int32(1), "requests the provider got")
		assert.Empty(t, rec.Sleeps(), "Send slept before a retry it must not make")
	})
}

func TestStep3_ContextEndsSend(t *testing.T) {
	readme.Explain(t)
	t.Run("deadline while waiting for the reply", func(t *testing.T) {
		base, _ := startHandler(t, hang)
		c, _, _ := newClient(t, base)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Send(ctx, Message{"13800138000", "hi"})
		require.ErrorIs(t, err, context.DeadlineExceeded, "Send with a 200ms deadline to a provider that never answers")
		assert.Less(t, time.Since(start), loopback.Timeout, "Send returned long after its context ended")
	})
	t.Run("canceled while waiting to try again", func(t *testing.T) {
		p := &Provider{FailFirst: 100}
		c, _, _ := newClient(t, startProvider(t, p))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			cancel() // the user gives up during the first wait
			<-ctx.Done()
			return ctx.Err()
		}
		_, err := c.Send(ctx, Message{"13800138000", "hi"})
		require.ErrorIs(t, err, context.Canceled, "Send canceled during its wait")
		assert.Equal(t, 1, p.Requests(), "requests the provider got: none after the cancel")
	})
	t.Run("the default Sleep waits", func(t *testing.T) {
		p := &Provider{FailFirst: 1}
		c, _, _ := newClient(t, startProvider(t, p))
		c.Sleep = nil
		start := time.Now()
		_, err := c.Send(sendCtx(t), Message{"13800138000", "hi"})
		require.NoError(t, err, "Send with the default Sleep after one 503")
		assert.GreaterOrEqual(t, time.Since(start), Backoff(1), "Send with Sleep nil did not wait Backoff(1) before trying again")
		assert.Equal(t, 2, p.Requests(), "requests the provider got")
	})
}

func TestStep3_PasswordNeverLeaks(t *testing.T) {
	readme.Explain(t)
	cases := []struct {
		name  string
		setup func(t *testing.T) (*Client, Message)
	}{
		{"success", func(t *testing.T) (*Client, Message) {
			c, _, _ := newClient(t, startProvider(t, &Provider{}))
			return c, Message{"13800138000", "hi"}
		}},
		{"refused dials", func(t *testing.T) (*Client, Message) {
			c, _, tr := newClient(t, startProvider(t, &Provider{}))
			refuseDials(tr, 1000)
			return c, Message{"13800138000", "hi"}
		}},
		{"503 every time", func(t *testing.T) (*Client, Message) {
			c, _, _ := newClient(t, startProvider(t, &Provider{FailFirst: 100}))
			return c, Message{"13800138000", "hi"}
		}},
		{"500", func(t *testing.T) (*Client, Message) {
			c, _, _ := newClient(t, startProvider(t, &Provider{}))
			return c, Message{MobileServerError, "hi"}
		}},
		{"quota used up", func(t *testing.T) (*Client, Message) {
			c, _, _ := newClient(t, startProvider(t, &Provider{}))
			return c, Message{MobileQuota, "hi"}
		}},
		{"wrong password", func(t *testing.T) (*Client, Message) {
			c, _, _ := newClient(t, startProvider(t, &Provider{Account: "demo", Password: "another"}))
			return c, Message{"13800138000", "hi"}
		}},
		{"HTML reply", func(t *testing.T) (*Client, Message) {
			c, _, _ := newClient(t, startProvider(t, &Provider{}))
			return c, Message{MobileGarbage, "hi"}
		}},
		{"200 echoing the request", func(t *testing.T) (*Client, Message) {
			base, _ := startHandler(t, echo(200))
			c, _, _ := newClient(t, base)
			return c, Message{"13800138000", "hi"}
		}},
		{"502 echoing the request", func(t *testing.T) (*Client, Message) {
			base, _ := startHandler(t, echo(502))
			c, _, _ := newClient(t, base)
			return c, Message{"13800138000", "hi"}
		}},
		{"connection dropped", func(t *testing.T) (*Client, Message) {
			base, _ := startHandler(t, dropAfterBody)
			c, _, _ := newClient(t, base)
			return c, Message{"13800138000", "hi"}
		}},
		{"bad base URL", func(t *testing.T) (*Client, Message) {
			c, _, _ := newClient(t, "ftp://127.0.0.1:1")
			return c, Message{"13800138000", "hi"}
		}},
	}
	leaks := []string{testPassword, url.QueryEscape(testPassword), "s3cr3t", "秘密"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, msg := tc.setup(t)
			rec := &recorder{}
			c.Sleep, c.Logf = rec.sleep, rec.logf
			_, err := c.Send(sendCtx(t), msg)
			require.NotErrorIs(t, err, ErrTODO, "Send is still the stub")
			var texts []string
			if err != nil {
				texts = append(texts, "error: "+err.Error(), fmt.Sprintf("error %%+v: %+v", err))
			}
			for _, l := range rec.Logs() {
				texts = append(texts, "log: "+l)
			}
			for _, text := range texts {
				for _, leak := range leaks {
					if strings.Contains(text, leak) {
						t.Errorf("the password (or part of it, %q) is in this %s", leak, text)
					}
				}
			}
		})
	}
	t.Run("timeout", func(t *testing.T) {
		base, _ := startHandler(t, hang)
		c, rec, _ := newClient(t, base)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.Send(ctx, Message{"13800138000", "hi"})
		require.Error(t, err, "Send to a provider that never answers")
		for _, text := range append(rec.Logs(), err.Error()) {
			for _, leak := range leaks {
				assert.NotContains(t, text, leak, "the password is in %q", text)
			}
		}
	})
}
