package main

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/workbook"
)

var newStepCmd = command{
	name:    "new-step",
	usage:   "kata new-step NN \"Title\" [-concept NAME]",
	summary: "add step N to lesson NN: README heading, hints section, test file, stub and solution placeholders",
}

var newLessonCmd = command{
	name:    "new-lesson",
	usage:   "kata new-lesson NN-name \"Title\" [-step T]",
	summary: "start lesson NN-name: README, hints, lesson.go, main_test.go and its step 1",
}

func init() {
	newStepCmd.run = runNewStep
	newLessonCmd.run = runNewLesson
	register(newStepCmd)
	register(newLessonCmd)
}

func runNewStep(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &newStepCmd, kataCmd+` new-step 02 "Keep-alive" -concept keepalive`)
	concept := fs.String("concept", "", "the step's file names, `name`.go and N_name_test.go (default: the title's words, lower case, joined)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError("want a lesson and a step title, got %d arguments", fs.NArg())
	}
	w, l, err := findLesson(e, fs.Arg(0))
	if err != nil {
		return err
	}
	steps, err := l.Steps()
	if err != nil {
		return fmt.Errorf("read the steps of lessons/%s: %w", l.Name, err)
	}
	n := 1
	for _, s := range steps {
		n = max(n, s.N+1)
	}
	plan, err := planStep(w, l, n, fs.Arg(1), *concept)
	if err != nil {
		return err
	}
	if err := plan.write(); err != nil {
		return err
	}
	plan.report(e.stdout)
	return nil
}

func runNewLesson(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &newLessonCmd, kataCmd+` new-lesson 11-dns "Names and the DNS (域名系统)" -step "A query" -concept query`)
	stepTitle := fs.String("step", "", "the title of step 1 (default: the lesson's title)")
	concept := fs.String("concept", "", "step 1's file names, `name`.go and 1_name_test.go (default: the step title's words, lower case, joined)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError("want a lesson folder name and a title, got %d arguments", fs.NArg())
	}
	name, title := fs.Arg(0), strings.TrimSpace(fs.Arg(1))
	if !lessonNameRE.MatchString(name) {
		return usageError("%q is not a lesson folder name: two digits, a dash, then lower-case words joined by dashes (11-dns)", name)
	}
	if title == "" {
		return usageError("the title is empty")
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	for _, l := range w.Lessons {
		if l.ID == name[:2] {
			return fmt.Errorf("lesson %s exists already (lessons/%s); pick another number, or add a step with kata new-step %s", name[:2], l.Name, l.ID)
		}
	}
	l := &workbook.Lesson{
		ImportPath:  w.Module + "/lessons/" + name,
		ID:          name[:2],
		Name:        name,
		Dir:         filepath.Join(w.Root, "lessons", name),
		SolutionDir: filepath.Join(w.Root, "solutions", name),
		ScriptDir:   filepath.Join(w.Root, "testscripts", name),
	}
	if *stepTitle == "" {
		*stepTitle = title
	}
	plan, err := planStep(w, l, 1, *stepTitle, *concept)
	if err != nil {
		return err
	}
	plan.newLesson(title)
	if err := plan.write(); err != nil {
		return err
	}
	plan.report(e.stdout)
	return nil
}

// lessonNameRE is the shape of a lesson folder's name (workbook.Open's rule).
var lessonNameRE = regexp.MustCompile(`^\d\d-[a-z0-9]+(-[a-z0-9]+)*$`)

// stepPlan is what new-step (or new-lesson) writes: new files, and the
// README and hints.md with the step's sections added.
type stepPlan struct {
	w       *workbook.Workbook
	l       *workbook.Lesson
	n       int    // the new step's number
	title   string // its README title
	concept string // stub file name without ".go"
	fn      string // the exported function the stub declares
	test    string // TestStepN_Fn
	pkg     string // the lesson's package name
	create  []file // files that must not exist yet
	update  []file // files rewritten whole (README.md, hints.md), via temp + rename
	todo    []string
}

// file is a path and the whole content to write there.
type file struct {
	path string
	data string
}

