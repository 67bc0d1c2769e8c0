package sms

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactReply is a successful reply of exactly MaxReplyBytes bytes.
var exactReply = `{"code":2,"msg":"` + strings.Repeat("x", MaxReplyBytes-len(`{"code":2,"msg":""}`)) + `"}`

func TestStep2_ParseReply(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name  string
		body  string
		want  Reply
		isErr error     // nil: success
		api   *APIError // the *APIError wanted, if any
	}{
		{"success", `{"code":2,"msg":"提交成功","smsid":"16436245781234"}`,
			Reply{2, "提交成功", "16436245781234"}, nil, nil},
		{"success with spaces and a newline", " {\"code\": 2, \"msg\": \"提交成功\", \"smsid\": \"7\"}\n",
			Reply{2, "提交成功", "7"}, nil, nil},
		{"success with an extra field", `{"code":2,"msg":"ok","smsid":"8","count":1}`,
			Reply{2, "ok", "8"}, nil, nil},
		{"wrong password", `{"code":405,"msg":"用户名或密码不正确","smsid":"0"}`,
			Reply{405, "用户名或密码不正确", "0"}, nil, &APIError{405, "用户名或密码不正确"}},
		{"quota used up", `{"code":4085,"msg":"同一手机号验证码短信发送超出5条"}`,
			Reply{4085, "同一手机号验证码短信发送超出5条", ""}, nil, &APIError{4085, "同一手机号验证码短信发送超出5条"}},
		{"code 0 is not success", `{"code":0,"msg":"","smsid":"1"}`,
			Reply{0, "", "1"}, nil, &APIError{0, ""}},
		{"code 200 is not success", `{"code":200,"msg":"OK","smsid":"1"}`,
			Reply{200, "OK", "1"}, nil, &APIError{200, "OK"}},
		{"no code", `{"msg":"提交成功","smsid":"1"}`, Reply{}, ErrMalformedReply, nil},
		{"code null", `{"code":null,"msg":"x"}`, Reply{}, ErrMalformedReply, nil},
		{"code as a string", `{"code":"2","msg":"x"}`, Reply{}, ErrMalformedReply, nil},
		{"code not an integer", `{"code":2.5,"msg":"x"}`, Reply{}, ErrMalformedReply, nil},
		{"code 2.0 is not an integer", `{"code":2.0,"msg":"x"}`, Reply{}, ErrMalformedReply, nil},
		{"code 2e0 is not an integer", `{"code":2e0,"msg":"x"}`, Reply{}, ErrMalformedReply, nil},
		{"code true", `{"code":true,"msg":"x"}`, Reply{}, ErrMalformedReply, nil},
		{"msg not a string", `{"code":2,"msg":7}`, Reply{}, ErrMalformedReply, nil},
		{"empty body", ``, Reply{}, ErrMalformedReply, nil},
		{"null", `null`, Reply{}, ErrMalformedReply, nil},
		{"an array", `[{"code":2}]`, Reply{}, ErrMalformedReply, nil},
		{"HTML", "<html><body>系统维护中</body></html>", Reply{}, ErrMalformedReply, nil},
		{"XML (format=json forgotten)", `<?xml version="1.0" encoding="utf-8"?><SubmitResult><code>2</code></SubmitResult>`, Reply{}, ErrMalformedReply, nil},
		{"cut short", `{"code":2,"msg":"提交`, Reply{}, ErrMalformedReply, nil},
		{"two objects", `{"code":2,"msg":"a"}{"code":405,"msg":"b"}`, Reply{}, ErrMalformedReply, nil},
		{"junk after the object", `{"code":2,"msg":"a"} ok`, Reply{}, ErrMalformedReply, nil},
		{"too large", `{"code":2,"msg":"` + strings.Repeat("长", MaxReplyBytes) + `"}`, Reply{}, ErrReplyTooLarge, nil},
		{"exactly MaxReplyBytes", exactReply, Reply{2, strings.Repeat("x", MaxReplyBytes-len(`{"code":2,"msg":""}`)), ""}, nil, nil},
		{"one byte over MaxReplyBytes", exactReply + " ", Reply{}, ErrReplyTooLarge, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseReply([]byte(tc.body))
			require.NotErrorIs(t, err, ErrTODO, "ParseReply is still the stub")
			switch {
			case tc.api != nil:
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr, "ParseReply(%q): code %d is not 2, want an *APIError", tc.body, tc.want.Code)
				assert.Equal(t, tc.api, apiErr, "ParseReply(%q): the *APIError", tc.body)
				assert.Equal(t, tc.want, got, "ParseReply(%q): the Reply beside the error", tc.body)
			case tc.isErr != nil:
				require.ErrorIs(t, err, tc.isErr, "ParseReply(%q) = %+v, %v", tc.body, got, err)
			default:
				require.NoError(t, err, "ParseReply(%q): code 2 is success", tc.body)
				assert.Equal(t, tc.want, got, "ParseReply(%q)", tc.body)
			}
		})
	}
}

