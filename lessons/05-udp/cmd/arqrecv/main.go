// Arqrecv receives one file sent by arqsend and writes it to -o.
//
// You don't need to edit this file.
package main

import (
	"os"

	udp "github.com/netkata/netkata/lessons/05-udp"
)

func main() { os.Exit(udp.ARQRecvMain(os.Args[1:], os.Stdout, os.Stderr)) }
