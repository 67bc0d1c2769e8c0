package httpfetch

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep1_FetchNews(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	body := newsJSON("http://img.invalid/a.jpg", "http://img.invalid/%E7%8C%AB.jpg")
	s.mux.HandleFunc("/meinv/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write([]byte(body))
	})
	url := s.URL + "/meinv/?key=APIKey&num=2"
	s.mux.HandleFunc("/upper/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "Application/JSON; Charset=UTF-8") // media types are case-insensitive
		w.Write([]byte(body))
	})
	upper, err := FetchNews(context.Background(), newClient(t), s.URL+"/upper/")
	require.NoError(t, err, "FetchNews on a reply with Content-Type: Application/JSON; Charset=UTF-8 (the same type: media types ignore case)")
	require.Len(t, upper, 2, "FetchNews on a reply with Content-Type: Application/JSON")
	// A reply of exactly MaxJSONBytes is within the limit.
	head, tail := `{"code":200,"msg":"`, `","newslist":[]}`
	exact := head + strings.Repeat("x", MaxJSONBytes-len(head)-len(tail)) + tail
	s.mux.HandleFunc("/exact/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(exact))
	})
	_, err = FetchNews(context.Background(), newClient(t), s.URL+"/exact/")
	require.NoError(t, err, "FetchNews on a reply of exactly MaxJSONBytes (%d) bytes: the limit is allowed, only more is ErrTooLarge", MaxJSONBytes)
	got, err := FetchNews(context.Background(), newClient(t), url)
	require.NoError(t, err, "FetchNews(%q) on the reply %s", url, body)
	require.Equal(t, []NewsItem{
		{Title: "图片 1", PicURL: "http://img.invalid/a.jpg", URL: "http://example.invalid/1"},
		{Title: "图片 2", PicURL: "http://img.invalid/%E7%8C%AB.jpg", URL: "http://example.invalid/2"},
	}, got, "FetchNews(%q) on the reply %s", url, body)
}

func TestStep1_FetchNewsChecksReply(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		check       func(t *testing.T, err error)
	}{
		{"status 404", http.StatusNotFound, "application/json", `{"code":404}`, func(t *testing.T, err error) {
			var se *StatusError
			require.ErrorAs(t, err, &se)
			require.Equal(t, http.StatusNotFound, se.Code)
		}},
		{"HTML instead of JSON", http.StatusOK, "text/html; charset=utf-8", newsJSON("http://x/a.jpg"), func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrNotJSON)
		}},
		{"no Content-Type", http.StatusOK, "", newsJSON("http://x/a.jpg"), func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrNotJSON)
		}},
		{"a type that starts like JSON", http.StatusOK, "application/json-seq", newsJSON("http://x/a.jpg"), func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrNotJSON, "application/json-seq is another type: compare the parsed media type, not a prefix")
		}},
		{"JSON only in a parameter", http.StatusOK, "text/html; note=application/json", newsJSON("http://x/a.jpg"), func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrNotJSON, "text/html with a parameter that mentions JSON is HTML: compare the parsed media type, not a substring")
		}},
		{"body over the limit", http.StatusOK, "application/json", `{"code":200,"msg":"` + strings.Repeat("x", MaxJSONBytes) + `","newslist":[]}`, func(t *testing.T, err error) {
			require.ErrorIs(t, err, ErrTooLarge)
		}},
		{"malformed JSON", http.StatusOK, "application/json", `{"code":200,"newslist":[{"picUrl":`, func(t *testing.T, err error) {
			require.Error(t, err)
			require.NotErrorIs(t, err, ErrTODO)
		}},
		{"API error code", http.StatusOK, "application/json", `{"code":250,"msg":"API key invalid"}`, func(t *testing.T, err error) {
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, APIError{Code: 250, Msg: "API key invalid"}, *ae)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			s.mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType == "" {
					w.Header()["Content-Type"] = nil // no sniffing either
				} else {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			})
			items, err := FetchNews(context.Background(), newClient(t), s.URL+"/api")
			require.Nil(t, items, "FetchNews on a %s reply returned items", tc.name)
			require.Error(t, err, "FetchNews on a %s reply: want an error", tc.name)
			tc.check(t, err)
		})
	}

	t.Run("endless body", func(t *testing.T) {
		s := newSite(t)
		e := newEndless(`{"code":200,"msg":"`)
		s.mux.Handle("/api", e)
		_, err := FetchNews(context.Background(), newClient(t), s.URL+"/api")
		require.ErrorIs(t, err, ErrTooLarge, "FetchNews on a reply without end")
		sent := loopback.Wait(t, e.done, "the server to notice the client stopped reading")
		require.Less(t, sent, int64(MaxJSONBytes+maxSentAfterLimit),
			"the server sent %d bytes before FetchNews stopped reading: stop at MaxJSONBytes (%d), never read the whole body", sent, MaxJSONBytes)
	})
}

func TestStep1_FetchNewsHonoursContext(t *testing.T) {
	readme.Explain(t)
	s := newSite(t)
	release := make(chan struct{})
	s.mux.HandleFunc("/stalled", func(w http.ResponseWriter, r *http.Request) {
		select { // never answers
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // before the site closes: it waits for its handlers
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr} // no timeout of its own: only the context can end the request
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := FetchNews(ctx, client, s.URL+"/stalled")
		done <- err
	}()
	err := loopback.Wait(t, done, "FetchNews to return when its context ended, the server still silent (build the request with http.NewRequestWithContext)")
	require.ErrorIs(t, err, context.DeadlineExceeded, "FetchNews on a server that never answers, with a 200ms context")
}
