package verify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/parity"
	"github.com/netkata/netkata/internal/workbook"
)

// CheckParity compares the 简体中文 edition with the English one
// (internal/parity): the top-level README, the message catalogue, and each
// lesson's README and hints. It reads files only, so Run runs it as one
// job. A lesson not translated yet passes unless enforce
// (workbook.EnforceTranslations) is set.
func CheckParity(root string, lessons []*workbook.Lesson, enforce bool) []Result {
	var out []Result
	if fi, err := os.Stat(filepath.Join(root, parity.ReadmeEN)); err == nil && fi.Mode().IsRegular() {
		r := parity.Top(root, enforce)
		out = append(out, parityResult("", r, fmt.Sprintf("%s agrees with %s: %d code blocks, %d links",
			parity.ReadmeZH, parity.ReadmeEN, r.Blocks, r.Links)))
	}
	if fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(parity.CatalogueDir))); err == nil && fi.IsDir() {
		out = append(out, catalogueResult(parity.Catalogue(root, i18n.Check())))
	}
	for _, l := range lessons {
		r := parity.Lesson(root, "lessons/"+l.Name, enforce)
		out = append(out, parityResult(l.Name, r, fmt.Sprintf("%s and %s agree with English: %d steps, %d test names, %d code blocks, %d hints, %d links",
			parity.ReadmeZH, parity.HintsZH, r.Steps, r.Tests, r.Blocks, r.Hints, r.Links)))
	}
	return out
}

// parityResult is verify's line for a report: agreeing (ok says how much),
// not translated yet (ok while not enforced), or the spots that lag.
func parityResult(lesson string, r parity.Report, ok string) Result {
	o := Result{Kind: Parity, OK: len(r.Findings) == 0, Lesson: lesson, Text: "parity: " + ok}
	switch {
	case len(r.Findings) > 0:
		places := "places"
		if len(r.Findings) == 1 {
			places = "place"
		}
		o.Text = fmt.Sprintf("parity: 简体中文 lags or differs from English in %d %s (CONTRIBUTING.md, \"Changing a lesson in both languages\")", len(r.Findings), places)
		o.Detail = findingLines(r.Findings)
	case !r.Translated:
		o.Text = "parity: no 简体中文 edition yet (not enforced)"
	}
	return o
}

func catalogueResult(fs []parity.Finding) Result {
	if len(fs) == 0 {
		return Result{Kind: Parity, Name: "catalogue", OK: true, Text: fmt.Sprintf("parity: message catalogue: %d keys, each in English and 简体中文 with the same fmt verbs", len(i18n.Keys(i18n.EN)))}
	}
	return Result{Kind: Parity, Name: "catalogue", Text: fmt.Sprintf("parity: message catalogue: %d keys lag or differ between English and 简体中文", len(fs)), Detail: findingLines(fs)}
}

// maxFindings is how many findings of one check verify prints: a lost
// code fence or heading shifts everything after it, and the first few
// name the cause.
const maxFindings = 30

func findingLines(fs []parity.Finding) string {
	var lines []string
	for i, f := range fs {
		if i == maxFindings {
			lines = append(lines, fmt.Sprintf("... and %d more (fix those above first: they may cause the rest)", len(fs)-maxFindings))
			break
		}
		lines = append(lines, f.String())
	}
	return strings.Join(lines, "\n")
}
