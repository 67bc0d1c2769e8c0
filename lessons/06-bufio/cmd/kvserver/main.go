// Command kvserver serves the key-value line protocol of lesson 06, step 2.
//
// Usage:
//
//	kvserver [-addr host:port]
package main

import (
	"os"

	lineproto "github.com/netkata/netkata/lessons/06-bufio"
)

func main() {
	os.Exit(lineproto.KVServerMain(os.Args[1:], os.Stdout, os.Stderr))
}
