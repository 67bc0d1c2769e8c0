// You don't need to edit this file.

package chat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/netkata/netkata/internal/cli"
)

// ServerMain is the chatserver program: a Room on -addr speaking -proto
// (lines or notes). It prints "listening on HOST:PORT", then one line per
// join, leave, drop and rename. It returns the exit status: 0 after SIGINT
// or SIGTERM, 1 if serving failed, 2 for bad flags.
func ServerMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("chatserver", "run a chat room: each line a member sends goes to every other member", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9999", "listen on `host:port` (port 0 picks a free one)")
	proto := fs.String("proto", "lines", "wire protocol: `lines` (\"name: text\\n\") or notes (the notes' CharServer)")
	queue := fs.Int("queue", DefaultQueueLen, "messages that may wait for one member before it is dropped as too slow")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	room := &Room{QueueLen: *queue}
	switch *proto {
	case "lines":
		room.Proto = Lines
	case "notes":
		room.Proto = Notes
	default:
		fmt.Fprintf(stderr, "chatserver: -proto %q: want lines or notes\n", *proto)
		return 2
	}
	if fs.NArg() > 0 || *queue < 1 {
		fmt.Fprintf(stderr, "chatserver: want flags only, and -queue of at least 1\n")
		return 2
	}
	var mu sync.Mutex // Logf runs on many goroutines
	room.Logf = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(stdout, format+"\n", args...)
	}
	return cli.Serve("chatserver", "tcp", *addr, stdout, stderr, func(ctx context.Context, ln net.Listener) error {
		served := make(chan error, 1)
		go func() { served <- room.Serve(ln) }()
		select {
		case <-ctx.Done():
			if err := room.Stop(); err != nil {
				return err
			}
			return <-served
		case err := <-served:
			room.Stop()
			if err == nil {
				err = errors.New("the room stopped by itself")
			}
			return err
		}
	})
}

// ClientMain is the chatclient program: RunClient on a connection to
// -addr, as -name, with the terminal's stdin and stdout. With -stay it
// keeps printing after stdin ends, until the server closes the connection
// (for scripts). It returns 0 after /quit (or the end of stdin), 1 if the
// connection failed or the server closed it first, 2 for bad flags.
func ClientMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("chatclient", "join a chat room: send the lines you type, print what the others say", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9999", "the chat server's `host:port`")
	name := fs.String("name", os.Getenv("USER"), "your `name` in the room")
	stay := fs.Bool("stay", false, "after stdin ends, keep printing until the server closes the connection")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "chatclient: unexpected argument %q: want flags only (-addr, -name, -stay)\n", fs.Arg(0))
		return 2
	}
	if !ValidName(*name) {
		fmt.Fprintf(stderr, "chatclient: -name %q: want 1 to %d bytes, no spaces, \":\" or \",\", not starting with /, * or !\n", *name, MaxName)
		return 2
	}
	conn, err := net.DialTimeout("tcp", *addr, 5*time.Second)
	if err != nil {
		fmt.Fprintf(stderr, "chatclient: %v\n", err)
		return 1
	}
	in := stdin
	if *stay {
		done := make(chan struct{})
		defer close(done)
		in = io.MultiReader(stdin, untilClosed(done))
	}
	// What the server sends goes to a terminal: show its control
	// characters instead of obeying them.
	err = RunClient(conn, *name, in, cli.SafeWriter(stdout))
	switch {
	case err == nil:
		return 0
	case *stay && errors.Is(err, ErrServerClosed):
		return 0 // what -stay waits for
	default:
		fmt.Fprintf(stderr, "chatclient: %v\n", err)
		return 1
	}
}

// untilClosed is a reader that blocks until done is closed, then says EOF.
type untilClosed chan struct{}

func (u untilClosed) Read([]byte) (int, error) {
	<-u
	return 0, io.EOF
}
