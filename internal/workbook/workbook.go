// Package workbook knows the shape of the netkata repository: where the
// lessons, their stubs, solutions, mutants, hints and README steps are, and
// how to run a lesson's tests against the student's code or the reference.
// The kata tool is built on it; it holds no lesson logic.
package workbook

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/textwidth"
)

// NotEdited is the first comment line of every lesson file a student never
// edits (lesson.go, programs.go, cmd/...). Such files have no solution.
const NotEdited = "// You don't need to edit this file."

// Workbook is a checkout of the repository.
type Workbook struct {
	Root    string    // absolute path of the folder holding go.mod
	Module  string    // the module path go.mod declares
	Lessons []*Lesson // in number order
	Strays  []string  // entries of lessons/ or solutions/ that are not lessons
}

// Lesson is one numbered lesson.
type Lesson struct {
	ImportPath  string // "github.com/netkata/netkata/lessons/01-layers"
	ID          string // "01"
	Name        string // "01-layers"
	Dir         string // absolute path of lessons/01-layers
	SolutionDir string // absolute path of solutions/01-layers
	ScriptDir   string // absolute path of testscripts/01-layers
}

var lessonRE = regexp.MustCompile(`^(\d\d)-[a-z0-9]+(-[a-z0-9]+)*$`)

// Find returns the workbook containing dir: the nearest folder at or above
// dir that holds both go.mod and lessons/.
func Find(dir string) (*Workbook, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if isFile(filepath.Join(d, "go.mod")) && isDir(filepath.Join(d, "lessons")) {
			return Open(d)
		}
		if filepath.Dir(d) == d {
			return nil, fmt.Errorf("%s", i18n.Tr("workbook.none", abs))
		}
	}
}

// Open reads the workbook rooted at root.
func Open(root string) (*Workbook, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	w := &Workbook{Root: root}
	if b, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if m, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
				w.Module = strings.Trim(strings.TrimSpace(m), `"`)
				break
			}
		}
	}
	entries, err := os.ReadDir(filepath.Join(root, "lessons"))
	if err != nil {
		return nil, fmt.Errorf("read lessons: %w", err)
	}
	names := map[string]bool{}
	for _, e := range entries {
		if filepath.Join("lessons", e.Name()) == filepath.FromSlash(StubSumsFile) && e.Type().IsRegular() {
			continue
		}
		if !e.IsDir() || !lessonRE.MatchString(e.Name()) {
			w.Strays = append(w.Strays, filepath.Join("lessons", e.Name()))
			continue
		}
		names[e.Name()] = true
		w.Lessons = append(w.Lessons, &Lesson{
			ImportPath:  w.Module + "/lessons/" + e.Name(),
			ID:          e.Name()[:2],
			Name:        e.Name(),
			Dir:         filepath.Join(root, "lessons", e.Name()),
			SolutionDir: filepath.Join(root, "solutions", e.Name()),
			ScriptDir:   filepath.Join(root, "testscripts", e.Name()),
		})
	}
	if sol, err := os.ReadDir(filepath.Join(root, "solutions")); err == nil {
		for _, e := range sol {
			if !names[e.Name()] {
				w.Strays = append(w.Strays, filepath.Join("solutions", e.Name()))
			}
		}
	}
	sort.Slice(w.Lessons, func(i, j int) bool { return w.Lessons[i].Name < w.Lessons[j].Name })
	return w, nil
}

// Lesson returns the lesson named by id: "1", "01" or "01-layers".
func (w *Workbook) Lesson(id string) (*Lesson, error) {
	if len(id) == 1 {
		id = "0" + id
	}
	for _, l := range w.Lessons {
		if l.ID == id || l.Name == id {
			return l, nil
		}
	}
	var have []string
	for _, l := range w.Lessons {
		have = append(have, l.Name)
	}
	return nil, fmt.Errorf("%s", i18n.Tr("workbook.nolesson", id, strings.Join(have, ", ")))
}

// Pattern is the go package pattern of the lesson relative to the root:
// "./lessons/01-layers/...".
func (l *Lesson) Pattern() string { return "./lessons/" + l.Name + "/..." }

// Package is the pattern of the lesson's own package (where its tests are):
// "./lessons/01-layers".
func (l *Lesson) Package() string { return "./lessons/" + l.Name }

