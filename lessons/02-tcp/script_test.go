package tcp

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

// programs are the lesson's commands, run in-process by the scenarios.
var programs = map[string]func(){
	"timeserver": func() { os.Exit(TimeServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"timeclient": func() { os.Exit(TimeClientMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"echoserver": func() { os.Exit(EchoServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"echoclient": func() { os.Exit(EchoClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	"webserver":  func() { os.Exit(WebServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs the programs end to end: testscripts/02-tcp/*.txtar.
func TestScripts(t *testing.T) { scripts.Run(t) }
