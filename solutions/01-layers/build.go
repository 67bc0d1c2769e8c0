package layers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// IP protocol numbers: the IPv4 Protocol field and the IPv6 Next Header
// field name the layer above with them.
const (
	ProtoICMP   = 1
	ProtoTCP    = 6
	ProtoUDP    = 17
	ProtoICMPv6 = 58
)

// IPv4 header flags (the 3 bits before the fragment offset).
const (
	IPv4DontFragment  = 0x2 // DF: routers must drop the packet rather than fragment it
	IPv4MoreFragments = 0x1 // MF: more fragments of this datagram follow
)

// IPv4Header is an IPv4 header (RFC 791) without options:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-------+-------+---------------+-------------------------------+
//	|Version|  IHL  |      TOS      |          Total Length         |
//	+-------+-------+---------------+-----+-------------------------+
//	|        Identification         |Flags|     Fragment Offset     |
//	+---------------+---------------+-----+-------------------------+
//	|  Time to Live |    Protocol   |        Header Checksum        |
//	+---------------+---------------+-------------------------------+
//	|                        Source Address                         |
//	+---------------------------------------------------------------+
//	|                     Destination Address                       |
//	+---------------------------------------------------------------+
type IPv4Header struct {
	HeaderLen  int    // IHL x 4: 20..60 bytes
	TOS        uint8  // type of service (DSCP and ECN)
	TotalLen   uint16 // header and payload, in bytes
	ID         uint16 // identification, to put fragments back together
	Flags      uint8  // IPv4DontFragment, IPv4MoreFragments
	FragOffset uint16 // in units of 8 bytes
	TTL        uint8  // time to live: hops left
	Protocol   uint8  // ProtoICMP, ProtoTCP, ProtoUDP ...
	Checksum   uint16 // of the header only
	Src, Dst   netip.Addr
}

// UDPHeader is a UDP header (RFC 768): four 16-bit fields.
type UDPHeader struct {
	SrcPort, DstPort uint16
	Length           uint16 // header (8 bytes) and payload
	Checksum         uint16 // over the pseudo-header, header and payload
}

// TCPFlags are the control bits of a TCP header.
type TCPFlags uint8

// The TCP flags, lowest bit first.
const (
	FIN TCPFlags = 1 << iota // no more data from the sender
	SYN                      // synchronise sequence numbers (the first segment each way)
	RST                      // reset the connection
	PSH                      // push the data to the application
	ACK                      // the acknowledgement number is valid
	URG                      // the urgent pointer is valid
	ECE                      // ECN echo
	CWR                      // congestion window reduced
)

// String lists the flags set as tshark does, lowest bit first:
// "[SYN, ACK]", "[FIN, PSH, ACK]"; "[<None>]" if none is set.
func (f TCPFlags) String() string {
	names := [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}
	var set []string
	for i, n := range names {
		if f&(1<<i) != 0 {
			set = append(set, n)
		}
	}
	if len(set) == 0 {
		return "[<None>]"
	}
	return "[" + strings.Join(set, ", ") + "]"
}

// TCPHeader is a TCP header (RFC 9293):
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-------------------------------+-------------------------------+
//	|          Source Port          |       Destination Port        |
//	+-------------------------------+-------------------------------+
//	|                        Sequence Number                        |
//	+---------------------------------------------------------------+
//	|                    Acknowledgment Number                      |
//	+-------+-------+---------------+-------------------------------+
//	|  Data |       |C E U A P R S F|                               |
//	| Offset| Rsrvd |W C R C S S Y I|            Window             |
//	+-------+-------+---------------+-------------------------------+
//	|           Checksum            |         Urgent Pointer        |
//	+-------------------------------+-------------------------------+
//	|                    Options (0 to 40 bytes)                    |
//	+---------------------------------------------------------------+
type TCPHeader struct {
	SrcPort, DstPort uint16
	Seq, Ack         uint32
	HeaderLen        int // data offset x 4: 20..60 bytes
	Flags            TCPFlags
	Window           uint16 // as on the wire, not scaled
	Checksum         uint16 // over the pseudo-header, header and payload
	Urgent           uint16
	Options          []byte // HeaderLen-20 bytes, a multiple of 4
}

// Errors of BuildUDP and BuildTCP.
var (
	ErrNotIPv4    = errors.New("layers: not an IPv4 address")
	ErrTooBig     = errors.New("layers: packet longer than 65535 bytes")
	ErrBadOptions = errors.New("layers: TCP options must be a multiple of 4 bytes, at most 40")
)

// BuildUDP returns an IPv4 packet carrying a UDP datagram with payload:
// the 20-byte IPv4 header, the 8-byte UDP header, then payload.
//
// From ip it takes TOS, ID, Flags, FragOffset, TTL, Src and Dst; from udp
// the ports. It computes the rest and ignores what the arguments hold
// there: IHL 5, Total Length, Protocol 17, the header checksum; the UDP
// Length (8 + len(payload)) and the UDP checksum over the pseudo-header
//
//	source address, destination address, zero byte, protocol, UDP length
//
// then the UDP header and payload. A computed UDP checksum of 0 is sent as
// 0xffff (0 means "no checksum").
//
// Src and Dst must be IPv4 addresses (ErrNotIPv4) and the packet at most
// 65535 bytes (ErrTooBig).
func BuildUDP(ip IPv4Header, udp UDPHeader, payload []byte) ([]byte, error) {
	const hdrs = 20 + 8
	if err := checkIPv4(ip, hdrs+len(payload)); err != nil {
		return nil, fmt.Errorf("build UDP packet: %w", err)
	}
	pkt := make([]byte, hdrs+len(payload))
	seg := pkt[20:]
	binary.BigEndian.PutUint16(seg[0:], udp.SrcPort)
	binary.BigEndian.PutUint16(seg[2:], udp.DstPort)
	binary.BigEndian.PutUint16(seg[4:], uint16(len(seg)))
	copy(seg[8:], payload)
	sum := Checksum(withPseudoHeader(ip.Src, ip.Dst, ProtoUDP, seg))
	if sum == 0 {
		sum = 0xffff // RFC 768: an all-zero checksum means none was computed
	}
	binary.BigEndian.PutUint16(seg[6:], sum)
	putIPv4Header(pkt, ip, ProtoUDP)
	return pkt, nil
}

