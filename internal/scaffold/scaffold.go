// Package scaffold writes the parts of a new lesson step that every step
// has (the README heading with its Tests list, the hints section, the step's
// test file, the stub and its solution, and in a lesson with a 简体中文
// edition the same heading and hints section there) as placeholders that
// fail verify only for what a person must still write: the hints, the test
// body, the reference solution and the translation. kata new-step and
// new-lesson are built on it.
package scaffold

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"

	"github.com/netkata/netkata/internal/atomicfile"
	"github.com/netkata/netkata/internal/parity"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/workbook"
)

// ErrUsage marks an error in what the caller asked for (a title, a name),
// as opposed to the state of the workbook.
var ErrUsage = errors.New("bad input")

func usageErrorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// Plan is what adding a step writes: new files, and the lesson's README and
// hints.md with the step's sections added. Nothing is on disk before Write.
type Plan struct {
	Lesson  *workbook.Lesson
	Step    int      // the new step's number
	Title   string   // its README title
	Concept string   // the stub's file name without ".go"
	Func    string   // the exported function the stub declares
	Test    string   // the step's test, TestStepN_Func
	Create  []File   // files that must not exist yet
	Update  []File   // files rewritten whole (README.md, hints.md and their .zh-CN.md)
	Todo    []string // what a person must still write, one line each

	w       *workbook.Workbook
	pkg     string // the lesson's package name
	chinese bool   // the lesson has a Chinese edition, which the step joins
}

// File is a path and the whole content to write there.
type File struct {
	Path string
	Data string
}

// NewStep plans the step after the last one of lesson l, titled title.
// Its files are named for concept (concept.go, N_concept_test.go), by
// default the title's ASCII words, lower case, joined.
func NewStep(w *workbook.Workbook, l *workbook.Lesson, title, concept string) (*Plan, error) {
	steps, err := l.Steps()
	if err != nil {
		return nil, fmt.Errorf("read the steps of lessons/%s: %w", l.Name, err)
	}
	n := 1
	for _, s := range steps {
		n = max(n, s.N+1)
	}
	return planStep(w, l, n, title, concept)
}

