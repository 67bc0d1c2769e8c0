package workbook

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netkata/netkata/internal/readme"
)

// UsedBySteps returns the steps whose tests use a name the lesson's
// solution file declares at top level (a function, type, variable,
// constant or method), sorted. It tells which steps a stub file serves
// when its TODO(step N) comments are gone.
func (l *Lesson) UsedBySteps(file string) ([]int, error) {
	fset := token.NewFileSet()
	sol, err := parser.ParseFile(fset, filepath.Join(l.SolutionDir, file), nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for _, d := range sol.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			names[d.Name.Name] = true
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names[s.Name.Name] = true
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names[n.Name] = true
					}
				}
			}
		}
	}
	steps, err := l.Steps()
	if err != nil {
		return nil, err
	}
	last := 0
	for _, s := range steps {
		last = max(last, s.N)
	}
	entries, err := os.ReadDir(l.Dir)
	if err != nil {
		return nil, err
	}
	used := map[int]bool{}
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
			n, ok := readme.StepOf(fn.Name.Name)
			if fn.Name.Name == ScriptsTest {
				n, ok = last, last > 0
			}
			if !ok || used[n] {
				continue
			}
			ast.Inspect(fn.Body, func(node ast.Node) bool {
				if id, isID := node.(*ast.Ident); isID && names[id.Name] {
					used[n] = true
					return false
				}
				return !used[n]
			})
		}
	}
	var out []int
	for n := range used {
		out = append(out, n)
	}
	sort.Ints(out)
	return out, nil
}
