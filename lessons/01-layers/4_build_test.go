package layers

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/ipv4"
)

var (
	clientIP = netip.MustParseAddr("10.77.0.1")
	serverIP = netip.MustParseAddr("10.77.0.2")
)

// junkIPv4 is an IPv4Header whose computed fields hold junk: the builders
// must ignore it and compute their own.
func junkIPv4(id uint16, ttl uint8) IPv4Header {
	return IPv4Header{HeaderLen: 44, TOS: 0x10, TotalLen: 7, ID: id, Flags: IPv4DontFragment, TTL: ttl,
		Protocol: 99, Checksum: 0xbad0, Src: clientIP, Dst: serverIP}
}

// assertIPv4 parses the IPv4 header of pkt with golang.org/x/net/ipv4 and
// checks it against what was asked for; it returns the payload.
func assertIPv4(t *testing.T, pkt []byte, ip IPv4Header, proto int) []byte {
	t.Helper()
	h, err := ipv4.ParseHeader(pkt)
	require.NoError(t, err, "ipv4.ParseHeader of the built packet % x", pkt[:min(len(pkt), 20)])
	require.Equal(t, 4, h.Version, "IPv4 version")
	require.Equal(t, 20, h.Len, "IPv4 header length (IHL x 4): the builders write no IP options")
	require.Equal(t, len(pkt), h.TotalLen, "IPv4 total length: the whole packet, header included")
	require.Equal(t, int(ip.TOS), h.TOS, "IPv4 TOS")
	require.Equal(t, int(ip.ID), h.ID, "IPv4 identification")
	require.Equal(t, ipv4.HeaderFlags(ip.Flags), h.Flags, "IPv4 flags")
	require.Equal(t, int(ip.FragOffset), h.FragOff, "IPv4 fragment offset")
	require.Equal(t, int(ip.TTL), h.TTL, "IPv4 TTL")
	require.Equal(t, proto, h.Protocol, "IPv4 protocol")
	require.Equal(t, net.IP(ip.Src.AsSlice()).String(), h.Src.String(), "IPv4 source")
	require.Equal(t, net.IP(ip.Dst.AsSlice()).String(), h.Dst.String(), "IPv4 destination")
	zeroed := append([]byte(nil), pkt[:20]...)
	zeroed[10], zeroed[11] = 0, 0
	require.Equal(t, fmt.Sprintf("%#04x", refChecksum(zeroed)), fmt.Sprintf("%#04x", h.Checksum),
		"IPv4 header checksum of % x (computed with the checksum field zero)", pkt[:20])
	return pkt[20:]
}

// testPseudoHeader is the IPv4 pseudo-header of a TCP or UDP segment of length n.
func testPseudoHeader(src, dst netip.Addr, proto byte, n int) []byte {
	b := append(src.AsSlice(), dst.AsSlice()...)
	return append(b, 0, proto, byte(n>>8), byte(n))
}

