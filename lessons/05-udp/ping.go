package udp

import (
	"context"
	"errors"
	"io"
	"net"
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
	// TODO(step 3): seq, then the send time in Unix nanoseconds, both big-endian. See README.md, step 3.
	return nil
}

// ParseProbe returns the sequence number and send time in a probe, or
// ErrBadProbe if b is not ProbeSize bytes long.
func ParseProbe(b []byte) (seq uint64, sent time.Time, err error) {
	// TODO(step 3): check the length, then read seq and the send time back. See README.md, step 3.
	return 0, time.Time{}, ErrTODO
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
	// TODO(step 3): the share of probes never answered, in percent. See README.md, step 3.
	return 0
}

// RTT returns the smallest, mean and largest round-trip time and the mean
// deviation ping calls mdev: the square root of (the mean of the squares
// less the square of the mean), over every reply in s.RTTs, duplicates
// included (as iputils' ping counts them). All four are 0 when nothing was
// answered.
func (s Stats) RTT() (minimum, avg, maximum, mdev time.Duration) {
	// TODO(step 3): min, mean, max and mdev of s.RTTs. See README.md, step 3.
	return 0, 0, 0, 0
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
	// TODO(step 3): ping's three summary lines. See README.md, step 3.
	return ""
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
	// TODO(step 3): send numbered probes, match replies by sequence number. See README.md, step 3.
	return Stats{}, ErrTODO
}
