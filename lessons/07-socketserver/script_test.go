package socketserver

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"echoserver": func() { os.Exit(EchoServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"echoclient": func() { os.Exit(EchoClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
}

func TestScripts(t *testing.T) { scripts.Run(t) }