func TestStep4_BuildUDP(t *testing.T) {
	readme.Explain(t)
	rng := seed.Rand(t)
	for _, n := range []int{0, 1, 6, 7, 12, 511, 1472, 65535 - 28} {
		t.Run(fmt.Sprintf("%d bytes", n), func(t *testing.T) {
			payload := make([]byte, n)
			for i := range payload {
				payload[i] = byte(rng.UintN(256))
			}
			ip := junkIPv4(uint16(rng.UintN(65536)), 64)
			udp := UDPHeader{SrcPort: 53761, DstPort: 9999, Length: 3, Checksum: 0xbeef}
			pkt, err := BuildUDP(ip, udp, payload)
			require.NoError(t, err, "BuildUDP with %d bytes of payload", n)
			require.Len(t, pkt, 20+8+n, "BuildUDP: IPv4 header, UDP header, payload")
			seg := assertIPv4(t, pkt, ip, 17)
			require.Equal(t, udp.SrcPort, binary.BigEndian.Uint16(seg[0:]), "UDP source port")
			require.Equal(t, udp.DstPort, binary.BigEndian.Uint16(seg[2:]), "UDP destination port")
			require.Equal(t, 8+n, int(binary.BigEndian.Uint16(seg[4:])), "UDP length: header (8 bytes) and payload")
			require.True(t, bytes.Equal(payload, seg[8:]), "UDP payload differs from what was given")
			zeroed := append([]byte(nil), seg...)
			zeroed[6], zeroed[7] = 0, 0
			want := refChecksum(testPseudoHeader(clientIP, serverIP, 17, len(seg)), zeroed)
			if want == 0 {
				want = 0xffff
			}
			got := binary.BigEndian.Uint16(seg[6:])
			require.Equal(t, fmt.Sprintf("%#04x", want), fmt.Sprintf("%#04x", got),
				"UDP checksum: over the pseudo-header (source, destination, 0, 17, UDP length), then the UDP header and payload")
		})
	}
	t.Run("checksum 0 is sent as 0xffff", func(t *testing.T) {
		ip := junkIPv4(1, 64)
		udp := UDPHeader{SrcPort: 1, DstPort: 2}
		// Choose the payload word that makes the one's complement sum 0xffff.
		rest := ^refChecksum(testPseudoHeader(clientIP, serverIP, 17, 10), []byte{0, 1, 0, 2, 0, 10, 0, 0})
		payload := binary.BigEndian.AppendUint16(nil, 0xffff-rest)
		pkt, err := BuildUDP(ip, udp, payload)
		require.NoError(t, err)
		require.Equal(t, "ffff", hex.EncodeToString(pkt[26:28]), "UDP checksum field of % x: a computed 0 goes on the wire as 0xffff (RFC 768)", pkt[20:])
	})
}

func TestStep4_BuildTCP(t *testing.T) {
	readme.Explain(t)
	rng := seed.Rand(t)
	mss := []byte{2, 4, 0x05, 0xb4}
	ts := []byte{1, 1, 8, 10, 0xc0, 0x76, 0x1d, 0x20, 0x38, 0x26, 0xf1, 0x7f}
	for _, tc := range []struct {
		options []byte
		n       int
	}{{nil, 0}, {mss, 0}, {ts, 160}, {append(mss, ts...), 1}, {nil, 1461}, {bytes.Repeat([]byte{1}, 40), 5}} {
		t.Run(fmt.Sprintf("%d bytes of options, %d of payload", len(tc.options), tc.n), func(t *testing.T) {
			payload := make([]byte, tc.n)
			for i := range payload {
				payload[i] = byte(rng.UintN(256))
			}
			ip := junkIPv4(uint16(rng.UintN(65536)), 63)
			tcp := TCPHeader{SrcPort: 47684, DstPort: 8080, Seq: rng.Uint32(), Ack: rng.Uint32(), HeaderLen: 8,
				Flags: PSH | ACK, Window: 63, Checksum: 0xbeef, Urgent: 0, Options: tc.options}
			pkt, err := BuildTCP(ip, tcp, payload)
			require.NoError(t, err, "BuildTCP")
			hl := 20 + len(tc.options)
			require.Len(t, pkt, 20+hl+tc.n, "BuildTCP: IPv4 header, TCP header with options, payload")
			seg := assertIPv4(t, pkt, ip, 6)
			require.Equal(t, tcp.SrcPort, binary.BigEndian.Uint16(seg[0:]), "TCP source port")
			require.Equal(t, tcp.DstPort, binary.BigEndian.Uint16(seg[2:]), "TCP destination port")
			require.Equal(t, tcp.Seq, binary.BigEndian.Uint32(seg[4:]), "TCP sequence number")
			require.Equal(t, tcp.Ack, binary.BigEndian.Uint32(seg[8:]), "TCP acknowledgement number")
			require.Equal(t, hl, int(seg[12]>>4)*4, "TCP data offset (x4): header with options, byte 12 is % x", seg[12])
			require.Equal(t, byte(tcp.Flags), seg[13], "TCP flags")
			require.Equal(t, tcp.Window, binary.BigEndian.Uint16(seg[14:]), "TCP window")
			require.Equal(t, tcp.Urgent, binary.BigEndian.Uint16(seg[18:]), "TCP urgent pointer")
			require.True(t, bytes.Equal(tc.options, seg[20:hl]), "TCP options % x, want % x", seg[20:hl], tc.options)
			require.True(t, bytes.Equal(payload, seg[hl:]), "TCP payload differs from what was given")
			zeroed := append([]byte(nil), seg...)
			zeroed[16], zeroed[17] = 0, 0
			want := refChecksum(testPseudoHeader(clientIP, serverIP, 6, len(seg)), zeroed)
			got := binary.BigEndian.Uint16(seg[16:])
			require.Equal(t, fmt.Sprintf("%#04x", want), fmt.Sprintf("%#04x", got),
				"TCP checksum: over the pseudo-header (source, destination, 0, 6, TCP length = header + payload), then the segment")
		})
	}
}

