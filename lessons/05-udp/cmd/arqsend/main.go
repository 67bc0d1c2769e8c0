// Arqsend sends a file over UDP to arqrecv, reliably, with stop-and-wait or a sliding window.
//
// You don't need to edit this file.
package main

import (
	"os"

	udp "github.com/netkata/netkata/lessons/05-udp"
)

func main() { os.Exit(udp.ARQSendMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
