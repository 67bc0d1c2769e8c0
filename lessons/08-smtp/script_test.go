package mailer

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

// programs are the lesson's commands, run in-process by the scenarios.
var programs = map[string]func(){
	"sendmail": func() { os.Exit(SendmailMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"devsmtp":  func() { os.Exit(DevSMTPMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

func TestScripts(t *testing.T) { scripts.Run(t) }