func TestStep4_RebuildCaptured(t *testing.T) {
	readme.Explain(t)
	// Hand vectors: two captured packets, their fields written out.
	t.Run("udp-echo-v4-v6 frame 1, ping 1", func(t *testing.T) {
		ip := IPv4Header{ID: 0x4de4, Flags: IPv4DontFragment, TTL: 64, Src: clientIP, Dst: serverIP}
		pkt, err := BuildUDP(ip, UDPHeader{SrcPort: 53761, DstPort: 9999}, []byte("ping 1"))
		require.NoError(t, err)
		want := "450000224de440004011d84a0a4d00010a4d0002" + // IPv4: checksum d84a
			"d201270f000ef322" + // UDP: 53761 -> 9999, length 14, checksum f322
			hex.EncodeToString([]byte("ping 1"))
		require.Equal(t, want, hex.EncodeToString(pkt), "BuildUDP of frame 1 (hex)")
	})
	t.Run("http-get-v4 frame 4, GET with timestamps", func(t *testing.T) {
		frames := readCapture(t, "http-get-v4")
		captured := frames[3].data[14:]
		ip := IPv4Header{ID: 0xc8a4, Flags: IPv4DontFragment, TTL: 64, Src: clientIP, Dst: serverIP}
		tcp := TCPHeader{SrcPort: 47684, DstPort: 8080, Seq: 2761727805, Ack: 1094843704, Flags: PSH | ACK, Window: 63,
			Options: []byte{1, 1, 8, 10, 0xc0, 0x76, 0x1d, 0x20, 0x38, 0x26, 0xf1, 0x7f}} // NOP NOP TSval TSecr
		payload := "GET / HTTP/1.1\r\nHost: 10.77.0.2:8080\r\n" +
			"User-Agent: Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko\r\n" +
			"Accept: */*\r\nAccept-Language: zh-CN\r\n\r\n"
		pkt, err := BuildTCP(ip, tcp, []byte(payload))
		require.NoError(t, err)
		require.Equal(t, hex.EncodeToString(captured), hex.EncodeToString(pkt), "BuildTCP of frame 4 (hex; IPv4 checksum 5ce3, TCP checksum fcd9)")
	})
	// Every IPv4 TCP and UDP packet of the captureNames, its fields read by the test.
	for _, name := range captureNames {
		for _, f := range readCapture(t, name) {
			b := f.data[14:]
			if binary.BigEndian.Uint16(f.data[12:]) != 0x0800 || (b[9] != 6 && b[9] != 17) {
				continue
			}
			t.Run(fmt.Sprintf("%s frame %d", name, f.n), func(t *testing.T) {
				h, err := ipv4.ParseHeader(b)
				require.NoError(t, err)
				ip := IPv4Header{TOS: uint8(h.TOS), ID: uint16(h.ID), Flags: uint8(h.Flags), FragOffset: uint16(h.FragOff), TTL: uint8(h.TTL),
					Checksum: uint16(h.Checksum), TotalLen: uint16(h.TotalLen), HeaderLen: h.Len, Protocol: uint8(h.Protocol),
					Src: netip.AddrFrom4([4]byte(h.Src.To4())), Dst: netip.AddrFrom4([4]byte(h.Dst.To4()))}
				seg := b[20:h.TotalLen]
				var pkt []byte
				if h.Protocol == 17 {
					udp := UDPHeader{SrcPort: binary.BigEndian.Uint16(seg), DstPort: binary.BigEndian.Uint16(seg[2:]),
						Length: binary.BigEndian.Uint16(seg[4:]), Checksum: binary.BigEndian.Uint16(seg[6:])}
					pkt, err = BuildUDP(ip, udp, seg[8:])
				} else {
					hl := int(seg[12]>>4) * 4
					tcp := TCPHeader{SrcPort: binary.BigEndian.Uint16(seg), DstPort: binary.BigEndian.Uint16(seg[2:]),
						Seq: binary.BigEndian.Uint32(seg[4:]), Ack: binary.BigEndian.Uint32(seg[8:]), HeaderLen: hl,
						Flags: TCPFlags(seg[13]), Window: binary.BigEndian.Uint16(seg[14:]), Checksum: binary.BigEndian.Uint16(seg[16:]),
						Urgent: binary.BigEndian.Uint16(seg[18:]), Options: seg[20:hl]}
					pkt, err = BuildTCP(ip, tcp, seg[hl:])
				}
				require.NoError(t, err)
				if !bytes.Equal(b[:h.TotalLen], pkt) {
					t.Fatalf("rebuilt packet differs from the capture:\n got  %s\n want %s\n      %s",
						hex.EncodeToString(pkt), hex.EncodeToString(b[:h.TotalLen]), caret(pkt, b[:h.TotalLen]))
				}
			})
		}
	}
}

