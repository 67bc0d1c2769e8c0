package filetransfer

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"fileserver": func() { os.Exit(FileServerMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"fileclient": func() { os.Exit(FileClientMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

func TestScripts(t *testing.T) { scripts.Run(t) }
