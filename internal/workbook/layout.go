package workbook

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/netkata/netkata/internal/readme"
)

// MinMutants is how many mutants every lesson keeps at least.
const MinMutants = 4

// MinHints is how many hints every step has at least.
const MinHints = 2

// ScriptsTest is the one top-level test allowed without a step number: it
// runs the lesson's testscript scenarios, each counted for the step its
// first line names (see Scenario), or all toward the last step.
const ScriptsTest = "TestScripts"

var testNameRE = regexp.MustCompile(`^(Test|Fuzz)\w*$`)

// Tests returns the names of the top-level Test and Fuzz functions in the
// lesson's package, in file order.
func (l *Lesson) Tests() ([]string, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(l.Dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(l.Dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !testNameRE.MatchString(fn.Name.Name) || fn.Name.Name == "TestMain" {
				continue
			}
			names = append(names, fn.Name.Name)
		}
	}
	return names, nil
}

// explainRule is the module whose lessons must open every TestStepN_ and
// FuzzStepN_ function with readme.Explain (a fixture workbook cannot).
const explainRule = "github.com/netkata/netkata/"

// stepFunc is a TestStepN_ or FuzzStepN_ function of the lesson's tests.
type stepFunc struct {
	name     string
	file     string // its file's base name
	step     int
	explains bool // its first statement is a call to readme.Explain
}

// stepFuncs lists the lesson's step test functions in file order.
func (l *Lesson) stepFuncs() ([]stepFunc, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(l.Dir)
	if err != nil {
		return nil, err
	}
	var funcs []stepFunc
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(l.Dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil {
				continue
			}
			n, isStep := readme.StepOf(fn.Name.Name)
			if !isStep || strings.HasPrefix(fn.Name.Name, "Benchmark") || strings.HasPrefix(fn.Name.Name, "Example") {
				continue
			}
			funcs = append(funcs, stepFunc{name: fn.Name.Name, file: e.Name(), step: n, explains: callsExplain(fn.Body.List)})
		}
	}
	return funcs, nil
}

// stepFileRE is a step's test file name, N_<concept>_test.go.
var stepFileRE = regexp.MustCompile(`^(\d+)_\w+_test\.go$`)

// inItsStepFile reports whether f lives in a test file of its own step.
func (f stepFunc) inItsStepFile() bool {
	m := stepFileRE.FindStringSubmatch(f.file)
	return m != nil && m[1] == strconv.Itoa(f.step)
}

func callsExplain(body []ast.Stmt) bool {
	if len(body) == 0 {
		return false
	}
	es, ok := body[0].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "readme" && sel.Sel.Name == "Explain"
}

// CheckLayout returns every way the lesson breaks the workbook's rules
// (CONTRIBUTING.md): README steps, hints, test names, stub and solution
// files, mutants and scenarios. No problems means a nil slice.
func (l *Lesson) CheckLayout() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	rel := func(p string) string { return filepath.Join("lessons", l.Name, p) }

	steps, err := l.Steps()
	if err != nil {
		add("%s: %v", rel("README.md"), err)
	}
	if err == nil && len(steps) == 0 {
		add("%s has no \"## Step N: Title\" headings", rel("README.md"))
	}
	stepSet := map[int]bool{}
	for i, s := range steps {
		if s.N != i+1 {
			add("%s: step headings must be numbered 1, 2, 3 ... in order; found step %d at line %d", rel("README.md"), s.N, s.Line)
		}
		stepSet[s.N] = true
	}
	readmeText, _ := os.ReadFile(filepath.Join(l.Dir, "README.md"))

	hints, err := l.Hints()
	if err != nil {
		add("%s: %v", rel("hints.md"), err)
	}
	for _, s := range steps {
		if n := len(hints[s.N]); err == nil && n < MinHints {
			add("%s: step %d has %d hints, want at least %d", rel("hints.md"), s.N, n, MinHints)
		}
	}
	for n := range hints {
		if !stepSet[n] {
			add("%s: hints for step %d, which the README does not have", rel("hints.md"), n)
		}
	}

	tests, err := l.Tests()
	if err != nil {
		add("%s: %v", rel("*_test.go"), err)
	}
	if err == nil && len(tests) == 0 {
		add("%s has no tests", rel(""))
	}
	tested := map[int]bool{}
	for _, name := range tests {
		if name == ScriptsTest {
			if _, err := os.Stat(l.ScriptDir); err != nil {
				add("%s runs scenarios, but %s does not exist", name, filepath.Join("testscripts", l.Name))
			}
			continue
		}
		n, ok := readme.StepOf(name)
		switch {
		case !ok:
			add("%s: name top-level tests TestStepN_WhatItProves (or FuzzStepN_...), so kata can map them to a step", name)
		case !stepSet[n]:
			add("%s: README.md has no step %d", name, n)
		default:
			tested[n] = true
		}
		if !namesWhole(readmeText, name) {
			add("%s: the README step should name this test (its whole name: TestStep1_Echo does not count for TestStep1_EchoMany)", name)
		}
	}
	for _, s := range steps {
		if !tested[s.N] {
			add("%s: step %d (%s) has no TestStep%d_ test", rel("README.md"), s.N, s.Title, s.N)
		}
	}
	errs = append(errs, l.checkScenarios(stepSet)...)
	if strings.HasPrefix(l.ImportPath, explainRule) {
		funcs, err := l.stepFuncs()
		if err != nil {
			add("%s: %v", rel("*_test.go"), err)
		}
		for _, f := range funcs {
			if !f.explains {
				add("%s: start it with readme.Explain(t), so its failure names its README step", f.name)
			}
			if !f.inItsStepFile() {
				add("%s: %s is a test of step %d: it belongs in a %d_<concept>_test.go file, where a contributor looks for it", rel(f.file), f.name, f.step, f.step)
			}
		}
		if EnforceSharedHelpers {
			errs = append(errs, l.checkHelpers()...)
		}
	}
	if _, err := os.Stat(filepath.Join(l.Dir, "main_test.go")); err != nil {
		add("%s is missing: it holds TestMain with the goroutine leak check", rel("main_test.go"))
	}

	errs = append(errs, l.checkStubs()...)

	mutants, err := l.Mutants()
	errs = append(errs, unjoin(err)...)
	if len(mutants) < MinMutants {
		add("%s: %d mutants, want at least %d", filepath.Join("solutions", l.Name, "mutants"), len(mutants), MinMutants)
	}
	variants, err := l.Variants()
	errs = append(errs, unjoin(err)...)
	if EnforceMinVariants && len(variants) < MinVariants {
		add("%s: %d variants, want at least %d", filepath.Join("solutions", l.Name, "variants"), len(variants), MinVariants)
	}
	if _, err := l.EquivalentMutants(); err != nil {
		add("%v", err)
	}
	if _, err := l.ReadMutationBaseline(); err != nil {
		add("%v", err)
	}
	known := map[string]bool{}
	for _, t := range tests {
		known[t] = true
	}
	for _, m := range mutants {
		for _, t := range m.CaughtBy {
			if !known[t] {
				add("mutant %s: \"Caught by\" names %s, which is not a top-level test of the lesson", m.Name, t)
			}
		}
	}
	return errs
}

