package chat

import (
	"bufio"
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/stretchr/testify/require"
)

// BenchmarkChatBroadcast measures a Lines room relaying one sender's
// lines to 19 other members (20 in the room): deliveries per second and
// allocations per delivery (the room's and the readers' together).
func BenchmarkChatBroadcast(b *testing.B) {
	const members, window = 20, 64
	room := &Room{QueueLen: 4 * window}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	served := make(chan error, 1)
	go func() { served <- room.Serve(ln) }()
	defer func() {
		room.Stop()
		<-served
	}()

	var received atomic.Int64
	progress := make(chan struct{}, 1)
	var readers sync.WaitGroup
	conns := make([]net.Conn, members)
	for i := range conns {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), loopback.Timeout)
		require.NoError(b, err)
		conns[i] = c
		fmt.Fprintf(c, "%s\n", memberName(i+1))
		br := bufio.NewReader(c)
		_, err = br.ReadSlice('\n') // "* mNN joined": in the room (later joins are skipped below)
		require.NoError(b, err)
		readers.Add(1)
		go func(i int, br *bufio.Reader) {
			defer readers.Done()
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				if line[0] != '*' {
					received.Add(1)
					select {
					case progress <- struct{}{}:
					default:
					}
				}
			}
		}(i, br)
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
		readers.Wait()
	}()
	sender := conns[0]
	msg := []byte("m01 says hello to the whole room\n")
	perMsg := int64(members - 1)

	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	sent := int64(0)
	for b.Loop() {
		// Every window lines, wait until every reader has them all, so that no
		// reader falls QueueLen behind (and is dropped as too slow).
		if sent%window == 0 {
			for received.Load() < sent*perMsg {
				<-progress
			}
		}
		if _, err := sender.Write(msg); err != nil {
			b.Fatal(err)
		}
		sent++
	}
	for received.Load() < sent*perMsg {
		select {
		case <-progress:
		case <-time.After(loopback.Timeout):
			b.Fatalf("delivered %d of %d lines", received.Load(), sent*perMsg)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	deliveries := float64(sent * perMsg)
	b.ReportMetric(deliveries/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/deliveries, "allocs/delivery")
}
