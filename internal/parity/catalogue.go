package parity

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
)

// CatalogueDir is where the message catalogue's source lives.
const CatalogueDir = "internal/i18n"

// Catalogue turns the catalogue's problems (i18n.Check) into findings
// that name the source line of the key: the Chinese one where it exists,
// else the English one, found in the .go files of root/CatalogueDir.
func Catalogue(root string, problems []i18n.Problem) []Finding {
	if len(problems) == 0 {
		return nil
	}
	where := keyLines(root)
	var out []Finding
	for _, p := range problems {
		f := Finding{File: CatalogueDir, Text: p.Error()}
		spots := where[p.Key]
		// Prefer the spot in a file of the language that lags.
		for _, s := range spots {
			if strings.Contains(path.Base(s.file), "_"+string(p.Lang)) {
				f.File, f.Line = s.file, s.line
				break
			}
		}
		if f.Line == 0 && len(spots) > 0 {
			f.File, f.Line = spots[0].file, spots[0].line
			if p.Text == "missing: English has it" {
				f.Text = fmt.Sprintf("key %q has no %s text: add it beside this one, in the %s messages", p.Key, p.Lang, p.Lang)
			}
		}
		out = append(out, f)
	}
	return out
}

type spot struct {
	file string
	line int
}

// keyLines maps each `"key":` at the start of a line in the catalogue's
// source files to where it is.
func keyLines(root string) map[string][]spot {
	dir := filepath.Join(root, filepath.FromSlash(CatalogueDir))
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := map[string][]spot{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			continue
		}
		for i, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, `"`) {
				continue
			}
			end := strings.Index(line[1:], `"`)
			if end < 0 || !strings.HasPrefix(strings.TrimSpace(line[end+2:]), ":") {
				continue
			}
			key := line[1 : end+1]
			out[key] = append(out[key], spot{path.Join(CatalogueDir, n), i + 1})
		}
	}
	return out
}
