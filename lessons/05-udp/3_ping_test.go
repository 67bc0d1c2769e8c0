package udp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep3_Probe(t *testing.T) {
	readme.Explain(t)
	at := time.Date(2026, 5, 17, 10, 36, 0, 123456789, time.UTC)
	b := MarshalProbe(7, at)
	want := []byte{0, 0, 0, 0, 0, 0, 0, 7}
	want = binary.BigEndian.AppendUint64(want, uint64(at.UnixNano()))
	require.Equal(t, want, b, "MarshalProbe(7, %v)", at)

	seq, sent, err := ParseProbe(b)
	require.NoError(t, err, "ParseProbe(%x)", b)
	require.Equal(t, uint64(7), seq, "ParseProbe(%x): seq", b)
	require.True(t, sent.Equal(at), "ParseProbe(%x): sent = %v, want %v", b, sent, at)

	for _, bad := range [][]byte{nil, b[:15], append(b, 0)} {
		_, _, err := ParseProbe(bad)
		require.ErrorIs(t, err, ErrBadProbe, "ParseProbe(%x)", bad)
	}
}

func FuzzStep3_ParseProbe(f *testing.F) {
	readme.Explain(f)
	f.Add(MarshalProbe(1, time.Unix(0, 0)))
	f.Add([]byte("short"))
	f.Fuzz(func(t *testing.T, b []byte) {
		seq, sent, err := ParseProbe(b)
		if len(b) != ProbeSize {
			require.ErrorIs(t, err, ErrBadProbe, "ParseProbe(%x)", b)
			return
		}
		require.NoError(t, err, "ParseProbe(%x)", b)
		require.Equal(t, b, MarshalProbe(seq, sent), "MarshalProbe(ParseProbe(%x))", b)
	})
}

func TestStep3_Summary(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name  string
		stats Stats
		want  string
	}{
		{"all answered", Stats{Transmitted: 3, Received: 3, RTTs: []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}, Time: 2003 * time.Millisecond}, "" +
			"--- 127.0.0.1:7 ping statistics ---\n" +
			"3 packets transmitted, 3 received, 0% packet loss, time 2003ms\n" +
			"rtt min/avg/max/mdev = 1.000/2.000/3.000/0.816 ms\n"},
		{"one lost, one duplicate", Stats{Transmitted: 4, Received: 3, Duplicates: 1, RTTs: []time.Duration{10 * time.Millisecond, 30 * time.Millisecond, 1500 * time.Millisecond}, Time: 4000 * time.Millisecond}, "" +
			"--- 127.0.0.1:7 ping statistics ---\n" +
			"4 packets transmitted, 3 received, +1 duplicates, 25% packet loss, time 4000ms\n" +
			"rtt min/avg/max/mdev = 10.000/513.333/1500.000/697.726 ms\n"},
		{"a third lost", Stats{Transmitted: 3, Received: 2, RTTs: []time.Duration{250 * time.Microsecond, 250 * time.Microsecond}, Time: 3499600 * time.Microsecond}, "" +
			"--- 127.0.0.1:7 ping statistics ---\n" +
			"3 packets transmitted, 2 received, 33.3333% packet loss, time 3500ms\n" +
			"rtt min/avg/max/mdev = 0.250/0.250/0.250/0.000 ms\n"},
		{"nothing answered", Stats{Transmitted: 2, Time: 1400 * time.Microsecond}, "" +
			"--- 127.0.0.1:7 ping statistics ---\n" +
			"2 packets transmitted, 0 received, 100% packet loss, time 1ms\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.stats.Summary("127.0.0.1:7"), "%+v.Summary", tc.stats)
		})
	}
}

// fakeNet is a PacketConn and a clock for Pinger.Run: the echo server
// answers probe seq after each delay in replies[seq] (none: lost; two: a
// duplicate), and time only moves when Run waits for a datagram.
type fakeNet struct {
	t       *testing.T
	server  net.Addr
	now     time.Time
	replies map[uint64][]time.Duration

	deadline time.Time
	pending  []fakeArrival
	log      []string // what happened, for failure messages
}

type fakeArrival struct {
	at   time.Time
	data []byte
}

var fakeEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func (f *fakeNet) Now() time.Time { return f.now }

func (f *fakeNet) WriteTo(b []byte, addr net.Addr) (int, error) {
	if addr.String() != f.server.String() {
		return 0, fmt.Errorf("fake: probe sent to %s, want %s", addr, f.server)
	}
	seq := uint64(0)
	if len(b) >= 8 {
		seq = binary.BigEndian.Uint64(b)
	}
	f.log = append(f.log, fmt.Sprintf("%v: sent probe seq=%d", f.now.Sub(fakeEpoch), seq))
	for _, d := range f.replies[seq] {
		f.pending = append(f.pending, fakeArrival{f.now.Add(d), slices.Clone(b)})
	}
	slices.SortStableFunc(f.pending, func(a, b fakeArrival) int { return a.at.Compare(b.at) })
	return len(b), nil
}

