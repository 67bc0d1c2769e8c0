package workbook

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/netkata/netkata/internal/atomicfile"
)

// Mutation testing: an independent tool, gremlins, makes small mechanical
// changes (mutants) to a lesson's reference solution and runs the lesson's
// tests against each. A mutant the tests let through is LIVED; one on a line
// no test runs is NOT COVERED. The figures are gremlins' own:
//
//	efficacy       = killed / (killed + lived)
//	mutant coverage = (killed + lived) / (killed + lived + not covered)
//
// with the mutants listed in solutions/NN-name/equivalent-mutants.txt left
// out of both (no behaviour can tell such a mutant from the solution).
const (
	// GremlinsInstall is the go install argument for the gremlins release
	// the figures are made with.
	GremlinsInstall = "github.com/go-gremlins/gremlins/cmd/gremlins@v0.6.0"
	// MinEfficacy and MinMutantCoverage are the bar every lesson meets, in percent.
	MinEfficacy       = 95.0
	MinMutantCoverage = 90.0
	// GremlinsTimeoutCoefficient multiplies the time of the coverage run into
	// each mutant's time limit. gremlins' default (3) times out mutants whose
	// only cost is a rebuild on a busy machine.
	GremlinsTimeoutCoefficient = 10
	// EquivalentMutantsFile and MutationBaselineFile live in the lesson's
	// solution folder.
	EquivalentMutantsFile = "equivalent-mutants.txt"
	MutationBaselineFile  = "mutation-baseline.txt"
)

// Gremlins' mutant statuses, as its JSON output spells them.
const (
	MutantKilled     = "KILLED"
	MutantLived      = "LIVED"
	MutantNotCovered = "NOT COVERED"
	MutantTimedOut   = "TIMED OUT"
	MutantNotViable  = "NOT VIABLE"
)

// GremlinsMutant is one mutant gremlins made and what became of it.
type GremlinsMutant struct {
	File    string // relative to the solution folder: "web.go"
	Line    int
	Col     int
	Mutator string // "CONDITIONALS_NEGATION", ...
	Status  string // MutantKilled, ...
}

// Key names the mutant as equivalent-mutants.txt does: "web.go:150:16 CONDITIONALS_NEGATION".
func (m GremlinsMutant) Key() string {
	return fmt.Sprintf("%s:%d:%d %s", m.File, m.Line, m.Col, m.Mutator)
}

var mutatorRE = regexp.MustCompile(`^[A-Z]+(_[A-Z]+)*$`)

// ParseGremlinsJSON reads gremlins' -o output.
func ParseGremlinsJSON(r io.Reader) ([]GremlinsMutant, error) {
	var out struct {
		Files []struct {
			FileName  string `json:"file_name"`
			Mutations []struct {
				Type   string `json:"type"`
				Status string `json:"status"`
				Line   int    `json:"line"`
				Column int    `json:"column"`
			} `json:"mutations"`
		} `json:"files"`
	}
	if err := json.NewDecoder(r).Decode(&out); err != nil {
		return nil, fmt.Errorf("gremlins output: %w", err)
	}
	var ms []GremlinsMutant
	for _, f := range out.Files {
		for _, m := range f.Mutations {
			ms = append(ms, GremlinsMutant{File: filepath.ToSlash(f.FileName), Line: m.Line, Col: m.Column, Mutator: m.Type, Status: m.Status})
		}
	}
	sortMutants(ms)
	return ms, nil
}

func sortMutants(ms []GremlinsMutant) {
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return a.Mutator < b.Mutator
	})
}

// EquivalentMutants reads the lesson's equivalent-mutants.txt: one mutant
// a line, its position as the mutation report prints it, then why no
// behaviour can tell it apart:
//
//	# file:line:col MUTATOR  reason
//	web.go:163:50 CONDITIONALS_BOUNDARY  '9' is compared with <= and <; ...
//
// Blank lines and lines starting with # are ignored. A missing file is an
// empty list. The map is keyed by GremlinsMutant.Key.
func (l *Lesson) EquivalentMutants() (map[string]string, error) {
	path := filepath.Join(l.SolutionDir, EquivalentMutantsFile)
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseEquivalentMutants(f, filepath.Join("solutions", l.Name, EquivalentMutantsFile))
}

