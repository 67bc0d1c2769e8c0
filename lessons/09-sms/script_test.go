package sms

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"sms":         func() { os.Exit(SMSMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"smsprovider": func() { os.Exit(ProviderMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

// TestScripts runs testscripts/09-sms: sms against smsprovider end to end.
// TestScripts runs the scenarios (httpreply, a hostile HTTP peer, is one
// of the shared commands).
func TestScripts(t *testing.T) { scripts.Run(t) }
