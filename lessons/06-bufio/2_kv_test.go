package lineproto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/netkata/netkata/internal/transcript"
)

func TestStep2_ParseCommand(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		line    string
		want    Command
		wantErr error
	}{
		{"SET k v", Command{Verb: "SET", Key: []byte("k"), Value: []byte("v")}, nil},
		{"SET k hello world", Command{Verb: "SET", Key: []byte("k"), Value: []byte("hello world")}, nil},
		{"SET k ", Command{Verb: "SET", Key: []byte("k"), Value: []byte("")}, nil},
		{"set k v", Command{Verb: "SET", Key: []byte("k"), Value: []byte("v")}, nil},
		{"GET " + strings.Repeat("k", MaxLine-4), Command{Verb: "GET", Key: []byte(strings.Repeat("k", MaxLine-4))}, nil},
		{"GET user:1", Command{Verb: "GET", Key: []byte("user:1")}, nil},
		{"Get 键", Command{Verb: "GET", Key: []byte("键")}, nil},
		{"DEL k", Command{Verb: "DEL", Key: []byte("k")}, nil},
		{"QUIT", Command{Verb: "QUIT"}, nil},
		{"quit", Command{Verb: "QUIT"}, nil},
		{"", Command{}, ErrUnknownCommand},
		{"FOO k", Command{}, ErrUnknownCommand},
		{"GETS k", Command{}, ErrUnknownCommand},
		{" GET k", Command{}, ErrUnknownCommand},
		{"SET k", Command{}, ErrSyntax},
		{"SET", Command{}, ErrSyntax},
		{"SET  k v", Command{}, ErrSyntax},
		{"SET k\tx v", Command{}, ErrSyntax},
		{"SET k v\rx", Command{}, ErrSyntax},
		{"GET", Command{}, ErrSyntax},
		{"GET ", Command{}, ErrSyntax},
		{"GET a b", Command{}, ErrSyntax},
		{"DEL a\x00", Command{}, ErrSyntax},
		{"QUIT now", Command{}, ErrSyntax},
		{"GET " + strings.Repeat("k", MaxLine-3), Command{}, ErrLineTooLong},
	}
	for _, tc := range tests {
		got, err := ParseCommand([]byte(tc.line))
		if tc.wantErr != nil {
			require.ErrorIs(t, err, tc.wantErr, "ParseCommand(%q)", tc.line)
			continue
		}
		require.NoError(t, err, "ParseCommand(%q)", tc.line)
		require.Equal(t, tc.want.Verb, got.Verb, "ParseCommand(%q).Verb", tc.line)
		require.Equal(t, string(tc.want.Key), string(got.Key), "ParseCommand(%q).Key", tc.line)
		require.Equal(t, string(tc.want.Value), string(got.Value), "ParseCommand(%q).Value", tc.line)
		line := string(got.Append(nil))
		require.Equal(t, strings.ToUpper(tc.line[:len(got.Verb)])+tc.line[len(got.Verb):]+"\r\n", line, "ParseCommand(%q).Append(nil)", tc.line)
	}
}

func FuzzStep2_ParseCommand(f *testing.F) {
	readme.Explain(f)
	for _, s := range []string{"SET k v", "SET k hello world", "get k", "DEL k", "QUIT", "SET k ", "FOO", "", "SET  k v", "GET \x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		cmd, err := ParseCommand(line)
		if err != nil {
			if !errors.Is(err, ErrUnknownCommand) && !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrLineTooLong) {
				t.Fatalf("ParseCommand(%q) = %v, want nil, ErrUnknownCommand, ErrSyntax or ErrLineTooLong", line, err)
			}
			return
		}
		// What parses must survive the trip through the wire: Append, then a
		// LineReader, then ParseCommand again.
		wire := cmd.Append(nil)
		got, err := NewLineReader(strings.NewReader(string(wire))).ReadLine()
		if err != nil {
			t.Fatalf("ParseCommand(%q).Append = %q, which a LineReader rejects: %v", line, wire, err)
		}
		again, err := ParseCommand(got)
		if err != nil {
			t.Fatalf("ParseCommand(%q).Append = %q, which ParseCommand rejects: %v", line, wire, err)
		}
		if again.Verb != cmd.Verb || string(again.Key) != string(cmd.Key) || string(again.Value) != string(cmd.Value) {
			t.Fatalf("ParseCommand(%q) = %+v; its line %q parses to %+v", line, cmd, wire, again)
		}
	})
}

func TestStep2_KVSession(t *testing.T) {
	readme.Explain(t)
	c := transcript.Dial(t, startKV(t), "client")
	c.Send("SET k hello world")
	c.Expect("250 OK\r")
	c.Send("GET k")
	c.Expect("250 hello world\r")
	c.Write("get k\r\n")
	c.Expect("250 hello world\r")
	c.Send("SET k ")
	c.Expect("250 OK\r")
	c.Send("GET k")
	c.Expect("250 \r")
	c.Send("DEL k")
	c.Expect("250 OK\r")
	c.Send("GET k")
	c.Expect("404 no such key\r")
	c.Send("DEL k")
	c.Expect("404 no such key\r")
	c.Send("GET")
	c.Expect("501 syntax error\r")
	c.Send("QUIT")
	c.Expect("221 bye\r")
	c.ExpectEOF()
}

func TestStep2_UnknownCommandKeepsConnection(t *testing.T) {
	readme.Explain(t)
	c := transcript.Dial(t, startKV(t), "client")
	c.Send("FOO bar")
	c.Expect("500 unknown command\r")
	c.Send("")
	c.Expect("500 unknown command\r")
	c.Send("SET k v")
	c.Expect("250 OK\r")
	c.Send("GET k")
	c.Expect("250 v\r")
}

