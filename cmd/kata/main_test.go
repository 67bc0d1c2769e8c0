package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// repoRoot is the workbook this package is in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return root
}

// keepGoCache keeps go's build cache where it is for the rest of the test:
// by default it is in XDG_CACHE_HOME, which the launcher's tests move, and
// compiling the tool into an empty cache takes a quarter of a minute.
func keepGoCache(t *testing.T) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOCACHE").Output()
	require.NoError(t, err, "go env GOCACHE")
	t.Setenv("GOCACHE", strings.TrimSpace(string(out)))
}

func TestFindRoot(t *testing.T) {
	t.Setenv(i18n.EnvVar, "en")
	root := repoRoot(t)
	for _, dir := range []string{root, filepath.Join(root, "lessons", "01-layers"), filepath.Join(root, "cmd", "kata")} {
		got, err := findRoot(dir)
		require.NoError(t, err, dir)
		assert.Equal(t, root, got, "from %s", dir)
	}
	_, err := findRoot(t.TempDir())
	assert.ErrorContains(t, err, "no workbook")
}

func TestToolPathIsOnePerCheckout(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", cache)
	a, err := toolPath("/work/a/netkata")
	require.NoError(t, err)
	b, err := toolPath("/work/b/netkata")
	require.NoError(t, err)
	again, err := toolPath("/work/a/netkata")
	require.NoError(t, err)
	assert.NotEqual(t, a, b, "two checkouts, two binaries")
	assert.Equal(t, a, again)
	if runtime.GOOS == "linux" {
		assert.True(t, strings.HasPrefix(a, filepath.Join(cache, "netkata", "bin")+string(filepath.Separator)), "got %s, want it under the user's cache folder", a)
	}
	assert.DirExists(t, filepath.Dir(a))
}

// TestLauncher builds the launcher and runs it as a student would, on a
// machine where the tool was never built: it says at once that it is
// compiling, then the tool runs with the arguments, the output and the
// exit status its own; the next run finds the tool built.
func TestLauncher(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kata tool: seconds (-short leaves it out)")
	}
	keepGoCache(t)
	root := repoRoot(t)
	launcher := filepath.Join(t.TempDir(), "kata")
	build := exec.Command("go", "build", "-o", launcher, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/kata: %s", out)

	cache := t.TempDir()
	kata := func(dir string, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(launcher, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache, i18n.EnvVar+"=en", "NO_COLOR=1")
		var o, e strings.Builder
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else {
			require.NoError(t, err)
		}
		return o.String(), e.String(), code
	}

	stdout, stderr, code := kata(root, "lang")
	assert.Equal(t, 0, code, "stderr:\n%s", stderr)
	assert.True(t, strings.HasPrefix(stderr, "kata: compiling the kata tool for this checkout"), "got stderr %q, want the compiling line first", stderr)
	assert.Contains(t, stdout, "language: English", "the tool ran with the arguments")

	// From a lesson's folder, the same tool; an unknown command is the
	// tool's usage error, exit status 2.
	stdout, stderr, code = kata(filepath.Join(root, "lessons", "02-tcp"), "no-such-command")
	assert.Equal(t, 2, code, "the tool's exit status passes through")
	assert.Contains(t, stderr, "no-such-command")
	assert.NotContains(t, stderr, "compiling", "the tool is built already")
	assert.Empty(t, stdout)

	_, stderr, code = kata(t.TempDir(), "lang")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "kata: no workbook", "outside a workbook the launcher says so")
}

// TestLauncherStaysSmall: the launcher is what a first "go run ./cmd/kata"
// compiles before it can say anything, so it imports the standard library
// and the few small packages it needs, nothing else (golang.org/x/term, the
// tool's packages and their dependencies take seconds more to compile).
func TestLauncherStaysSmall(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".")
	out, err := cmd.Output()
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{
		"github.com/netkata/netkata/cmd/kata",
		"github.com/netkata/netkata/internal/atomicfile", // i18n remembers the language with it
		"github.com/netkata/netkata/internal/i18n",
		"github.com/netkata/netkata/internal/spinner",
	}, strings.Fields(string(out)))
}

// TestToolPathFallsBackToAPrivateTempFolder: without a usable cache
// folder (no HOME, or one the user cannot write) the tool is built in the
// temporary folder, in a folder of the user's own that nobody else can
// write; the launcher never runs a binary from a folder another user
// could have made.
func TestToolPathFallsBackToAPrivateTempFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("unix permissions")
	}
	cases := []struct {
		name    string
		cache   func(t *testing.T) string // XDG_CACHE_HOME ("" unset)
		planted os.FileMode               // the temp folder's mode before the launcher runs (0: none)
		wantErr string
	}{
		{"no HOME, no XDG_CACHE_HOME", func(*testing.T) string { return "" }, 0, ""},
		{"a cache folder that cannot be made", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "a-file")
			require.NoError(t, os.WriteFile(f, nil, 0o644))
			return f
		}, 0, ""},
		{"a temp folder of ours already", func(*testing.T) string { return "" }, 0o700, ""},
		{"a temp folder others can write", func(*testing.T) string { return "" }, 0o777, "others can write"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			t.Setenv("HOME", "")
			t.Setenv("XDG_CACHE_HOME", c.cache(t))
			private := filepath.Join(tmp, fmt.Sprintf("netkata-%d", os.Getuid()))
			if c.planted != 0 {
				require.NoError(t, os.Mkdir(private, 0o700))
				require.NoError(t, os.Chmod(private, c.planted))
			}
			got, err := toolPath("/work/a/netkata")
			if c.wantErr != "" {
				require.Error(t, err, "toolPath = %s", got)
				assert.Contains(t, err.Error(), c.wantErr)
				assert.Contains(t, err.Error(), private, "the error names the folder")
				return
			}
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(got, private+string(filepath.Separator)), "toolPath = %s, want it under %s", got, private)
			fi, err := os.Stat(private)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm(), "%s is the user's alone", private)
		})
	}
}

// TestLauncherSaysItWaits: a launcher that waits for another one to
// finish compiling (two terminals, a cold machine) says at once that the
// tool is being compiled, rather than nothing for as long as that takes.
func TestLauncherSaysItWaits(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kata tool: seconds (-short leaves it out)")
	}
	t.Setenv(i18n.EnvVar, "en")
	keepGoCache(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	root := repoRoot(t)
	t.Chdir(root)
	bin, err := toolPath(root)
	require.NoError(t, err)
	unlock, err := lockBuild(bin + ".lock") // the other launcher, compiling
	require.NoError(t, err)

	r, w := io.Pipe()
	built := make(chan error, 1)
	go func() {
		_, err := buildTool(w)
		w.Close()
		built <- err
	}()
	lines := make(chan string, 1)
	go func() {
		defer close(lines)
		line, _ := bufio.NewReader(r).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, r)
	}()
	select {
	case line := <-lines:
		assert.Equal(t, "kata: "+i18n.Tr("launch.first")+"...\n", line)
	case <-time.After(10 * time.Second):
		t.Errorf("the launcher waited 10s for the lock without a word")
	}
	unlock()
	select {
	case err := <-built:
		require.NoError(t, err)
	case <-time.After(5 * time.Minute):
		t.Fatal("buildTool still running 5m after the lock was free")
	}
	<-lines
}