// planStep works out the files of step n of l. It reads the lesson's
// README and hints.md (when they exist) and refuses, naming the file, when
// a file it would create exists or a name it would declare is taken.
func planStep(w *workbook.Workbook, l *workbook.Lesson, n int, title, concept string) (*stepPlan, error) {
	title = strings.TrimSpace(title)
	if title == "" || strings.ContainsAny(title, "\n\r") {
		return nil, usageError("the step title must be one non-empty line")
	}
	words := asciiWords(title)
	if concept == "" {
		concept = strings.ToLower(strings.Join(words, ""))
	}
	if !conceptRE.MatchString(concept) {
		return nil, usageError("%q cannot name the step's files: give -concept NAME, lower-case letters and digits starting with a letter (keepalive)", concept)
	}
	fn := camel(words)
	if fn == "" || !unicode.IsLetter(rune(fn[0])) {
		fn = camel([]string{concept})
	}
	p := &stepPlan{w: w, l: l, n: n, title: title, concept: concept, fn: fn,
		test: fmt.Sprintf("TestStep%d_%s", n, fn), pkg: packageName(l.Name)}

	taken, err := declared(l.Dir, l.SolutionDir)
	if err != nil {
		return nil, err
	}
	if where, ok := taken[fn]; ok {
		return nil, fmt.Errorf("lessons/%s already declares %s (%s): choose another step title", l.Name, fn, where)
	}

	readmePath, hintsPath := filepath.Join(l.Dir, "README.md"), filepath.Join(l.Dir, "hints.md")
	rd, rErr := os.ReadFile(readmePath)
	hd, hErr := os.ReadFile(hintsPath)
	if n > 1 {
		if rErr != nil {
			return nil, rErr
		}
		if hErr != nil && !errors.Is(hErr, os.ErrNotExist) {
			return nil, hErr
		}
		p.update = append(p.update, file{readmePath, insertStep(string(rd), p.readmeSection())})
		if hErr == nil {
			p.update = append(p.update, file{hintsPath, appendSection(string(hd), p.hintsSection())})
		} else {
			p.create = append(p.create, file{hintsPath, p.hintsSection()})
		}
	}
	p.create = append(p.create,
		file{filepath.Join(l.Dir, fmt.Sprintf("%d_%s_test.go", n, concept)), p.testFile()},
		file{filepath.Join(l.Dir, concept+".go"), p.stubFile()},
		file{filepath.Join(l.SolutionDir, concept+".go"), p.solutionFile()},
	)
	p.todo = []string{
		fmt.Sprintf("README.md, step %d: the theory and what to build, in place of the TODO comment; say in one line what %s proves", n, p.test),
		fmt.Sprintf("hints.md, step %d: two hints or more (verify fails until then); the first a question, the last close to the answer without the code", n),
		fmt.Sprintf("%s.go: the real signature of %s and its whole contract in the doc comment, the same words in the stub and the solution; keep the stub's TODO(step %d) and ErrTODO", concept, fn, n),
		fmt.Sprintf("solutions/%s/%s.go: the reference solution (verify fails until %s passes on it)", l.Name, concept, p.test),
		fmt.Sprintf("%d_%s_test.go: the test's body in place of its t.Fatal; more TestStep%d_ tests if the step needs them, each named in the README", n, concept, n),
		fmt.Sprintf("solutions/%s/mutants/: a mistake a student would make here, caught by %s (verify checks the patch, not that every step has one)", l.Name, p.test),
		"a program or a scenario, if the step has one: CONTRIBUTING.md, \"What new-step cannot write\"",
	}
	return p, nil
}

// newLesson adds the files of a new lesson around its step 1.
func (p *stepPlan) newLesson(title string) {
	l := p.l
	p.create = append([]file{
		{filepath.Join(l.Dir, "README.md"), fmt.Sprintf("# Lesson %s: %s\n\n<!-- TODO: what the lesson builds, how to run its tests (go test ./lessons/%s/), then its theory, from the notes, with their Chinese terms. -->\n\n%s",
			l.ID, title, l.Name, p.readmeSection())},
		{filepath.Join(l.Dir, "hints.md"), p.hintsSection()},
		{filepath.Join(l.Dir, "lesson.go"), p.lessonFile(title)},
		{filepath.Join(l.Dir, "main_test.go"), p.mainTestFile()},
	}, p.create...)
	p.todo = append(p.todo,
		"lesson.go: the package doc, one paragraph on what the lesson builds",
		fmt.Sprintf("solutions/%s/mutants/ and variants/: at least %d mutants and %d variants for the lesson (verify's layout check counts them)", l.Name, workbook.MinMutants, workbook.MinVariants),
		fmt.Sprintf("programs: if the lesson has any, programs.go, script_test.go (TestScripts) and testscripts/%s/", l.Name),
	)
}

