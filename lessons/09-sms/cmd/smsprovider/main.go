// You don't need to edit this file.

// Smsprovider is a fake of the notes' SMS provider on loopback: it prints
// each message it receives instead of sending it.
//
//	SMS_PASSWORD=secret go run ./lessons/09-sms/cmd/smsprovider -addr 127.0.0.1:8086 -account demo
package main

import (
	"os"

	sms "github.com/netkata/netkata/lessons/09-sms"
)

func main() {
	os.Exit(sms.ProviderMain(os.Args[1:], os.Stdout, os.Stderr))
}
