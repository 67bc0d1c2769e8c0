// Command echoclient sends each line of its stdin to an echo server and
// prints each reply (lesson 02); run it with -h for its flags.
package main

import (
	"os"

	tcp "github.com/netkata/netkata/lessons/02-tcp"
)

func main() { os.Exit(tcp.EchoClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
