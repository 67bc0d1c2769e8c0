// Command echoserver serves the notes' echo handler ("Your msg = <text>"
// until "quit") with the framework of lesson 07.
//
// Usage:
//
//	echoserver [-mode sync|threading|forking] [-network tcp|udp|unix|unixgram] [-addr host:port|path]
package main

import (
	"os"

	socketserver "github.com/netkata/netkata/lessons/07-socketserver"
)

func main() {
	os.Exit(socketserver.EchoServerMain(os.Args[1:], os.Stdout, os.Stderr))
}
