// Command sockinfo connects to a TCP server and prints what the kernel says
// about the connection's socket: its own address (getsockname), the peer's,
// TCP_NODELAY and the buffer sizes, after setting the options it is given.
//
// Usage:
//
//	sockinfo [-addr host:port] [-nagle] [-rcvbuf bytes] [-sndbuf bytes]
package main

import (
	"os"

	lineproto "github.com/netkata/netkata/lessons/06-bufio"
)

func main() {
	os.Exit(lineproto.SockInfoMain(os.Args[1:], os.Stdout, os.Stderr))
}
