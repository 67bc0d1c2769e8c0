package lineproto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/netkata/netkata/internal/transcript"
)

func TestStep3_ParseReply(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		line     string
		wantCode int
		wantText string
		wantErr  error
	}{
		{"250 OK", 250, "OK", nil},
		{"250 hello world", 250, "hello world", nil},
		{"250 ", 250, "", nil},
		{"404 no such key", 404, "no such key", nil},
		{"100 x", 100, "x", nil},
		{"599 x", 599, "x", nil},
		{"250", 0, "", ErrMalformedReply},
		{"250-OK", 0, "", ErrMalformedReply},
		{"25 OK", 0, "", ErrMalformedReply},
		{"2500 OK", 0, "", ErrMalformedReply},
		{"600 x", 0, "", ErrMalformedReply},
		{"099 x", 0, "", ErrMalformedReply},
		{"2a0 x", 0, "", ErrMalformedReply},
		{"", 0, "", ErrMalformedReply},
	}
	for _, tc := range tests {
		got, err := ParseReply([]byte(tc.line))
		if tc.wantErr != nil {
			require.ErrorIs(t, err, tc.wantErr, "ParseReply(%q)", tc.line)
			continue
		}
		require.NoError(t, err, "ParseReply(%q)", tc.line)
		require.Equal(t, tc.wantCode, got.Code, "ParseReply(%q).Code", tc.line)
		require.Equal(t, tc.wantText, string(got.Text), "ParseReply(%q).Text", tc.line)
	}
}

func TestStep3_ReplyReader(t *testing.T) {
	readme.Explain(t)
	rr := NewReplyReader(splitReads([]string{"250 OK\r\n404 no", " such key\r\n", "221 bye\r\nnonsense\r\n"}))
	for _, want := range []string{"250 OK", "404 no such key", "221 bye"} {
		r, err := rr.Next()
		require.NoError(t, err, "Next, want %q", want)
		require.Equal(t, want, fmt.Sprintf("%03d %s", r.Code, r.Text), "Next")
	}
	_, err := rr.Next()
	require.ErrorIs(t, err, ErrMalformedReply, "Next on the line %q", "nonsense")
	_, err = rr.Next()
	require.ErrorIs(t, err, io.EOF, "Next at the end of the stream")

	require.NoError(t, Reply{Code: 250, Text: []byte("OK")}.Err(), "Reply{250 OK}.Err()")
	var te *textproto.Error
	require.ErrorAs(t, Reply{Code: 404, Text: []byte("no such key")}.Err(), &te, "Reply{404 no such key}.Err()")
	require.Equal(t, textproto.Error{Code: 404, Msg: "no such key"}, *te, "Reply{404 no such key}.Err()")
}

func TestStep3_ReplyReaderNoAllocs(t *testing.T) {
	readme.Explain(t)
	rr := NewReplyReader(&repeatReader{data: []byte("250 some value of a key\r\n")})
	var err error
	next := func() {
		var r Reply
		if r, err = rr.Next(); err == nil && r.Code != 250 {
			err = fmt.Errorf("code %d, want 250", r.Code)
		}
	}
	next() // the first call may allocate the buffer
	require.NoError(t, err, "Next on a stream of %q", "250 some value of a key\r\n")
	allocs := testing.AllocsPerRun(1000, next)
	require.NoError(t, err, "Next on a stream of %q", "250 some value of a key\r\n")
	require.Zero(t, allocs, "allocations per Next on a steady stream of replies; want 0: read into the reused buffer and return a Text that points into it (%s)", readme.Ref(t))
}

func TestStep3_Pipeline(t *testing.T) {
	readme.Explain(t)
	rng := seed.Rand(t)
	c, counted := dialKV(t)
	model := map[string]string{}
	var cmds []Command
	var want []string
	for i := 0; i < 5*Window+7; i++ {
		k := fmt.Sprintf("k%d", rng.IntN(10))
		switch rng.IntN(3) {
		case 0:
			v := fmt.Sprintf("value %d", i)
			cmds = append(cmds, Command{Verb: "SET", Key: []byte(k), Value: []byte(v)})
			model[k] = v
			want = append(want, "250 OK")
		case 1:
			cmds = append(cmds, Command{Verb: "DEL", Key: []byte(k)})
			if _, ok := model[k]; ok {
				delete(model, k)
				want = append(want, "250 OK")
			} else {
				want = append(want, "404 no such key")
			}
		default:
			cmds = append(cmds, Command{Verb: "GET", Key: []byte(k)})
			if v, ok := model[k]; ok {
				want = append(want, "250 "+v)
			} else {
				want = append(want, "404 no such key")
			}
		}
	}
	var got []string
	err := c.Pipeline(cmds, func(i int, r Reply) error {
		if i != len(got) {
			return fmt.Errorf("each called for command %d, want %d", i, len(got))
		}
		got = append(got, fmt.Sprintf("%03d %s", r.Code, r.Text))
		return nil
	})
	require.NoError(t, err, "Pipeline of %d commands", len(cmds))
	require.Equal(t, want, got, "replies to %d pipelined commands, in order", len(cmds))
	windows := (len(cmds) + Window - 1) / Window
	require.LessOrEqual(t, counted.writes, windows, "Writes on the connection for %d commands; want one per Window of %d commands (one Flush)", len(cmds), Window)
}