// ParseEquivalentMutants parses the format of Lesson.EquivalentMutants;
// name prefixes its errors.
func ParseEquivalentMutants(r io.Reader, name string) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		bad := func(why string) error {
			return fmt.Errorf("%s:%d: %s; want \"file.go:LINE:COL MUTATOR reason\"", name, n, why)
		}
		if len(f) < 2 {
			return nil, bad("no mutator")
		}
		pos := strings.Split(f[0], ":")
		if len(pos) != 3 || !strings.HasSuffix(pos[0], ".go") {
			return nil, bad(fmt.Sprintf("%q is not file.go:LINE:COL", f[0]))
		}
		ln, err1 := strconv.Atoi(pos[1])
		col, err2 := strconv.Atoi(pos[2])
		if err1 != nil || err2 != nil || ln < 1 || col < 1 {
			return nil, bad(fmt.Sprintf("%q is not file.go:LINE:COL", f[0]))
		}
		if !mutatorRE.MatchString(f[1]) {
			return nil, bad(fmt.Sprintf("%q is not a mutator name like CONDITIONALS_NEGATION", f[1]))
		}
		if len(f) < 3 {
			return nil, bad("no reason: say in one line why no behaviour can tell the mutant apart")
		}
		key := GremlinsMutant{File: pos[0], Line: ln, Col: col, Mutator: f[1]}.Key()
		if _, dup := out[key]; dup {
			return nil, bad(key + " is listed twice")
		}
		out[key] = strings.Join(f[2:], " ")
	}
	return out, sc.Err()
}

// MutationFigures is a lesson's mutation score, judged against its list of
// equivalent mutants.
type MutationFigures struct {
	Killed, Lived, NotCovered, TimedOut, NotViable int // as gremlins reported them
	Equivalent                                     int // listed mutants left out of the figures
	Efficacy, Coverage                             float64
	Survivors                                      []GremlinsMutant // LIVED and not listed: each fails the check
	Uncovered                                      []GremlinsMutant // NOT COVERED and not listed
	TimedOuts                                      []GremlinsMutant
	Problems                                       []string // every reason the lesson fails: survivors, stale list entries, the bar
}

