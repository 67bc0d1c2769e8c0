package sms

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"sms":         func() { os.Exit(SMSMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"smsprovider": func() { os.Exit(ProviderMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs testscripts/09-sms: sms against smsprovider end to end.
// TestScripts runs the scenarios, with the lesson's own command httpreply
// (helpers_test.go) besides the shared ones.
func TestScripts(t *testing.T) {
	p := scripts.Params(t)
	p.Cmds["httpreply"] = cmdHTTPReply
	testscript.Run(t, p)
}