// caret marks the first differing byte of two hex dumps.
func caret(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	return strings.Repeat("  ", i) + fmt.Sprintf("^ byte %d", i)
}

func TestStep4_BadInput(t *testing.T) {
	readme.Explain(t)
	v6 := netip.MustParseAddr("fd00:77::2")
	ip := IPv4Header{TTL: 64, Src: clientIP, Dst: serverIP}
	tests := []struct {
		name string
		err  error
		call func() ([]byte, error)
	}{
		{"UDP to an IPv6 address", ErrNotIPv4, func() ([]byte, error) {
			bad := ip
			bad.Dst = v6
			return BuildUDP(bad, UDPHeader{}, nil)
		}},
		{"TCP from an IPv6 address", ErrNotIPv4, func() ([]byte, error) {
			bad := ip
			bad.Src = v6
			return BuildTCP(bad, TCPHeader{}, nil)
		}},
		{"UDP from the zero address", ErrNotIPv4, func() ([]byte, error) {
			bad := ip
			bad.Src = netip.Addr{}
			return BuildUDP(bad, UDPHeader{}, nil)
		}},
		{"UDP payload one byte too big", ErrTooBig, func() ([]byte, error) {
			return BuildUDP(ip, UDPHeader{}, make([]byte, 65535-28+1))
		}},
		{"TCP payload too big with options", ErrTooBig, func() ([]byte, error) {
			return BuildTCP(ip, TCPHeader{Options: make([]byte, 4)}, make([]byte, 65535-44+1))
		}},
		{"TCP options of 3 bytes", ErrBadOptions, func() ([]byte, error) {
			return BuildTCP(ip, TCPHeader{Options: []byte{1, 1, 1}}, nil)
		}},
		{"TCP options of 44 bytes", ErrBadOptions, func() ([]byte, error) {
			return BuildTCP(ip, TCPHeader{Options: make([]byte, 44)}, nil)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pkt, err := tc.call()
			require.ErrorIs(t, err, tc.err, "want %v", tc.err)
			require.Nil(t, pkt, "a packet returned with the error")
		})
	}
	// The largest packets still fit.
	pkt, err := BuildUDP(ip, UDPHeader{}, make([]byte, 65535-28))
	require.NoError(t, err, "BuildUDP of a 65535-byte packet")
	require.Len(t, pkt, 65535)
	pkt, err = BuildTCP(ip, TCPHeader{Options: make([]byte, 40)}, make([]byte, 65535-80))
	require.NoError(t, err, "BuildTCP of a 65535-byte packet with 40 bytes of options")
	require.Len(t, pkt, 65535)
}
