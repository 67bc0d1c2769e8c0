// You don't need to edit this file.

package filetransfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/netkata/netkata/internal/cli"
	"golang.org/x/term"
)

// FileServerMain is the fileserver program. Under -proto v1 (the notes'
// protocol) it sends the one file -file to every client, under the name
// -as if given (to try clients against a hostile server); under -proto v2
// it serves the files in -dir by name. It returns the exit status: 0 after
// SIGINT or SIGTERM, 1 if serving failed, 2 for bad flags.
func FileServerMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("fileserver", "serve files to fileclient: the notes' JSON+base64 protocol (v1) or streaming with SHA-256 and resume (v2)", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:5566", "listen on `host:port` (port 0 picks a free one)")
	proto := fs.String("proto", "v1", "protocol: v1 (JSON and base64, the notes') or v2 (streaming)")
	file := fs.String("file", "", "v1: the `path` of the file to send every client")
	as := fs.String("as", "", "v1: send the file under this `name` instead of its own")
	dir := fs.String("dir", "", "v2: the `directory` whose files are served by name")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "fileserver: %s\n", msg)
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *proto == "v1" && (*file == "" || *dir != ""):
		return usage("-proto v1 needs -file PATH (and no -dir)")
	case *proto == "v2" && (*dir == "" || *file != "" || *as != ""):
		return usage("-proto v2 needs -dir DIR (and no -file or -as)")
	case *proto != "v1" && *proto != "v2":
		return usage(fmt.Sprintf("-proto %q: want v1 or v2", *proto))
	}

	var serve func(context.Context, net.Listener) error
	if *proto == "v1" {
		// Like the notes' server: read and encode the file once, at start.
		data, err := os.ReadFile(*file)
		if err != nil {
			fmt.Fprintf(stderr, "fileserver: %v\n", err)
			return 1
		}
		name := filepath.Base(*file)
		if *as != "" {
			name = *as
		}
		serve = func(ctx context.Context, ln net.Listener) error { return ServeV1(ctx, ln, name, data) }
	} else {
		if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
			fmt.Fprintf(stderr, "fileserver: -dir %q is not a directory\n", *dir)
			return 1
		}
		serve = func(ctx context.Context, ln net.Listener) error { return ServeV2(ctx, ln, *dir) }
	}
	return cli.Serve("fileserver", "tcp", *addr, stdout, stderr, serve)
}

// FileClientMain is the fileclient program: it fetches one file into -out
// and prints where it saved it. Under -proto v2 it asks for -name, can
// -resume a cut download, and shows progress (bytes, rate, time left) when
// stdout is a terminal. It returns the exit status: 0 when the file is
// saved, 1 if fetching failed, 2 for bad flags.
func FileClientMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("fileclient", "fetch one file from a fileserver and print where it was saved", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:5566", "the server's `host:port`")
	out := fs.String("out", ".", "save into this `directory` (nothing is written outside it)")
	proto := fs.String("proto", "v1", "protocol: v1 (JSON and base64, the notes') or v2 (streaming)")
	name := fs.String("name", "", "v2: the `name` of the file to fetch")
	resume := fs.Bool("resume", false, "v2: continue NAME.part left by a cut download")
	max := fs.Int64("max", DefaultMax, "refuse files larger than this many `bytes`")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "fileclient: %s\n", msg)
		return 2
	}
	switch {
	case fs.NArg() > 0:
		return usage(fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	case *proto == "v1" && (*name != "" || *resume):
		return usage("-name and -resume are for -proto v2 (a v1 server chooses the file)")
	case *proto == "v2" && *name == "":
		return usage("-proto v2 needs -name NAME")
	case *proto != "v1" && *proto != "v2":
		return usage(fmt.Sprintf("-proto %q: want v1 or v2", *proto))
	case *max <= 0:
		return usage("-max must be positive")
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		return usage(fmt.Sprintf("-addr %q: %v", *addr, err))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c := &Client{Dir: *out, Max: *max, Resume: *resume}
	var path string
	var err error
	if *proto == "v1" {
		path, err = c.FetchV1(ctx, *addr)
	} else {
		bar := newProgressBar(stdout)
		c.Progress = bar.update
		path, err = c.FetchV2(ctx, *addr, *name)
		bar.finish()
	}
	if err != nil {
		fmt.Fprintf(stderr, "fileclient: %v\n", err)
		if errors.Is(err, ErrIncomplete) {
			fmt.Fprintf(stderr, "fileclient: run again with -resume to continue\n")
		}
		return 1
	}
	size := int64(-1)
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(stdout, "saved %s (%d bytes)\n", path, size)
	return 0
}

// progressBar draws "12.0 MiB / 1.0 GiB  95.3 MiB/s  ETA 11s" on one
// terminal line, at most 5 times a second, for files of 1 MiB or more. On
// anything but a terminal it draws nothing.
type progressBar struct {
	w      io.Writer
	on     bool
	start  time.Time
	last   time.Time
	drawn  bool
	done   int64
	total  int64
	offset int64 // bytes on disk before this run (resume), not counted in the rate
}

func newProgressBar(stdout io.Writer) *progressBar {
	f, ok := stdout.(*os.File)
	return &progressBar{w: stdout, on: ok && term.IsTerminal(int(f.Fd())), offset: -1}
}

func (p *progressBar) update(done, total int64) {
	if !p.on || total < 1<<20 {
		return
	}
	now := time.Now()
	if p.offset < 0 {
		p.offset, p.start = done, now
	}
	p.done, p.total = done, total
	if now.Sub(p.last) < 200*time.Millisecond && done < total {
		return
	}
	p.last = now
	p.draw(now)
}

func (p *progressBar) draw(now time.Time) {
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.done-p.offset) / elapsed
	}
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(p.total-p.done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r%s / %s  %s/s  ETA %s\x1b[K", size(p.done), size(p.total), size(int64(rate)), eta)
	p.drawn = true
}

func (p *progressBar) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

// size formats n bytes as "512 B", "12.0 MiB", "1.0 GiB".
func size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGT"[i])
}
