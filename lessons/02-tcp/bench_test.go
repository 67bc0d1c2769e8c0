package tcp

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"testing"

	"github.com/netkata/netkata/internal/loopback"
)

// benchMsg is what each round trip sends: a short line, as a chat or
// request/response protocol would.
var benchMsg = []byte("hello zj, 你好, this is one round trip\n")

// BenchmarkEchoRoundTrip measures one round trip (write a line, read its
// echo) on one connection to the echo server.
func BenchmarkEchoRoundTrip(b *testing.B) {
	addr, _ := startServer(b, func(conn net.Conn) { Echo(conn, 0) })
	conn := loopback.Dial(b, addr)
	buf := make([]byte, len(benchMsg))
	b.ReportAllocs()
	b.SetBytes(int64(len(benchMsg)))
	for b.Loop() {
		if _, err := conn.Write(benchMsg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(conn, buf); err != nil {
			b.Fatal(err)
		}
	}
	if !bytes.Equal(buf, benchMsg) {
		b.Fatalf("echo = %q, want %q", buf, benchMsg)
	}
}

// BenchmarkEchoParallel measures round trips on 50 connections at once,
// one goroutine each: the server's goroutine per connection under load.
func BenchmarkEchoParallel(b *testing.B) {
	addr, _ := startServer(b, func(conn net.Conn) { Echo(conn, 0) })
	const conns = 50
	b.SetParallelism((conns + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.SetBytes(int64(len(benchMsg)))
	b.RunParallel(func(pb *testing.PB) {
		conn, err := net.DialTimeout("tcp", addr, loopback.Timeout)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		buf := make([]byte, len(benchMsg))
		for pb.Next() {
			if _, err := conn.Write(benchMsg); err != nil {
				b.Error(err)
				return
			}
			if _, err := io.ReadFull(conn, buf); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