// StubFiles returns the base names of the .go files in the lesson folder
// that the student edits: every non-test file not marked NotEdited.
func (l *Lesson) StubFiles() ([]string, error) {
	files, err := goFiles(l.Dir)
	if err != nil {
		return nil, err
	}
	var stubs []string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(l.Dir, f))
		if err != nil {
			return nil, err
		}
		if !bytes.Contains(b, []byte(NotEdited)) {
			stubs = append(stubs, f)
		}
	}
	return stubs, nil
}

// SolutionFiles returns the base names of the .go files in the lesson's
// solution folder.
func (l *Lesson) SolutionFiles() ([]string, error) {
	return goFiles(l.SolutionDir)
}

// goFiles lists the non-test .go files directly in dir.
func goFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			files = append(files, n)
		}
	}
	return files, nil
}

// Overlay maps each stub file to its solution file (absolute paths), the
// Replace table of go's -overlay JSON. Files in replace stand in for the
// solution file of the same base name (a mutant's patched copy); one with
// no stub of that name is added to the lesson's package.
func (l *Lesson) Overlay(replace map[string]string) (map[string]string, error) {
	stubs, err := l.StubFiles()
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, f := range stubs {
		sol := filepath.Join(l.SolutionDir, f)
		if r, ok := replace[f]; ok {
			sol = r
		}
		if !isFile(sol) {
			return nil, fmt.Errorf("%s has no solution %s", filepath.Join("lessons", l.Name, f), filepath.Join("solutions", l.Name, f))
		}
		m[filepath.Join(l.Dir, f)] = sol
	}
	for base, p := range replace {
		if dst := filepath.Join(l.Dir, base); m[dst] == "" {
			m[dst] = p // a file a patch adds to the package
		}
	}
	return m, nil
}

// Steps returns the lesson README's "## Step N: Title" headings.
func (l *Lesson) Steps() ([]readme.Step, error) {
	b, err := os.ReadFile(filepath.Join(l.Dir, "README.md"))
	if err != nil {
		return nil, err
	}
	steps := readme.Parse(string(b))
	if len(steps) == 0 {
		return nil, fmt.Errorf("lessons/%s/README.md has no step headings (\"## Step 1: Title\"), so its steps cannot be counted", l.Name)
	}
	return steps, nil
}

// Title returns the lesson README's first "# " heading, without a leading
// "Lesson NN: " ("# Lesson 02: TCP servers and clients" gives "TCP servers
// and clients").
func (l *Lesson) Title() string {
	f, err := os.Open(filepath.Join(l.Dir, "README.md"))
	if err != nil {
		return l.Name
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if t, ok := strings.CutPrefix(sc.Text(), "# "); ok {
			t = strings.TrimSpace(t)
			if rest, ok := strings.CutPrefix(t, "Lesson "+l.ID+":"); ok {
				t = strings.TrimSpace(rest)
			}
			return t
		}
	}
	return l.Name
}

// Hints returns the hints of each step, from the lesson's hints.md:
//
//	## Step 1: Protocols and layers
//	- A question that points at the idea?
//	- A second hint, closer to the answer,
//	  which may go on over indented lines.
func (l *Lesson) Hints() (map[int][]string, error) {
	b, err := os.ReadFile(filepath.Join(l.Dir, "hints.md"))
	if err != nil {
		return nil, err
	}
	return ParseHints(string(b))
}

// ParseHints parses the hints.md format described at Lesson.Hints.
func ParseHints(text string) (map[int][]string, error) {
	hints := map[int][]string{}
	step := 0
	for i, line := range strings.Split(text, "\n") {
		if steps := readme.Parse(line); len(steps) == 1 {
			step = steps[0].N
			continue
		}
		switch {
		case strings.HasPrefix(line, "- "):
			if step == 0 {
				return nil, fmt.Errorf("hints.md:%d: a hint before the first \"## Step N: Title\" heading", i+1)
			}
			hints[step] = append(hints[step], strings.TrimSpace(line[2:]))
		case strings.HasPrefix(line, "  ") && strings.TrimSpace(line) != "" && step != 0 && len(hints[step]) > 0:
			n := len(hints[step]) - 1
			hints[step][n] = joinLines(hints[step][n], strings.TrimSpace(line))
		}
	}
	return hints, nil
}

// joinLines joins a hint's continuation line to it: with a space, but
// none between two wide characters (Chinese text has no spaces between
// its words).
func joinLines(a, b string) string {
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if textwidth.Wide(last) && textwidth.Wide(first) {
		return a + b
	}
	return a + " " + b
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// ErrNoLessons means the workbook has no lesson folders at all.
var ErrNoLessons = errors.New("workbook: no lessons found under lessons/")
