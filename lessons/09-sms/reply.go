package sms

import (
	"errors"
	"net/http"
)

// CodeOK is the provider's code for "submitted" (提交成功). Every other code
// is a refusal.
const CodeOK = 2

// MaxReplyBytes is the largest reply body read: the provider's replies are
// a hundred bytes or so.
const MaxReplyBytes = 4096

// Reply is the provider's JSON answer to a submit:
//
//	{"code": 2, "msg": "提交成功", "smsid": "16436245781234"}
type Reply struct {
	Code  int    `json:"code"`  // CodeOK, or why the message was refused
	Msg   string `json:"msg"`   // the provider's words, usually Chinese
	SMSID string `json:"smsid"` // the provider's id for the message, on success
}

// APIError is a reply whose code is not CodeOK: the provider answered and
// refused the message (wrong password, bad number, quota exceeded ...).
// The message was not sent, and sending it again gets the same answer.
type APIError struct {
	Code int    // the reply's code, e.g. 405
	Msg  string // the reply's msg
}

// Error returns "sms: provider refused the message: code 405: 用户名或密码不正确".
func (e *APIError) Error() string {
	// TODO(step 2): say the code and the msg. See README.md, step 2.
	return "sms: provider refused the message (TODO: step 2)"
}

// StatusError is an HTTP reply whose status is not 2xx: whatever the body
// says, it is not the provider's JSON answer.
type StatusError struct {
	StatusCode int // e.g. 503
}

// Error returns "sms: provider replied HTTP 503 Service Unavailable".
func (e *StatusError) Error() string {
	// TODO(step 2): say the status. See README.md, step 2.
	return "sms: provider replied an HTTP error (TODO: step 2)"
}

// ErrMalformedReply means the reply body is not the provider's JSON
// object with a numeric code.
var ErrMalformedReply = errors.New("sms: malformed reply")

// ErrReplyTooLarge means the reply body is longer than MaxReplyBytes.
var ErrReplyTooLarge = errors.New("sms: reply too large")

// ParseReply decodes a reply body. The body must be one JSON object, with
// white space around it allowed and nothing after it, whose "code" is an
// integer; "msg" and "smsid" are strings when present, other fields are
// ignored.
//
//	{"code": 2, ...}            the Reply, nil
//	{"code": 4085, "msg": ...}  the Reply and an *APIError with its code and msg
//	anything else               ErrMalformedReply (wrapped)
//	over MaxReplyBytes          ErrReplyTooLarge (wrapped)
//
// Errors never quote the body: a gateway that echoes the request would put
// the password in them.
func ParseReply(body []byte) (Reply, error) {
	// TODO(step 2): decode the JSON strictly; code 2 is success, other codes an *APIError. See README.md, step 2.
	return Reply{}, ErrTODO
}

// ReadReply reads and closes resp's body and returns what ParseReply makes
// of it. A status other than 2xx is a *StatusError, whatever the body. It
// reads at most MaxReplyBytes+1 bytes of the body: a longer one is
// ErrReplyTooLarge.
func ReadReply(resp *http.Response) (Reply, error) {
	// TODO(step 2): check the status, cap the body, then ParseReply. See README.md, step 2.
	return Reply{}, ErrTODO
}
