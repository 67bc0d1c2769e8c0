// Ping measures round trips to a UDP echo server and prints them as ping(8) does.
//
// You don't need to edit this file.
package main

import (
	"os"

	udp "github.com/netkata/netkata/lessons/05-udp"
)

func main() { os.Exit(udp.PingMain(os.Args[1:], os.Stdout, os.Stderr)) }
