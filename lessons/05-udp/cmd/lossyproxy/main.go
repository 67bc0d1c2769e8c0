// Lossyproxy forwards UDP datagrams and drops, duplicates, reorders, delays and corrupts some.
//
// You don't need to edit this file.
package main

import (
	"os"

	udp "github.com/netkata/netkata/lessons/05-udp"
)

func main() { os.Exit(udp.LossyProxyMain(os.Args[1:], os.Stdout, os.Stderr)) }
