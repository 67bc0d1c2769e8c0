package httpfetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// NewsItem is one entry of the news API's newslist.
type NewsItem struct {
	Title  string `json:"title"`
	PicURL string `json:"picUrl"`
	URL    string `json:"url"`
}

// NewsReply is the news API's whole answer, as the notes' tianapi.com
// endpoint sends it:
//
//	{"code":200,"msg":"success","newslist":[{"title":"...","picUrl":"http://.../a.jpg"}]}
//
// Code 200 means success; any other code comes with a message in Msg.
type NewsReply struct {
	Code     int        `json:"code"`
	Msg      string     `json:"msg"`
	NewsList []NewsItem `json:"newslist"`
}

// MaxJSONBytes is the largest API reply FetchNews reads.
const MaxJSONBytes = 1 << 20

// ErrTooLarge means a body was larger than the limit set for it.
var ErrTooLarge = errors.New("httpfetch: body larger than the limit")

// ErrNotJSON means a reply's Content-Type is not application/json.
var ErrNotJSON = errors.New("httpfetch: reply is not JSON")

// StatusError is an HTTP reply whose status is not 2xx.
type StatusError struct {
	URL    string
	Code   int    // 404
	Status string // "404 Not Found"
}

func (e *StatusError) Error() string { return fmt.Sprintf("GET %s: %s", e.URL, e.Status) }

// APIError is a well-formed API reply whose code is not 200.
type APIError struct {
	Code int
	Msg  string
}

func (e *APIError) Error() string { return fmt.Sprintf("news API: code %d: %s", e.Code, e.Msg) }

// FetchNews GETs the news API at url with client and returns its newslist.
//
// The reply must have status 200 (else *StatusError), a Content-Type of
// application/json, with or without parameters such as charset (else
// ErrNotJSON), a body of at most MaxJSONBytes (else ErrTooLarge), valid JSON,
// and code 200 (else *APIError). Errors name the URL.
func FetchNews(ctx context.Context, client *http.Client, url string) ([]NewsItem, error) {
	// TODO(step 1): GET url, check status, Content-Type, size and code, decode newslist.
	return nil, ErrTODO
}
