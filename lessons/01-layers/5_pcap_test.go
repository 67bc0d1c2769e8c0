package layers

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

// readAllRecords reads every record of a pcap file with your PcapReader and returns
// copies of them, and the error that ended the reading (io.EOF at a clean end).
func readAllRecords(t *testing.T, file []byte) ([]Record, error) {
	t.Helper()
	pr, err := NewPcapReader(bytes.NewReader(file))
	if err != nil {
		return nil, err
	}
	var recs []Record
	for range 1000 {
		rec, err := pr.Next()
		if err != nil {
			return recs, err
		}
		rec.Data = append([]byte(nil), rec.Data...) // valid until the next Next
		recs = append(recs, rec)
	}
	t.Fatalf("more than 1000 records: Next never ends")
	return nil, nil
}

func TestStep5_PcapRecords(t *testing.T) {
	readme.Explain(t)
	for _, name := range captureNames {
		t.Run(name, func(t *testing.T) {
			want := readCapture(t, name)
			recs, err := readAllRecords(t, readTestdata(t, name+".pcap"))
			require.ErrorIs(t, err, io.EOF, "reading %s.pcap to the end: after the last record, Next returns io.EOF", name)
			require.Len(t, recs, len(want), "records in %s.pcap", name)
			for i, rec := range recs {
				w := want[i]
				require.Equal(t, w.n, rec.N, "record %d: N", w.n)
				require.Equal(t, w.offset, rec.Offset, "record %d: byte offset of its record header", w.n)
				require.Equal(t, int64(w.sec), rec.Time.Unix(), "record %d: timestamp seconds", w.n)
				require.Equal(t, int(w.usec)*1000, rec.Time.Nanosecond(), "record %d: timestamp microseconds, as nanoseconds", w.n)
				require.Equal(t, w.origLen, rec.OrigLen, "record %d: original length", w.n)
				require.Equal(t, w.data, rec.Data, "record %d: data", w.n)
			}
		})
	}
}

// bigEndianNanos rewrites a little-endian microsecond pcap file as a
// big-endian nanosecond one.
func bigEndianNanos(le []byte) []byte {
	be := make([]byte, len(le))
	copy(be, le)
	binary.BigEndian.PutUint32(be[0:], 0xa1b23c4d)
	for _, i := range []int{4, 6} {
		binary.BigEndian.PutUint16(be[i:], binary.LittleEndian.Uint16(le[i:]))
	}
	for _, i := range []int{8, 12, 16, 20} {
		binary.BigEndian.PutUint32(be[i:], binary.LittleEndian.Uint32(le[i:]))
	}
	for off := 24; off+16 <= len(le); {
		for i := range 4 {
			v := binary.LittleEndian.Uint32(le[off+4*i:])
			if i == 1 {
				v *= 1000
			}
			binary.BigEndian.PutUint32(be[off+4*i:], v)
		}
		off += 16 + int(binary.LittleEndian.Uint32(le[off+8:]))
	}
	return be
}

func TestStep5_PcapHeader(t *testing.T) {
	readme.Explain(t)
	good := readTestdata(t, "udp-echo-v4-v6.pcap")
	t.Run("big-endian with nanoseconds", func(t *testing.T) {
		want, err := readAllRecords(t, good)
		require.ErrorIs(t, err, io.EOF)
		got, err := readAllRecords(t, bigEndianNanos(good))
		require.ErrorIs(t, err, io.EOF, "reading a big-endian nanosecond file (magic a1 b2 3c 4d)")
		require.Equal(t, want, got, "the same capture written big-endian with nanosecond timestamps")
	})
	header := func(edit func(h []byte)) []byte {
		h := append([]byte(nil), good[:24]...)
		edit(h)
		return h
	}
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"empty file", nil, ErrTruncated},
		{"half a header", good[:12], ErrTruncated},
		{"a text file", []byte("GET / HTTP/1.1\r\nHost: 10.77.0.2\r\n\r\n"), ErrNotPcap},
		{"pcapng", header(func(h []byte) { copy(h, []byte{0x0a, 0x0d, 0x0d, 0x0a}) }), ErrNotPcap},
		{"version 2.3", header(func(h []byte) { h[6] = 3 }), ErrNotPcap},
		{"version 1.4", header(func(h []byte) { h[4] = 1 }), ErrNotPcap},
		{"link type 101 (raw IP)", header(func(h []byte) { h[20] = 101 }), ErrLinkType},
		{"link type 0x0101", header(func(h []byte) { h[21] = 1 }), ErrLinkType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pr, err := NewPcapReader(bytes.NewReader(tc.file))
			require.ErrorIs(t, err, tc.want, "NewPcapReader of % x", tc.file[:min(len(tc.file), 24)])
			require.Nil(t, pr, "a reader returned with the error")
		})
	}
	t.Run("header only", func(t *testing.T) {
		recs, err := readAllRecords(t, good[:24])
		require.ErrorIs(t, err, io.EOF, "a file with no records ends at once")
		require.Empty(t, recs)
	})
}

