package layers

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Dump reads a classic pcap file from r and writes one line per packet to
// w, in the columns of tshark's default output (tshark -r FILE):
//
//	"    1   0.000000    10.77.0.1 → 10.77.0.2    UDP 48 53761 → 9999 Len=6"
//
// number (width 5), seconds since the first packet (width 10, 6
// decimals), source (right-aligned in 12) " → " destination (left-aligned
// in 12), protocol, frame length, info. Source and destination are the IP
// addresses, or for ARP the MAC addresses (ff:ff:ff:ff:ff:ff is
// "Broadcast"). The arrows are U+2192. The info column is tshark's for
//
//	ARP       "Who has 10.77.0.2? Tell 10.77.0.1", "10.77.0.2 is at 82:67:9d:4f:ca:5e"
//	ICMP      echo request and reply: "Echo (ping) request  id=0x17f2, seq=1/256, ttl=64",
//	          a reply ending " (request in N)" when request N was seen
//	ICMPv6    Neighbor Solicitation and Advertisement, as tshark
//	TCP       "50438 → 6790 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM
//	          TSval=2939427239 TSecr=0 WS=1024": Seq and Ack relative to each
//	          direction's initial sequence number: its SYN's; for a
//	          direction first seen without a SYN (a refused connection's
//	          RST, a capture started mid-connection) the one before its
//	          first segment's, so that segment shows Seq=1, or, if the
//	          other direction acknowledged it first, that ACK number minus
//	          1, as tshark does; Ack only with the ACK flag, Win multiplied by the sender's window scale once
//	          both SYNs offered one (never in a SYN), options MSS, SACK_PERM,
//	          TSval/TSecr and WS in the order the segment has them
//	UDP       "53761 → 9999 Len=6", Len the payload length
//
// This is a subset of tshark. Dump decodes no application protocol: where
// tshark's HTTP dissector writes the line (protocol HTTP, or "[TCP segment
// of a reassembled PDU]"), Dump writes the plain TCP line. Other ICMP and
// ICMPv6 messages are "Type T, code C"; tshark's "(no response found!)"
// on unanswered pings and its TCP analysis ("[TCP Retransmission]" ...) are
// not written; an EtherType Dump does not decode is protocol "0x88cc"
// (its hex value) with info "Ethernet II".
//
// Dump stops at the first error: a broken file header is the error of
// NewPcapReader, a broken record the *RecordError of Next, and a frame
// Decode rejects a *RecordError wrapping Decode's error. The lines of the
// packets before it are written first. A clean end of file is nil.
func Dump(r io.Reader, w io.Writer) error {
	pr, err := NewPcapReader(r)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	s := &summarizer{tcp: map[flow]*tcpDir{}, pings: map[ping]int{}}
	for {
		rec, err := pr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err == nil {
			err = s.write(bw, rec)
		}
		if err != nil {
			if ferr := bw.Flush(); ferr != nil {
				return ferr
			}
			return err
		}
	}
	return bw.Flush()
}

// summarizer holds what a line needs from earlier packets.
type summarizer struct {
	first time.Time
	tcp   map[flow]*tcpDir // one per direction of each connection
	pings map[ping]int     // echo requests seen -> their packet numbers
}

// flow is one direction of a TCP connection.
type flow struct{ src, dst netip.AddrPort }

// tcpDir is what tshark remembers about one direction of a connection.
type tcpDir struct {
	base  uint32 // the first sequence number: the SYN's, or the first seen
	scale int    // the window scale shift from the SYN, -1 if none offered
}

// ping identifies an ICMP echo request, to match its reply.
type ping struct {
	src, dst netip.Addr // of the request
	id, seq  uint16
}

func (s *summarizer) write(w io.Writer, rec Record) error {
	p, err := Decode(rec.Data)
	if err != nil {
		return &RecordError{Record: rec.N, Offset: rec.Offset, Err: err}
	}
	if rec.N == 1 {
		s.first = rec.Time
	}
	src, dst, proto, info := s.describe(rec.N, p)
	d := rec.Time.Sub(s.first)
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	us := d.Microseconds()
	rel := fmt.Sprintf("%s%d.%06d", sign, us/1e6, us%1e6)
	_, err = fmt.Fprintf(w, "%5d %10s %12s → %-12s %s %d %s\n", rec.N, rel, src, dst, proto, rec.OrigLen, info)
	return err
}

