package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

func main() {
	for _, sol := range os.Args[1:] {
		pats, _ := filepath.Glob(filepath.Join(sol, "mutants", "*.patch"))
		vs, _ := filepath.Glob(filepath.Join(sol, "variants", "*.patch"))
		for _, p := range append(pats, vs...) {
			b, _ := os.ReadFile(p)
			files, _, err := gitdiff.Parse(bytes.NewReader(b))
			if err != nil {
				fmt.Println("PARSE", p, err)
				continue
			}
			for _, f := range files {
				src, err := os.ReadFile(filepath.Join(sol, filepath.Base(f.OldName)))
				if err != nil {
					fmt.Println("READ", p, err)
					continue
				}
				var out bytes.Buffer
				if err := gitdiff.Apply(&out, bytes.NewReader(src), f); err != nil {
					fmt.Println("APPLY", p, f.OldName, err)
				}
			}
		}
	}
	fmt.Println("checked")
}