// JudgeMutation computes the figures of ms with the mutants in equivalent
// left out and lists what fails the check.
func JudgeMutation(ms []GremlinsMutant, equivalent map[string]string) *MutationFigures {
	f := &MutationFigures{}
	seen := map[string]bool{}
	for _, m := range ms {
		listed := false
		if _, ok := equivalent[m.Key()]; ok {
			listed = true
			seen[m.Key()] = true
		}
		switch m.Status {
		case MutantKilled:
			f.Killed++
			if listed {
				f.Problems = append(f.Problems, fmt.Sprintf("%s is listed as equivalent, but the tests kill it: remove it from %s", m.Key(), EquivalentMutantsFile))
			}
		case MutantLived:
			f.Lived++
			if listed {
				f.Equivalent++
			} else {
				f.Survivors = append(f.Survivors, m)
			}
		case MutantNotCovered:
			f.NotCovered++
			if listed {
				f.Equivalent++
			} else {
				f.Uncovered = append(f.Uncovered, m)
			}
		case MutantTimedOut:
			f.TimedOut++
			f.TimedOuts = append(f.TimedOuts, m)
		case MutantNotViable:
			f.NotViable++
		}
	}
	var stale []string
	for k := range equivalent {
		if !seen[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	for _, k := range stale {
		f.Problems = append(f.Problems, fmt.Sprintf("%s is listed in %s, but gremlins made no such mutant (the solution changed? take the position from the report)", k, EquivalentMutantsFile))
	}
	for _, m := range f.Survivors {
		f.Problems = append(f.Problems, fmt.Sprintf("%s LIVED: the tests pass with it; add a test that fails for it, or list it in %s if no behaviour can tell it apart", m.Key(), EquivalentMutantsFile))
	}
	lived := len(f.Survivors) // the listed ones are left out
	f.Efficacy, f.Coverage = 100, 100
	if f.Killed+lived > 0 {
		f.Efficacy = 100 * float64(f.Killed) / float64(f.Killed+lived)
	}
	if n := f.Killed + lived + len(f.Uncovered); n > 0 {
		f.Coverage = 100 * float64(f.Killed+lived) / float64(n)
	}
	if f.Efficacy < MinEfficacy {
		f.Problems = append(f.Problems, fmt.Sprintf("efficacy %.1f%% is under the bar of %.0f%%", f.Efficacy, MinEfficacy))
	}
	if f.Coverage < MinMutantCoverage {
		f.Problems = append(f.Problems, fmt.Sprintf("mutant coverage %.1f%% is under the bar of %.0f%%: %d mutants are on lines no test runs", f.Coverage, MinMutantCoverage, len(f.Uncovered)))
	}
	return f
}

// MutationTree is a throw-away copy of the module in which the lesson's
// stubs are replaced by its solution files, the tree gremlins mutates.
type MutationTree struct {
	Root    string   // the copy's root (holding go.mod)
	Package string   // the lesson folder, relative to Root: "lessons/02-tcp"
	Exclude []string // gremlins -E patterns: the files that are not student code
	Inputs  string   // hash of every file the outcome depends on
}

// MaterialiseSolution copies into dst (which must not exist) what the
// lesson's tests need: go.mod, go.sum, vendor/, internal/, the lesson folder
// with the solution files over the stubs, and its testscripts folder. Only
// the solution files are mutated: files marked NotEdited (lesson.go,
// programs.go: flag parsing and wiring the workbook provides, not student
// code) and subfolders (cmd/, testdata/) are excluded.
func (l *Lesson) MaterialiseSolution(root, dst string) (*MutationTree, error) {
	t := &MutationTree{Root: dst, Package: "lessons/" + l.Name}
	if err := os.Mkdir(dst, 0o777); err != nil {
		return nil, err
	}
	for _, p := range []string{"go.mod", "go.sum", "vendor", "internal", filepath.Join("testscripts", l.Name)} {
		if err := copyTree(filepath.Join(root, p), filepath.Join(dst, p)); err != nil && !os.IsNotExist(err) {
			return nil, err
		}
	}
	lessonDst := filepath.Join(dst, "lessons", l.Name)
	if err := copyTree(l.Dir, lessonDst); err != nil {
		return nil, err
	}
	stubs, err := l.StubFiles()
	if err != nil {
		return nil, err
	}
	stubSet := map[string]bool{}
	for _, s := range stubs {
		stubSet[s] = true
		if err := copyFile(filepath.Join(l.SolutionDir, s), filepath.Join(lessonDst, s)); err != nil {
			return nil, fmt.Errorf("solution of %s: %w", s, err)
		}
	}
	entries, err := os.ReadDir(lessonDst)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		switch {
		case e.IsDir():
			t.Exclude = append(t.Exclude, "^"+regexp.QuoteMeta(e.Name())+"/")
		case strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") && !stubSet[e.Name()]:
			t.Exclude = append(t.Exclude, "^"+regexp.QuoteMeta(e.Name())+"$")
		}
	}
	t.Inputs, err = t.hashInputs(l)
	return t, err
}

// hashInputs hashes what decides the lesson's mutation outcome: the lesson
// folder (solution in place), its scenarios, the non-standard packages its
// tests import outside vendor/, vendor/modules.txt and the gremlins setup.
func (t *MutationTree) hashInputs(l *Lesson) (string, error) {
	cmd := exec.Command("go", "list", "-deps", "-test", "-f", "{{if not .Standard}}{{.Dir}}{{end}}", "./"+t.Package)
	cmd.Dir = t.Root
	b, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		return "", fmt.Errorf("go list the lesson's dependencies: %w\n%s", err, msg)
	}
	dirs := map[string]bool{
		filepath.Join(t.Root, t.Package):               true,
		filepath.Join(t.Root, "testscripts", l.Name):   true,
		filepath.Join(t.Root, "vendor", "modules.txt"): true,
		filepath.Join(t.Root, "go.mod"):                true,
	}
	for _, d := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if d != "" && !strings.HasPrefix(d, filepath.Join(t.Root, "vendor")+string(filepath.Separator)) && strings.HasPrefix(d, t.Root) {
			dirs[d] = true
		}
	}
	var files []string
	for d := range dirs {
		err := filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if e.Type().IsRegular() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			return "", err
		}
	}
	sort.Strings(files)
	h := sha256.New()
	fmt.Fprintf(h, "%s\ncoefficient %d\n%s\n", GremlinsInstall, GremlinsTimeoutCoefficient, caseMutantsVersion)
	for _, p := range files {
		rel, _ := filepath.Rel(t.Root, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// MutationBaseline is the outcome of the last full mutation run of a
// lesson, committed as solutions/NN-name/mutation-baseline.txt, so CI runs
// gremlins only for the lessons whose inputs changed since.
type MutationBaseline struct {
	Inputs  string
	Elapsed time.Duration
	Mutants []GremlinsMutant
}

// ReadMutationBaseline reads the lesson's baseline; a missing one is nil, nil.
func (l *Lesson) ReadMutationBaseline() (*MutationBaseline, error) {
	b, err := os.ReadFile(filepath.Join(l.SolutionDir, MutationBaselineFile))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	bl := &MutationBaseline{}
	for n, line := range strings.Split(string(b), "\n") {
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "inputs: "):
			bl.Inputs = strings.TrimPrefix(line, "inputs: ")
		case strings.HasPrefix(line, "elapsed: "):
			bl.Elapsed, _ = time.ParseDuration(strings.TrimPrefix(line, "elapsed: "))
		default:
			status, rest, _ := strings.Cut(line, "\t")
			pos, mutator, _ := strings.Cut(rest, " ")
			mutator, _, _ = strings.Cut(mutator, "\t")
			p := strings.Split(pos, ":")
			var ln, col int
			var err1, err2 error
			if len(p) == 3 {
				ln, err1 = strconv.Atoi(p[1])
				col, err2 = strconv.Atoi(p[2])
			}
			if len(p) != 3 || err1 != nil || err2 != nil || mutator == "" {
				return nil, fmt.Errorf("solutions/%s/%s:%d: not a baseline line (remake it with kata verify -mutation -write)", l.Name, MutationBaselineFile, n+1)
			}
			bl.Mutants = append(bl.Mutants, GremlinsMutant{File: p[0], Line: ln, Col: col, Mutator: strings.TrimSpace(mutator), Status: status})
		}
	}
	if bl.Inputs == "" {
		return nil, fmt.Errorf("solutions/%s/%s has no inputs: line", l.Name, MutationBaselineFile)
	}
	return bl, nil
}