var conceptRE = regexp.MustCompile(`^[a-z][a-z0-9]*$`)

// asciiWords splits a title into its words of ASCII letters and digits,
// dropping the rest (a Chinese term in brackets, punctuation).
func asciiWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
}

// camel joins words with each one's first letter upper-cased: "Echo", "server" gives "EchoServer".
func camel(words []string) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// packageName is the package of lessons/NN-name: the name with the number
// and dashes dropped ("02-tcp" is tcp).
func packageName(lesson string) string {
	return strings.ReplaceAll(lesson[3:], "-", "")
}

// declared maps each top-level name of the .go files in dirs to the file
// that declares it. A folder that does not exist declares nothing.
func declared(dirs ...string) (map[string]string, error) {
	names := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			path := filepath.Join(dir, e.Name())
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", path, err)
			}
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil {
						names[d.Name.Name] = e.Name()
					}
				case *ast.GenDecl:
					for _, s := range d.Specs {
						switch s := s.(type) {
						case *ast.TypeSpec:
							names[s.Name.Name] = e.Name()
						case *ast.ValueSpec:
							for _, id := range s.Names {
								names[id.Name] = e.Name()
							}
						}
					}
				}
			}
		}
	}
	return names, nil
}

// insertStep puts section at the end of the README's last step, before the
// next "#" or "##" heading after it (a "## Programs" section stays last),
// or at the end.
func insertStep(text, section string) string {
	lines := strings.SplitAfter(text, "\n")
	steps := readme.Parse(text)
	at := len(lines)
	if len(steps) > 0 {
		for i := steps[len(steps)-1].Line; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], "## ") || strings.HasPrefix(lines[i], "# ") {
				at = i
				break
			}
		}
	}
	before := strings.Join(lines[:at], "")
	after := strings.Join(lines[at:], "")
	before = strings.TrimRight(before, "\n") + "\n\n" + section
	if after != "" {
		before += "\n"
	}
	return before + after
}

// appendSection adds section at the end of text, after one blank line.
func appendSection(text, section string) string {
	if strings.TrimSpace(text) == "" {
		return section
	}
	return strings.TrimRight(text, "\n") + "\n\n" + section
}

func (p *stepPlan) readmeSection() string {
	return fmt.Sprintf(`## Step %[1]d: %[2]s

<!-- TODO(step %[1]d): the theory of this step, then what to write in %[3]s.go; the contract itself is in %[4]s's doc comment. -->

Tests:
- `+"`%[5]s`"+` TODO(step %[1]d): what it proves, in one line.
`, p.n, p.title, p.concept, p.fn, p.test)
}

func (p *stepPlan) hintsSection() string {
	return fmt.Sprintf(`## Step %[1]d: %[2]s
<!-- TODO(step %[1]d): two hints or more, each a line starting "- " (verify counts them): the first a question that points at the idea, the last close to the answer without giving the code. -->
`, p.n, p.title)
}

// doc is the placeholder doc comment of the step's function, the same in
// the stub and the solution.
func (p *stepPlan) doc() string {
	return fmt.Sprintf(`// %[1]s is what step %[2]d builds.
//
// TODO(step %[2]d): its real signature, and its whole contract here (wire
// format, errors, end of stream), word for word the same in the solution.`, p.fn, p.n)
}

func (p *stepPlan) stubFile() string {
	return fmt.Sprintf(`package %[1]s

%[2]s
func %[3]s() error {
	// TODO(step %[4]d): write %[3]s. See README.md, step %[4]d.
	return ErrTODO
}
`, p.pkg, p.doc(), p.fn, p.n)
}

func (p *stepPlan) solutionFile() string {
	return fmt.Sprintf(`package %[1]s

import "errors"

%[2]s
func %[3]s() error {
	return errors.New("TODO(step %[4]d): the reference solution of %[3]s is not written yet")
}
`, p.pkg, p.doc(), p.fn, p.n)
}

// hasInternal reports whether the workbook has the shared helper package
// internal/name (a fixture workbook may not).
func (p *stepPlan) hasInternal(name string) bool {
	fi, err := os.Stat(filepath.Join(p.w.Root, "internal", name))
	return err == nil && fi.IsDir()
}

