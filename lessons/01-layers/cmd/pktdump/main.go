// Pktdump prints one line per packet of a classic pcap capture, like
// tshark -r FILE.pcap:
//
//	go run ./lessons/01-layers/cmd/pktdump lessons/01-layers/testdata/http-get-v4.pcap
//
// It exits 1 on a broken file, after the lines of the packets before the
// damage, and 2 on bad usage.
package main

import (
	"os"

	layers "github.com/netkata/netkata/lessons/01-layers"
)

func main() {
	os.Exit(layers.PktdumpMain(os.Args[1:], os.Stdout, os.Stderr))
}
