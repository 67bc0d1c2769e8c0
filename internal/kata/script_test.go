package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jstemmer/go-junit-report/v2/junit"
	"github.com/netkata/netkata/internal/scripts"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the scenarios in testscripts/kata: each carries a tiny
// fixture workbook of its own (go.mod, lessons/, solutions/), so the tool's
// tests never depend on the real lessons' state.
func TestScripts(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the scenarios run go test: no go command in PATH")
	}
	goenv := map[string]string{}
	for _, k := range []string{"GOCACHE", "GOPATH", "GOMODCACHE", "GOROOT"} {
		out, err := exec.Command("go", "env", k).Output()
		if err != nil {
			t.Fatalf("go env %s: %v", k, err)
		}
		goenv[k] = strings.TrimSpace(string(out))
	}
	p := scripts.Params(t)
	p.Dir = filepath.Join("..", "..", "testscripts", "kata")
	setup := p.Setup
	p.Setup = func(env *testscript.Env) error {
		if err := setup(env); err != nil {
			return err
		}
		for k, v := range goenv {
			env.Setenv(k, v)
		}
		// The fixtures need no module downloads; never fetch a toolchain.
		env.Setenv("GOFLAGS", "-mod=mod -buildvcs=false")
		env.Setenv("GOTOOLCHAIN", "local")
		env.Setenv("GOPROXY", "off")
		env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
		env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, "cache"))
		env.Setenv("NO_COLOR", "")
		// The race detector's builds would make every scenario slower;
		// test.txtar turns it on where it checks it.
		env.Setenv("NETKATA_RACE", "0")
		for _, k := range []string{"GIT_AUTHOR_NAME", "GIT_COMMITTER_NAME"} {
			env.Setenv(k, "Student")
		}
		for _, k := range []string{"GIT_AUTHOR_EMAIL", "GIT_COMMITTER_EMAIL"} {
			env.Setenv(k, "student@example.com")
		}
		env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
		return os.MkdirAll(filepath.Join(env.WorkDir, "home"), 0o777)
	}
	p.Cmds["validjson"] = cmdValidJSON
	p.Cmds["validjunit"] = cmdValidJUnit
	testscript.Run(t, p)
}

// validjson FILE: FILE holds one well-formed JSON value.
func cmdValidJSON(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: validjson FILE")
	}
	var v any
	err := json.Unmarshal([]byte(ts.ReadFile(args[0])), &v)
	if (err != nil) != neg {
		ts.Fatalf("validjson %s: %v", args[0], err)
	}
}

// validjunit FILE N: FILE is JUnit XML as go-junit-report writes it, with N
// test suites, whose counts agree with their test cases.
func cmdValidJUnit(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: validjunit FILE N")
	}
	var suites junit.Testsuites
	if err := xml.Unmarshal([]byte(ts.ReadFile(args[0])), &suites); err != nil {
		ts.Fatalf("validjunit %s: %v", args[0], err)
	}
	if n, _ := strconv.Atoi(args[1]); len(suites.Suites) != n {
		ts.Fatalf("validjunit %s: %d test suites, want %s", args[0], len(suites.Suites), args[1])
	}
	tests, failures := 0, 0
	for _, s := range suites.Suites {
		f := 0
		for _, tc := range s.Testcases {
			if tc.Failure != nil {
				f++
			}
		}
		if s.Tests != len(s.Testcases) || s.Failures != f {
			ts.Fatalf("validjunit %s: suite %s says %d tests, %d failures; it has %d, %d", args[0], s.Name, s.Tests, s.Failures, len(s.Testcases), f)
		}
		tests += s.Tests
		failures += s.Failures
	}
	if suites.Tests != tests || suites.Failures != failures {
		ts.Fatalf("validjunit %s: totals %d/%d, suites add up to %d/%d", args[0], suites.Tests, suites.Failures, tests, failures)
	}
}
