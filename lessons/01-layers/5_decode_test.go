package layers

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

// fieldsOf writes a decoded packet as a row of a fields.tsv file (see
// testdata/README.md): the columns tshark fills for it, in tshark's format.
func fieldsOf(n, length int, p *Packet) map[string]string {
	row := map[string]string{
		"frame.number": strconv.Itoa(n),
		"frame.len":    strconv.Itoa(length),
		"eth.src":      p.Eth.Src.String(),
		"eth.dst":      p.Eth.Dst.String(),
		"eth.type":     fmt.Sprintf("0x%04x", p.Eth.Type),
	}
	status := func(ok bool) string {
		if ok {
			return "1"
		}
		return "0"
	}
	if p.ARP != nil {
		row["arp.opcode"] = strconv.Itoa(int(p.ARP.Op))
	}
	if h := p.IPv4; h != nil {
		row["ip.version"] = "4"
		row["ip.hdr_len"] = strconv.Itoa(h.HeaderLen)
		row["ip.len"] = strconv.Itoa(int(h.TotalLen))
		row["ip.id"] = fmt.Sprintf("0x%04x", h.ID)
		row["ip.ttl"] = strconv.Itoa(int(h.TTL))
		row["ip.proto"] = strconv.Itoa(int(h.Protocol))
		row["ip.checksum"] = fmt.Sprintf("0x%04x", h.Checksum)
		row["ip.checksum.status"] = status(p.IPv4ChecksumOK)
		row["ip.src"] = h.Src.String()
		row["ip.dst"] = h.Dst.String()
		if p.ICMP != nil {
			row["icmp.type"] = strconv.Itoa(int(p.ICMP.Type))
			row["icmp.code"] = strconv.Itoa(int(p.ICMP.Code))
		}
	}
	if h := p.IPv6; h != nil {
		row["ip.version"] = "6"
		row["ipv6.nxt"] = strconv.Itoa(int(h.NextHeader))
		row["ipv6.hlim"] = strconv.Itoa(int(h.HopLimit))
		row["ipv6.src"] = h.Src.String()
		row["ipv6.dst"] = h.Dst.String()
	}
	if h := p.TCP; h != nil {
		row["tcp.srcport"] = strconv.Itoa(int(h.SrcPort))
		row["tcp.dstport"] = strconv.Itoa(int(h.DstPort))
		row["tcp.seq_raw"] = strconv.FormatUint(uint64(h.Seq), 10)
		row["tcp.ack_raw"] = strconv.FormatUint(uint64(h.Ack), 10)
		row["tcp.flags"] = fmt.Sprintf("0x%04x", uint8(h.Flags))
		row["tcp.window_size_value"] = strconv.Itoa(int(h.Window))
		row["tcp.checksum"] = fmt.Sprintf("0x%04x", h.Checksum)
		row["tcp.checksum.status"] = status(p.ChecksumOK)
		row["tcp.len"] = strconv.Itoa(len(p.Payload))
	}
	if h := p.UDP; h != nil {
		row["udp.srcport"] = strconv.Itoa(int(h.SrcPort))
		row["udp.dstport"] = strconv.Itoa(int(h.DstPort))
		row["udp.length"] = strconv.Itoa(int(h.Length))
		row["udp.checksum"] = fmt.Sprintf("0x%04x", h.Checksum)
		row["udp.checksum.status"] = status(p.ChecksumOK)
	}
	return row
}

func TestStep5_DecodeFields(t *testing.T) {
	readme.Explain(t)
	for _, name := range captureNames {
		rows := readFields(t, name)
		for _, f := range readCapture(t, name) {
			t.Run(fmt.Sprintf("%s frame %d", name, f.n), func(t *testing.T) {
				p, err := Decode(f.data)
				require.NoError(t, err, "Decode(% x)", f.data)
				got := fieldsOf(f.n, len(f.data), p)
				for col, want := range rows[f.n-1] {
					if got[col] != want {
						t.Errorf("%s, column %s: got %q, want %q (tshark, %s.fields.tsv)", t.Name(), col, got[col], want, name)
					}
				}
			})
		}
	}
}

