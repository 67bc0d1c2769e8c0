// Command echoserver is an echo server that serves many clients at once (lesson 02); run it with -h for its flags.
package main

import (
	"os"

	tcp "github.com/netkata/netkata/lessons/02-tcp"
)

func main() { os.Exit(tcp.EchoServerMain(os.Args[1:], os.Stdout, os.Stderr)) }
