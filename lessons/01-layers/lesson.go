// Package layers is lesson 01: the layers of the network (TCP/IP模型), the
// addresses that name a host and a process on it (IP + port), the Internet
// checksum, and packets built and taken apart by hand: IPv4, TCP and UDP
// headers written byte by byte, and real frames from pcap captures decoded
// from Ethernet up to the payload, one tshark-style line per packet.
//
// Start with README.md; run the tests with go test ./lessons/01-layers/.
package layers

// You don't need to edit this file.

import "github.com/netkata/netkata/internal/todo"

// ErrTODO is what the stubs return until you write them.
var ErrTODO = todo.ErrTODO
