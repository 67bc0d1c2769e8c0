package workbook

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
)

// Case conditions: gremlins v0.6.0 decides whether a mutant is covered by
// looking its position up in the tests' coverage profile, but Go's coverage
// blocks stop at a switch's "{" and start again after each case's ":", so
// the condition of a case clause (case n > 10:) lies in no block at all.
// gremlins therefore reports every mutant in a case condition NOT COVERED
// and never runs it, however thoroughly the tests exercise the switch
// (go-gremlins/gremlins issue #298). kata verify -mutation runs those
// mutants itself, the way gremlins runs the others: the mutated solution,
// go test -failfast on the lesson's package, exit 1 is KILLED, 0 is LIVED,
// 2 (it does not build) is NOT VIABLE, past the time limit is TIMED OUT. A
// condition whose case no test reaches simply lives, so nothing is waved
// through: the mutant is judged, not left out.

// caseMutantsVersion changes the inputs hash of every baseline when the way
// case-condition mutants are run changes.
const caseMutantsVersion = "case conditions run by kata verify, v1"

// InCaseCondition reports whether line:col (1-based, col in bytes, as
// gremlins reports positions) of the Go source src lies inside the
// condition of a case clause of a switch statement.
func InCaseCondition(src []byte, line, col int) (bool, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "src.go", src, parser.SkipObjectResolution)
	if err != nil {
		return false, err
	}
	pos, err := position(fset, line, col)
	if err != nil {
		return false, err
	}
	found := false
	ast.Inspect(f, func(n ast.Node) bool {
		if found {
			return false
		}
		if cc, ok := n.(*ast.CaseClause); ok {
			for _, e := range cc.List {
				if e.Pos() <= pos && pos < e.End() {
					found = true
				}
			}
		}
		return true
	})
	return found, nil
}

func position(fset *token.FileSet, line, col int) (token.Pos, error) {
	var tf *token.File
	fset.Iterate(func(f *token.File) bool { tf = f; return false })
	if line < 1 || line > tf.LineCount() {
		return token.NoPos, fmt.Errorf("line %d is not in the file (%d lines)", line, tf.LineCount())
	}
	start := tf.LineStart(line)
	end := tf.Base() + tf.Size()
	if line < tf.LineCount() {
		end = int(tf.LineStart(line + 1))
	}
	p := int(start) + col - 1
	if col < 1 || p >= end {
		return token.NoPos, fmt.Errorf("column %d is not on line %d", col, line)
	}
	return token.Pos(p), nil
}

// tokenMutations is gremlins v0.6.0's table for the mutators it enables by
// default (internal/engine/mappings.go): what each token becomes.
var tokenMutations = map[string]map[token.Token]token.Token{
	"ARITHMETIC_BASE": {
		token.ADD: token.SUB, token.MUL: token.QUO, token.QUO: token.MUL,
		token.REM: token.MUL, token.SUB: token.ADD,
	},
	"CONDITIONALS_BOUNDARY": {
		token.GEQ: token.GTR, token.GTR: token.GEQ, token.LEQ: token.LSS, token.LSS: token.LEQ,
	},
	"CONDITIONALS_NEGATION": {
		token.EQL: token.NEQ, token.GEQ: token.LSS, token.GTR: token.LEQ,
		token.LEQ: token.GTR, token.LSS: token.GEQ, token.NEQ: token.EQL,
	},
	"INCREMENT_DECREMENT": {token.DEC: token.INC, token.INC: token.DEC},
	"INVERT_NEGATIVES":    {token.SUB: token.ADD},
}

// ApplyMutation returns src with the token at line:col replaced as mutator
// does it (gremlins' table), or an error if no token starts there or the
// mutator does not apply to it.
func ApplyMutation(src []byte, line, col int, mutator string) ([]byte, error) {
	table, ok := tokenMutations[mutator]
	if !ok {
		return nil, fmt.Errorf("mutator %s is not one kata verify can apply", mutator)
	}
	fset := token.NewFileSet()
	tf := fset.AddFile("src.go", -1, len(src))
	var s scanner.Scanner
	s.Init(tf, src, nil, 0)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return nil, fmt.Errorf("no token at %d:%d", line, col)
		}
		p := fset.Position(pos)
		if p.Line < line || (p.Line == line && p.Column < col) {
			continue
		}
		if p.Line != line || p.Column != col {
			return nil, fmt.Errorf("no token starts at %d:%d", line, col)
		}
		to, ok := table[tok]
		if !ok {
			return nil, fmt.Errorf("%s does not apply to %q at %d:%d", mutator, tok.String()+lit, line, col)
		}
		off := p.Offset
		out := append([]byte(nil), src[:off]...)
		out = append(out, to.String()...)
		return append(out, src[off+len(tok.String()):]...), nil
	}
}