func TestStep5_DecodePayloads(t *testing.T) {
	readme.Explain(t)
	frames := readCapture(t, "udp-echo-v4-v6")
	for i, want := range []string{"ping 1", "ping 1", "hello 你好", "hello 你好", "ping 1", "ping 1", "hello 你好", "hello 你好"} {
		p, err := Decode(frames[i].data)
		require.NoError(t, err)
		require.Equal(t, want, string(p.Payload), "udp-echo-v4-v6 frame %d: UDP payload", i+1)
	}
	http := readCapture(t, "http-get-v4")
	p, err := Decode(http[7].data)
	require.NoError(t, err)
	require.Equal(t, "<h1>Hello World!</h1>\n", string(p.Payload), "http-get-v4 frame 8: TCP payload")
	require.Len(t, p.TCP.Options, 12, "http-get-v4 frame 8: TCP options (NOP NOP timestamps)")

	arp := readCapture(t, "arp-icmp-tcp-v4")
	p, err = Decode(arp[0].data)
	require.NoError(t, err)
	require.Equal(t, "10.77.0.1 7a:32:b4:7b:9a:cb -> 10.77.0.2 00:00:00:00:00:00",
		fmt.Sprintf("%v %v -> %v %v", p.ARP.SenderIP, p.ARP.SenderMAC, p.ARP.TargetIP, p.ARP.TargetMAC), "arp-icmp-tcp-v4 frame 1: ARP request")
	p, err = Decode(arp[2].data)
	require.NoError(t, err)
	require.Equal(t, uint8(8), p.ICMP.Type, "arp-icmp-tcp-v4 frame 3: ICMP echo request")
	require.Len(t, p.ICMP.Body, 4+56, "arp-icmp-tcp-v4 frame 3: ICMP body (id, seq, 56 data bytes)")
	require.True(t, p.ChecksumOK, "arp-icmp-tcp-v4 frame 3: ICMP checksum")

	v6 := readCapture(t, "tcp-echo-v6")
	p, err = Decode(v6[0].data)
	require.NoError(t, err)
	require.Equal(t, uint8(135), p.ICMP.Type, "tcp-echo-v6 frame 1: ICMPv6 neighbour solicitation")
	require.True(t, p.ChecksumOK, "tcp-echo-v6 frame 1: ICMPv6 checksum (with the IPv6 pseudo-header)")
	p, err = Decode(v6[5].data)
	require.NoError(t, err)
	require.Equal(t, "hello\n", string(p.Payload), "tcp-echo-v6 frame 6: TCP payload")
}

func TestStep5_DecodeChecksums(t *testing.T) {
	readme.Explain(t)
	flip := func(b []byte, i int) []byte {
		c := append([]byte(nil), b...)
		c[i] ^= 0x40
		return c
	}
	tcp4 := readCapture(t, "http-get-v4")[3].data
	udp6 := readCapture(t, "udp-echo-v4-v6")[4].data
	icmp4 := readCapture(t, "arp-icmp-tcp-v4")[2].data
	tests := []struct {
		name         string
		frame        []byte
		ipOK, partOK bool
	}{
		{"IPv4 TTL changed", flip(tcp4, 14+8), false, true},
		{"IPv4 source changed (in the pseudo-header)", flip(tcp4, 14+12), false, false},
		{"TCP payload changed", flip(tcp4, len(tcp4)-1), true, false},
		{"TCP port changed", flip(tcp4, 14+20), true, false},
		{"UDP over IPv6 payload changed", flip(udp6, len(udp6)-1), false, false},
		{"UDP over IPv6 destination changed", flip(udp6, 14+39), false, false},
		{"ICMP data changed", flip(icmp4, len(icmp4)-1), true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Decode(tc.frame)
			require.NoError(t, err, "a bad checksum is not an error")
			if p.IPv4 != nil {
				require.Equal(t, tc.ipOK, p.IPv4ChecksumOK, "IPv4ChecksumOK")
			}
			require.Equal(t, tc.partOK, p.ChecksumOK, "ChecksumOK")
		})
	}
}

func TestStep5_DecodeBadFrames(t *testing.T) {
	readme.Explain(t)
	// Every frame cut short anywhere is ErrShortFrame: the length fields
	// promise more than is there.
	for _, name := range captureNames {
		for _, f := range readCapture(t, name) {
			for n := range len(f.data) {
				p, err := Decode(f.data[:n])
				if err == nil {
					t.Fatalf("%s frame %d cut to %d of %d bytes: Decode = %+v, nil; want ErrShortFrame", name, f.n, n, len(f.data), p)
				}
				require.ErrorIs(t, err, ErrShortFrame, "%s frame %d cut to %d of %d bytes", name, f.n, n, len(f.data))
			}
			// Ethernet pads short frames: bytes past the IP length are not payload.
			padded := append(append([]byte(nil), f.data...), make([]byte, 18)...)
			p, err := Decode(padded)
			require.NoError(t, err, "%s frame %d with 18 bytes of Ethernet padding", name, f.n)
			want, err := Decode(f.data)
			require.NoError(t, err)
			require.Equal(t, want.Payload, p.Payload, "%s frame %d with 18 bytes of Ethernet padding: payload", name, f.n)
		}
	}
	edit := func(name string, n, i int, v byte) []byte {
		c := append([]byte(nil), readCapture(t, name)[n-1].data...)
		c[i] = v
		return c
	}
	put16 := func(b []byte, i int, v uint16) []byte {
		binary.BigEndian.PutUint16(b[i:], v)
		return b
	}
	tests := []struct {
		name  string
		frame []byte
		want  error
	}{
		{"IPv4 IHL 4", edit("http-get-v4", 1, 14, 0x44), ErrMalformed},
		{"IPv4 IHL 15, longer than the packet", edit("http-get-v4", 1, 14, 0x4f), ErrShortFrame},
		{"IPv4 total length below the header", put16(edit("http-get-v4", 1, 14, 0x45), 16, 19), ErrMalformed},
		{"IPv4 total length past the frame", put16(edit("http-get-v4", 1, 14, 0x45), 16, 61), ErrShortFrame},
		{"version 6 in an IPv4 EtherType", edit("http-get-v4", 1, 14, 0x65), ErrMalformed},
		{"version 4 in an IPv6 EtherType", edit("tcp-echo-v6", 3, 14, 0x40), ErrMalformed},
		{"IPv6 payload length past the frame", put16(edit("tcp-echo-v6", 3, 14, 0x60), 18, 41), ErrShortFrame},
		{"TCP data offset 4", edit("http-get-v4", 1, 14+20+12, 0x40), ErrMalformed},
		{"TCP data offset past the packet", edit("http-get-v4", 1, 14+20+12, 0xf0), ErrShortFrame},
		{"UDP length 7", put16(edit("udp-echo-v4-v6", 1, 14, 0x45), 14+20+4, 7), ErrMalformed},
		{"UDP length past the packet", put16(edit("udp-echo-v4-v6", 1, 14, 0x45), 14+20+4, 15), ErrShortFrame},
		{"ARP for another protocol", edit("arp-icmp-tcp-v4", 1, 14+3, 0xdd), ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Decode(tc.frame)
			require.ErrorIs(t, err, tc.want, "Decode = %+v, %v", p, err)
			require.Nil(t, p, "a packet returned with the error")
		})
	}
}

