// Command timeserver is the notes' time server (lesson 02); run it with -h for its flags.
package main

import (
	"os"

	tcp "github.com/netkata/netkata/lessons/02-tcp"
)

func main() { os.Exit(tcp.TimeServerMain(os.Args[1:], os.Stdout, os.Stderr)) }
