package grading

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
)

// SealPackage is the folder, under the grading copy's root, of the package
// the grader writes into every copy (and nowhere else).
const SealPackage = "internal/katagradeseal"

// SealTest is the test the grader adds to every lesson; it runs last.
const SealTest = "TestKataGradeSeal"

// sealSource is the seal package. Every graded lesson package imports it,
// so its init runs before any of the submission's code (Go initialises a
// package's imports first). It takes the run's nonce from stdin, where only
// the grader wrote it, before the submission can read it; SealTest, the
// last test of each run, prints the nonce with the test flags in force and
// whether stdout is still the harness's. A run whose output lacks that
// line never reached the end of the official harness.
const sealSource = `// Package katagradeseal exists only in kata grade's grading copy: it proves
// that a test run reached the official harness's last test.
package katagradeseal

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
)

var (
	nonce      string
	stdout     *os.File
	stdoutInfo os.FileInfo
)

func init() {
	if os.Getenv("KATA_GRADE_SEAL") != "1" {
		return
	}
	os.Unsetenv("KATA_GRADE_SEAL")
	b, _ := io.ReadAll(io.LimitReader(os.Stdin, 256))
	nonce = strings.TrimSpace(string(b))
	stdout = os.Stdout
	stdoutInfo, _ = os.Stdout.Stat()
}

// Seal prints the seal line (see kata grade).
func Seal() {
	if nonce == "" {
		return
	}
	fi, _ := stdout.Stat()
	same := os.Stdout == stdout && stdoutInfo != nil && fi != nil && os.SameFile(stdoutInfo, fi)
	v := url.Values{}
	for _, name := range []string{"test.run", "test.skip", "test.shuffle", "test.count", "test.failfast", "test.list", "test.short", "test.paniconexit0"} {
		if f := flag.Lookup(name); f != nil {
			v.Set(name, f.Value.String())
		}
	}
	v.Set("stdout", strconv.FormatBool(same))
	fmt.Fprintf(stdout, "\nKATA-GRADE-SEAL %s %s\n", nonce, v.Encode())
}
`

// writeSealPackage writes the seal package into the grading copy at root.
func writeSealPackage(root string) error {
	dir := filepath.Join(root, filepath.FromSlash(SealPackage))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "seal.go"), []byte(sealSource), 0o644)
}

// InjectSeal adds the seal to the lesson package in dir (package pkg of
// module mod): a file importing it and an external test calling it.
// Submitted files of the same names are replaced.
func InjectSeal(dir, mod, pkg string) error {
	files := map[string]string{
		"zz_katagrade_seal.go":      fmt.Sprintf("package %s\n\nimport _ %q\n", pkg, mod+"/"+SealPackage),
		"zz_katagrade_seal_test.go": fmt.Sprintf("package %s_test\n\nimport (\n\t\"testing\"\n\n\tseal %q\n)\n\nfunc %s(t *testing.T) { seal.Seal() }\n", pkg, mod+"/"+SealPackage, SealTest),
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.Remove(p)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// newNonce returns a fresh random nonce.
func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
