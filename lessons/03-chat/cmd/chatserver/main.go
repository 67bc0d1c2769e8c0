// Command chatserver runs the lesson 03 chat room.
//
//	chatserver -addr 127.0.0.1:9999 -proto lines   # "name: text" lines, commands
//	chatserver -proto notes                        # the notes' CharServer, byte for byte
package main

import (
	"os"

	chat "github.com/netkata/netkata/lessons/03-chat"
)

func main() { os.Exit(chat.ServerMain(os.Args[1:], os.Stdout, os.Stderr)) }
