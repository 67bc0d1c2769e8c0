// Udpclient sends each line of stdin to a UDP echo server and prints each reply.
//
// You don't need to edit this file.
package main

import (
	"os"

	udp "github.com/netkata/netkata/lessons/05-udp"
)

func main() { os.Exit(udp.UDPClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
