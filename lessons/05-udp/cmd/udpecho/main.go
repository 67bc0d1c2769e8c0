// Udpecho is an echo server over UDP: every datagram goes back to its sender.
//
// You don't need to edit this file.
package main

import (
	"os"

	udp "github.com/netkata/netkata/lessons/05-udp"
)

func main() { os.Exit(udp.UDPEchoMain(os.Args[1:], os.Stdout, os.Stderr)) }
