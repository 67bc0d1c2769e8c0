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

// Patch is a change to the reference solution kept beside it as a diff -u:
// a mutant (a mistake the tests must catch) or a variant (another correct
// solution the tests must accept). Both are read and applied by the same
// code; only their header lines differ.
type Patch struct {
	Name  string            // the file name without .patch: the mistake or the difference in a few words
	Path  string            // absolute path of the patch
	Files map[string][]byte // solution file base name -> patched content (a new file included)
}

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
	Patch
	Mistake  string   // the "Mutant:" line
	CaughtBy []string // the "Caught by:" tests
	Flags    []string // the "Flags:" words
}

// Variant is another correct solution, one a real student would write: a
// patch against the reference solution that every test of the lesson must
// accept (with -race). It lives in solutions/NN-name/variants/<name>.patch,
// in the mutants' format, headed by one line:
//
//	Variant: the reply is written with fmt.Fprintf instead of one Write of a built string.
//
//	--- a/echo.go
//	+++ b/echo.go
//	...
//
// A patch may create a file ("--- /dev/null"): it joins the lesson's package.
type Variant struct {
	Patch
	Differs string // the "Variant:" line
}

// MinVariants is how many variants every lesson keeps at least.
const MinVariants = 3

// EnforceMinVariants makes CheckLayout fail a lesson with fewer than
// MinVariants variants. It is off while the lessons' variants are being
// written; turn it on once every lesson has its three.
const EnforceMinVariants = true

var patchNameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Mutants reads and applies every patch in the lesson's mutants folder.
// A patch that does not parse or apply is an error naming it; the mutants
// that do are returned all the same.
func (l *Lesson) Mutants() ([]*Mutant, error) {
	var out []*Mutant
	err := l.readPatches("mutants", func(p *Patch, header map[string]string) error {
		m := &Mutant{Patch: *p, Mistake: header["Mutant"]}
		for _, t := range strings.Split(header["Caught by"], ",") {
			if t = strings.TrimSpace(t); t != "" {
				m.CaughtBy = append(m.CaughtBy, t)
			}
		}
		m.Flags = strings.Fields(header["Flags"])
		if m.Mistake == "" || len(m.CaughtBy) == 0 {
			return errors.New("the patch must start with a \"Mutant: <the mistake>\" line and a \"Caught by: TestStepN_Name\" line")
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// Variants reads and applies every patch in the lesson's variants folder,
// as Mutants does.
func (l *Lesson) Variants() ([]*Variant, error) {
	var out []*Variant
	err := l.readPatches("variants", func(p *Patch, header map[string]string) error {
		v := &Variant{Patch: *p, Differs: header["Variant"]}
		if v.Differs == "" {
			return errors.New("the patch must start with a \"Variant: <how it differs from the reference>\" line")
		}
		if _, ok := header["Caught by"]; ok {
			return errors.New("a variant is a correct solution: no test catches it (a \"Caught by\" line belongs in a mutant)")
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// readPatches reads solutions/NN-name/<folder>/*.patch in name order and
// passes each applied patch with its header lines ("Key: value" before the
// diff) to keep. Errors name the patch.
func (l *Lesson) readPatches(folder string, keep func(*Patch, map[string]string) error) error {
	dir := filepath.Join(l.SolutionDir, folder)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		rel := filepath.Join("solutions", l.Name, folder, e.Name())
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".patch") {
			errs = append(errs, fmt.Errorf("%s: only NAME.patch files belong in a %s folder", rel, folder))
			continue
		}
		p, header, err := l.readPatch(filepath.Join(dir, e.Name()), rel)
		if err == nil {
			err = keep(p, header)
			if err != nil {
				err = fmt.Errorf("%s: %w", rel, err)
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// readPatch parses the patch at path (rel names it in errors) and applies
// it to copies of the solution files.
func (l *Lesson) readPatch(path, rel string) (*Patch, map[string]string, error) {
	name := strings.TrimSuffix(filepath.Base(path), ".patch")
	if !patchNameRE.MatchString(name) {
		return nil, nil, fmt.Errorf("%s: name the patch for what it does in lower-case words joined by '-'", rel)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	files, preamble, err := gitdiff.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	header := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(preamble))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.HasPrefix(key, " ") {
			continue
		}
		header[strings.TrimSpace(key)] = strings.TrimSpace(val)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: no diff in the patch (make one with diff -u)", rel)
	}
	p := &Patch{Name: name, Path: path, Files: map[string][]byte{}}
	for _, f := range files {
		if f.IsDelete {
			return nil, nil, fmt.Errorf("%s deletes %s: a patch may change or add solution files, not remove them", rel, f.OldName)
		}
		base := filepath.Base(strings.TrimPrefix(strings.TrimPrefix(f.NewName, "b/"), "a/"))
		if !strings.HasSuffix(base, ".go") || strings.HasSuffix(base, "_test.go") {
			return nil, nil, fmt.Errorf("%s patches %s: only the solution's .go files (not tests)", rel, base)
		}
		var src []byte
		if !f.IsNew {
			src, err = os.ReadFile(filepath.Join(l.SolutionDir, base))
			if err != nil {
				return nil, nil, fmt.Errorf("%s patches %s, which the solution does not have", rel, base)
			}
		} else if isFile(filepath.Join(l.SolutionDir, base)) {
			return nil, nil, fmt.Errorf("%s creates %s, which the solution already has", rel, base)
		}
		relocate(f, src)
		var out bytes.Buffer
		if err := gitdiff.Apply(&out, bytes.NewReader(src), f); err != nil {
			return nil, nil, fmt.Errorf("%s no longer applies to solutions/%s/%s (the solution changed; remake the patch): %w", rel, l.Name, base, err)
		}
		p.Files[base] = out.Bytes()
	}
	return p, header, nil
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