func TestStep2_ErrorsAreDistinct(t *testing.T) {
	readme.Explain(t)
	_, apiErr := ParseReply([]byte(`{"code":405,"msg":"用户名或密码不正确"}`))
	_, malformed := ParseReply([]byte(`<html>`))
	_, tooLarge := ParseReply([]byte(strings.Repeat(" ", MaxReplyBytes+1)))
	_, statusErr := ReadReply(response(503, "Service Unavailable", strings.NewReader(`{"code":2}`)))
	errs := map[string]error{"*APIError": apiErr, "ErrMalformedReply": malformed, "ErrReplyTooLarge": tooLarge, "*StatusError": statusErr}
	for name, err := range errs {
		require.Error(t, err, "the %s case returned no error", name)
		require.NotErrorIs(t, err, ErrTODO, "the %s case is still the stub", name)
		var a *APIError
		var s *StatusError
		is := map[string]bool{
			"*APIError":         errors.As(err, &a),
			"*StatusError":      errors.As(err, &s),
			"ErrMalformedReply": errors.Is(err, ErrMalformedReply),
			"ErrReplyTooLarge":  errors.Is(err, ErrReplyTooLarge),
		}
		for other, yes := range is {
			assert.Equal(t, other == name, yes, "the %s error %q: is it %s? a caller tells the cases apart with errors.Is and errors.As", name, err, other)
		}
	}
	assert.Contains(t, apiErr.Error(), "405", "*APIError text %q names the code", apiErr)
	assert.Contains(t, apiErr.Error(), "用户名或密码不正确", "*APIError text %q has the provider's msg", apiErr)
	assert.Contains(t, statusErr.Error(), "503", "*StatusError text %q names the status", statusErr)
}

// response is an HTTP response with the given status and body, as
// http.Client would return it.
func response(code int, status string, body io.Reader) *http.Response {
	return &http.Response{
		StatusCode: code,
		Status:     status,
		Proto:      "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   &countingBody{r: body},
	}
}

// countingBody counts the bytes read from it and whether it was closed.
type countingBody struct {
	r      io.Reader
	n      int
	closed bool
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.n += n
	return n, err
}

func (b *countingBody) Close() error { b.closed = true; return nil }

// endless is an endless stream of spaces; the test reads a MiB of it.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

func TestStep2_ReadReplyStatus(t *testing.T) {
	readme.Explain(t)
	const ok = `{"code":2,"msg":"提交成功","smsid":"9"}`
	tests := []struct {
		name      string
		status    int
		body      string
		status2xx bool
	}{
		{"200 with code 2", 200, ok, true},
		{"201 with code 2", 201, ok, true},
		{"299, the last 2xx, with code 2", 299, ok, true},
		{"199 with code 2 body", 199, ok, false},
		{"300 with code 2 body", 300, ok, false},
		{"500 with a code 2 body", 500, ok, false},
		{"503 with text", 503, "service unavailable\n", false},
		{"404 with HTML", 404, "<html>not found</html>", false},
		{"302 redirect", 302, "", false},
		{"400 with code 2 body", 400, ok, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := response(tc.status, http.StatusText(tc.status), strings.NewReader(tc.body))
			got, err := ReadReply(resp)
			require.NotErrorIs(t, err, ErrTODO, "ReadReply is still the stub")
			assert.True(t, resp.Body.(*countingBody).closed, "ReadReply left the body open")
			if tc.status2xx {
				require.NoError(t, err, "ReadReply(HTTP %d, %q)", tc.status, tc.body)
				assert.Equal(t, Reply{2, "提交成功", "9"}, got, "ReadReply(HTTP %d, %q)", tc.status, tc.body)
				return
			}
			var se *StatusError
			require.ErrorAs(t, err, &se, "ReadReply(HTTP %d, %q) = %+v, %v; want a *StatusError: whatever the body says, a non-2xx status is not the provider's answer", tc.status, tc.body, got, err)
			assert.Equal(t, tc.status, se.StatusCode, "StatusError.StatusCode")
		})
	}
	t.Run("body capped", func(t *testing.T) {
		resp := response(200, "OK", io.LimitReader(endless{}, 1<<20))
		_, err := ReadReply(resp)
		require.ErrorIs(t, err, ErrReplyTooLarge, "ReadReply of a 1 MiB body")
		n := resp.Body.(*countingBody).n
		assert.LessOrEqual(t, n, MaxReplyBytes+32<<10, "ReadReply read %d bytes of a 1 MiB body; read at most MaxReplyBytes+1 (%d): a gateway can send gigabytes", n, MaxReplyBytes+1)
	})
}

func FuzzStep2_ParseReply(f *testing.F) {
	readme.Explain(f)
	for _, s := range []string{
		`{"code":2,"msg":"提交成功","smsid":"1"}`, `{"code":405,"msg":"x"}`, `{"code":"2"}`, `null`, `[]`,
		`{"code":2}{}`, `{"code":1e3}`, `{"code":9223372036854775808}`, "", "<html>", `{"code":2,"msg":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := ParseReply(body) // must not panic
		if errors.Is(err, ErrTODO) {
			t.Fatal("ParseReply is still the stub")
		}
		var apiErr *APIError
		switch {
		case err == nil:
			if got.Code != CodeOK {
				t.Fatalf("ParseReply(%q) = %+v, nil: only code %d is success", body, got, CodeOK)
			}
		case errors.As(err, &apiErr):
			if apiErr.Code == CodeOK || apiErr.Code != got.Code {
				t.Fatalf("ParseReply(%q) = %+v, %#v: an *APIError has the reply's code, never %d", body, got, apiErr, CodeOK)
			}
		case errors.Is(err, ErrMalformedReply), errors.Is(err, ErrReplyTooLarge):
		default:
			t.Fatalf("ParseReply(%q) = %v: want nil, an *APIError, ErrMalformedReply or ErrReplyTooLarge", body, err)
		}
	})
}

func BenchmarkStep2_ParseReply(b *testing.B) {
	body := []byte(`{"code":2,"msg":"提交成功","smsid":"16436245781234"}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseReply(body); err != nil {
			b.Fatal(err)
		}
	}
}
