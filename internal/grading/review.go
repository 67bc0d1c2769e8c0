package grading

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// risky are imports a submission gets a review note for unless the
// lesson's own files (stubs, tests or the reference) import them too.
var risky = map[string]string{
	"unsafe":        "reads or writes memory behind Go's back",
	"syscall":       "raw system calls (file descriptors, processes)",
	"os/exec":       "runs other programs",
	"os/signal":     "handles signals",
	"runtime/debug": "changes the runtime",
	"plugin":        "loads code",
	"reflect":       "reaches into values by reflection",
	"testing":       "imports the test framework in non-test code",
	"flag":          "reads or changes command-line flags (the test flags)",
}

// Review lists what, in a submission's files for one lesson, an instructor
// should look at: init functions and package variables with side effects,
// os.Exit, /proc, unsafe and other risky imports, //go:linkname, changes to
// os.Stdout, os.Args or os.Stdin, and imports of the reference solutions or
// of packages outside the standard library and the workbook. allowed are
// the imports the lesson's own files use (stubs, tests, reference).
// files maps a file name to its source.
func Review(module, lesson string, files map[string][]byte, allowed map[string]bool) []string {
	var notes []string
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		src := files[name]
		rel := "lessons/" + lesson + "/" + name
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			continue // the build reports it
		}
		add := func(pos token.Pos, what string) {
			notes = append(notes, fmt.Sprintf("review: %s:%d: %s", rel, fset.Position(pos).Line, what))
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				if strings.HasPrefix(c.Text, "//go:linkname") {
					add(c.Pos(), "//go:linkname (reaches into other packages' internals)")
				}
			}
		}
		osName := ""
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			switch {
			case p == module+"/solutions" || strings.HasPrefix(p, module+"/solutions/"):
				add(im.Pos(), fmt.Sprintf("imports the reference solution %q (it is not in the grading copy)", p))
			case allowed[p]:
			case risky[p] != "":
				add(im.Pos(), fmt.Sprintf("imports %s (%s)", p, risky[p]))
			case strings.HasPrefix(p, module+"/"):
			case !strings.Contains(strings.Split(p, "/")[0], "."):
			default:
				add(im.Pos(), fmt.Sprintf("imports %s, outside the standard library and the workbook", p))
			}
			if p == "os" {
				osName = "os"
				if im.Name != nil {
					osName = im.Name.Name
				}
			}
		}
		inInit := map[ast.Node]bool{}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.Name == "init" && d.Body != nil && len(d.Body.List) > 0 {
					add(d.Pos(), "func init with side effects (it runs before the tests)")
					inInit[d] = true
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, sp := range d.Specs {
					vs := sp.(*ast.ValueSpec)
					for _, v := range vs.Values {
						if hasCall(v) && isFuncLitCall(v) {
							add(vs.Pos(), "package variable initialised by running a function (it runs before the tests)")
						}
					}
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if n.Kind == token.STRING && strings.Contains(n.Value, "/proc") {
					add(n.Pos(), "mentions /proc (other processes' files and descriptors)")
				}
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && osName != "" && id.Name == osName {
					switch n.Sel.Name {
					case "Exit":
						add(n.Pos(), "os.Exit (ends the test process before the harness reports)")
					case "NewFile":
						add(n.Pos(), "os.NewFile (opens inherited file descriptors)")
					}
				}
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if se, ok := l.(*ast.SelectorExpr); ok {
						if id, ok := se.X.(*ast.Ident); ok && osName != "" && id.Name == osName {
							add(n.Pos(), "assigns os."+se.Sel.Name+" (the harness's output, input or arguments)")
						}
					}
				}
			}
			return true
		})
	}
	return notes
}

func hasCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if _, ok := n.(*ast.CallExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// isFuncLitCall reports whether e calls a function literal: var _ = func() T { ... }().
func isFuncLitCall(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	_, ok = c.Fun.(*ast.FuncLit)
	return ok
}

// Imports returns the import paths of the .go files in dirs.
func Imports(dirs ...string) map[string]bool {
	m := map[string]bool{}
	for _, d := range dirs {
		files, _ := filepath.Glob(filepath.Join(d, "*.go"))
		for _, p := range files {
			f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
			if err != nil {
				continue
			}
			for _, im := range f.Imports {
				s, _ := strconv.Unquote(im.Path.Value)
				m[s] = true
			}
		}
	}
	return m
}

// Fingerprint is a hash of Go source that ignores formatting, comments
// and the names of unexported identifiers: two files that differ only by
// gofmt and renaming have the same fingerprint. files maps names to source;
// they are taken in name order.
func Fingerprint(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00", n)
		normalise(h, files[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func normalise(w interface{ Write([]byte) (int, error) }, src []byte) {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0) // comments skipped
	// Imported package names stay: collect them from a quick parse.
	keep := map[string]bool{}
	if f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly); err == nil {
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			keep[p[strings.LastIndex(p, "/")+1:]] = true
			if im.Name != nil {
				keep[im.Name.Name] = true
			}
		}
	}
	ids := map[string]int{}
	prev := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return
		}
		if tok == token.SEMICOLON {
			continue // one line or several: the same code
		}
		if tok == token.IDENT && prev != token.PERIOD && prev != token.PACKAGE && !token.IsExported(lit) && !keep[lit] && !doc.IsPredeclared(lit) && lit != "_" {
			n, ok := ids[lit]
			if !ok {
				n = len(ids)
				ids[lit] = n
			}
			lit = "$" + strconv.Itoa(n)
		}
		fmt.Fprintf(w, "%d %s\n", tok, lit)
		prev = tok
	}
}

// ReadGoFiles reads the non-test .go files of dir named in names (all
// non-test .go files if names is nil).
func ReadGoFiles(dir string, names []string) map[string][]byte {
	if names == nil {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, p := range files {
			if !strings.HasSuffix(p, "_test.go") {
				names = append(names, filepath.Base(p))
			}
		}
	}
	m := map[string][]byte{}
	for _, n := range names {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err == nil {
			m[n] = b
		}
	}
	return m
}