func TestStep5_Truncated(t *testing.T) {
	readme.Explain(t)
	t.Run("truncated.pcap", func(t *testing.T) {
		recs, err := readAllRecords(t, readTestdata(t, "truncated.pcap"))
		require.Len(t, recs, 3, "records 1-3 of truncated.pcap are whole (testdata/truncated.expect.txt)")
		var re *RecordError
		require.ErrorAs(t, err, &re, "after record 3, Next returns a *RecordError, got %v", err)
		require.ErrorIs(t, err, ErrTruncated)
		require.Equal(t, 4, re.Record, "the record cut short")
		require.Equal(t, int64(286), re.Offset, "byte offset of record 4's header")
		require.Contains(t, err.Error(), "226", "the error says how many bytes the header announces")
		require.Contains(t, err.Error(), "113", "the error says how many bytes are left")
		_, again := readAllAfter(t, readTestdata(t, "truncated.pcap"), 3)
		require.ErrorIs(t, again, ErrTruncated, "Next after the error returns it again")
	})
	// Cut a capture after every byte: the whole records before the cut are
	// returned, then io.EOF if the cut falls between records, or the
	// RecordError of the record it cuts.
	file := readTestdata(t, "http-get-v4.pcap")
	frames := readCapture(t, "http-get-v4")
	for cut := 24; cut < len(file); cut++ {
		recs, err := readAllRecords(t, file[:cut])
		whole, next := 0, frames[0].offset
		for _, f := range frames {
			if f.offset+16+int64(len(f.data)) <= int64(cut) {
				whole, next = f.n, f.offset+16+int64(len(f.data))
			}
		}
		what := fmt.Sprintf("http-get-v4.pcap cut to %d bytes", cut)
		require.Len(t, recs, whole, "%s: whole records", what)
		if int64(cut) == next {
			require.ErrorIs(t, err, io.EOF, "%s: cut between records, a clean end", what)
			continue
		}
		var re *RecordError
		require.ErrorAs(t, err, &re, "%s: want a *RecordError for record %d, got %v", what, whole+1, err)
		require.ErrorIs(t, err, ErrTruncated, what)
		require.Equal(t, whole+1, re.Record, "%s: record number", what)
		require.Equal(t, next, re.Offset, "%s: record offset", what)
	}
}

// readAllAfter reads n records, then calls Next once more after the error.
func readAllAfter(t *testing.T, file []byte, n int) (Record, error) {
	t.Helper()
	pr, err := NewPcapReader(bytes.NewReader(file))
	require.NoError(t, err)
	for range n + 1 {
		_, err = pr.Next()
	}
	require.Error(t, err)
	return pr.Next()
}

func TestStep5_CorruptRecords(t *testing.T) {
	readme.Explain(t)
	good := readTestdata(t, "udp-echo-v4-v6.pcap")
	tests := []struct {
		name    string
		capLen  uint32
		origLen uint32
	}{
		{"caplen above origlen", 49, 48},
		{"caplen above the snaplen", 262145, 262145},
		{"caplen 4 GiB", 0xffffffff, 60},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := append([]byte(nil), good...)
			binary.LittleEndian.PutUint32(file[24+8:], tc.capLen)
			binary.LittleEndian.PutUint32(file[24+12:], tc.origLen)
			recs, err := readAllRecords(t, file)
			require.Empty(t, recs)
			require.ErrorIs(t, err, ErrCorrupt, "record 1 with caplen %d, origlen %d", tc.capLen, tc.origLen)
			var re *RecordError
			require.True(t, errors.As(err, &re) && re.Record == 1 && re.Offset == 24, "want a *RecordError for record 1 at offset 24, got %v", err)
		})
	}
	t.Run("snaplen of the file header", func(t *testing.T) {
		file := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(file[16:], 47) // record 1 has 48 bytes
		recs, err := readAllRecords(t, file)
		require.Empty(t, recs)
		require.ErrorIs(t, err, ErrCorrupt, "a record longer than the snaplen of the file header")
	})
	t.Run("snaplen 0: not set", func(t *testing.T) {
		file := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(file[16:], 0) // some writers leave it unset
		recs, err := readAllRecords(t, file)
		require.ErrorIs(t, err, io.EOF, "a file whose header has snaplen 0: 0 means not set, so MaxSnapLen applies")
		require.Len(t, recs, 8, "records of udp-echo-v4-v6.pcap with snaplen 0")
	})
	t.Run("caplen equal to the snaplen", func(t *testing.T) {
		file := append([]byte(nil), good...)
		binary.LittleEndian.PutUint32(file[16:], 48) // record 1 has 48 bytes: as long as allowed
		pr, err := NewPcapReader(bytes.NewReader(file))
		require.NoError(t, err)
		rec, err := pr.Next()
		require.NoError(t, err, "record 1 with caplen 48 in a file whose snaplen is 48: a record may be as long as the snaplen")
		require.Len(t, rec.Data, 48, "record 1's data")
	})
}
