package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keyArgs says which arguments of a call are catalogue keys: i18n.T and
// i18n.Format take the key second, i18n.Tr first; kata's labels takes
// keys after its first argument.
var keyArgs = map[string]func(args []ast.Expr) []ast.Expr{
	"i18n.T":      func(a []ast.Expr) []ast.Expr { return at(a, 1) },
	"i18n.Format": func(a []ast.Expr) []ast.Expr { return at(a, 1) },
	"i18n.Tr":     func(a []ast.Expr) []ast.Expr { return at(a, 0) },
	"T":           func(a []ast.Expr) []ast.Expr { return at(a, 1) },
	"Tr":          func(a []ast.Expr) []ast.Expr { return at(a, 0) },
	"labels":      func(a []ast.Expr) []ast.Expr { return from(a, 1) },
}

func at(a []ast.Expr, i int) []ast.Expr {
	if i < len(a) {
		return a[i : i+1]
	}
	return nil
}

func from(a []ast.Expr, i int) []ast.Expr {
	if i < len(a) {
		return a[i:]
	}
	return nil
}

// TestKeysInCodeExist reads every Go file of the module (vendor/ and
// testdata left out) and checks that each key written as a string in a
// call to T, Tr, Format or kata's labels is in the catalogue, in both
// languages. A key built at run time ("cmd."+name) starts with a literal
// ending in "."; at least one key must have that prefix.
func TestKeysInCodeExist(t *testing.T) {
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	fset := token.NewFileSet()
	found := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "vendor", "testdata", ".git":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || (filepath.Dir(p) == filepath.Join(root, "internal", "i18n") && strings.HasSuffix(p, "_test.go")) {
			return nil // this package's tests look up missing keys on purpose
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			pick := keyArgs[callee(call.Fun)]
			if pick == nil {
				return true
			}
			for _, a := range pick(call.Args) {
				key, ok := literalKey(a)
				if !ok {
					continue
				}
				found++
				pos := fset.Position(a.Pos())
				rel, _ := filepath.Rel(root, pos.Filename)
				for _, l := range Langs {
					if strings.HasSuffix(key, ".") {
						assert.True(t, hasPrefix(l, key), "%s:%d: no key in %s starts with %q", rel, pos.Line, l, key)
						continue
					}
					_, ok := Format(l, key)
					assert.True(t, ok, "%s:%d: key %q is not in the %s catalogue", rel, pos.Line, key, l)
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, found, 100, "the scan found too few keys: is it reading the code?")
}

// callee names what a call calls: "i18n.Tr", "labels".
func callee(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		if x, ok := f.X.(*ast.Ident); ok {
			return x.Name + "." + f.Sel.Name
		}
	}
	return ""
}

// literalKey returns the key a string literal, or a concatenation that
// starts with one ("lang.from."+src), writes.
func literalKey(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.ADD {
		return literalKey(b.X)
	}
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func hasPrefix(l Lang, prefix string) bool {
	for _, k := range Keys(l) {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func TestKeyCheckSeesAMissingKey(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", `package x; func f() { i18n.Tr("no.such.key"); labels(1, "ui.next") }`, 0)
	require.NoError(t, err)
	var keys []string
	ast.Inspect(f, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if pick := keyArgs[callee(call.Fun)]; pick != nil {
				for _, a := range pick(call.Args) {
					if k, ok := literalKey(a); ok {
						keys = append(keys, k)
					}
				}
			}
		}
		return true
	})
	assert.Equal(t, []string{"no.such.key", "ui.next"}, keys)
	_, ok := Format(EN, "no.such.key")
	assert.False(t, ok)
}