// namesWhole reports whether text holds name as a whole word: not as a
// prefix of a longer test name, nor a suffix of one.
func namesWhole(text []byte, name string) bool {
	return regexp.MustCompile(`(^|[^\w])` + regexp.QuoteMeta(name) + `($|[^\w])`).Match(text)
}

// unjoin splits an errors.Join into its errors, one problem each.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// checkStubs compares stub and solution files: the same set of files, the
// same package, the same exported declarations with the same doc comments,
// and a TODO(step N) in every stub.
func (l *Lesson) checkStubs() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	stubs, err := l.StubFiles()
	if err != nil {
		return []error{err}
	}
	sols, err := l.SolutionFiles()
	if err != nil {
		return []error{fmt.Errorf("solutions/%s: %w", l.Name, err)}
	}
	if len(stubs) == 0 {
		add("lessons/%s has no stub files (every file is marked %q)", l.Name, NotEdited)
	}
	solSet := map[string]bool{}
	for _, s := range sols {
		solSet[s] = true
	}
	for _, s := range stubs {
		if !solSet[s] {
			add("lessons/%s/%s is a stub with no solutions/%s/%s (or mark it %q if students never edit it)", l.Name, s, l.Name, s, NotEdited)
			continue
		}
		delete(solSet, s)
		errs = append(errs, l.compareStub(s)...)
	}
	for s := range solSet {
		add("solutions/%s/%s has no stub lessons/%s/%s", l.Name, s, l.Name, s)
	}
	errs = append(errs, l.checkStepTODOs(stubs)...)
	errs = append(errs, l.checkPrograms()...)
	return errs
}

// programRE finds the names in script_test.go's programs map and, when
// the entry is the usual os.Exit(XxxMain(...)), the function it calls.
var programRE = regexp.MustCompile(`(?m)^\s*"([a-z0-9]+)":\s*func\(\)\s*\{(?:\s*os\.Exit\((\w+)\()?`)

