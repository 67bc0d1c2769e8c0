// Package leakcheck runs a lesson's tests and fails them if goroutines are
// still running afterwards.
//
// Every lesson's main_test.go is
//
//	func TestMain(m *testing.M) { leakcheck.Main(m, programs) }
//
// where programs registers the lesson's commands for its testscripts.
// testscript's Main and goleak's VerifyTestMain both end in os.Exit, so
// Main wraps m.Run to do both.
package leakcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/readme"

	"github.com/rogpeppe/go-internal/testscript"
	"go.uber.org/goleak"
)

type checked struct{ m *testing.M }

// Run runs the tests, then looks for goroutines left running.
func (c checked) Run() int {
	code := c.m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "leakcheck: tests passed, but goroutines still run: every goroutine a test or your code starts must end before the test returns (close the listener, the connections, cancel the context)\n%v\n", err)
			return 1
		}
	}
	return code
}

// Main runs the package's tests with leak checking, and registers programs
// (name to main function) as commands for testscript scenarios.
//
// In a lesson, go test's plain report goes through readme.Screen, which
// shows the first failure whole and later steps one line each.
func Main(m *testing.M, programs map[string]func()) {
	name := strings.TrimSuffix(filepath.Base(os.Args[0]), ".exe")
	if _, isProgram := programs[name]; !isProgram {
		if code, ran := readme.Screen(); ran {
			os.Exit(code)
		}
	}
	testscript.Main(checked{m}, programs)
}
