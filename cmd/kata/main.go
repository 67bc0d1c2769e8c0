// Command kata is the workbook's tool for students, instructors and
// maintainers.
//
//	go run ./cmd/kata                 your progress and the next thing to do
//	go run ./cmd/kata verify          the maintainer's check (the project's test command)
//	go run ./cmd/kata overlay 01      write the overlay that swaps stubs for solutions
//
// Run "go run ./cmd/kata help" for every command.
//
// This program is only the launcher: it compiles the tool (internal/kata)
// into the user's cache folder and runs it there. On a machine that never
// built it, "go run" of the whole tool would compile for a quarter of a
// minute without a word; the launcher is small, so it says what is
// happening within seconds, and go build's cache makes every later start
// quick.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/spinner"
)

func main() {
	bin, err := buildTool(os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kata: %v\n", err)
		os.Exit(1)
	}
	os.Exit(runTool(bin, os.Args[1:]))
}

// toolPackage is the tool's main package, relative to the workbook's root.
const toolPackage = "./internal/kata"

// rebuildQuiet is how long an up-to-date check or a small rebuild may take
// before the launcher says it is compiling.
const rebuildQuiet = time.Second

// buildTool compiles the tool of the workbook that holds the current
// folder, unless go build finds the binary up to date, and returns the
// binary's path. A first build says so at once on stderr, a rebuild after
// rebuildQuiet.
func buildTool(stderr io.Writer) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, err := findRoot(wd)
	if err != nil {
		return "", err
	}
	bin, err := toolPath(root)
	if err != nil {
		return "", err
	}
	what, after := i18n.Tr("launch.rebuild"), rebuildQuiet
	if _, err := os.Stat(bin); err != nil {
		what, after = i18n.Tr("launch.first"), 0
	}
	// The spinner starts before the lock: waiting for another launcher's
	// compile is waiting for the compile.
	stop := spinner.Start(stderr, what, after, isTerminal(stderr))
	// Two launchers at once (kata watch in one terminal, kata in another)
	// take turns: the second finds the tool built and never runs a binary
	// the first is still writing.
	unlock, err := lockBuild(bin + ".lock")
	if err != nil {
		stop()
		return "", err
	}
	defer unlock()
	cmd := exec.Command("go", "build", "-o", bin, toolPackage)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	stop()
	if err != nil {
		stderr.Write(out.Bytes())
		return "", fmt.Errorf("compile the kata tool (go build %s): %w", toolPackage, err)
	}
	return bin, nil
}

// findRoot returns the workbook holding dir: the nearest folder at or
// above it with go.mod and the tool's package.
func findRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if isFile(filepath.Join(d, "go.mod")) && isFile(filepath.Join(d, toolPackage, "main.go")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New(i18n.Tr("workbook.none", dir))
		}
	}
}

// toolPath is where the tool of the workbook at root is built: the user's
// cache folder, one binary per checkout, so that two checkouts do not
// rebuild each other's.
func toolPath(root string) (string, error) {
	h := fnv.New64a()
	h.Write([]byte(root))
	dir, err := binDir(filepath.Join("netkata", "bin", fmt.Sprintf("%016x", h.Sum64())))
	if err != nil {
		return "", err
	}
	name := "kata"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	return filepath.Join(dir, name), nil
}

// binDir makes the folder sub of the user's cache folder and returns its
// path. Without a cache folder the user can write (no HOME, a read-only
// one), it uses a folder of the user's own in the temporary folder, which
// other users share: one that another user made, or could write in, might
// hold their program, so the launcher refuses it.
func binDir(sub string) (string, error) {
	cache, cacheErr := os.UserCacheDir()
	if cacheErr == nil {
		d := filepath.Join(cache, sub)
		if cacheErr = os.MkdirAll(d, 0o755); cacheErr == nil {
			return d, nil
		}
	}
	tmp := filepath.Join(os.TempDir(), fmt.Sprintf("netkata-%d", os.Getuid()))
	if err := os.Mkdir(tmp, 0o700); err != nil && !os.IsExist(err) {
		return "", fmt.Errorf("no folder to build the tool in: %v; %v", cacheErr, err)
	}
	if err := ownFolder(tmp); err != nil {
		return "", fmt.Errorf("no folder to build the tool in: %v; %v (remove it, or set XDG_CACHE_HOME to a folder of yours)", cacheErr, err)
	}
	d := filepath.Join(tmp, sub)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", err
	}
	return d, nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// isTerminal reports whether w is a character device: a terminal (or
// /dev/null, where a spinner harms nobody). The launcher leaves out
// golang.org/x/term to compile quickly; the tool uses it.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