func (f *fakeNet) ReadFrom(b []byte) (int, net.Addr, error) {
	if f.deadline.IsZero() {
		return 0, nil, errors.New("fake: Run read with no deadline: over a real network that blocks forever when a reply is lost (set one with SetReadDeadline)")
	}
	if len(f.pending) > 0 && f.pending[0].at.Before(f.deadline) {
		a := f.pending[0]
		f.pending = f.pending[1:]
		f.now = a.at
		f.log = append(f.log, fmt.Sprintf("%v: reply seq=%d arrived", f.now.Sub(fakeEpoch), binary.BigEndian.Uint64(a.data)))
		return copy(b, a.data), f.server, nil
	}
	if f.deadline.After(f.now) {
		f.now = f.deadline
	}
	return 0, nil, &net.OpError{Op: "read", Net: "udp", Err: os.ErrDeadlineExceeded}
}

func (f *fakeNet) SetReadDeadline(t time.Time) error { f.deadline = t; return nil }
func (f *fakeNet) SetDeadline(t time.Time) error     { f.deadline = t; return nil }
func (f *fakeNet) SetWriteDeadline(time.Time) error  { return nil }
func (f *fakeNet) Close() error                      { return nil }
func (f *fakeNet) LocalAddr() net.Addr               { return &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000} }

func TestStep3_PingMatchesBySequence(t *testing.T) {
	readme.Explain(t)
	ms := time.Millisecond
	tests := []struct {
		name    string
		replies map[uint64][]time.Duration
		want    Stats
		lines   []string
		ends    time.Duration // when Run returns, on the fake clock
	}{
		{
			name:    "every reply in time",
			replies: map[uint64][]time.Duration{1: {5 * ms}, 2: {7 * ms}, 3: {6 * ms}},
			want:    Stats{Transmitted: 3, Received: 3, RTTs: []time.Duration{5 * ms, 7 * ms, 6 * ms}, Time: 2006 * ms},
			lines: []string{
				"16 bytes from 127.0.0.1:7: seq=1 time=5.00 ms",
				"16 bytes from 127.0.0.1:7: seq=2 time=7.00 ms",
				"16 bytes from 127.0.0.1:7: seq=3 time=6.00 ms",
			},
			ends: 2006 * ms, // the last reply: no need to wait any longer
		},
		{
			name: "late, reordered, duplicated and lost",
			replies: map[uint64][]time.Duration{
				1: {10 * ms},
				2: {1500 * ms},            // late: after probe 3, and after probe 3's reply
				3: {30 * ms, 40 * ms},     // answered twice
				4: {1500 * ms, 1600 * ms}, // after Wait: lost
			},
			// The duplicate's RTT counts too, as in iputils' ping.
			want: Stats{Transmitted: 4, Received: 3, Duplicates: 1, RTTs: []time.Duration{10 * ms, 30 * ms, 40 * ms, 1500 * ms}, Time: 4000 * ms},
			lines: []string{
				"16 bytes from 127.0.0.1:7: seq=1 time=10.0 ms",
				"16 bytes from 127.0.0.1:7: seq=3 time=30.0 ms",
				"16 bytes from 127.0.0.1:7: seq=3 time=40.0 ms (DUP!)",
				"16 bytes from 127.0.0.1:7: seq=2 time=1500 ms",
			},
			ends: 4000 * ms, // probe 4 at 3s, then Wait
		},
		{
			name:    "replies in reverse order",
			replies: map[uint64][]time.Duration{1: {2900 * ms}, 2: {1800 * ms}, 3: {700 * ms}},
			want:    Stats{Transmitted: 3, Received: 3, RTTs: []time.Duration{700 * ms, 1800 * ms, 2900 * ms}, Time: 2900 * ms},
			lines: []string{
				"16 bytes from 127.0.0.1:7: seq=3 time=700 ms",
				"16 bytes from 127.0.0.1:7: seq=2 time=1800 ms",
				"16 bytes from 127.0.0.1:7: seq=1 time=2900 ms",
			},
			ends: 2900 * ms,
		},
		{
			name: "times of every size, rounded as ping rounds them",
			replies: map[uint64][]time.Duration{1: {250 * time.Microsecond}, 2: {1234567 * time.Nanosecond}, 3: {12345 * time.Microsecond}, 4: {123456 * time.Microsecond}, 5: {999_400 * time.Nanosecond},
				6: {100 * ms}, 7: {ms}},
			want: Stats{Transmitted: 7, Received: 7, Time: 6001 * ms,
				RTTs: []time.Duration{250 * time.Microsecond, 1234567 * time.Nanosecond, 12345 * time.Microsecond, 123456 * time.Microsecond, 999_400 * time.Nanosecond, 100 * ms, ms}},
			lines: []string{
				"16 bytes from 127.0.0.1:7: seq=1 time=0.250 ms", // below 1ms: three decimals
				"16 bytes from 127.0.0.1:7: seq=2 time=1.23 ms",  // below 10ms: two
				"16 bytes from 127.0.0.1:7: seq=3 time=12.3 ms",  // below 100ms: one
				"16 bytes from 127.0.0.1:7: seq=4 time=123 ms",   // from 100ms: none
				"16 bytes from 127.0.0.1:7: seq=5 time=0.999 ms",
				"16 bytes from 127.0.0.1:7: seq=6 time=100 ms",  // exactly 100ms: none
				"16 bytes from 127.0.0.1:7: seq=7 time=1.00 ms", // exactly 1ms: two
			},
			ends: 6001 * ms,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			server := &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 7}
			f := &fakeNet{t: t, server: server, now: fakeEpoch, replies: tc.replies}
			var out strings.Builder
			p := &Pinger{Count: tc.want.Transmitted, Interval: time.Second, Wait: time.Second, Now: f.Now, Out: &out}
			got, err := p.Run(context.Background(), f, server)
			events := "\n\t" + strings.Join(f.log, "\n\t")
			require.NoError(t, err, "Pinger.Run; what happened:%s", events)
			require.Equal(t, tc.want, got, "Pinger.Run's Stats; what happened:%s", events)
			require.Equal(t, strings.Join(tc.lines, "\n")+"\n", out.String(), "Pinger.Run's lines on Out; what happened:%s", events)
			require.Equal(t, tc.ends, f.now.Sub(fakeEpoch), "when Pinger.Run returned; what happened:%s", events)
		})
	}
}

