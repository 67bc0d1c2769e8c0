// Command chatclient joins a lesson 03 chat room (-proto lines): it sends
// what you type and prints what the others say, at the same time.
//
//	chatclient -addr 127.0.0.1:9999 -name alice
package main

import (
	"os"

	chat "github.com/netkata/netkata/lessons/03-chat"
)

func main() { os.Exit(chat.ClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