// describe returns a packet's source, destination, protocol and info columns.
func (s *summarizer) describe(n int, p *Packet) (src, dst, proto, info string) {
	var srcIP, dstIP netip.Addr
	switch {
	case p.IPv4 != nil:
		srcIP, dstIP = p.IPv4.Src, p.IPv4.Dst
	case p.IPv6 != nil:
		srcIP, dstIP = p.IPv6.Src, p.IPv6.Dst
	default:
		src, dst = macName(p.Eth.Src), macName(p.Eth.Dst)
	}
	if srcIP.IsValid() {
		src, dst = srcIP.String(), dstIP.String()
	}
	switch {
	case p.ARP != nil:
		a := p.ARP
		switch a.Op {
		case 1:
			return src, dst, "ARP", fmt.Sprintf("Who has %v? Tell %v", a.TargetIP, a.SenderIP)
		case 2:
			return src, dst, "ARP", fmt.Sprintf("%v is at %v", a.SenderIP, a.SenderMAC)
		}
		return src, dst, "ARP", fmt.Sprintf("Opcode %d", a.Op)
	case p.TCP != nil:
		return src, dst, "TCP", s.tcpInfo(srcIP, dstIP, p.TCP, len(p.Payload))
	case p.UDP != nil:
		return src, dst, "UDP", fmt.Sprintf("%d → %d Len=%d", p.UDP.SrcPort, p.UDP.DstPort, len(p.Payload))
	case p.ICMP != nil && p.IPv4 != nil:
		return src, dst, "ICMP", s.icmpInfo(n, p.IPv4, p.ICMP)
	case p.ICMP != nil:
		return src, dst, "ICMPv6", icmpv6Info(p.ICMP)
	case p.IPv4 != nil:
		return src, dst, "IPv4", fmt.Sprintf("protocol %d", p.IPv4.Protocol)
	case p.IPv6 != nil:
		return src, dst, "IPv6", fmt.Sprintf("next header %d", p.IPv6.NextHeader)
	}
	return src, dst, fmt.Sprintf("0x%04x", p.Eth.Type), "Ethernet II"
}

func macName(mac net.HardwareAddr) string {
	if mac.String() == "ff:ff:ff:ff:ff:ff" {
		return "Broadcast"
	}
	return mac.String()
}

func (s *summarizer) icmpInfo(n int, ip *IPv4Header, m *ICMPHeader) string {
	if (m.Type != 8 && m.Type != 0) || m.Code != 0 || len(m.Body) < 4 {
		return fmt.Sprintf("Type %d, code %d", m.Type, m.Code)
	}
	id, seq := binary.BigEndian.Uint16(m.Body), binary.BigEndian.Uint16(m.Body[2:])
	// tshark shows the sequence number read both ways: big-endian (the
	// standard) / little-endian (what some Windows pings meant).
	common := fmt.Sprintf("id=0x%04x, seq=%d/%d, ttl=%d", id, seq, seq>>8|seq<<8, ip.TTL)
	if m.Type == 8 {
		s.pings[ping{ip.Src, ip.Dst, id, seq}] = n
		return "Echo (ping) request  " + common
	}
	info := "Echo (ping) reply    " + common
	if req, ok := s.pings[ping{ip.Dst, ip.Src, id, seq}]; ok {
		info += fmt.Sprintf(" (request in %d)", req)
	}
	return info
}

