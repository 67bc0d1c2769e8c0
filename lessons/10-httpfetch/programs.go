package httpfetch

// You don't need to edit this file.

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netkata/netkata/internal/cli"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// FetchMain is the fetch program: it GETs a news API, then downloads every
// picture it lists, a few at a time. It returns the exit status: 0 when
// every picture was saved, 1 when anything failed, 2 for bad flags.
//
// On a terminal it shows a progress bar; otherwise it prints one line per
// picture.
func FetchMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("fetch", "download the files a JSON news API lists, several at a time, with retries and resume", stdout, stderr)
	api := fs.String("api", "", "the news API `URL`, e.g. http://127.0.0.1:8080/meinv/?key=APIKey&num=10")
	out := fs.String("out", ".", "save pictures in `dir`")
	jobs := fs.Int("j", 4, "download at most `N` pictures at once")
	retries := fs.Int("retries", 3, "retry a failed download up to `N` more times")
	maxBytes := fs.Int64("max", DefaultMaxBytes, "refuse a picture larger than `bytes`")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on one request after `d`")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if *api == "" {
		fmt.Fprintln(stderr, "fetch: -api URL is required (fetch -h shows the usage)")
		return 2
	}
	ctx, stop := cli.SignalContext()
	defer stop()
	client := &http.Client{Timeout: *timeout}
	items, err := FetchNews(ctx, client, *api)
	if err != nil {
		fmt.Fprintf(stderr, "fetch: %s\n", cli.Printable(err.Error()))
		return 1
	}
	var urls []string
	for _, it := range items {
		urls = append(urls, it.PicURL)
	}
	if err := os.MkdirAll(*out, 0o777); err != nil {
		fmt.Fprintf(stderr, "fetch: %v\n", err)
		return 1
	}
	f := &Fetcher{Client: client, MaxBytes: *maxBytes, Retries: *retries}
	var bar *progressbar.ProgressBar
	if file, ok := stdout.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
		bar = progressbar.DefaultBytes(-1, fmt.Sprintf("%d pictures", len(urls)))
		var mu sync.Mutex
		seen := map[string]int64{}
		f.Progress = func(name string, done, total int64) {
			mu.Lock()
			defer mu.Unlock()
			bar.Add64(done - seen[name])
			seen[name] = done
		}
	}
	// Errors wait until the bar is finished, so none lands on its line;
	// without a bar each picture gets its line as it is listed.
	var failures []string
	for _, r := range f.DownloadAll(ctx, urls, *out, *jobs) {
		if r.Err != nil {
			failures = append(failures, cli.Printable(r.Err.Error()))
			continue
		}
		if bar == nil {
			size := int64(-1)
			if fi, err := os.Stat(r.Path); err == nil {
				size = fi.Size()
			}
			fmt.Fprintf(stdout, "saved %s (%d bytes)\n", r.Path, size)
		}
	}
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(stdout)
	}
	for _, msg := range failures {
		fmt.Fprintf(stderr, "fetch: %s\n", msg)
	}
	failed := len(failures)
	fmt.Fprintf(stdout, "saved %d of %d pictures in %s\n", len(urls)-failed, len(urls), *out)
	if failed > 0 {
		return 1
	}
	return 0
}

// NewsAPIMain is the newsapi program, a stand-in for the notes' news API
// and its picture host, for trying fetch on your own machine:
//
//	GET /meinv/?key=K&num=N   {"code":200,"msg":"success","newslist":[{"title":...,"picUrl":"http://HOST/img/1.jpg"},...]}
//	GET /img/N.jpg            picture N (made-up bytes, the same every time)
//
// -broken N makes picture N answer 404. -dump N writes picture N to stdout
// and exits (so a scenario can compare what fetch saved).
func NewsAPIMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("newsapi", "a local JSON news API and file server, for trying fetch", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port` (port 0 picks a free one)")
	broken := fs.Int("broken", 0, "answer 404 for picture `N`")
	dump := fs.Int("dump", 0, "write picture `N` to stdout and exit")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if *dump > 0 {
		stdout.Write(pictureBytes(byte(*dump), pictureSize(*dump)))
		return 0
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/meinv/", func(w http.ResponseWriter, r *http.Request) {
		num, err := strconv.Atoi(r.URL.Query().Get("num"))
		if err != nil || num < 1 || num > 100 {
			num = 10
		}
		var items []string
		for i := 1; i <= num; i++ {
			items = append(items, fmt.Sprintf(`{"title":"图片 %d","picUrl":"http://%s/img/%d.jpg"}`, i, r.Host, i))
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprintf(w, `{"code":200,"msg":"success","newslist":[%s]}`, strings.Join(items, ","))
	})
	mux.HandleFunc("/img/", func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/img/"), ".jpg"))
		if err != nil || n < 1 || n == *broken {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("ETag", fmt.Sprintf(`"pic-%d"`, n))
		http.ServeContent(w, r, "", time.Time{}, strings.NewReader(string(pictureBytes(byte(n), pictureSize(n)))))
	})
	return cli.ServeHTTP("newsapi", *addr, mux, stdout, stderr)
}

// pictureSize is how many bytes picture n has.
func pictureSize(n int) int { return 10_000 + 1_000*n }

// pictureBytes returns n bytes of made-up picture data, different for each
// seed and the same every time.
func pictureBytes(seed byte, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
	return b
}
