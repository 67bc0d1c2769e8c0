// Command fileclient fetches a file from a fileserver into a directory
// (lesson 04), never writing outside it. Run it with -h for its flags.
package main

import (
	"os"

	filetransfer "github.com/netkata/netkata/lessons/04-filetransfer"
)

func main() { os.Exit(filetransfer.FileClientMain(os.Args[1:], os.Stdout, os.Stderr)) }
