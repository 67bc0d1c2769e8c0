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
	leakcheck.Main(m, map[string]func(){
		"kata": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}
