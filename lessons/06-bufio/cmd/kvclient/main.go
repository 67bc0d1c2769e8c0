// Command kvclient sends the commands on its stdin, one per line, to a
// kvserver, pipelined, and prints every reply line.
//
// Usage:
//
//	kvclient [-addr host:port] [-timeout 10s] < commands.txt
package main

import (
	"os"

	lineproto "github.com/netkata/netkata/lessons/06-bufio"
)

func main() {
	os.Exit(lineproto.KVClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
