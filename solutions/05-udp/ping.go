package udp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// ProbeSize is the length of a ping probe in bytes:
//
//	seq   8 bytes, big-endian: 1 for the first probe, then 2, 3 ...
//	sent  8 bytes, big-endian: the send time in nanoseconds since 1970 (Unix)
//
// The echo server sends the probe back unchanged.
const ProbeSize = 16

// ErrBadProbe means a datagram is not a probe: it is not ProbeSize bytes.
var ErrBadProbe = errors.New("udp: not a ping probe")

// MarshalProbe returns the probe with sequence number seq sent at sent.
func MarshalProbe(seq uint64, sent time.Time) []byte {
	b := make([]byte, ProbeSize)
	binary.BigEndian.PutUint64(b[0:8], seq)
	binary.BigEndian.PutUint64(b[8:16], uint64(sent.UnixNano()))
	return b
}

// ParseProbe returns the sequence number and send time in a probe, or
// ErrBadProbe if b is not ProbeSize bytes long.
func ParseProbe(b []byte) (seq uint64, sent time.Time, err error) {
	if len(b) != ProbeSize {
		return 0, time.Time{}, fmt.Errorf("%w: %d bytes, want %d", ErrBadProbe, len(b), ProbeSize)
	}
	seq = binary.BigEndian.Uint64(b[0:8])
	sent = time.Unix(0, int64(binary.BigEndian.Uint64(b[8:16])))
	return seq, sent, nil
}

// Stats is the outcome of a ping run.
type Stats struct {
	Transmitted int             // probes sent
	Received    int             // probes answered at least once
	Duplicates  int             // answers beyond the first to the same probe
	RTTs        []time.Duration // one per reply, duplicates included, in the order they came
	Time        time.Duration   // from the first probe to when Run returned
}

// Loss is the share of probes never answered, in percent (0 to 100).
func (s Stats) Loss() float64 {
	if s.Transmitted == 0 {
		return 0
	}
	return float64(s.Transmitted-s.Received) * 100 / float64(s.Transmitted)
}

// RTT returns the smallest, mean and largest round-trip time and the mean
// deviation ping calls mdev: the square root of (the mean of the squares
// less the square of the mean), over every reply in s.RTTs, duplicates
// included (as iputils' ping counts them). All four are 0 when nothing was
// answered.
func (s Stats) RTT() (minimum, avg, maximum, mdev time.Duration) {
	if len(s.RTTs) == 0 {
		return 0, 0, 0, 0
	}
	minimum, maximum = s.RTTs[0], s.RTTs[0]
	var sum, sum2 float64
	for _, r := range s.RTTs {
		minimum, maximum = min(minimum, r), max(maximum, r)
		sum += float64(r)
		sum2 += float64(r) * float64(r)
	}
	n := float64(len(s.RTTs))
	mean := sum / n
	return minimum, time.Duration(math.Round(mean)), maximum, time.Duration(math.Round(math.Sqrt(max(sum2/n-mean*mean, 0))))
}

// Summary returns the lines ping prints at the end, for host:
//
//	--- 127.0.0.1:7 ping statistics ---
//	4 packets transmitted, 3 received, +1 duplicates, 25% packet loss, time 3004ms
//	rtt min/avg/max/mdev = 1.000/2.000/3.000/0.816 ms
//
// The loss is printed as C's %g does (33.3333%); the "+N duplicates, " part only
// when there were duplicates; the time is s.Time rounded to whole
// milliseconds; the rtt line only when something was received, each time
// in milliseconds with three decimals. Every line ends in "\n".
func (s Stats) Summary(host string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- %s ping statistics ---\n", host)
	fmt.Fprintf(&b, "%d packets transmitted, %d received, ", s.Transmitted, s.Received)
	if s.Duplicates > 0 {
		fmt.Fprintf(&b, "+%d duplicates, ", s.Duplicates)
	}
	fmt.Fprintf(&b, "%.6g%% packet loss", s.Loss()) // C's %g: six significant digits
	fmt.Fprintf(&b, ", time %dms\n", s.Time.Round(time.Millisecond).Milliseconds())
	if s.Received > 0 {
		lo, avg, hi, mdev := s.RTT()
		fmt.Fprintf(&b, "rtt min/avg/max/mdev = %s/%s/%s/%s ms\n", ms(lo), ms(avg), ms(hi), ms(mdev))
	}
	return b.String()
}

// replyTime formats d in milliseconds as ping's reply lines do: fewer
// decimals the longer it is.
func replyTime(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	decimals := 3
	if d >= 100*time.Millisecond {
		decimals = 0
	} else if d >= 10*time.Millisecond {
		decimals = 1
	} else if d >= time.Millisecond {
		decimals = 2
	}
	return strconv.FormatFloat(ms, 'f', decimals, 64)
}

