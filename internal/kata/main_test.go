package main

import (
	"context"
	"os"
	"testing"

	"github.com/netkata/netkata/internal/leakcheck"
)

// TestMain registers kata itself as a command for the scenarios in
// testscripts/kata, and checks for leaked goroutines.
func TestMain(m *testing.M) {
	// kata's own tests (watch_test.go runs watch in-process) need no race
	// builds of the fixtures; testscripts/kata/test.txtar checks -race.
	if os.Getenv("NETKATA_RACE") == "" {
		os.Setenv("NETKATA_RACE", "0")
	}
	leakcheck.Main(m, map[string]func(){
		"kata": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}
