package httpfetch

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/netkata/netkata/internal/scripts"
)

// programs are the lesson's commands, run in-process by the scenarios.
var programs = map[string]func(){
	"fetch":   func() { os.Exit(FetchMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"newsapi": func() { os.Exit(NewsAPIMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs the scenarios, with the lesson's own command httpreply
// (helpers_test.go) besides the shared ones.
func TestScripts(t *testing.T) {
	p := scripts.Params(t)
	p.Cmds["httpreply"] = cmdHTTPReply
	testscript.Run(t, p)
}
