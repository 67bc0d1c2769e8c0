package layers

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/stretchr/testify/require"
)

func TestStep3_RFC1071(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		name string
		in   []byte
		want uint16
	}{
		// RFC 1071 section 3: the words sum to 0xddf2, so the checksum is ^0xddf2.
		{"RFC 1071 example", []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}, 0x220d},
		{"empty", nil, 0xffff},
		{"one zero word", []byte{0, 0}, 0xffff},
		{"odd length: the last byte is a high byte", []byte{0x01}, 0xfeff},
		{"odd length, RFC example plus one byte", []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7, 0x01}, 0x210d},
		{"one carry", []byte{0xff, 0xff, 0x00, 0x02}, 0xfffd},
		// 0xffff + 0xffff + 0x0001 = 0x1ffff; folded once that is 0x10000,
		// which carries again: fold until nothing is above bit 15.
		{"carry after the first fold", []byte{0xff, 0xff, 0xff, 0xff, 0x00, 0x01}, 0xfffe},
		{"all ones", []byte{0xff, 0xff, 0xff, 0xff}, 0x0000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Checksum(tc.in)
			require.Equal(t, tc.want, got, "Checksum(% x) = %#04x, want %#04x", tc.in, got, tc.want)
		})
	}
}

func TestStep3_RandomData(t *testing.T) {
	readme.Explain(t)
	rng := seed.Rand(t)
	for i := range 500 {
		n := rng.IntN(300)
		if i < 4 {
			n = 70000 + i // long enough that the 32-bit sum carries many times
		}
		b := make([]byte, n)
		for j := range b {
			b[j] = byte(rng.UintN(256))
			if i%3 == 0 {
				b[j] |= 0xf0 // big words: many carries
			}
		}
		got, want := Checksum(b), refChecksum(b)
		if got != want {
			t.Fatalf("Checksum of %d bytes starting % x = %#04x, want %#04x", n, b[:min(n, 16)], got, want)
		}
		// Data carrying its own checksum sums to "no error": checksum 0.
		if n%2 == 0 {
			with := binary.BigEndian.AppendUint16(append([]byte(nil), b...), want)
			if got := Checksum(with); got != 0 {
				t.Fatalf("Checksum of %d bytes followed by their checksum %#04x = %#04x, want 0", n, want, got)
			}
		}
	}
}

func TestStep3_CapturedIPv4Headers(t *testing.T) {
	readme.Explain(t)
	checked := 0
	for _, name := range captureNames {
		rows := readFields(t, name)
		for _, f := range readCapture(t, name) {
			row := rows[f.n-1]
			if row["ip.version"] != "4" {
				continue
			}
			t.Run(fmt.Sprintf("%s frame %d", name, f.n), func(t *testing.T) {
				want, err := strconv.ParseUint(row["ip.checksum"], 0, 16)
				require.NoError(t, err)
				hdr := append([]byte(nil), f.data[14:14+20]...)
				require.Zero(t, Checksum(hdr), "Checksum of a received IPv4 header (% x), checksum included, want 0", hdr)
				hdr[10], hdr[11] = 0, 0 // the sender computes with the field zeroed
				got := Checksum(hdr)
				require.Equal(t, uint16(want), got, "Checksum(% x) = %#04x, want %#04x (ip.checksum in %s.fields.tsv)", hdr, got, want, name)
			})
			checked++
		}
	}
	require.GreaterOrEqual(t, checked, 28, "IPv4 headers checked")
}

func BenchmarkChecksum(b *testing.B) {
	for _, size := range []int{20, 1500, 65536} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i * 7)
		}
		b.Run(strconv.Itoa(size), func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				Checksum(data)
			}
		})
	}
}