// WriteMutationBaseline writes bl as the lesson's baseline (temp + rename),
// each mutant with its source line for the reader.
func (l *Lesson) WriteMutationBaseline(bl *MutationBaseline) error {
	var sb strings.Builder
	f := JudgeMutation(bl.Mutants, nil)
	fmt.Fprintf(&sb, "# Written by `go run ./cmd/kata verify -mutation -lesson %s -write`; do not edit.\n", l.ID)
	fmt.Fprintf(&sb, "# gremlins (%s) on the reference solution: killed %d, lived %d, not covered %d, timed out %d, not viable %d\n",
		GremlinsInstall, f.Killed, f.Lived, f.NotCovered, f.TimedOut, f.NotViable)
	fmt.Fprintf(&sb, "# before equivalent mutants are left out: efficacy %.1f%%, mutant coverage %.1f%%\n", f.Efficacy, f.Coverage)
	fmt.Fprintf(&sb, "inputs: %s\nelapsed: %s\n", bl.Inputs, bl.Elapsed.Round(time.Second))
	src := map[string][]string{}
	for _, m := range bl.Mutants {
		if src[m.File] == nil {
			b, _ := os.ReadFile(filepath.Join(l.SolutionDir, m.File))
			src[m.File] = strings.Split(string(b), "\n")
		}
		text := ""
		if lines := src[m.File]; m.Line <= len(lines) {
			text = strings.TrimSpace(lines[m.Line-1])
		}
		fmt.Fprintf(&sb, "%s\t%s\t%s\n", m.Status, m.Key(), text)
	}
	return atomicfile.WriteFile(filepath.Join(l.SolutionDir, MutationBaselineFile), []byte(sb.String()), 0o644)
}

// SourceLine returns line n of the lesson's solution file, trimmed.
func (l *Lesson) SourceLine(file string, n int) string {
	b, err := os.ReadFile(filepath.Join(l.SolutionDir, file))
	if err != nil {
		return ""
	}
	lines := strings.Split(string(b), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimSpace(lines[n-1])
}

// copyTree copies the file or folder src to dst (regular files and folders only).
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o777)
		case d.Type().IsRegular():
			return copyFile(p, target)
		}
		return nil
	})
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o666)
}
