package main

import (
	"context"
	"strings"
	"testing"
)

// TestRunExitStatus checks the status run returns, which the scenarios
// cannot: testscript's "! exec" accepts any failure. A usage error (a flag
// the command does not have, a bad flag value, an unknown command) is 2, as
// CONTRIBUTING.md says for every program; -h is 0. It runs in an empty
// folder, so a command that wrongly went past its flags finds no workbook
// and returns 1, never runs a lesson.
func TestRunExitStatus(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		args   []string
		want   int
		stderr string // a line stderr must hold ("" for -h)
	}{
		{[]string{"test", "-nosuch", "01"}, 2, "kata test: flag provided but not defined: -nosuch"},
		{[]string{"verify", "-nosuch"}, 2, "kata verify: flag provided but not defined: -nosuch"},
		{[]string{"progress", "-nosuch"}, 2, "kata progress: flag provided but not defined: -nosuch"},
		{[]string{"bench", "-count", "-1", "01"}, 2, "kata bench: -count -1: want 1 or more"},
		{[]string{"test", "-step", "x", "01"}, 2, "kata test: invalid value \"x\" for flag -step"},
		{[]string{"nosuch"}, 2, "kata: unknown command \"nosuch\""},
		{[]string{"test", "-h"}, 0, ""},
		{[]string{"help"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr strings.Builder
			got := run(context.Background(), tc.args, &stdout, &stderr)
			if got != tc.want {
				t.Fatalf("kata %s returned exit status %d; want %d (0 success or -h, 1 a failure, 2 a usage error)\nstderr:\n%s",
					strings.Join(tc.args, " "), got, tc.want, stderr.String())
			}
			if tc.stderr == "" {
				return
			}
			if n := strings.Count(stderr.String(), tc.stderr); n != 1 {
				t.Fatalf("kata %s printed %q %d times on stderr; want once\nstderr:\n%s",
					strings.Join(tc.args, " "), tc.stderr, n, stderr.String())
			}
		})
	}
}
