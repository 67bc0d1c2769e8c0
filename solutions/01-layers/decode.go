package layers

import (
	"encoding/binary"
	"errors"
	"fmt"
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
	if len(frame) < 14 {
		return nil, fmt.Errorf("decode Ethernet header: %d bytes: %w", len(frame), ErrShortFrame)
	}
	p := &Packet{Eth: Ethernet{
		Dst:  net.HardwareAddr(frame[0:6]),
		Src:  net.HardwareAddr(frame[6:12]),
		Type: binary.BigEndian.Uint16(frame[12:14]),
	}}
	b := frame[14:]
	var err error
	switch p.Eth.Type {
	case EtherTypeARP:
		err = p.decodeARP(b)
	case EtherTypeIPv4:
		err = p.decodeIPv4(b)
	case EtherTypeIPv6:
		err = p.decodeIPv6(b)
	default:
		p.Payload = b
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Packet) decodeARP(b []byte) error {
	if len(b) < 28 {
		return fmt.Errorf("decode ARP: %d bytes, want 28: %w", len(b), ErrShortFrame)
	}
	if binary.BigEndian.Uint16(b[0:]) != 1 || binary.BigEndian.Uint16(b[2:]) != EtherTypeIPv4 || b[4] != 6 || b[5] != 4 {
		return fmt.Errorf("decode ARP: not IPv4 over Ethernet (% x): %w", b[:6], ErrMalformed)
	}
	p.ARP = &ARPHeader{
		Op:        binary.BigEndian.Uint16(b[6:]),
		SenderMAC: net.HardwareAddr(b[8:14]),
		SenderIP:  netip.AddrFrom4([4]byte(b[14:18])),
		TargetMAC: net.HardwareAddr(b[18:24]),
		TargetIP:  netip.AddrFrom4([4]byte(b[24:28])),
	}
	return nil
}

func (p *Packet) decodeIPv4(b []byte) error {
	if len(b) < 20 {
		return fmt.Errorf("decode IPv4 header: %d bytes: %w", len(b), ErrShortFrame)
	}
	if v := b[0] >> 4; v != 4 {
		return fmt.Errorf("decode IPv4 header: version %d: %w", v, ErrMalformed)
	}
	h := &IPv4Header{
		HeaderLen:  int(b[0]&0x0f) * 4,
		TOS:        b[1],
		TotalLen:   binary.BigEndian.Uint16(b[2:]),
		ID:         binary.BigEndian.Uint16(b[4:]),
		Flags:      b[6] >> 5,
		FragOffset: binary.BigEndian.Uint16(b[6:]) & 0x1fff,
		TTL:        b[8],
		Protocol:   b[9],
		Checksum:   binary.BigEndian.Uint16(b[10:]),
		Src:        netip.AddrFrom4([4]byte(b[12:16])),
		Dst:        netip.AddrFrom4([4]byte(b[16:20])),
	}
	switch {
	case h.HeaderLen < 20 || int(h.TotalLen) < h.HeaderLen:
		return fmt.Errorf("decode IPv4 header: IHL %d bytes, total length %d: %w", h.HeaderLen, h.TotalLen, ErrMalformed)
	case int(h.TotalLen) > len(b):
		return fmt.Errorf("decode IPv4 header: total length %d, %d bytes left: %w", h.TotalLen, len(b), ErrShortFrame)
	}
	p.IPv4 = h
	p.IPv4ChecksumOK = Checksum(b[:h.HeaderLen]) == 0
	payload := b[h.HeaderLen:h.TotalLen] // drops Ethernet padding
	if h.Flags&IPv4MoreFragments != 0 || h.FragOffset != 0 {
		p.Payload = payload // a fragment: the transport header may be in another one
		return nil
	}
	return p.decodeTransport(h.Protocol, h.Src, h.Dst, payload)
}

func (p *Packet) decodeIPv6(b []byte) error {
	if len(b) < 40 {
		return fmt.Errorf("decode IPv6 header: %d bytes: %w", len(b), ErrShortFrame)
	}
	if v := b[0] >> 4; v != 6 {
		return fmt.Errorf("decode IPv6 header: version %d: %w", v, ErrMalformed)
	}
	h := &IPv6Header{
		TrafficClass: byte(binary.BigEndian.Uint16(b[0:]) >> 4),
		FlowLabel:    binary.BigEndian.Uint32(b[0:]) & 0xfffff,
		PayloadLen:   binary.BigEndian.Uint16(b[4:]),
		NextHeader:   b[6],
		HopLimit:     b[7],
		Src:          netip.AddrFrom16([16]byte(b[8:24])),
		Dst:          netip.AddrFrom16([16]byte(b[24:40])),
	}
	if left := len(b) - 40; int(h.PayloadLen) > left {
		return fmt.Errorf("decode IPv6 header: payload length %d, %d bytes left: %w", h.PayloadLen, left, ErrShortFrame)
	}
	p.IPv6 = h
	return p.decodeTransport(h.NextHeader, h.Src, h.Dst, b[40:40+int(h.PayloadLen)])
}

// decodeTransport decodes the IP payload b of protocol proto.
func (p *Packet) decodeTransport(proto uint8, src, dst netip.Addr, b []byte) error {
	switch {
	case proto == ProtoTCP:
		return p.decodeTCP(src, dst, b)
	case proto == ProtoUDP:
		return p.decodeUDP(src, dst, b)
	case proto == ProtoICMP && src.Is4(), proto == ProtoICMPv6 && src.Is6():
		if len(b) < 4 {
			return fmt.Errorf("decode ICMP header: %d bytes: %w", len(b), ErrShortFrame)
		}
		p.ICMP = &ICMPHeader{Type: b[0], Code: b[1], Checksum: binary.BigEndian.Uint16(b[2:]), Body: b[4:]}
		if src.Is4() {
			p.ChecksumOK = Checksum(b) == 0
		} else {
			p.ChecksumOK = Checksum(withPseudoHeader(src, dst, proto, b)) == 0
		}
		return nil
	}
	p.Payload = b
	return nil
}

func (p *Packet) decodeTCP(src, dst netip.Addr, b []byte) error {
	if len(b) < 20 {
		return fmt.Errorf("decode TCP header: %d bytes: %w", len(b), ErrShortFrame)
	}
	h := &TCPHeader{
		SrcPort:   binary.BigEndian.Uint16(b[0:]),
		DstPort:   binary.BigEndian.Uint16(b[2:]),
		Seq:       binary.BigEndian.Uint32(b[4:]),
		Ack:       binary.BigEndian.Uint32(b[8:]),
		HeaderLen: int(b[12]>>4) * 4,
		Flags:     TCPFlags(b[13]),
		Window:    binary.BigEndian.Uint16(b[14:]),
		Checksum:  binary.BigEndian.Uint16(b[16:]),
		Urgent:    binary.BigEndian.Uint16(b[18:]),
	}
	switch {
	case h.HeaderLen < 20:
		return fmt.Errorf("decode TCP header: data offset %d bytes: %w", h.HeaderLen, ErrMalformed)
	case h.HeaderLen > len(b):
		return fmt.Errorf("decode TCP header: data offset %d bytes, %d left: %w", h.HeaderLen, len(b), ErrShortFrame)
	}
	h.Options = b[20:h.HeaderLen]
	p.TCP = h
	p.Payload = b[h.HeaderLen:]
	p.ChecksumOK = Checksum(withPseudoHeader(src, dst, ProtoTCP, b)) == 0
	return nil
}

func (p *Packet) decodeUDP(src, dst netip.Addr, b []byte) error {
	if len(b) < 8 {
		return fmt.Errorf("decode UDP header: %d bytes: %w", len(b), ErrShortFrame)
	}
	h := &UDPHeader{
		SrcPort:  binary.BigEndian.Uint16(b[0:]),
		DstPort:  binary.BigEndian.Uint16(b[2:]),
		Length:   binary.BigEndian.Uint16(b[4:]),
		Checksum: binary.BigEndian.Uint16(b[6:]),
	}
	switch {
	case h.Length < 8:
		return fmt.Errorf("decode UDP header: length %d: %w", h.Length, ErrMalformed)
	case int(h.Length) > len(b):
		return fmt.Errorf("decode UDP header: length %d, %d bytes left: %w", h.Length, len(b), ErrShortFrame)
	}
	p.UDP = h
	p.Payload = b[8:h.Length]
	// RFC 768: checksum 0 over IPv4 means the sender computed none.
	p.ChecksumOK = (h.Checksum == 0 && src.Is4()) || Checksum(withPseudoHeader(src, dst, ProtoUDP, b[:h.Length])) == 0
	return nil
}
