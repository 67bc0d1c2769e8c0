// Command devsmtp is lesson 08's devsmtp program; see the lesson's README.md.
//
// You don't need to edit this file.
package main

import (
	"os"

	mailer "github.com/netkata/netkata/lessons/08-smtp"
)

func main() { os.Exit(mailer.DevSMTPMain(os.Args[1:], os.Stdout, os.Stderr)) }
