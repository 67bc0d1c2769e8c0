package workbook

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// HelpersFile is where a lesson's test helpers shared by several steps live.
const HelpersFile = "helpers_test.go"

// EnforceSharedHelpers makes CheckLayout fail a lesson whose step test file
// declares a helper another step's tests use (see checkHelpers).
const EnforceSharedHelpers = true

// checkHelpers finds the test helpers (functions, types, variables and
// constants) declared in one step's N_<concept>_test.go and used by
// another step's tests: a contributor looks for those in HelpersFile. A
// name used by another file is found by its identifier, so a local
// variable of the same name there counts too; rename one of them.
func (l *Lesson) checkHelpers() []error {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(l.Dir)
	if err != nil {
		return []error{err}
	}
	type stepFile struct {
		name string
		step int
		f    *ast.File
	}
	var files []stepFile
	for _, e := range entries {
		m := stepFileRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(l.Dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return []error{err}
		}
		n, _ := strconv.Atoi(m[1])
		files = append(files, stepFile{e.Name(), n, f})
	}
	declared := map[string]stepFile{} // helper name -> the file declaring it
	for _, sf := range files {
		for _, name := range helperNames(sf.f) {
			declared[name] = sf
		}
	}
	users := map[string]map[string]bool{} // helper -> the other steps' files using it
	for _, sf := range files {
		for name := range usedNames(sf.f) {
			if d, ok := declared[name]; ok && d.step != sf.step {
				if users[name] == nil {
					users[name] = map[string]bool{}
				}
				users[name][sf.name] = true
			}
		}
	}
	var errs []error
	for name, in := range users {
		var list []string
		for f := range in {
			list = append(list, f)
		}
		sort.Strings(list)
		d := declared[name]
		errs = append(errs, fmt.Errorf("lessons/%s/%s: %s is a helper of step %d that %s use too: helpers shared by steps live in %s",
			l.Name, d.name, name, d.step, strings.Join(list, ", "), HelpersFile))
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}

// helperNames lists the top-level names a test file declares, its test,
// fuzz, benchmark and example functions and methods left out.
func helperNames(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			n := d.Name.Name
			if d.Recv == nil && !testNameRE.MatchString(n) && !strings.HasPrefix(n, "Benchmark") && !strings.HasPrefix(n, "Example") {
				names = append(names, n)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							names = append(names, n.Name)
						}
					}
				}
			}
		}
	}
	return names
}

// usedNames is the set of identifiers a file uses, field names (after a
// dot, in a struct type, as a struct literal's key) and names it declares
// itself (a local variable, a parameter) left out.
func usedNames(f *ast.File) map[string]bool {
	used, local := map[string]bool{}, map[string]bool{}
	declare := func(ids ...ast.Expr) {
		for _, e := range ids {
			if id, ok := e.(*ast.Ident); ok {
				local[id.Name] = true
			}
		}
	}
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, visit)
			return false
		case *ast.Field:
			for _, id := range n.Names {
				declare(id)
			}
			ast.Inspect(n.Type, visit)
			return false
		case *ast.KeyValueExpr:
			if _, ok := n.Key.(*ast.Ident); ok {
				ast.Inspect(n.Value, visit)
				return false
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				declare(n.Lhs...)
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				declare(n.Key, n.Value)
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				declare(id)
			}
		case *ast.Ident:
			used[n.Name] = true
		}
		return true
	}
	ast.Inspect(f, visit)
	for name := range local {
		delete(used, name)
	}
	return used
}
