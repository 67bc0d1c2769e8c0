package layers

import (
	"io"
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
	// TODO(step 5): read, decode and print one tshark-style line per packet. See README.md, step 5.
	return ErrTODO
}
