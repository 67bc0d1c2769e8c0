// Command fileserver sends files over TCP (lesson 04): the notes' JSON and
// base64 protocol with -proto v1 -file PATH, streaming with -proto v2 -dir DIR.
// Run it with -h for its flags.
package main

import (
	"os"

	filetransfer "github.com/netkata/netkata/lessons/04-filetransfer"
)

func main() { os.Exit(filetransfer.FileServerMain(os.Args[1:], os.Stdout, os.Stderr)) }