func icmpv6Info(m *ICMPHeader) string {
	// RFC 4861 4.3 and 4.4: 4 bytes (reserved, or R S O flags), the
	// target address, then options: type, length in 8-byte units, value.
	if (m.Type != 135 && m.Type != 136) || m.Code != 0 || len(m.Body) < 20 {
		return fmt.Sprintf("Type %d, code %d", m.Type, m.Code)
	}
	target := netip.AddrFrom16([16]byte(m.Body[4:20]))
	var lladdr net.HardwareAddr // source (1) or target (2) link-layer address option
	for opts := m.Body[20:]; len(opts) >= 2 && opts[1] > 0 && len(opts) >= int(opts[1])*8; opts = opts[int(opts[1])*8:] {
		if (opts[0] == 1 || opts[0] == 2) && opts[1] == 1 {
			lladdr = net.HardwareAddr(opts[2:8])
		}
	}
	if m.Type == 135 {
		info := fmt.Sprintf("Neighbor Solicitation for %v", target)
		if lladdr != nil {
			info += fmt.Sprintf(" from %v", lladdr)
		}
		return info
	}
	info := fmt.Sprintf("Neighbor Advertisement %v", target)
	var flags []string
	for i, name := range []string{"rtr", "sol", "ovr"} {
		if m.Body[0]&(0x80>>i) != 0 {
			flags = append(flags, name)
		}
	}
	if flags != nil {
		info += " (" + strings.Join(flags, ", ") + ")"
	}
	if lladdr != nil {
		info += fmt.Sprintf(" is at %v", lladdr)
	}
	return info
}

func (s *summarizer) tcpInfo(srcIP, dstIP netip.Addr, h *TCPHeader, n int) string {
	key := flow{netip.AddrPortFrom(srcIP, h.SrcPort), netip.AddrPortFrom(dstIP, h.DstPort)}
	me := s.tcp[key]
	if me == nil || h.Flags&SYN != 0 {
		base := h.Seq
		if h.Flags&SYN == 0 {
			// First seen mid-stream (a refused connection's RST, a capture
			// started late): tshark takes the sequence number before it as
			// the initial one, so this segment shows Seq=1.
			base--
		}
		me = &tcpDir{base: base, scale: -1}
		s.tcp[key] = me
	}
	rev := flow{key.dst, key.src}
	peer := s.tcp[rev]
	if peer == nil && h.Flags&ACK != 0 {
		// The other direction is unseen, but this ACK says what it has
		// sent: tshark takes ack-1 as its initial sequence number.
		peer = &tcpDir{base: h.Ack - 1, scale: -1}
		s.tcp[rev] = peer
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%d → %d %v Seq=%d", h.SrcPort, h.DstPort, h.Flags, h.Seq-me.base)
	if h.Flags&ACK != 0 {
		ack := h.Ack
		if peer != nil {
			ack -= peer.base
		}
		fmt.Fprintf(&b, " Ack=%d", ack)
	}
	opts := tcpOptions(h.Options)
	if h.Flags&SYN != 0 {
		me.scale = opts.scale
	}
	win := int(h.Window)
	if h.Flags&SYN == 0 && peer != nil && me.scale >= 0 && peer.scale >= 0 {
		win <<= me.scale // RFC 7323 2.2: both sides must offer scaling
	}
	fmt.Fprintf(&b, " Win=%d Len=%d%s", win, n, opts.text)
	return b.String()
}

type optionInfo struct {
	text  string // " MSS=1460 SACK_PERM ..."
	scale int    // the window scale shift, -1 if none
}

// tcpOptions reads the options tshark shows in a summary line. It stops at
// the end-of-list option or at the first option whose length is wrong.
func tcpOptions(b []byte) optionInfo {
	info := optionInfo{scale: -1}
	var text strings.Builder
	for len(b) > 0 {
		kind := b[0]
		if kind == 0 {
			break // end of option list
		}
		if kind == 1 {
			b = b[1:] // no-operation, padding
			continue
		}
		if len(b) < 2 || b[1] < 2 || int(b[1]) > len(b) {
			break
		}
		opt := b[2:b[1]]
		switch {
		case kind == 2 && len(opt) == 2:
			fmt.Fprintf(&text, " MSS=%d", binary.BigEndian.Uint16(opt))
		case kind == 3 && len(opt) == 1:
			info.scale = int(min(opt[0], 14)) // RFC 7323 2.3: at most 14
			fmt.Fprintf(&text, " WS=%d", 1<<info.scale)
		case kind == 4 && len(opt) == 0:
			text.WriteString(" SACK_PERM")
		case kind == 8 && len(opt) == 8:
			fmt.Fprintf(&text, " TSval=%d TSecr=%d", binary.BigEndian.Uint32(opt), binary.BigEndian.Uint32(opt[4:]))
		}
		b = b[b[1]:]
	}
	info.text = text.String()
	return info
}
