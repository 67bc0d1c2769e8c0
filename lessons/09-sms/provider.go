// You don't need to edit this file.

package sms

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"sync"
)

// Numbers the fake Provider treats specially, to exercise errors.
const (
	MobileQuota       = "13900004085" // refused with code 4085 (daily quota for the number used up)
	MobileServerError = "13900000500" // HTTP 500 with a text body, every time
	MobileGarbage     = "13900000200" // HTTP 200 with an HTML body, not JSON
)

// Provider is a fake of the notes' SMS provider, speaking its submit API
// as this lesson documents it (README.md): a POST to
// /webservice/sms.php?method=Submit with a form body of account, password,
// content, mobile and format, answered with
//
//	{"code": 2, "msg": "提交成功", "smsid": "1"}
//
// or, when the form does not ask for format=json, the same as XML (the
// real provider's default). It refuses with the provider's codes:
//
//	401 no account     402 no password   403 no mobile   404 no content
//	405 wrong account or password        406 mobile not 11 digits 1[3-9]...
//	4085 the number's quota is used up (MobileQuota)
//
// A body that is not application/x-www-form-urlencoded reads as an empty
// form, as the provider's PHP would: code 401. Fields in the URL's query
// are ignored. MobileServerError and MobileGarbage make it misbehave, and
// FailFirst makes it answer 503 to the first requests.
//
// Only code 2 counts as a message sent (Received). Provider is safe for
// concurrent use; set the fields before serving.
type Provider struct {
	Account   string    // the account it accepts
	Password  string    // the password it accepts; "" accepts any
	FailFirst int       // answer the first FailFirst requests with HTTP 503
	Log       io.Writer // if not nil, gets one line per request (never the password)

	mu       sync.Mutex
	requests int
	received []Message
}

// Received returns the messages the provider accepted (code 2), in order.
func (p *Provider) Received() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.received...)
}

// Requests returns how many requests reached the provider, answered or not.
func (p *Provider) Requests() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

var mobileRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// ServeHTTP answers one request as the provider would.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.requests++
	n := p.requests
	p.mu.Unlock()
	if r.URL.Path != "/webservice/sms.php" || r.URL.Query().Get("method") != "Submit" {
		p.logf("request %d: %s %s: not found", n, r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		p.logf("request %d: %s: method not allowed", n, r.Method)
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if n <= p.FailFirst {
		p.logf("request %d: failing on purpose (-fail-first %d): 503", n, p.FailFirst)
		http.Error(w, "service unavailable, try again", http.StatusServiceUnavailable)
		return
	}
	form := map[string]string{}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			p.logf("request %d: bad form: %v", n, err)
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		for _, k := range []string{"account", "password", "content", "mobile", "format"} {
			form[k] = r.PostForm.Get(k) // the body only, as PHP's $_POST
		}
	}
	mobile, content := form["mobile"], form["content"]
	code, msg := 2, "提交成功"
	switch {
	case form["account"] == "":
		code, msg = 401, "帐号不能为空"
	case form["password"] == "":
		code, msg = 402, "密码不能为空"
	case mobile == "":
		code, msg = 403, "手机号码不能为空"
	case content == "":
		code, msg = 404, "短信内容不能为空"
	case form["account"] != p.Account || (p.Password != "" && form["password"] != p.Password):
		code, msg = 405, "用户名或密码不正确"
	case !mobileRE.MatchString(mobile):
		code, msg = 406, "手机格式不正确"
	case mobile == MobileQuota:
		code, msg = 4085, "同一手机号验证码短信发送超出5条"
	case mobile == MobileServerError:
		p.logf("request %d: mobile=%s: failing on purpose: 500", n, mobile)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	case mobile == MobileGarbage:
		p.logf("request %d: mobile=%s: answering HTML on purpose", n, mobile)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<html><body>系统维护中</body></html>\n")
		return
	}
	smsid := ""
	if code == 2 {
		p.mu.Lock()
		p.received = append(p.received, Message{Mobile: mobile, Content: content})
		smsid = strconv.Itoa(len(p.received))
		p.mu.Unlock()
		p.logf("received %s: mobile=%s content=%q", smsid, mobile, content)
	} else {
		p.logf("request %d: mobile=%s: refused: code %d %s", n, mobile, code, msg)
	}
	if form["format"] != "json" {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<SubmitResult xmlns=\"http://106.ihuyi.com/\">\n<code>%d</code>\n<msg>%s</msg>\n<smsid>%s</smsid>\n</SubmitResult>\n",
			code, html.EscapeString(msg), smsid)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(map[string]any{"code": code, "msg": msg, "smsid": smsid}) // a failed write is the client's loss
}

func (p *Provider) logf(format string, args ...any) {
	if p.Log == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.Log, format+"\n", args...)
}