func TestStep3_PipelineOneWrite(t *testing.T) {
	readme.Explain(t)
	c, counted := dialKV(t)
	var cmds []Command
	for i := range Window {
		cmds = append(cmds, Command{Verb: "GET", Key: []byte(fmt.Sprint("k", i))})
	}
	n := 0
	err := c.Pipeline(cmds, func(i int, r Reply) error {
		n++
		if r.Code != CodeNotFound {
			return fmt.Errorf("reply %d: %d %s, want 404", i, r.Code, r.Text)
		}
		return nil
	})
	require.NoError(t, err, "Pipeline of %d GETs", len(cmds))
	require.Equal(t, len(cmds), n, "replies to Pipeline of %d GETs", len(cmds))
	require.Equal(t, 1, counted.writes, "Writes on the connection for %d pipelined GETs; want 1: buffer them all, Flush once", len(cmds))
}

func TestStep3_DoAndQuit(t *testing.T) {
	readme.Explain(t)
	c, _ := dialKV(t)
	r, err := c.Do(Command{Verb: "SET", Key: []byte("k"), Value: []byte("v")})
	require.NoError(t, err, "Do(SET k v)")
	require.Equal(t, CodeOK, r.Code, "Do(SET k v).Code")
	r, err = c.Do(Command{Verb: "GET", Key: []byte("nope")})
	require.NoError(t, err, "Do(GET nope): an error reply is a Reply, not an error")
	var te *textproto.Error
	require.ErrorAs(t, r.Err(), &te, "Do(GET nope).Err()")
	require.Equal(t, CodeNotFound, te.Code, "Do(GET nope).Err().Code")
	err = c.Pipeline([]Command{{Verb: "QUIT"}, {Verb: "GET", Key: []byte("k")}}, func(int, Reply) error { return nil })
	require.ErrorIs(t, err, io.ErrUnexpectedEOF, "Pipeline(QUIT, GET k): the server closes after QUIT, so GET gets no reply")
}

func TestStep3_DialFails(t *testing.T) {
	readme.Explain(t)
	ln := loopback.Listen(t)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	ctx, cancel := context.WithTimeout(context.Background(), loopback.Timeout)
	defer cancel()
	c, err := Dial(ctx, addr)
	require.Error(t, err, "Dial(%q) with nothing listening", addr)
	require.False(t, errors.Is(err, ErrTODO), "Dial(%q): %v", addr, err)
	require.Nil(t, c, "Dial(%q) with nothing listening", addr)
}

func BenchmarkPipelinedGet(b *testing.B) {
	const batch = Window
	cmds := make([]Command, batch)
	for i := range cmds {
		cmds[i] = Command{Verb: "GET", Key: []byte("key")}
	}
	each := func(i int, r Reply) error {
		if r.Code != CodeOK {
			return fmt.Errorf("reply %d: %d %s", i, r.Code, r.Text)
		}
		return nil
	}
	// One op is 64 GETs of a 64-byte value through the real server: sent as
	// one pipeline, or as 64 round trips for comparison.
	for _, bc := range []struct {
		name string
		get  func(c *Client) error
	}{
		{"pipelined", func(c *Client) error { return c.Pipeline(cmds, each) }},
		{"one-at-a-time", func(c *Client) error {
			for i := range cmds {
				if err := c.Pipeline(cmds[i:i+1], each); err != nil {
					return err
				}
			}
			return nil
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, _ := dialKV(b)
			_, err := c.Do(Command{Verb: "SET", Key: []byte("key"), Value: []byte(strings.Repeat("v", 64))})
			require.NoError(b, err)
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.get(c); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/reply")
		})
	}
}

// dialKV starts a key-value server and returns a Client connected to it,
// and the connection's Write counter.
func dialKV(t testing.TB) (*Client, *countingConn) {
	t.Helper()
	ln := loopback.Listen(t)
	st := NewStore()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- ServeKV(ctx, ln, st) }()
	t.Cleanup(func() {
		cancel()
		loopback.Wait(t, served, "ServeKV to return after its context was cancelled")
	})
	conn := loopback.Dial(t, ln.Addr().String())
	if _, bench := t.(*testing.B); !bench {
		// The test fails instead of hanging if the server never answers, and
		// shows the exchange (a benchmark skips both: they cost time and memory).
		require.NoError(t, conn.SetDeadline(loopback.Deadline()))
		conn = transcript.For(t).ClientSide(conn, "client")
	}
	counted := &countingConn{Conn: conn}
	return NewClient(counted), counted
}