// NewLesson plans lesson name ("11-dns"), titled title, with its step 1
// titled stepTitle (the lesson's title if empty).
func NewLesson(w *workbook.Workbook, name, title, stepTitle, concept string) (*Plan, error) {
	title = strings.TrimSpace(title)
	if !lessonNameRE.MatchString(name) {
		return nil, usageErrorf("%q is not a lesson folder name: two digits, a dash, then lower-case words joined by dashes (11-dns)", name)
	}
	if title == "" || strings.ContainsAny(title, "\n\r") {
		return nil, usageErrorf("the lesson title must be one non-empty line")
	}
	for _, l := range w.Lessons {
		if l.ID == name[:2] {
			return nil, fmt.Errorf("lesson %s exists already (lessons/%s); pick another number, or add a step with kata new-step %s", name[:2], l.Name, l.ID)
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
	if strings.TrimSpace(stepTitle) == "" {
		stepTitle = title
	}
	p, err := planStep(w, l, 1, stepTitle, concept)
	if err != nil {
		return nil, err
	}
	p.newLesson(title)
	return p, nil
}

// lessonNameRE is the shape of a lesson folder's name (workbook.Open's rule).
var lessonNameRE = regexp.MustCompile(`^\d\d-[a-z0-9]+(-[a-z0-9]+)*$`)

// planStep works out the files of step n of l. It reads the lesson's
// README and hints.md (when they exist) and refuses, naming it, a name the
// package declares already.
func planStep(w *workbook.Workbook, l *workbook.Lesson, n int, title, concept string) (*Plan, error) {
	title = strings.TrimSpace(title)
	if title == "" || strings.ContainsAny(title, "\n\r") {
		return nil, usageErrorf("the step title must be one non-empty line")
	}
	words := asciiWords(title)
	if concept == "" {
		concept = strings.ToLower(strings.Join(words, ""))
	}
	if !conceptRE.MatchString(concept) {
		return nil, usageErrorf("%q cannot name the step's files: give -concept NAME, lower-case letters and digits starting with a letter (keepalive)", concept)
	}
	fn := camel(words)
	if fn == "" || !unicode.IsLetter(rune(fn[0])) {
		fn = camel([]string{concept})
	}
	p := &Plan{w: w, Lesson: l, Step: n, Title: title, Concept: concept, Func: fn,
		Test: fmt.Sprintf("TestStep%d_%s", n, fn), pkg: packageName(l.Name)}

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
		p.Update = append(p.Update, File{readmePath, insertStep(string(rd), p.readmeSection())})
		if hErr == nil {
			p.Update = append(p.Update, File{hintsPath, appendSection(string(hd), p.hintsSection())})
		} else {
			p.Create = append(p.Create, File{hintsPath, p.hintsSection()})
		}
	}
	if n > 1 {
		if err := p.planChinese(); err != nil {
			return nil, err
		}
	}
	p.Create = append(p.Create,
		File{filepath.Join(l.Dir, fmt.Sprintf("%d_%s_test.go", n, concept)), p.testFile()},
		File{filepath.Join(l.Dir, concept+".go"), p.stubFile()},
		File{filepath.Join(l.SolutionDir, concept+".go"), p.solutionFile()},
	)
	p.Todo = []string{
		fmt.Sprintf("README.md, step %d: the theory and what to build, in place of the TODO comment; say in one line what %s proves", n, p.Test),
		fmt.Sprintf("hints.md, step %d: two hints or more (verify fails until then); the first a question, the last close to the answer without the code", n),
		fmt.Sprintf("%s.go: the real signature of %s and its whole contract in the doc comment, the same words in the stub and the solution; keep the stub's TODO(step %d) and ErrTODO", concept, fn, n),
		fmt.Sprintf("solutions/%s/%s.go: the reference solution (verify fails until %s passes on it)", l.Name, concept, p.Test),
		fmt.Sprintf("%d_%s_test.go: the test's body in place of its t.Fatal; more TestStep%d_ tests if the step needs them, each named in the README", n, concept, n),
		fmt.Sprintf("solutions/%s/mutants/: a mistake a student would make here, caught by %s (verify checks the patch, not that every step has one)", l.Name, p.Test),
		"a program or a scenario, if the step has one: CONTRIBUTING.md, \"What new-step cannot write\"",
	}
	if p.chinese {
		p.Todo = append(p.Todo, fmt.Sprintf("%s and %s, step %d: the translation, once the English is written, in place of the %s comments (CONTRIBUTING.md, \"Changing a lesson in both languages\"; verify's parity check fails until then)",
			parity.ReadmeZH, parity.HintsZH, n, parity.TodoMarker))
	}
	return p, nil
}

// planChinese adds the step to the lesson's README.zh-CN.md and
// hints.zh-CN.md, when the lesson has a Chinese edition: its heading, its
// test's name, and a TODO(translate) marker that fails verify's parity
// check until a person translates the step.
func (p *Plan) planChinese() error {
	l := p.Lesson
	readmePath, hintsPath := filepath.Join(l.Dir, parity.ReadmeZH), filepath.Join(l.Dir, parity.HintsZH)
	rd, rErr := os.ReadFile(readmePath)
	hd, hErr := os.ReadFile(hintsPath)
	for _, err := range []error{rErr, hErr} {
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if rErr != nil && hErr != nil {
		return nil // no Chinese edition
	}
	p.chinese = true
	// Half an edition (one of the two files) gets its step all the same;
	// verify names the missing file.
	if rErr == nil {
		p.Update = append(p.Update, File{readmePath, insertStep(string(rd), p.readmeSectionZH())})
	}
	if hErr == nil {
		p.Update = append(p.Update, File{hintsPath, appendSection(string(hd), p.hintsSectionZH())})
	}
	return nil
}

// bilingual reports whether some lesson of the workbook has a Chinese
// edition, so that a new lesson gets one too.
func bilingual(w *workbook.Workbook) bool {
	for _, l := range w.Lessons {
		if _, err := os.Stat(filepath.Join(l.Dir, parity.ReadmeZH)); err == nil {
			return true
		}
	}
	return false
}

// newLesson adds the files of a new lesson around its step 1.
func (p *Plan) newLesson(title string) {
	l := p.Lesson
	toChinese := "" // the English README links to its Chinese edition under the title
	if bilingual(p.w) {
		toChinese = "[简体中文](" + parity.ReadmeZH + ")\n\n"
	}
	p.Create = append([]File{
		{filepath.Join(l.Dir, "README.md"), fmt.Sprintf("# Lesson %s: %s\n\n%s<!-- TODO: what the lesson builds, how to run its tests (go test ./lessons/%s/), then its theory, from the notes, with their Chinese terms. -->\n\n%s",
			l.ID, title, toChinese, l.Name, p.readmeSection())},
		{filepath.Join(l.Dir, "hints.md"), p.hintsSection()},
		{filepath.Join(l.Dir, "lesson.go"), p.lessonFile(title)},
		{filepath.Join(l.Dir, "main_test.go"), p.mainTestFile()},
	}, p.Create...)
	if bilingual(p.w) {
		p.chinese = true
		p.Create = append(p.Create,
			File{filepath.Join(l.Dir, parity.ReadmeZH), fmt.Sprintf("# 第 %s 课：%s\n\n[English](%s)\n\n<!-- %s: the lesson's introduction and theory in Chinese, from README.md (CONTRIBUTING.md, \"Changing a lesson in both languages\"). -->\n\n%s",
				l.ID, title, parity.ReadmeEN, parity.TodoMarker, p.readmeSectionZH())},
			File{filepath.Join(l.Dir, parity.HintsZH), p.hintsZH()})
		p.Todo = append(p.Todo, fmt.Sprintf("%s and %s: the translation, once the English is written, in place of the %s comments (CONTRIBUTING.md, \"Changing a lesson in both languages\")", parity.ReadmeZH, parity.HintsZH, parity.TodoMarker))
	}
	p.Todo = append(p.Todo,
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

func (p *Plan) readmeSection() string {
	return fmt.Sprintf(`## Step %[1]d: %[2]s

<!-- TODO(step %[1]d): the theory of this step, then what to write in %[3]s.go; the contract itself is in %[4]s's doc comment. -->

Tests:
- `+"`%[5]s`"+` TODO(step %[1]d): what it proves, in one line.
`, p.Step, p.Title, p.Concept, p.Func, p.Test)
}

// readmeSectionZH is the step's section of README.zh-CN.md: the heading
// in Chinese form (the title stays English until translated), the test's
// name, and the marker.
func (p *Plan) readmeSectionZH() string {
	return fmt.Sprintf(`## 第 %[1]d 步：%[2]s

<!-- %[3]s: step %[1]d in Chinese, from README.md: the title above, the theory, what to build; the same code blocks, test names and links (CONTRIBUTING.md, "Changing a lesson in both languages"). -->

测试：
- `+"`%[4]s`"+`
`, p.Step, p.Title, parity.TodoMarker, p.Test)
}

func (p *Plan) hintsSectionZH() string {
	return fmt.Sprintf(`## 第 %[1]d 步：%[2]s
<!-- %[3]s: the hints of step %[1]d in Chinese, one for each hint of hints.md, in the same order. -->
`, p.Step, p.Title, parity.TodoMarker)
}

// hintsZH is a new hints.zh-CN.md: the link back to English, then the step's section.
func (p *Plan) hintsZH() string {
	return "[English](" + parity.HintsEN + ")\n\n" + p.hintsSectionZH()
}

func (p *Plan) hintsSection() string {
	return fmt.Sprintf(`## Step %[1]d: %[2]s
<!-- TODO(step %[1]d): two hints or more, each a line starting "- " (verify counts them): the first a question that points at the idea, the last close to the answer without giving the code. -->
`, p.Step, p.Title)
}

// doc is the placeholder doc comment of the step's function, the same in
// the stub and the solution.
func (p *Plan) doc() string {
	return fmt.Sprintf(`// %[1]s is what step %[2]d builds.
//
// TODO(step %[2]d): its real signature, and its whole contract here (wire
// format, errors, end of stream), word for word the same in the solution.`, p.Func, p.Step)
}

func (p *Plan) stubFile() string {
	return fmt.Sprintf(`package %[1]s

%[2]s
func %[3]s() error {
	// TODO(step %[4]d): write %[3]s. See README.md, step %[4]d.
	return ErrTODO
}
`, p.pkg, p.doc(), p.Func, p.Step)
}

func (p *Plan) solutionFile() string {
	return fmt.Sprintf(`package %[1]s

import "errors"

%[2]s
func %[3]s() error {
	return errors.New("TODO(step %[4]d): the reference solution of %[3]s is not written yet")
}
`, p.pkg, p.doc(), p.Func, p.Step)
}

// hasInternal reports whether the workbook has the shared helper package
// internal/name (a fixture workbook may not).
func (p *Plan) hasInternal(name string) bool {
	fi, err := os.Stat(filepath.Join(p.w.Root, "internal", name))
	return err == nil && fi.IsDir()
}

func (p *Plan) testFile() string {
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
`, p.pkg, imports, p.Test, explain, p.Func, p.Step)
}

func (p *Plan) lessonFile(title string) string {
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
`, p.pkg, p.Lesson.ID, title, p.Lesson.Name, workbook.NotEdited, errTODO)
}

func (p *Plan) mainTestFile() string {
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

// Write checks that no file to create exists, then writes every file, each
// through a temporary file renamed into place. It never overwrites a file
// it creates; an existing one is an error that names it.
func (p *Plan) Write() error {
	for _, f := range p.Create {
		if _, err := os.Lstat(f.Path); err == nil {
			return fmt.Errorf("%s exists already; kata never overwrites a file: move it away, or pick another -concept", relTo(p.w.Root, f.Path))
		} else if !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	for _, f := range append(p.Create, p.Update...) {
		if err := writeFileAtomic(f.Path, f.Data); err != nil {
			return fmt.Errorf("write %s: %w", relTo(p.w.Root, f.Path), err)
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
	return atomicfile.WriteFile(path, []byte(data), mode)
}

// relTo is path relative to root, with forward slashes.
func relTo(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(r)
	}
	return path
}