func (p *stepPlan) testFile() string {
	imports, explain := `import "testing"`, ""
	if p.hasInternal("readme") {
		imports = fmt.Sprintf("import (\n\t\"testing\"\n\n\t%q\n)", p.w.Module+"/internal/readme")
		explain = "\treadme.Explain(t)\n"
	}
	return fmt.Sprintf(`package %[1]s

%[2]s

func %[3]s(t *testing.T) {
%[4]s	if err := %[5]s(); err != nil {
		t.Fatalf("%[5]s() = %%v, want nil", err)
	}
	// TODO(step %[6]d): test what README.md, step %[6]d, asks of %[5]s; see CONTRIBUTING.md, "Tests".
	t.Fatal("TODO(step %[6]d): %[3]s is not written yet")
}
`, p.pkg, imports, p.test, explain, p.fn, p.n)
}

func (p *stepPlan) lessonFile(title string) string {
	errTODO := "import \"errors\"\n\n// ErrTODO is what the stubs return until you write them.\nvar ErrTODO = errors.New(\"not written yet (TODO): read the lesson's README.md and fill in the stub\")"
	if p.hasInternal("todo") {
		errTODO = fmt.Sprintf("import %q\n\n// ErrTODO is what the stubs return until you write them.\nvar ErrTODO = todo.ErrTODO", p.w.Module+"/internal/todo")
	}
	return fmt.Sprintf(`// Package %[1]s is lesson %[2]s: %[3]s.
//
// Start with README.md; run the tests with go test ./lessons/%[4]s/.
package %[1]s

%[5]s

%[6]s
`, p.pkg, p.l.ID, title, p.l.Name, workbook.NotEdited, errTODO)
}

func (p *stepPlan) mainTestFile() string {
	if p.hasInternal("leakcheck") {
		return fmt.Sprintf(`package %[1]s

import (
	"testing"

	%[2]q
)

func TestMain(m *testing.M) { leakcheck.Main(m, nil) }
`, p.pkg, p.w.Module+"/internal/leakcheck")
	}
	return fmt.Sprintf(`package %s

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(m.Run()) }
`, p.pkg)
}

// write checks that no file to create exists, then writes every file, each
// through a temporary file renamed into place.
func (p *stepPlan) write() error {
	for _, f := range p.create {
		if _, err := os.Lstat(f.path); err == nil {
			return fmt.Errorf("%s exists already; kata never overwrites a file: move it away, or pick another -concept", rel(p.w, f.path))
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	for _, f := range append(p.create, p.update...) {
		if err := writeFileAtomic(f.path, f.data); err != nil {
			return fmt.Errorf("write %s: %w", rel(p.w, f.path), err)
		}
	}
	return nil
}

// writeFileAtomic writes data to path through a temporary file in the same
// folder, so that path holds the old content or the new, never a part.
// A file it replaces keeps its mode.
func writeFileAtomic(path, data string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, ".kata-*.tmp")
	if err != nil {
		return err
	}
	_, werr := io.WriteString(tmp, data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), mode)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// report prints what was written, the command that runs the new test
// against the solution, and what a person must still write.
func (p *stepPlan) report(out io.Writer) {
	fmt.Fprintf(out, "lessons/%s, step %d: %s\n", p.l.Name, p.n, p.title)
	for _, f := range p.create {
		fmt.Fprintf(out, "  created  %s\n", rel(p.w, f.path))
	}
	for _, f := range p.update {
		fmt.Fprintf(out, "  added to %s\n", rel(p.w, f.path))
	}
	fmt.Fprintf(out, "\nRun %s against the reference solution while you write it:\n", p.test)
	fmt.Fprintf(out, "  go test -overlay \"$(%s overlay %s)\" -run '^TestStep%d_' ./lessons/%s/...\n", kataCmd, p.l.ID, p.n, p.l.Name)
	fmt.Fprintf(out, "and against the stub: go test -run '^TestStep%d_' ./lessons/%s/\n", p.n, p.l.Name)
	fmt.Fprintf(out, "\nStill to write (verify fails until the test, the solution and the hints are done):\n")
	for _, t := range p.todo {
		fmt.Fprintf(out, "  [ ] %s\n", t)
	}
	fmt.Fprintf(out, "\nThen: %s verify -lesson %s\n", kataCmd, p.l.ID)
}