// BuildTCP returns an IPv4 packet carrying a TCP segment with payload: the
// 20-byte IPv4 header, the TCP header with tcp.Options, then payload.
//
// From ip it takes TOS, ID, Flags, FragOffset, TTL, Src and Dst; from tcp
// the ports, Seq, Ack, Flags, Window, Urgent and Options. It computes the
// rest and ignores what the arguments hold there: IHL 5, Total Length,
// Protocol 6, the header checksum; the data offset (20 + len(Options))
// and the TCP checksum over the pseudo-header
//
//	source address, destination address, zero byte, protocol, TCP length
//
// (TCP length: header and payload), then the TCP header and payload.
//
// Src and Dst must be IPv4 addresses (ErrNotIPv4), Options a multiple of 4
// bytes and at most 40 (ErrBadOptions), and the packet at most 65535 bytes
// (ErrTooBig).
func BuildTCP(ip IPv4Header, tcp TCPHeader, payload []byte) ([]byte, error) {
	if len(tcp.Options)%4 != 0 || len(tcp.Options) > 40 {
		return nil, fmt.Errorf("build TCP packet with %d bytes of options: %w", len(tcp.Options), ErrBadOptions)
	}
	hdrLen := 20 + len(tcp.Options)
	if err := checkIPv4(ip, 20+hdrLen+len(payload)); err != nil {
		return nil, fmt.Errorf("build TCP packet: %w", err)
	}
	pkt := make([]byte, 20+hdrLen+len(payload))
	seg := pkt[20:]
	binary.BigEndian.PutUint16(seg[0:], tcp.SrcPort)
	binary.BigEndian.PutUint16(seg[2:], tcp.DstPort)
	binary.BigEndian.PutUint32(seg[4:], tcp.Seq)
	binary.BigEndian.PutUint32(seg[8:], tcp.Ack)
	seg[12] = byte(hdrLen/4) << 4
	seg[13] = byte(tcp.Flags)
	binary.BigEndian.PutUint16(seg[14:], tcp.Window)
	binary.BigEndian.PutUint16(seg[18:], tcp.Urgent)
	copy(seg[20:], tcp.Options)
	copy(seg[hdrLen:], payload)
	binary.BigEndian.PutUint16(seg[16:], Checksum(withPseudoHeader(ip.Src, ip.Dst, ProtoTCP, seg)))
	putIPv4Header(pkt, ip, ProtoTCP)
	return pkt, nil
}

// checkIPv4 reports whether ip can head a packet of total bytes.
func checkIPv4(ip IPv4Header, total int) error {
	if !ip.Src.Is4() || !ip.Dst.Is4() {
		return fmt.Errorf("from %v to %v: %w", ip.Src, ip.Dst, ErrNotIPv4)
	}
	if total > 0xffff {
		return fmt.Errorf("%d bytes: %w", total, ErrTooBig)
	}
	return nil
}

// putIPv4Header writes the 20-byte header of pkt, whose payload is in place.
func putIPv4Header(pkt []byte, ip IPv4Header, proto uint8) {
	h := pkt[:20]
	h[0] = 4<<4 | 5 // version 4, IHL 5 words
	h[1] = ip.TOS
	binary.BigEndian.PutUint16(h[2:], uint16(len(pkt)))
	binary.BigEndian.PutUint16(h[4:], ip.ID)
	binary.BigEndian.PutUint16(h[6:], uint16(ip.Flags)<<13|ip.FragOffset&0x1fff)
	h[8] = ip.TTL
	h[9] = proto
	src, dst := ip.Src.As4(), ip.Dst.As4()
	copy(h[12:], src[:])
	copy(h[16:], dst[:])
	// The checksum field is still zero here, as RFC 791 asks.
	binary.BigEndian.PutUint16(h[10:], Checksum(h))
}

// withPseudoHeader returns the TCP or UDP pseudo-header of seg followed by
// seg: the bytes its checksum covers. Src and dst are both IPv4 or both
// IPv6 (RFC 8200 8.1: 32-bit length, three zero bytes, next header).
func withPseudoHeader(src, dst netip.Addr, proto uint8, seg []byte) []byte {
	var b []byte
	b = append(b, src.AsSlice()...)
	b = append(b, dst.AsSlice()...)
	if src.Is4() {
		b = append(b, 0, proto)
		b = binary.BigEndian.AppendUint16(b, uint16(len(seg)))
	} else {
		b = binary.BigEndian.AppendUint32(b, uint32(len(seg)))
		b = append(b, 0, 0, 0, proto)
	}
	return append(b, seg...)
}
