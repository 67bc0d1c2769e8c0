package filetransfer

import (
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/netkata/netkata/internal/loopback"
)

// The benchmarks move files over loopback and compare with the two
// ceilings of v2: moving bytes between two sockets, and hashing them.
// Run them with:
//
//	go test -run '^$' -bench . -benchtime 5x ./lessons/04-filetransfer/

var benchSizes = []int{16 << 20, 64 << 20}

// benchData returns n bytes that do not compress, the same on every run.
func benchData(n int) []byte {
	b := make([]byte, n)
	var x uint64 = 0x9e3779b97f4a7c15
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x)
	}
	return b
}

func BenchmarkV1Transfer(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			addr := startV1(b, "bench.bin", benchData(size))
			c := &Client{Dir: b.TempDir()}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.FetchV1(b.Context(), addr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkV2Transfer(b *testing.B) {
	for _, size := range benchSizes {
		b.Run(fmt.Sprintf("%dMiB", size>>20), func(b *testing.B) {
			src := b.TempDir()
			if err := os.WriteFile(filepath.Join(src, "bench.bin"), benchData(size), 0o644); err != nil {
				b.Fatal(err)
			}
			addr := startV2(b, src)
			c := &Client{Dir: b.TempDir()}
			if _, err := c.FetchV2(b.Context(), addr, "bench.bin"); err != nil { // the server hashes the file once
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.FetchV2(b.Context(), addr, "bench.bin"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoopbackCopy is the first ceiling: io.Copy from one loopback
// socket to another, nothing else.
func BenchmarkLoopbackCopy(b *testing.B) {
	data := benchData(64 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		ln := loopback.Listen(b)
		sent := make(chan error, 1)
		go func() {
			conn, err := ln.Accept()
			if err != nil {
				sent <- err
				return
			}
			_, err = conn.Write(data)
			conn.Close()
			sent <- err
		}()
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, conn)
		conn.Close()
		if err != nil || n != int64(len(data)) {
			b.Fatalf("copied %d of %d bytes: %v", n, len(data), err)
		}
		if err := <-sent; err != nil {
			b.Fatal(err)
		}
		ln.Close()
	}
}

// BenchmarkSHA256 is the second ceiling: hashing bytes already in memory.
func BenchmarkSHA256(b *testing.B) {
	data := benchData(64 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sha256.Sum256(data)
	}
}

func BenchmarkEncode(b *testing.B) {
	data := benchData(1 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Encode(data)
	}
}

func BenchmarkDecode(b *testing.B) {
	s := Encode(benchData(1 << 20))
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(s); err != nil {
			b.Fatal(err)
		}
	}
}
