package layers

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
	"github.com/rogpeppe/go-internal/testscript"
)

var programs = map[string]func(){
	"pktdump": func() { os.Exit(PktdumpMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs pktdump end to end: testscripts/01-layers/*.txtar. The
// captures are binary, so the scripts read them from this folder's testdata
// through $TESTDATA instead of carrying copies.
func TestScripts(t *testing.T) {
	p := scripts.Params(t)
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		env.Setenv("TESTDATA", testdata)
		return setup(env)
	}
	files, _ := filepath.Glob(filepath.Join(p.Dir, "*.txtar"))
	if len(files) == 0 {
		t.Fatalf("no scenarios in %s: every lesson has at least one testscript", p.Dir)
	}
	testscript.Run(t, p)
}
