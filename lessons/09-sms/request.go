package sms

import (
	"context"
	"net/http"
)

// SubmitPath is where the provider takes messages: the path and query of
// the notes' sms_send_uri, appended to the provider's base URL.
const SubmitPath = "/webservice/sms.php?method=Submit"

// Message is one text message: who gets it and what it says.
type Message struct {
	Mobile  string // the recipient's number, e.g. "13800138000"
	Content string // the text, UTF-8; Chinese is fine
}

// NewRequest builds the provider's submit request for msg, as the notes'
// Python does, carrying ctx:
//
//	POST {baseURL}/webservice/sms.php?method=Submit HTTP/1.1
//	Content-Type: application/x-www-form-urlencoded
//	Accept: application/json
//
//	account=...&content=...&format=json&mobile=...&password=...
//
// The body is an HTML form (application/x-www-form-urlencoded): each of
// the five fields account, password, content, mobile and format=json once,
// names and values percent-encoded as net/url encodes a query, so UTF-8
// content, "&", "=", "+" and "%" arrive as they were sent. The password
// travels in the body only, never in the URL.
//
// baseURL is scheme and host, with an optional path prefix ("http://
// 106.ihuyi.com", "http://127.0.0.1:8086/"); a trailing "/" is ignored. A
// baseURL that is not an absolute http or https URL is an error. Errors
// never contain the password.
func NewRequest(ctx context.Context, baseURL, account, password string, msg Message) (*http.Request, error) {
	// TODO(step 1): encode the five fields as a form and POST them. See README.md, step 1.
	return nil, ErrTODO
}
