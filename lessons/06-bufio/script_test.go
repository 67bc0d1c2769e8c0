package lineproto

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

// programs are the lesson's commands, run in-process by the scenarios.
var programs = map[string]func(){
	"greetserver": func() { os.Exit(GreetServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"kvserver":    func() { os.Exit(KVServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"kvclient":    func() { os.Exit(KVClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	"sockinfo":    func() { os.Exit(SockInfoMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs the programs end to end: testscripts/06-bufio/*.txtar;
// netcat plays the notes' Python client byte for byte.
func TestScripts(t *testing.T) { scripts.Run(t) }
