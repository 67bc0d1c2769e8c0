// Package lossy is a UDP proxy for tests that behaves like a bad network:
// it drops, duplicates, reorders, delays and corrupts datagrams, with a
// seeded random source so that a failing run can be replayed.
//
// The proxy owns one UDP socket. Datagrams from the server's address go to
// the client (the last other address that sent something); datagrams from
// anyone else go to the server:
//
//	client <-> proxy socket <-> server
//
// A test takes its randomness from seed.Rand(t), so a failure prints the
// seed and the command that replays it:
//
//	pc := loopback.ListenPacket(t)
//	p := lossy.Start(pc, serverAddr, lossy.Config{Drop: 0.1, Rand: seed.Rand(t)})
//	t.Cleanup(func() { p.Close() })
//	// the client sends to p.Addr() instead of serverAddr
//
// Each datagram's fate is drawn from Rand in the order datagrams reach the
// proxy. Over real sockets that order depends on timers (a retransmission
// may overtake a reply), so a seed replays the same faults in the same
// order, not always at the same datagram.
package lossy

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// MaxDatagram is the largest datagram the proxy forwards whole.
const MaxDatagram = 65535

// Config says how badly the proxy behaves. Probabilities are between 0 and
// 1 and apply to each datagram independently, in both directions.
type Config struct {
	Drop      float64       // the datagram is not forwarded
	Duplicate float64       // the datagram is forwarded twice
	Reorder   float64       // the datagram is held back until the next one has gone
	Corrupt   float64       // one random bit of the datagram is flipped
	Delay     time.Duration // added to every datagram, in order (like a long cable)
	Hold      time.Duration // longest a reordered datagram waits for a next one; 0 means 5ms

	// Rand draws every fault. Nil means no faults at all (only Delay).
	// The proxy's goroutine uses it: do not share it with another proxy.
	Rand *rand.Rand

	// Trace, if set, is called once for every datagram the proxy reads,
	// with what happened to it. It runs on the proxy's reading goroutine.
	Trace func(Event)
}

// Event is one datagram the proxy read and what it did with it.
type Event struct {
	FromServer bool // the datagram came from the server (else from the client)
	Len        int  // its length in bytes
	Dropped    bool
	Duplicated bool
	Reordered  bool
	Corrupted  bool
}

// String describes the event as "client->server 17 bytes: dropped".
func (e Event) String() string {
	dir := "client->server"
	if e.FromServer {
		dir = "server->client"
	}
	what := ""
	for _, f := range []struct {
		on   bool
		name string
	}{{e.Dropped, "dropped"}, {e.Duplicated, "duplicated"}, {e.Reordered, "reordered"}, {e.Corrupted, "corrupted"}} {
		if f.on {
			what += " " + f.name
		}
	}
	if what == "" {
		what = " forwarded"
	}
	return fmt.Sprintf("%s %d bytes:%s", dir, e.Len, what)
}

// Stats counts what the proxy did so far.
type Stats struct {
	Read, Dropped, Duplicated, Reordered, Corrupted, Sent int64
}

// Proxy is a running lossy proxy. Close stops it.
type Proxy struct {
	pc     net.PacketConn
	server net.Addr
	cfg    Config

	read, dropped, duplicated, reordered, corrupted, sent atomic.Int64

	mu     sync.Mutex
	queue  outQueue
	held   *outItem
	n      uint64        // insertion counter: ties in due time go in arrival order
	wake   chan struct{} // the queue changed
	quit   chan struct{}
	client net.Addr
	wg     sync.WaitGroup
	once   sync.Once
}

// Start runs a proxy on pc that forwards to and from server, until Close.
// The proxy takes pc over: Close closes it.
func Start(pc net.PacketConn, server net.Addr, cfg Config) *Proxy {
	if cfg.Hold <= 0 {
		cfg.Hold = 5 * time.Millisecond
	}
	p := &Proxy{pc: pc, server: server, cfg: cfg, wake: make(chan struct{}, 1), quit: make(chan struct{})}
	p.wg.Add(2)
	go p.readLoop()
	go p.sendLoop()
	return p
}

// Addr is the address clients send to instead of the server's.
func (p *Proxy) Addr() net.Addr { return p.pc.LocalAddr() }

// Stats returns the counters so far.
func (p *Proxy) Stats() Stats {
	return Stats{
		Read: p.read.Load(), Dropped: p.dropped.Load(), Duplicated: p.duplicated.Load(),
		Reordered: p.reordered.Load(), Corrupted: p.corrupted.Load(), Sent: p.sent.Load(),
	}
}

