package layers

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

// programs are the lesson's commands, run in-process by the scenarios.
var programs = map[string]func(){
	"pktdump": func() { os.Exit(PktdumpMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs pktdump end to end: testscripts/01-layers/*.txtar. The
// captures are binary, so the scripts read them from this folder's testdata
// through $TESTDATA.
func TestScripts(t *testing.T) { scripts.Run(t) }
