package workbook

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// Mutant is a plausible wrong solution: a patch against the reference
// solution that the lesson's tests must reject. It lives in
// solutions/NN-name/mutants/<name>.patch:
//
//	Mutant: the carry out of the top bit is dropped instead of folded back.
//	Caught by: TestStep3_Checksum
//
//	--- a/checksum.go
//	+++ b/checksum.go
//	@@ -20,7 +20,7 @@
//	...
//
// "Caught by" names the test (or tests, comma-separated) that must fail
// with the mutant in place; an optional "Flags: -race" line adds go test
// flags (for a mistake only the race detector sees).
type Mutant struct {
	Name     string            // the file name without .patch: the mistake in a few words
	Path     string            // absolute path of the patch
	Mistake  string            // the "Mutant:" line
	CaughtBy []string          // the "Caught by:" tests
	Flags    []string          // the "Flags:" words
	Files    map[string][]byte // solution file base name -> patched content
}

var mutantNameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Mutants reads and applies every patch in the lesson's mutants folder.
// A patch that does not parse or apply is an error naming it; the mutants
// that do are returned all the same.
func (l *Lesson) Mutants() ([]*Mutant, error) {
	dir := filepath.Join(l.SolutionDir, "mutants")
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []*Mutant
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".patch") {
			errs = append(errs, fmt.Errorf("%s: only NAME.patch files belong in a mutants folder", filepath.Join("solutions", l.Name, "mutants", e.Name())))
			continue
		}
		m, err := l.readMutant(filepath.Join(dir, e.Name()))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, m)
	}
	return out, errors.Join(errs...)
}

func (l *Lesson) readMutant(path string) (*Mutant, error) {
	rel := filepath.Join("solutions", l.Name, "mutants", filepath.Base(path))
	name := strings.TrimSuffix(filepath.Base(path), ".patch")
	if !mutantNameRE.MatchString(name) {
		return nil, fmt.Errorf("%s: name a mutant for its mistake in lower-case words joined by '-'", rel)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	files, preamble, err := gitdiff.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", rel, err)
	}
	m := &Mutant{Name: name, Path: path, Files: map[string][]byte{}}
	sc := bufio.NewScanner(strings.NewReader(preamble))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		switch strings.TrimSpace(key) {
		case "Mutant":
			m.Mistake = val
		case "Caught by":
			for _, t := range strings.Split(val, ",") {
				if t = strings.TrimSpace(t); t != "" {
					m.CaughtBy = append(m.CaughtBy, t)
				}
			}
		case "Flags":
			m.Flags = strings.Fields(val)
		}
	}
	if m.Mistake == "" || len(m.CaughtBy) == 0 {
		return nil, fmt.Errorf("%s: the patch must start with a \"Mutant: <the mistake>\" line and a \"Caught by: TestStepN_Name\" line", rel)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no diff in the patch (make one with diff -u)", rel)
	}
	for _, f := range files {
		base := filepath.Base(strings.TrimPrefix(strings.TrimPrefix(f.NewName, "b/"), "a/"))
		src, err := os.ReadFile(filepath.Join(l.SolutionDir, base))
		if err != nil {
			return nil, fmt.Errorf("%s patches %s, which the solution does not have", rel, base)
		}
		relocate(f, src)
		var out bytes.Buffer
		if err := gitdiff.Apply(&out, bytes.NewReader(src), f); err != nil {
			return nil, fmt.Errorf("%s no longer applies to solutions/%s/%s (the solution changed; remake the patch): %w", rel, l.Name, base, err)
		}
		m.Files[base] = out.Bytes()
	}
	return m, nil
}

// relocate moves each hunk of f to where its old lines are now in src, as
// patch(1) does with an offset: a solution edited above a mutant's change
// shifts line numbers, not the mistake. A hunk whose old lines are not found
// exactly once is left where it was, and Apply reports the conflict.
func relocate(f *gitdiff.File, src []byte) {
	lines := strings.SplitAfter(string(src), "\n")
	for _, frag := range f.TextFragments {
		var old []string
		for _, l := range frag.Lines {
			if l.Old() {
				old = append(old, l.Line)
			}
		}
		if len(old) == 0 {
			continue
		}
		at, found := -1, 0
		for i := 0; i+len(old) <= len(lines); i++ {
			match := true
			for j := range old {
				if lines[i+j] != old[j] {
					match = false
					break
				}
			}
			if match {
				at, found = i, found+1
			}
		}
		if found == 1 {
			shift := int64(at+1) - frag.OldPosition
			frag.OldPosition += shift
			frag.NewPosition += shift
		}
	}
}