// Close stops the proxy, drops what is still queued, closes its socket and
// waits for its goroutines. It is safe to call more than once.
func (p *Proxy) Close() error {
	var err error
	p.once.Do(func() {
		close(p.quit)
		err = p.pc.Close()
		p.wg.Wait()
	})
	return err
}

func (p *Proxy) chance(prob float64) bool {
	return p.cfg.Rand != nil && prob > 0 && p.cfg.Rand.Float64() < prob
}

func (p *Proxy) readLoop() {
	defer p.wg.Done()
	buf := make([]byte, MaxDatagram)
	for {
		n, from, err := p.pc.ReadFrom(buf)
		if err != nil {
			return // closed by Close; a proxy has nobody to report other errors to
		}
		p.read.Add(1)
		data := append([]byte(nil), buf[:n]...)
		ev := Event{FromServer: sameAddr(from, p.server), Len: n}
		var to net.Addr
		if ev.FromServer {
			p.mu.Lock()
			to = p.client
			p.mu.Unlock()
		} else {
			to = p.server
			p.mu.Lock()
			p.client = from
			p.mu.Unlock()
		}
		// Draw every fault for every datagram, so one seed gives one
		// sequence of draws whatever the probabilities are.
		ev.Dropped = p.chance(p.cfg.Drop)
		ev.Duplicated = p.chance(p.cfg.Duplicate)
		ev.Reordered = p.chance(p.cfg.Reorder)
		ev.Corrupted = p.chance(p.cfg.Corrupt)
		bit := 0
		if p.cfg.Rand != nil {
			bit = p.cfg.Rand.IntN(max(n*8, 1))
		}
		if to == nil { // a reply before any client spoke: nowhere to go
			ev.Dropped = true
		}
		if ev.Dropped {
			ev.Duplicated, ev.Reordered, ev.Corrupted = false, false, false
			p.dropped.Add(1)
		} else {
			if ev.Corrupted && n > 0 {
				data[bit/8] ^= 1 << (bit % 8)
				p.corrupted.Add(1)
			} else {
				ev.Corrupted = false
			}
			p.enqueue(to, data, ev.Reordered)
			if ev.Duplicated {
				p.duplicated.Add(1)
				p.enqueue(to, data, false)
			}
		}
		if p.cfg.Trace != nil {
			p.cfg.Trace(ev)
		}
	}
}

// enqueue schedules data for to after Delay. A held datagram waits for the
// next one and goes right after it (or after Hold if none comes).
func (p *Proxy) enqueue(to net.Addr, data []byte, hold bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	due := time.Now().Add(p.cfg.Delay)
	p.n++
	it := &outItem{due: due, n: p.n, to: to, data: data}
	if hold && p.held == nil {
		it.due = due.Add(p.cfg.Hold)
		p.held = it
		p.reordered.Add(1)
	} else if p.held != nil {
		// The held one goes right after this one.
		p.n++
		p.held.due, p.held.n = due, p.n
		heap.Fix(&p.queue, p.held.index)
		p.held = nil
	}
	heap.Push(&p.queue, it)
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *Proxy) sendLoop() {
	defer p.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		p.mu.Lock()
		var next *outItem
		if len(p.queue) > 0 {
			next = p.queue[0]
			if !next.due.After(time.Now()) {
				heap.Pop(&p.queue)
				if next == p.held {
					p.held = nil
				}
				p.mu.Unlock()
				p.sent.Add(1)                    // before the write, so a reader who got it sees it counted
				p.pc.WriteTo(next.data, next.to) // a lost write is one more loss
				continue
			}
		}
		wait := time.Hour
		if next != nil {
			wait = time.Until(next.due) // under mu: enqueue may move a held datagram's due
		}
		p.mu.Unlock()
		timer.Reset(wait)
		select {
		case <-p.quit:
			return
		case <-p.wake:
		case <-timer.C:
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

func sameAddr(a, b net.Addr) bool {
	ua, ok1 := a.(*net.UDPAddr)
	ub, ok2 := b.(*net.UDPAddr)
	if ok1 && ok2 {
		return ua.Port == ub.Port && ua.IP.Equal(ub.IP)
	}
	return a.String() == b.String()
}

type outItem struct {
	due   time.Time
	n     uint64
	to    net.Addr
	data  []byte
	index int
}

// outQueue is a min-heap of datagrams by due time, then arrival.
type outQueue []*outItem

func (q outQueue) Len() int { return len(q) }
func (q outQueue) Less(i, j int) bool {
	if !q[i].due.Equal(q[j].due) {
		return q[i].due.Before(q[j].due)
	}
	return q[i].n < q[j].n
}
func (q outQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *outQueue) Push(x any) {
	it := x.(*outItem)
	it.index = len(*q)
	*q = append(*q, it)
}
func (q *outQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
