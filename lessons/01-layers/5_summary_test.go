package layers

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

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
			out, err := dumpWithin(t, readTestdata(t, name+".pcap"))
			require.NoError(t, err, "Dump of %s.pcap", name)
			requireLines(t, out, string(readTestdata(t, name+".summary.txt")), "testdata/"+name+".summary.txt (tshark -r)")
		})
	}
}

// dumpWithin runs Dump on a pcap file and fails the test if it has not
// returned within 10 seconds (a loop that never advances hangs instead of
// failing). It returns what Dump wrote.
func dumpWithin(t *testing.T, file []byte) (string, error) {
	t.Helper()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- Dump(bytes.NewReader(file), &out) }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(10 * time.Second):
		t.Fatalf("Dump has not returned after 10s on a %d-byte pcap file: a loop that never advances? (an option list whose length byte is 0 or too big must end the loop)", len(file))
		return "", nil
	}
}

func TestStep5_SummaryEdges(t *testing.T) {
	readme.Explain(t)
	// edges-v4-v6.pcap is made by hand (testdata/README.md): SYNs whose
	// options end in SACK_PERM; a server offering WS=0, which still turns
	// scaling on for the client (shift 7) while its own windows stay as
	// they are; a connection whose SYN-ACK and one whose SYN was not
	// captured (no window is scaled: Dump scales only once both SYNs
	// offered a scale); a neighbour advertisement without options; a
	// packet time-stamped before the first one (a negative time); and an
	// IPv4 and an IPv6 packet of a protocol Dump does not decode.
	tshark := strings.Split(string(readTestdata(t, "edges-v4-v6.summary.txt")), "\n")
	golden := strings.Split(string(readTestdata(t, "edges-v4-v6.pktdump.txt")), "\n")
	// Lines 11 and 12: the info text of an IP packet whose protocol Dump
	// does not decode is yours to choose (tshark writes "Unknown (253)");
	// every column before it is tshark's.
	own := map[int]bool{11: true, 12: true}
	columns := regexp.MustCompile(`^.*? → +\S+ +\S+ \d+`) // up to the protocol and the length
	t.Run("golden differs from tshark where Dump's rules differ", func(t *testing.T) {
		require.Len(t, golden, len(tshark))
		var differ []int
		for i := range golden {
			if golden[i] != tshark[i] {
				differ = append(differ, i+1)
			}
		}
		// Line 8: tshark scales the window of a connection whose SYN it
		// never saw by the SYN-ACK's WS; Dump's rule is both SYNs.
		require.Equal(t, []int{8, 11, 12}, differ, "lines of the golden file that differ from tshark's")
		require.Contains(t, tshark[7], "Win=128000")
		require.Contains(t, golden[7], "Win=1000 ")
		for n := range own {
			require.Equal(t, columns.FindString(tshark[n-1]), columns.FindString(golden[n-1]), "line %d of the golden file: the columns before the info text", n)
		}
	})
	out, err := dumpWithin(t, readTestdata(t, "edges-v4-v6.pcap"))
	require.NoError(t, err, "Dump of edges-v4-v6.pcap")
	lines := strings.Split(out, "\n")
	for i := range max(len(lines), len(golden)) {
		var got, want string
		if i < len(lines) {
			got = lines[i]
		}
		if i < len(golden) {
			want = golden[i]
		}
		if own[i+1] {
			got, want = columns.FindString(got), columns.FindString(want)
			if got != want || got == "" {
				t.Fatalf("line %d of Dump's output, up to the length column: got %q, want %q (tshark's; protocol IPv4 or IPv6 for an IP packet whose protocol Dump does not decode, the info text is yours)", i+1, lines[i], want)
			}
			continue
		}
		if got != want {
			t.Fatalf("line %d of Dump's output differs from testdata/edges-v4-v6.pktdump.txt (tshark's lines; line 8 unscaled, since the SYN was not captured):\n got  %q\n want %q", i+1, got, want)
		}
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
	// tcp-echo-v6's first packet is a neighbour solicitation whose last 8
	// bytes are a source link-layer address option; its length byte (in 8-byte
	// units) is at byte 24+16+79 of the file. Length 0 (RFC 4861 4.6: invalid)
	// and a length past the end of the packet both end the option list.
	for _, optLen := range []byte{0, 2, 255} {
		b := append([]byte(nil), readTestdata(f, "tcp-echo-v6.pcap")...)
		b[24+16+79] = optLen
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, file []byte) {
		// Whatever the bytes, Dump and Decode return, without a panic.
		_, err := dumpWithin(t, file)
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
