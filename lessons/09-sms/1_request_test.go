package sms

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// received is what the test server saw of one request.
type received struct {
	method, path, rawQuery string
	header                 http.Header
	contentLength          int64
	body                   string
	form                   url.Values // the body, decoded by net/url
	formErr                error
}

// capture starts a server that records one request and answers code 2; it
// returns the server's URL and a channel with what it saw.
func capture(t *testing.T) (string, <-chan received) {
	t.Helper()
	got := make(chan received, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		form, err := url.ParseQuery(string(body))
		select {
		case got <- received{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), r.ContentLength, string(body), form, err}:
		default:
		}
		io.WriteString(w, `{"code":2,"msg":"提交成功","smsid":"1"}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, got
}

// roundTrip builds the request with NewRequest, sends it to the capture
// server and returns what the server saw.
func roundTrip(t *testing.T, baseSuffix, account, password string, msg Message) received {
	t.Helper()
	base, got := capture(t)
	ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
	defer cancel()
	req, err := NewRequest(ctx, base+baseSuffix, account, password, msg)
	require.NoError(t, err, "NewRequest(ctx, %q, %q, password, %+v)", base+baseSuffix, account, msg)
	require.NotNil(t, req, "NewRequest returned no request and no error")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, "sending the request NewRequest built")
	resp.Body.Close()
	return loopback.Wait(t, got, "the request to reach the test server")
}

func TestStep1_RequestLine(t *testing.T) {
	readme.Explain(t)
	for _, suffix := range []string{"", "/"} {
		t.Run("base URL "+slashName(suffix), func(t *testing.T) {
			ctx := context.WithValue(context.Background(), ctxKey{}, "mine")
			req, err := NewRequest(ctx, "http://127.0.0.1:8086"+suffix, "demo", "secret", Message{"13800138000", "hi"})
			require.NoError(t, err, "NewRequest")
			require.NotNil(t, req, "NewRequest returned no request and no error")
			assert.Equal(t, http.MethodPost, req.Method, "request method")
			assert.Equal(t, "http://127.0.0.1:8086/webservice/sms.php?method=Submit", req.URL.String(), "request URL (the notes' sms_send_uri on the base URL)")
			assert.Equal(t, "mine", req.Context().Value(ctxKey{}), "the request carries NewRequest's ctx (so Send's timeouts reach it)")

			got := roundTrip(t, suffix, "demo", "secret", Message{"13800138000", "hi"})
			assert.Equal(t, "POST", got.method, "method the server saw")
			assert.Equal(t, "/webservice/sms.php", got.path, "path the server saw")
			assert.Equal(t, "method=Submit", got.rawQuery, "query the server saw: the form goes in the body, not the URL")
		})
	}
}

type ctxKey struct{}

func slashName(s string) string {
	if s == "" {
		return "without slash"
	}
	return "with slash"
}

func TestStep1_FormFields(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name string
		msg  Message
	}{
		{"the notes' message", Message{"13800138000", notesContent}},
		{"characters a form must escape", Message{"13800138000", trickyContent}},
		{"plain ASCII", Message{"+8613912345678", "hello"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const password = "p@ss&word=1+1 秘密%"
			got := roundTrip(t, "", "账号demo", password, tc.msg)
			require.NoError(t, got.formErr, "url.ParseQuery of the body %q: the body must be application/x-www-form-urlencoded", got.body)
			want := url.Values{
				"account":  {"账号demo"},
				"password": {password},
				"content":  {tc.msg.Content},
				"mobile":   {tc.msg.Mobile},
				"format":   {"json"},
			}
			assert.Equal(t, want, got.form, "the body %q, decoded by net/url: each field once, as sent", got.body)
		})
	}
}

func TestStep1_Headers(t *testing.T) {
	readme.Explain(t)
	got := roundTrip(t, "", "demo", "secret", Message{"13800138000", notesContent})
	mt, _, err := mime.ParseMediaType(got.header.Get("Content-Type"))
	assert.NoError(t, err, "Content-Type %q", got.header.Get("Content-Type"))
	assert.Equal(t, "application/x-www-form-urlencoded", mt, "Content-Type media type (header %q)", got.header.Get("Content-Type"))
	assert.Equal(t, "application/json", got.header.Get("Accept"), "Accept header")
	assert.Equal(t, int64(len(got.body)), got.contentLength,
		"Content-Length: the body is known in advance, so send its length (not chunked): body %q", got.body)
	assert.Empty(t, got.header.Get("Transfer-Encoding"), "Transfer-Encoding")
}

func TestStep1_BadBaseURL(t *testing.T) {
	readme.Explain(t)
	const password = "hunter2-秘密"
	for _, base := range []string{"", "106.ihuyi.com", "ftp://106.ihuyi.com", "http://", "http://bad host/", "://nothing", "http://[::1"} {
		t.Run(base, func(t *testing.T) {
			req, err := NewRequest(context.Background(), base, "demo", password, Message{"13800138000", "hi"})
			require.Error(t, err, "NewRequest(ctx, %q, ...) = %v, want an error: not an absolute http(s) URL", base, req)
			assert.NotErrorIs(t, err, ErrTODO, "NewRequest(ctx, %q, ...) is still the stub", base)
			assert.NotContains(t, err.Error(), password, "the error for base URL %q holds the password", base)
			assert.True(t, strings.HasPrefix(err.Error(), "sms: "), "error %q: errors start with the package name, \"sms: \"", err)
		})
	}
}