func TestStep5_DecodeMinimalFrames(t *testing.T) {
	readme.Explain(t)
	// Every header at exactly its minimum size, with nothing after it: no
	// error, since nothing is missing. Off-by-one length checks refuse them.
	eth := func(typ uint16) []byte {
		b := []byte{0x82, 0x67, 0x9d, 0x4f, 0xca, 0x5e, 0x7a, 0x32, 0xb4, 0x7b, 0x9a, 0xcb, 0, 0}
		binary.BigEndian.PutUint16(b[12:], typ)
		return b
	}
	ipv4 := func(proto uint8, payload ...byte) []byte {
		h := []byte{0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0, 10, 77, 0, 1, 10, 77, 0, 2}
		binary.BigEndian.PutUint16(h[2:], uint16(20+len(payload)))
		return append(append(eth(0x0800), h...), payload...)
	}
	ipv6 := func(next uint8, payload ...byte) []byte {
		h := []byte{0x60, 0, 0, 0, 0, 0, next, 64,
			0xfd, 0, 0, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
			0xfd, 0, 0, 0x77, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}
		binary.BigEndian.PutUint16(h[4:], uint16(len(payload)))
		return append(append(eth(0x86dd), h...), payload...)
	}
	tcp := []byte{0xc5, 0x06, 0x1a, 0x85, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff, 0, 0, 0, 0}
	udpNoChecksum := []byte{0xd2, 0x01, 0x27, 0x0f, 0, 8, 0, 0}
	tests := []struct {
		name  string
		frame []byte
		check func(t *testing.T, p *Packet)
	}{
		{"Ethernet header, unknown EtherType, no payload", eth(0x88cc), func(t *testing.T, p *Packet) {
			require.Empty(t, p.Payload, "Payload")
		}},
		{"IPv4 header of 20 bytes, unknown protocol, no payload", ipv4(253), func(t *testing.T, p *Packet) {
			require.NotNil(t, p.IPv4, "IPv4")
			require.Empty(t, p.Payload, "Payload")
		}},
		{"ICMP header of 4 bytes, no body", ipv4(1, 3, 0, 0xfc, 0xff), func(t *testing.T, p *Packet) {
			require.NotNil(t, p.ICMP, "ICMP")
			require.Empty(t, p.ICMP.Body, "ICMP body")
		}},
		{"TCP header of 20 bytes, no options, no data", ipv4(6, tcp...), func(t *testing.T, p *Packet) {
			require.NotNil(t, p.TCP, "TCP")
			require.Empty(t, p.Payload, "Payload")
		}},
		{"UDP header of 8 bytes, no data, checksum 0 over IPv4", ipv4(17, udpNoChecksum...), func(t *testing.T, p *Packet) {
			require.NotNil(t, p.UDP, "UDP")
			require.Empty(t, p.Payload, "Payload")
			require.True(t, p.ChecksumOK, "ChecksumOK of a UDP datagram over IPv4 with checksum 0: RFC 768 says 0 means no checksum was computed")
		}},
		{"IPv6 header of 40 bytes, no next header", ipv6(59), func(t *testing.T, p *Packet) {
			require.NotNil(t, p.IPv6, "IPv6")
			require.Empty(t, p.Payload, "Payload")
		}},
		{"UDP over IPv6 with checksum 0", ipv6(17, udpNoChecksum...), func(t *testing.T, p *Packet) {
			require.NotNil(t, p.UDP, "UDP")
			require.False(t, p.ChecksumOK, "ChecksumOK of a UDP datagram over IPv6 with checksum 0: over IPv6 the checksum is mandatory (RFC 8200 8.1), 0 is wrong")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Decode(tc.frame)
			require.NoError(t, err, "Decode of a %d-byte frame, every header at its minimum size (% x): nothing is missing", len(tc.frame), tc.frame)
			tc.check(t, p)
		})
	}
}
