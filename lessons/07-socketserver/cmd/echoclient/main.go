// Command echoclient is the notes' echo client: it sends each line of its
// stdin to an echoserver and prints each reply, then sends "quit".
//
// Usage:
//
//	echoclient [-network tcp|udp|unix|unixgram] [-addr host:port|path]
package main

import (
	"os"

	socketserver "github.com/netkata/netkata/lessons/07-socketserver"
)

func main() {
	os.Exit(socketserver.EchoClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
