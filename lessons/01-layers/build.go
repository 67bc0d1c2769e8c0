package layers

import (
	"errors"
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
	// TODO(step 4): write the UDP header, its checksum, then the IPv4 header. See README.md, step 4.
	return nil, ErrTODO
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
	// TODO(step 4): write the TCP header and options, its checksum, then the IPv4 header. See README.md, step 4.
	return nil, ErrTODO
}