// checkPrograms checks that every program under cmd/ is registered in the
// programs map of script_test.go (so scenarios can run it), that its
// main.go calls the XxxMain the map calls (so scenarios test what students
// run) and that the README shows it as cmd/<program> (so students know it
// is there).
func (l *Lesson) checkPrograms() []error {
	entries, err := os.ReadDir(filepath.Join(l.Dir, "cmd"))
	if err != nil {
		return nil // a lesson without programs
	}
	script, _ := os.ReadFile(filepath.Join(l.Dir, "script_test.go"))
	readmeText, _ := os.ReadFile(filepath.Join(l.Dir, "README.md"))
	registered := map[string]string{} // program -> the XxxMain the map calls, or ""
	for _, m := range programRE.FindAllSubmatch(script, -1) {
		registered[string(m[1])] = string(m[2])
	}
	var errs []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		main, ok := registered[name]
		if !ok {
			errs = append(errs, fmt.Errorf("lessons/%s/cmd/%s: not in script_test.go's programs map, so no scenario can run it", l.Name, name))
		}
		src, _ := os.ReadFile(filepath.Join(l.Dir, "cmd", name, "main.go"))
		if main != "" && !regexp.MustCompile(`\.`+main+`\(`).Match(src) {
			errs = append(errs, fmt.Errorf("lessons/%s/cmd/%s/main.go does not call %s, which script_test.go's programs map runs as %s: the scenarios would test another program", l.Name, name, main, name))
		}
		if !regexp.MustCompile(`cmd/` + regexp.QuoteMeta(name) + `\b`).Match(readmeText) {
			errs = append(errs, fmt.Errorf("lessons/%s/cmd/%s: README.md never shows cmd/%s (a \"## Programs\" block with the command to run it)", l.Name, name, name))
		}
	}
	return errs
}

// todoStepRE finds the steps that the stubs' "// TODO(step N)" comments name.
var todoStepRE = regexp.MustCompile(`TODO\(step ([0-9]+)\)`)

// checkStepTODOs checks that every step of the README has a "// TODO(step N)"
// of its own in some stub, so that a student on step N finds where to
// write, and that no TODO names a step the README lacks.
func (l *Lesson) checkStepTODOs(stubs []string) []error {
	steps, err := l.Steps()
	if err != nil {
		return nil // reported by the README check
	}
	named := map[int]bool{}
	for _, s := range stubs {
		src, err := os.ReadFile(filepath.Join(l.Dir, s))
		if err != nil {
			return []error{err}
		}
		for _, m := range todoStepRE.FindAllSubmatch(src, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			named[n] = true
		}
	}
	var errs []error
	known := map[int]bool{}
	for _, st := range steps {
		known[st.N] = true
		if !named[st.N] {
			errs = append(errs, fmt.Errorf("lessons/%s: step %d (%s) has no \"// TODO(step %d): ...\" in any stub: say where its work goes", l.Name, st.N, st.Title, st.N))
		}
	}
	for n := range named {
		if !known[n] {
			errs = append(errs, fmt.Errorf("lessons/%s: a stub has TODO(step %d), and README.md has no step %d", l.Name, n, n))
		}
	}
	return errs
}

func (l *Lesson) compareStub(name string) []error {
	var errs []error
	fset := token.NewFileSet()
	stubPath, solPath := filepath.Join(l.Dir, name), filepath.Join(l.SolutionDir, name)
	stub, err := parser.ParseFile(fset, stubPath, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return []error{err}
	}
	sol, err := parser.ParseFile(fset, solPath, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return []error{err}
	}
	stubSrc, _ := os.ReadFile(stubPath)
	if !bytes.Contains(stubSrc, []byte("TODO(step ")) {
		errs = append(errs, fmt.Errorf("lessons/%s/%s: a stub says what to write with a \"// TODO(step N): ...\" comment", l.Name, name))
	}
	if stub.Name.Name != sol.Name.Name {
		errs = append(errs, fmt.Errorf("%s: package %s in the stub, %s in the solution", name, stub.Name.Name, sol.Name.Name))
	}
	a, b := exported(fset, stub), exported(fset, sol)
	for _, k := range sortedKeys(a, b) {
		switch {
		case a[k] == "":
			errs = append(errs, fmt.Errorf("solutions/%s/%s declares %s, which the stub does not", l.Name, name, k))
		case b[k] == "":
			errs = append(errs, fmt.Errorf("lessons/%s/%s declares %s, which the solution does not", l.Name, name, k))
		case a[k] != b[k]:
			errs = append(errs, fmt.Errorf("%s in lessons/%s/%s: the stub's signature or doc comment differs from the solution's:\n  stub:     %s\n  solution: %s", k, l.Name, name, oneLine(a[k]), oneLine(b[k])))
		}
	}
	return errs
}

// exported maps each exported top-level name (and method) to its doc
// comment and declaration, bodies left out.
func exported(fset *token.FileSet, f *ast.File) map[string]string {
	m := map[string]string{}
	print := func(node any) string {
		var buf bytes.Buffer
		printer.Fprint(&buf, fset, node)
		return buf.String()
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			key := d.Name.Name
			if d.Recv != nil && len(d.Recv.List) == 1 {
				recv := print(d.Recv.List[0].Type)
				if !ast.IsExported(strings.TrimLeft(recv, "*")) {
					continue
				}
				key = recv + "." + key
			}
			sig := *d
			sig.Body = nil
			sig.Doc = nil
			m[key] = d.Doc.Text() + print(&sig)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				doc := d.Doc.Text()
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						m["type "+s.Name.Name] = doc + s.Doc.Text() + print(s.Type)
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() {
							m[n.Name] = doc + s.Doc.Text() + print(s)
						}
					}
				}
			}
		}
	}
	return m
}

func sortedKeys(maps ...map[string]string) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}