func TestStep2_PipelinedInOrder(t *testing.T) {
	readme.Explain(t)
	t.Run("mixed batch in one write", func(t *testing.T) {
		c := transcript.Dial(t, startKV(t), "client")
		c.Write("SET a 1\nGET a\nFOO\nGET b\nSET b 2\nGET\nGET b\nDEL a\nGET a\n")
		for _, want := range []string{"250 OK", "250 1", "500 unknown command", "404 no such key", "250 OK", "501 syntax error", "250 2", "250 OK", "404 no such key"} {
			c.Expect(want + "\r")
		}
	})
	t.Run("random batch against a map", func(t *testing.T) {
		rng := seed.Rand(t)
		c := transcript.Dial(t, startKV(t), "client")
		model := map[string]string{}
		var batch strings.Builder
		var want []string
		for i := 0; i < 300; i++ {
			k := fmt.Sprintf("k%d", rng.IntN(8))
			switch rng.IntN(4) {
			case 0:
				v := fmt.Sprintf("v%d", i)
				fmt.Fprintf(&batch, "SET %s %s\n", k, v)
				model[k] = v
				want = append(want, "250 OK")
			case 1:
				fmt.Fprintf(&batch, "DEL %s\n", k)
				if _, ok := model[k]; ok {
					delete(model, k)
					want = append(want, "250 OK")
				} else {
					want = append(want, "404 no such key")
				}
			default:
				fmt.Fprintf(&batch, "GET %s\n", k)
				if v, ok := model[k]; ok {
					want = append(want, "250 "+v)
				} else {
					want = append(want, "404 no such key")
				}
			}
		}
		c.Write(batch.String())
		for _, w := range want {
			c.Expect(w + "\r")
		}
	})
}

func TestStep2_LineTooLong(t *testing.T) {
	readme.Explain(t)
	t.Run("whole long line", func(t *testing.T) {
		c := transcript.Dial(t, startKV(t), "client")
		c.Write("SET k v\n" + strings.Repeat("x", MaxLine+1) + "\nGET k\n")
		c.Expect("250 OK\r")
		c.Expect("502 line too long\r")
		c.Expect("250 v\r")
	})
	t.Run("answered before the line ends", func(t *testing.T) {
		c := transcript.Dial(t, startKV(t), "client")
		c.Write("SET " + strings.Repeat("x", 8*MaxLine)) // no line end yet
		c.Expect("502 line too long\r")
		// The rest of the line, a megabyte of it, is discarded as it comes.
		chunk := strings.Repeat("y", 64<<10)
		for range 16 {
			_, err := c.Net().Write([]byte(chunk))
			require.NoError(t, err, "write the rest of a long line (unrecorded)")
		}
		c.Write("\nSET k v\n")
		c.Expect("250 OK\r")
	})
}

func TestStep2_SharedStore(t *testing.T) {
	readme.Explain(t)
	addr := startKV(t)
	alice := transcript.Dial(t, addr, "alice")
	bob := transcript.Dial(t, addr, "bob")
	alice.Send("SET color blue")
	alice.Expect("250 OK\r")
	bob.Send("GET color")
	bob.Expect("250 blue\r")
}

func TestStep2_SharedStoreConcurrent(t *testing.T) {
	readme.Explain(t)
	// Several clients at once, each pipelining rounds of SETs and GETs of
	// its own keys: the store is shared, so every access to its map must be
	// under its lock. go test -race reports a missing lock here.
	addr := startKV(t)
	const clients, rounds, keys = 4, 100, 5
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range clients {
		conn := loopback.Dial(t, addr)
		require.NoError(t, conn.SetDeadline(loopback.Deadline()))
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start // all clients at once
			for r := range rounds {
				var req, want strings.Builder
				for k := range keys {
					fmt.Fprintf(&req, "SET c%d-k%d v%d-%d\nGET c%d-k%d\n", i, k, r, k, i, k)
					fmt.Fprintf(&want, "250 OK\r\n250 v%d-%d\r\n", r, k)
				}
				if _, err := io.WriteString(conn, req.String()); err != nil {
					t.Errorf("client %d round %d: send %d commands: %v", i, r, 2*keys, err)
					return
				}
				got := make([]byte, want.Len())
				if _, err := io.ReadFull(conn, got); err != nil {
					t.Errorf("client %d round %d: read %d replies: %v (%s)", i, r, 2*keys, err, readme.Ref(t))
					return
				}
				if string(got) != want.String() {
					t.Errorf("client %d round %d: replies to its own SETs and GETs, with %d other clients at work: got %.120q..., want %.120q... (%s)", i, r, clients-1, got, want.String(), readme.Ref(t))
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
}

func TestStep2_KVAcceptRetried(t *testing.T) {
	readme.Explain(t)
	st := NewStore()
	acceptRetried(t, "ServeKV", func(ctx context.Context, ln net.Listener) error { return ServeKV(ctx, ln, st) }, func(c *transcript.Conn) {
		c.Send("SET k v")
		c.Expect("250 OK\r")
	})
}

// startKV runs ServeKV with a new Store on a free loopback port until the
// test ends and returns its address.
func startKV(t *testing.T) string {
	t.Helper()
	st := NewStore()
	return startServer(t, "ServeKV", func(ctx context.Context, ln net.Listener) error { return ServeKV(ctx, ln, st) })
}
