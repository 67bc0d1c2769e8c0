// Command greetserver answers the first line of every connection with
// "hello <line>", as the notes' makefile server does.
//
// Usage:
//
//	greetserver [-addr host:port]
package main

import (
	"os"

	lineproto "github.com/netkata/netkata/lessons/06-bufio"
)

func main() {
	os.Exit(lineproto.GreetServerMain(os.Args[1:], os.Stdout, os.Stderr))
}
