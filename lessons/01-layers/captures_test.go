package layers

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// captureNames are the captures in testdata (see testdata/README.md), without truncated.pcap.
var captureNames = []string{"arp-icmp-tcp-v4", "http-get-v4", "tcp-echo-v6", "udp-echo-v4-v6", "edges-v4-v6"}

// capturedFrame is one packet of a capture, as the tests' own reader sees it.
type capturedFrame struct {
	n       int    // from 1
	offset  int64  // of the record header
	sec     uint32 // timestamp
	usec    uint32
	origLen int
	data    []byte
}

// readCapture reads testdata/NAME.pcap with a reader of the tests' own,
// independent of the one you write: little-endian, microseconds, whole
// records only.
func readCapture(t testing.TB, name string) []capturedFrame {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".pcap"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 24 || binary.LittleEndian.Uint32(b) != 0xa1b2c3d4 {
		t.Fatalf("testdata/%s.pcap is not a little-endian microsecond pcap file", name)
	}
	var frames []capturedFrame
	for off := 24; off < len(b); {
		if off+16 > len(b) {
			t.Fatalf("testdata/%s.pcap: cut record header at %d", name, off)
		}
		h := b[off : off+16]
		capLen := int(binary.LittleEndian.Uint32(h[8:]))
		if off+16+capLen > len(b) {
			t.Fatalf("testdata/%s.pcap: cut record at %d", name, off)
		}
		frames = append(frames, capturedFrame{
			n:       len(frames) + 1,
			offset:  int64(off),
			sec:     binary.LittleEndian.Uint32(h[0:]),
			usec:    binary.LittleEndian.Uint32(h[4:]),
			origLen: int(binary.LittleEndian.Uint32(h[12:])),
			data:    b[off+16 : off+16+capLen],
		})
		off += 16 + capLen
	}
	return frames
}

// readFields reads testdata/NAME.fields.tsv: one map from column name to
// value per packet.
func readFields(t testing.TB, name string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".fields.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	header := strings.Split(lines[0], "\t")
	var rows []map[string]string
	for _, line := range lines[1:] {
		row := map[string]string{}
		for i, v := range strings.Split(line, "\t") {
			row[header[i]] = v
		}
		rows = append(rows, row)
	}
	return rows
}

// readTestdata returns testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// refChecksum is the Internet checksum computed another way than the usual
// loop: the one's complement sum of 16-bit words is their sum modulo
// 0xffff, except that a non-zero sum that is a multiple of 0xffff is
// 0xffff (one's complement "negative zero").
func refChecksum(chunks ...[]byte) uint16 {
	var all []byte
	for _, c := range chunks {
		all = append(all, c...)
	}
	if len(all)%2 == 1 {
		all = append(all, 0)
	}
	var sum uint64
	for i := 0; i < len(all); i += 2 {
		sum += uint64(all[i])<<8 | uint64(all[i+1])
	}
	r := sum % 0xffff
	if r == 0 && sum != 0 {
		r = 0xffff
	}
	return ^uint16(r)
}
