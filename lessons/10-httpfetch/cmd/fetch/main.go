// Command fetch is lesson 10's fetch program; see the lesson's README.md.
//
// You don't need to edit this file.
package main

import (
	"os"

	httpfetch "github.com/netkata/netkata/lessons/10-httpfetch"
)

func main() { os.Exit(httpfetch.FetchMain(os.Args[1:], os.Stdout, os.Stderr)) }
