package layers

import (
	"errors"
	"net"
	"net/netip"
)

// EtherTypes: the Ethernet II type field names the protocol of the payload.
const (
	EtherTypeIPv4 = 0x0800
	EtherTypeARP  = 0x0806
	EtherTypeIPv6 = 0x86dd
)

// Errors of Decode.
var (
	ErrShortFrame = errors.New("layers: frame too short for its headers")
	ErrMalformed  = errors.New("layers: malformed header")
)

// Ethernet is an Ethernet II header: destination MAC, source MAC,
// EtherType (14 bytes; the frame check sequence is not captured).
type Ethernet struct {
	Dst, Src net.HardwareAddr
	Type     uint16 // EtherTypeIPv4, EtherTypeARP, EtherTypeIPv6 ...
}

// ARPHeader is an ARP message for IPv4 over Ethernet (RFC 826): hardware
// type 1, protocol type 0x0800, address lengths 6 and 4.
type ARPHeader struct {
	Op        uint16 // 1 request, 2 reply
	SenderMAC net.HardwareAddr
	SenderIP  netip.Addr
	TargetMAC net.HardwareAddr // all zero in a request: that is the question
	TargetIP  netip.Addr
}

// IPv6Header is the fixed 40-byte IPv6 header (RFC 8200).
type IPv6Header struct {
	TrafficClass uint8
	FlowLabel    uint32 // 20 bits
	PayloadLen   uint16 // bytes after this header
	NextHeader   uint8  // ProtoTCP, ProtoUDP, ProtoICMPv6 ...
	HopLimit     uint8
	Src, Dst     netip.Addr
}

// ICMPHeader is an ICMP (RFC 792) or ICMPv6 (RFC 4443) message: type, code
// and checksum, then the body, whose meaning depends on the type (for an
// echo: identifier, sequence number, data).
type ICMPHeader struct {
	Type, Code uint8
	Checksum   uint16
	Body       []byte // the bytes after the checksum
}

// Packet is a decoded Ethernet frame. The header pointers of the layers
// that are not in the frame are nil: an ARP frame has ARP set and no IP
// header, a UDP datagram over IPv6 has IPv6 and UDP set.
type Packet struct {
	Eth  Ethernet
	ARP  *ARPHeader
	IPv4 *IPv4Header
	IPv6 *IPv6Header
	ICMP *ICMPHeader // ICMP under IPv4, ICMPv6 under IPv6
	TCP  *TCPHeader
	UDP  *UDPHeader

	// Payload is what the highest decoded header carries: the TCP or UDP
	// data, or the IP payload of a protocol Decode does not know.
	Payload []byte

	// IPv4ChecksumOK says the IPv4 header checksum is right.
	IPv4ChecksumOK bool
	// ChecksumOK says the TCP, UDP or ICMP checksum is right (with the
	// pseudo-header for TCP, UDP and ICMPv6).
	ChecksumOK bool
}

// Decode decodes an Ethernet II frame, layer by layer:
//
//	Ethernet -> ARP
//	         -> IPv4 -> ICMP | TCP | UDP -> payload
//	         -> IPv6 -> ICMPv6 | TCP | UDP -> payload
//
// It bounds every layer by the one below: the IPv4 Total Length and the
// IPv6 Payload Length (Ethernet pads short frames, so bytes past them are
// dropped), the IHL, the TCP data offset and the UDP Length. It decodes no
// further than an IPv4 fragment, an IPv6 extension header, an unknown
// EtherType or protocol: the rest is Payload. It verifies the checksums
// and records the result in IPv4ChecksumOK and ChecksumOK; a bad checksum
// is not an error.
//
// A frame shorter than a header or length field says is ErrShortFrame; a
// length field too small for its own header (IHL < 5, data offset < 5, UDP
// Length < 8), an IP version that does not match the EtherType or an ARP
// message not for IPv4 over Ethernet is ErrMalformed. Decode never panics
// and keeps no reference to frame beyond the returned Packet's slices.
func Decode(frame []byte) (*Packet, error) {
	// TODO(step 5): peel Ethernet, then ARP or IP, then ICMP, TCP or UDP. See README.md, step 5.
	return nil, ErrTODO
}
