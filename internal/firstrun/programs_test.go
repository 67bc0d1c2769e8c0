package firstrun

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProgramsUsage builds every lesson's programs and holds each to the
// rules of internal/cli: -h prints a one-line description, the usage and
// the flags, and exits 0; a stray argument or a malformed -addr is one line
// on stderr and exit status 2 (never a server on the default port).
func TestProgramsUsage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every lesson's programs")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	lessons, err := filepath.Glob(filepath.Join(root, "lessons", "[0-9][0-9]-*"))
	require.NoError(t, err)
	bin := t.TempDir()
	for _, l := range lessons {
		if _, err := os.Stat(filepath.Join(l, "cmd")); err != nil {
			continue
		}
		out := filepath.Join(bin, filepath.Base(l)) + string(filepath.Separator)
		cmd := exec.Command("go", "build", "-o", out, "./lessons/"+filepath.Base(l)+"/cmd/...")
		cmd.Dir = root
		b, err := cmd.CombinedOutput()
		require.NoError(t, err, "go build: %s", b)
	}
	progs, err := filepath.Glob(filepath.Join(bin, "*", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, progs)
	for _, p := range progs {
		name := strings.TrimSuffix(filepath.Base(p), ".exe")
		t.Run(filepath.Base(filepath.Dir(p))+"/"+name, func(t *testing.T) {
			code, stdout, stderr := runProgram(t, p, "-h")
			assert.Equal(t, 0, code, "%s -h exits 0; stderr:\n%s", name, stderr)
			lines := strings.Split(stdout, "\n")
			assert.Regexp(t, `^`+name+`: \S.{10,}$`, lines[0], "%s -h opens with a one-line description", name)
			assert.Contains(t, stdout, "usage: "+name, "%s -h shows the usage", name)

			for _, args := range [][]string{{"stray", "-h"}, {"stray1", "stray2", "stray3"}} {
				code, stdout, stderr = runProgram(t, p, args...)
				assert.Equal(t, 2, code, "%s %s is a usage error; stdout:\n%s\nstderr:\n%s", name, strings.Join(args, " "), stdout, stderr)
				assert.Regexp(t, `^`+name+`: [^\n]*"stray[^\n]*\n$`, stderr, "%s %s: one line naming the stray argument", name, strings.Join(args, " "))
			}
			if strings.Contains(helpOf(t, p), "-addr") {
				code, _, stderr = runProgram(t, p, "-addr", "127.0.0.1")
				assert.Equal(t, 2, code, "%s -addr 127.0.0.1 (no port) is a usage error; stderr:\n%s", name, stderr)
				assert.Regexp(t, `^`+name+`: -addr 127\.0\.0\.1: [^\n]*\n$`, stderr, "%s -addr without a port: one line naming -addr", name)
			}
		})
	}
}

func helpOf(t *testing.T, prog string) string {
	_, stdout, _ := runProgram(t, prog, "-h")
	return stdout
}

// runProgram runs prog with args, no stdin, for at most 20 seconds (a
// program that ignored a usage error would listen or wait forever).
func runProgram(t *testing.T, prog string, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "SMTP_PASSWORD=", "SMS_PASSWORD=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	require.NoError(t, ctx.Err(), "%s %q still ran after 20s; stdout:\n%s\nstderr:\n%s", prog, args, stdout.String(), stderr.String())
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%s %q: %v", prog, args, err)
	}
	return cmd.ProcessState.ExitCode(), stdout.String(), stderr.String()
}