func TestStep3_PingEchoServer(t *testing.T) {
	readme.Explain(t)
	// The real thing: your ping against your echo server, on the real clock.
	server := startEcho(t, "udp4", "127.0.0.1:0")
	c := client(t, "udp4", "127.0.0.1:0")
	p := &Pinger{Count: 3, Interval: time.Millisecond, Wait: loopback.Timeout}
	st, err := p.Run(context.Background(), c, server)
	require.NoError(t, err, "Pinger.Run against ServeEcho")
	require.Equal(t, 3, st.Received, "replies from ServeEcho on loopback: %+v", st)
	require.Contains(t, st.Summary(server.String()), "3 packets transmitted, 3 received, 0% packet loss")
}

func TestStep3_PingStopsOnCancel(t *testing.T) {
	readme.Explain(t)
	// A server that never answers, and a probe due only in an hour: Run
	// waits, and cancelling ctx must end that wait at once.
	silent := loopback.ListenPacket(t)
	require.NoError(t, silent.SetDeadline(loopback.Deadline()))
	c := &readingConn{PacketConn: client(t, "udp4", "127.0.0.1:0"), reading: make(chan struct{}, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		st  Stats
		err error
	}
	done := make(chan result, 1)
	p := &Pinger{Count: 3, Interval: time.Hour, Wait: time.Hour}
	go func() {
		st, err := p.Run(ctx, c, silent.LocalAddr())
		done <- result{st, err}
	}()
	buf := make([]byte, 100)
	if _, _, err := silent.ReadFrom(buf); err != nil {
		select {
		case r := <-done:
			t.Fatalf("Pinger.Run sent no probe and returned %+v, %v", r.st, r.err)
		default:
			t.Fatalf("waiting for the first probe: %v", err)
		}
	}
	// Cancel only once Run waits in ReadFrom: a cancel that comes earlier
	// is seen by any check of ctx, and proves nothing about the wait.
	select {
	case <-c.reading:
	case r := <-done:
		t.Fatalf("Pinger.Run returned %+v, %v before the context was cancelled", r.st, r.err)
	case <-time.After(loopback.Timeout):
		t.Fatalf("Pinger.Run did not read within %v of sending its probe", loopback.Timeout)
	}
	cancel()
	r := loopback.Wait(t, done, "Pinger.Run to return after its context was cancelled, while it waited an hour for the next probe")
	require.ErrorIs(t, r.err, context.Canceled, "Pinger.Run cancelled while waiting")
	require.Equal(t, 1, r.st.Transmitted, "probes sent before the cancel: %+v", r.st)
}

// readingConn tells, through reading, each time a ReadFrom begins.
type readingConn struct {
	net.PacketConn
	reading chan struct{}
}

func (c *readingConn) ReadFrom(b []byte) (int, net.Addr, error) {
	select {
	case c.reading <- struct{}{}:
	default:
	}
	return c.PacketConn.ReadFrom(b)
}
