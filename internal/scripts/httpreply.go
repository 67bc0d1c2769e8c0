package scripts

import (
	"net/http"
	"net/http/httptest"
	"strconv"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdHTTPReply is "httpreply VAR STATUS TYPE BODY": an HTTP server on
// loopback that answers every request with that status, Content-Type and
// body (a JSON body can carry control characters as \u001b) until the
// script ends; $VAR is its address. It plays a hostile or broken peer.
func cmdHTTPReply(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 4 {
		ts.Fatalf("usage: httpreply VAR STATUS TYPE BODY")
	}
	status, err := strconv.Atoi(args[1])
	if err != nil {
		ts.Fatalf("httpreply: status %q: %v", args[1], err)
	}
	ctype, body := args[2], args[3]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	ts.Defer(srv.Close)
	ts.Setenv(args[0], srv.Listener.Addr().String())
}
