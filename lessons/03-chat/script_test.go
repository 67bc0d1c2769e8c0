package chat

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"chatserver": func() { os.Exit(ServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"chatclient": func() { os.Exit(ClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
}

func TestScripts(t *testing.T) { scripts.Run(t) }