// ms formats d in milliseconds with three decimals, as ping does.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond))
}

// Pinger sends numbered probes to an echo server and matches the replies.
type Pinger struct {
	Count    int              // probes to send
	Interval time.Duration    // time between two probes
	Wait     time.Duration    // how long to wait for replies after the last probe
	Now      func() time.Time // the clock; nil means time.Now
	Out      io.Writer        // if set, one line per reply (see Run); nil prints nothing
}

// Run sends p.Count probes to addr over pc, the first at once and then one
// every p.Interval, and reads replies until every probe is answered or
// p.Wait has passed after the last probe. It returns what happened, with
// Stats.Time the time from the first probe to its return.
//
// Replies are matched to probes by sequence number, never by the order
// they arrive: a late reply (after the next probe went out) still counts
// for its own probe, a reordered one too, and a second reply to a probe is
// a duplicate, not an answer. The RTT of a reply is the time it arrived
// less the time its probe was sent, both from p.Now; a duplicate's RTT
// counts in Stats.RTTs too. Datagrams that are not
// probes, that come from another address, or whose sequence number or send
// time does not match a probe sent are ignored.
//
// Run reads with deadlines taken from p.Now (pc.SetReadDeadline), so a
// test can drive it with a fake clock and connection. For each reply it
// writes to p.Out, if set, a line like ping's:
//
//	16 bytes from 127.0.0.1:7: seq=1 time=0.215 ms
//	16 bytes from 127.0.0.1:7: seq=2 time=12.5 ms
//	16 bytes from 127.0.0.1:7: seq=2 time=13.0 ms (DUP!)
//
// with the time as iputils' ping writes it: rounded to three decimals
// below 1 ms, to two below 10 ms, to one below 100 ms, and to whole
// milliseconds from 100 ms on.
//
// Run returns early with ctx's error when ctx is done, at once, even while
// it waits for the next probe's time or for replies.
func (p *Pinger) Run(ctx context.Context, pc net.PacketConn, addr net.Addr) (Stats, error) {
	now := p.Now
	if now == nil {
		now = time.Now
	}
	// Wake a read blocked until the next probe (maybe far off) when ctx
	// ends; run sets its deadlines with setReadDeadline, which checks ctx.
	stop := context.AfterFunc(ctx, func() { pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	start := now()
	st, err := p.run(ctx, pc, addr, now, start)
	st.Time = now().Sub(start)
	return st, err
}

// run is Run's loop, with the first probe due at start.
func (p *Pinger) run(ctx context.Context, pc net.PacketConn, addr net.Addr, now func() time.Time, start time.Time) (Stats, error) {
	var st Stats
	sent := map[uint64]time.Time{} // seq -> send time
	answered := map[uint64]bool{}
	buf := make([]byte, 2048)
	next := start // when the next probe goes out
	for {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if st.Transmitted < p.Count && !now().Before(next) {
			seq := uint64(st.Transmitted + 1)
			t := now()
			if _, err := pc.WriteTo(MarshalProbe(seq, t), addr); err != nil {
				return st, fmt.Errorf("ping: send probe %d to %s: %w", seq, addr, err)
			}
			sent[seq] = t
			st.Transmitted++
			next = next.Add(p.Interval)
			continue
		}
		var deadline time.Time
		if st.Transmitted < p.Count {
			deadline = next
		} else {
			if st.Received == p.Count {
				return st, nil
			}
			deadline = next.Add(-p.Interval).Add(p.Wait) // Wait after the last probe
			if !now().Before(deadline) {
				return st, nil
			}
		}
		if err := setReadDeadline(ctx, pc, deadline); err != nil {
			return st, err
		}
		n, from, err := pc.ReadFrom(buf)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			continue // ctx's end is seen at the top of the loop
		}
		if err != nil {
			return st, fmt.Errorf("ping: read reply from %s: %w", addr, err)
		}
		at := now()
		if from.String() != addr.String() {
			continue
		}
		seq, ts, err := ParseProbe(buf[:n])
		if err != nil {
			continue
		}
		t, ok := sent[seq]
		if !ok || !t.Equal(ts) {
			continue // not one of ours, or damaged
		}
		rtt := at.Sub(t)
		dup := answered[seq]
		if dup {
			st.Duplicates++
		} else {
			answered[seq] = true
			st.Received++
		}
		st.RTTs = append(st.RTTs, rtt) // iputils counts a duplicate's time too
		if p.Out != nil {
			mark := ""
			if dup {
				mark = " (DUP!)"
			}
			fmt.Fprintf(p.Out, "%d bytes from %s: seq=%d time=%s ms%s\n", n, from, seq, replyTime(rtt), mark)
		}
	}
}
