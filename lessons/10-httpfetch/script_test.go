package httpfetch

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

// programs are the lesson's commands, run in-process by the scenarios.
var programs = map[string]func(){
	"fetch":   func() { os.Exit(FetchMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"newsapi": func() { os.Exit(NewsAPIMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs the scenarios (httpreply, a hostile HTTP peer, is one
// of the shared commands).
func TestScripts(t *testing.T) { scripts.Run(t) }
