package layers

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

// requireLines compares Dump's output with a file of expected lines and
// shows the first line that differs.
func requireLines(t *testing.T, got, want, source string) {
	t.Helper()
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("line %d of Dump's output differs from %s:\n got  %q\n want %q", i+1, source, gl, wl)
		}
	}
}

func TestStep5_Summary(t *testing.T) {
	readme.Explain(t)
	// Without an application protocol, the lines are tshark's own.
	// tcp-refused-v4 and tcp-midstream-v4 see a direction first without its
	// SYN (a refused connection's RST, a capture started late): tshark
	// counts such a direction from Seq=1. icmp-nodata-tcp-nows-v4 has a
	// ping with no data (ICMP body: id and seq only) and a connection whose
	// client offers no window scaling, so no window is scaled.
	for _, name := range []string{"udp-echo-v4-v6", "arp-icmp-tcp-v4", "tcp-echo-v6", "tcp-refused-v4", "tcp-midstream-v4", "icmp-nodata-tcp-nows-v4"} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			err := Dump(bytes.NewReader(readTestdata(t, name+".pcap")), &out)
			require.NoError(t, err, "Dump of %s.pcap", name)
			requireLines(t, out.String(), string(readTestdata(t, name+".summary.txt")), "testdata/"+name+".summary.txt (tshark -r)")
		})
	}
}

func TestStep5_SummaryHTTPSubset(t *testing.T) {
	readme.Explain(t)
	golden := string(readTestdata(t, "http-get-v4.pktdump.txt"))
	t.Run("golden differs from tshark on HTTP lines only", func(t *testing.T) {
		tshark := strings.Split(string(readTestdata(t, "http-get-v4.summary.txt")), "\n")
		ours := strings.Split(golden, "\n")
		require.Len(t, ours, len(tshark))
		var differ []int
		for i := range ours {
			if ours[i] == tshark[i] {
				continue
			}
			differ = append(differ, i+1)
			fromHTTP := strings.Contains(tshark[i], " HTTP ") || strings.Contains(tshark[i], "[TCP segment of a reassembled PDU]")
			require.True(t, fromHTTP, "line %d of the golden file differs from tshark's, which does not come from its HTTP dissector:\n %q", i+1, tshark[i])
			require.Equal(t, tshark[i][:strings.Index(tshark[i], " HTTP")+1], ours[i][:strings.Index(tshark[i], " HTTP")+1],
				"line %d: the columns before the protocol are tshark's", i+1)
		}
		require.Equal(t, []int{4, 6, 8}, differ, "lines of the golden file that differ from tshark's")
	})
	var out bytes.Buffer
	err := Dump(bytes.NewReader(readTestdata(t, "http-get-v4.pcap")), &out)
	require.NoError(t, err, "Dump of http-get-v4.pcap")
	requireLines(t, out.String(), golden, "testdata/http-get-v4.pktdump.txt (tshark's lines, with plain TCP lines where tshark decodes HTTP)")
}

func TestStep5_DumpTruncated(t *testing.T) {
	readme.Explain(t)
	var out bytes.Buffer
	err := Dump(bytes.NewReader(readTestdata(t, "truncated.pcap")), &out)
	var re *RecordError
	require.ErrorAs(t, err, &re, "Dump of truncated.pcap: want a *RecordError, got %v", err)
	require.ErrorIs(t, err, ErrTruncated)
	require.Equal(t, 4, re.Record, "the record cut short")
	require.Equal(t, int64(286), re.Offset, "byte offset of record 4's header")
	requireLines(t, out.String(), string(readTestdata(t, "truncated.pktdump.txt")), "testdata/truncated.pktdump.txt: the three whole packets come first")

	err = Dump(strings.NewReader("not a pcap file, just text"), io.Discard)
	require.ErrorIs(t, err, ErrNotPcap, "Dump of a text file")

	frame := readTestdata(t, "udp-echo-v4-v6.pcap")
	bad := append([]byte(nil), frame...)
	bad[24+16+14+20+5] = 7 // record 1: UDP length 7
	out.Reset()
	err = Dump(bytes.NewReader(bad), &out)
	require.ErrorIs(t, err, ErrMalformed, "Dump of a file whose first frame has UDP length 7")
	require.True(t, errors.As(err, &re) && re.Record == 1, "want a *RecordError naming record 1, got %v", err)
}

func FuzzStep5_Dump(f *testing.F) {
	readme.Explain(f)
	for _, name := range append(captureNames, "truncated") {
		f.Add(readTestdata(f, name+".pcap"))
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		// Whatever the bytes, Dump and Decode return, without a panic.
		err := Dump(bytes.NewReader(file), io.Discard)
		if errors.Is(err, ErrTODO) {
			t.Fatalf("Dump: %v", err)
		}
		if len(file) > 24 {
			p, err := Decode(file[24:])
			if errors.Is(err, ErrTODO) {
				t.Fatalf("Decode: %v", err)
			}
			if err == nil && p == nil {
				t.Fatalf("Decode(% x) = nil, nil", file[24:])
			}
		}
	})
}
