// You don't need to edit this file.

// Sms sends one text message through the provider of lesson 09 (or the
// smsprovider fake). The password comes from $SMS_PASSWORD.
//
//	SMS_PASSWORD=secret go run ./lessons/09-sms/cmd/sms -addr 127.0.0.1:8086 -account demo -mobile 13800138000 -content 你好
package main

import (
	"os"

	sms "github.com/netkata/netkata/lessons/09-sms"
)

func main() {
	os.Exit(sms.SMSMain(os.Args[1:], os.Stdout, os.Stderr))
}
