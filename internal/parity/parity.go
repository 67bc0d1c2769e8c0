// Package parity checks that the 简体中文 edition of the workbook keeps in
// step with the English one: each lesson's README.zh-CN.md and
// hints.zh-CN.md beside README.md and hints.md, the top-level
// README.zh-CN.md, and the message catalogue of internal/i18n. The rules are
// the translators' (CONTRIBUTING.md, "Changing a lesson in both languages"):
//
//   - the same steps, with the same numbers, order and weights, and Chinese
//     step headings ("## 第 N 步：标题");
//   - the same heading structure (the levels of every heading, in order);
//   - in each step section, the same test names (TestStepN_..., FuzzStepN_...,
//     BenchmarkStepN_..., TestScripts/...);
//   - the same fenced code blocks, byte for byte, in the same order;
//   - the same number of hints ("- " bullets) in each step of the hints;
//   - the same links, once normalised: a link to README.md or hints.md
//     becomes README.zh-CN.md or hints.zh-CN.md; an anchor in the same file
//     (or in another lesson's README) is compared by the heading it names,
//     so "#step-2-echo-server" in English matches "#第-2-步回显服务器" in
//     Chinese when both name the same heading (by position); other links
//     stay as they are. Links are compared as a multiset: the order of two
//     links may change with the sentence;
//   - the Chinese file links back to the English one in its first lines,
//     and no "TODO(translate)" marker (kata new-step writes them) is left.
//
// A lesson without Chinese files passes unless the caller enforces
// translations; a lesson with one of the two files must have both.
package parity

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The file names of the two languages.
const (
	ReadmeEN = "README.md"
	ReadmeZH = "README.zh-CN.md"
	HintsEN  = "hints.md"
	HintsZH  = "hints.zh-CN.md"
)

// TodoMarker marks a part of a Chinese file that is not translated yet;
// kata new-step writes it, and the check fails while one is left.
const TodoMarker = "TODO(translate)"

// TopLines is how many lines from the top a file's link to its other
// language may be.
const TopLines = 5

// Finding is one spot where a Chinese file lags or differs from English.
type Finding struct {
	File string // the file to fix, from the workbook root: "lessons/03-chat/README.zh-CN.md"
	Line int    // the line to look at in File, or 0 for the whole file
	Step int    // the step it is about, or 0
	Text string // what differs, naming the English spot: "step 2 lacks TestStep2_Broadcast, which README.md:88 names"
}

// String is "file:line: text", or "file: text" without a line.
func (f Finding) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Text)
	}
	return f.File + ": " + f.Text
}

// Report is the result of checking a lesson or the top-level README.
type Report struct {
	Translated bool      // the Chinese files exist
	Findings   []Finding // nil when both languages agree
	// What the English has that was compared.
	Steps, Tests, Blocks, Hints, Links int
}

// Lesson checks the lesson folder rel ("lessons/02-tcp") of the workbook
// at root. Without Chinese files, the report has no findings unless
// enforce is set.
func Lesson(root, rel string, enforce bool) Report {
	var r Report
	have := func(name string) bool {
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel), name))
		return err == nil
	}
	zhReadme, zhHints, enHints := have(ReadmeZH), have(HintsZH), have(HintsEN)
	r.Translated = zhReadme || zhHints
	missing := func(name, from string) {
		r.Findings = append(r.Findings, Finding{File: path.Join(rel, name),
			Text: fmt.Sprintf("missing: translate %s into it", from)})
	}
	if !r.Translated && !enforce {
		return r
	}
	if !zhReadme {
		missing(ReadmeZH, ReadmeEN)
	}
	if enHints && !zhHints {
		missing(HintsZH, HintsEN)
	}
	if zhReadme {
		c, err := newChecker(root, path.Join(rel, ReadmeEN), path.Join(rel, ReadmeZH))
		if err != nil {
			r.Findings = append(r.Findings, Finding{File: path.Join(rel, ReadmeZH), Text: err.Error()})
		} else {
			c.steps(true)
			c.headingStructure()
			c.tests()
			c.common(enforce)
			r.add(c)
		}
	}
	if zhHints {
		c, err := newChecker(root, path.Join(rel, HintsEN), path.Join(rel, HintsZH))
		if err != nil {
			r.Findings = append(r.Findings, Finding{File: path.Join(rel, HintsZH), Text: err.Error()})
		} else {
			c.steps(false)
			c.headingStructure()
			c.hints()
			c.common(false)
			r.add(c)
		}
	}
	return r
}

// Top checks the workbook's top-level README.md and README.zh-CN.md: the
// same code blocks, links and heading structure, and a link to each other
// near the top (from the English only when enforce is set: the English
// files gain their links to Chinese once every translation is in).
func Top(root string, enforce bool) Report {
	var r Report
	if _, err := os.Stat(filepath.Join(root, ReadmeZH)); err != nil {
		if enforce {
			r.Findings = append(r.Findings, Finding{File: ReadmeZH, Text: "missing: translate README.md into it"})
		}
		return r
	}
	r.Translated = true
	c, err := newChecker(root, ReadmeEN, ReadmeZH)
	if err != nil {
		r.Findings = append(r.Findings, Finding{File: ReadmeZH, Text: err.Error()})
		return r
	}
	c.headingStructure()
	c.common(enforce)
	r.add(c)
	return r
}

func (r *Report) add(c *checker) {
	r.Findings = append(r.Findings, c.findings...)
	r.Steps = max(r.Steps, len(c.en.steps))
	r.Tests += c.nTests
	r.Blocks += len(c.en.blocks)
	r.Hints += c.nHints
	r.Links += c.nLinks
}

// checker compares one English file with its Chinese counterpart.
type checker struct {
	root        string
	en, zh      *doc
	findings    []Finding
	stepsOK     bool // both have the same steps
	sectionsOK  bool // and the same headings of levels 1 and 2
	structureOK bool // and the same headings
	nTests      int
	nHints      int
	nLinks      int
}

func newChecker(root, enRel, zhRel string) (*checker, error) {
	en, err := readDoc(root, enRel)
	if err != nil {
		return nil, fmt.Errorf("cannot read its English %s: %w", path.Base(enRel), errors.Unwrap(err))
	}
	zh, err := readDoc(root, zhRel)
	if err != nil {
		return nil, err
	}
	return &checker{root: root, en: en, zh: zh, stepsOK: true, sectionsOK: true, structureOK: true}, nil
}

// add records a finding in the Chinese file.
func (c *checker) add(line, step int, format string, args ...any) {
	c.findings = append(c.findings, Finding{File: c.zh.rel, Line: line, Step: step, Text: fmt.Sprintf(format, args...)})
}

// enAt names a spot of the English file: "README.md:88".
func (c *checker) enAt(line int) string {
	return fmt.Sprintf("%s:%d", path.Base(c.en.rel), line)
}

// zhSpot is where in the Chinese file to look for what the English has at
// enLine: the heading of the same step, or 0.
func (c *checker) zhSpot(enLine int) (line, step int) {
	step = c.en.stepAt(enLine)
	if step == 0 {
		return 0, 0
	}
	return c.zh.stepLine(step), step
}

// steps compares the step headings: the same numbers in the same order,
// the same weights (readme only), and the Chinese form of the heading.
func (c *checker) steps(weights bool) {
	zhByN := map[int]int{}
	for i, s := range c.zh.steps {
		zhByN[s.N] = i
	}
	enByN := map[int]bool{}
	for _, s := range c.en.steps {
		enByN[s.N] = true
		i, ok := zhByN[s.N]
		if !ok {
			c.stepsOK = false
			c.add(0, s.N, "lacks step %d (%q), which %s has", s.N, s.Title, c.enAt(s.Line))
			continue
		}
		z := c.zh.steps[i]
		if weights && z.Weight != s.Weight {
			c.add(z.Line, s.N, "step %d weighs %d, %s says %d: copy its \"<!-- weight: %d -->\" line", s.N, z.Weight, c.enAt(s.Line), s.Weight, s.Weight)
		}
	}
	for _, z := range c.zh.steps {
		if !enByN[z.N] {
			c.stepsOK = false
			c.add(z.Line, z.N, "has a step %d, which %s does not", z.N, path.Base(c.en.rel))
		}
		if line := c.zh.lines[z.Line-1]; strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(line, "##")), "Step") {
			c.add(z.Line, z.N, "the heading of step %d is still English; write it \"## 第 %d 步：标题\"", z.N, z.N)
		}
	}
	if c.stepsOK {
		var enNs, zhNs []int
		for _, s := range c.en.steps {
			enNs = append(enNs, s.N)
		}
		for _, s := range c.zh.steps {
			zhNs = append(zhNs, s.N)
		}
		if !slices.Equal(enNs, zhNs) {
			c.stepsOK = false
			c.add(0, 0, "has the steps in the order %v, %s in the order %v", zhNs, path.Base(c.en.rel), enNs)
		}
	}
}

// headingStructure compares the headings: their levels, in order, with
// the step headings as fixed points. It says nothing when the steps differ
// already (that finding names the spot). Anchors are compared by heading
// only when the structure agrees.
func (c *checker) headingStructure() {
	if !c.stepsOK {
		c.sectionsOK, c.structureOK = false, false
		return
	}
	keys := func(d *doc) []string {
		var out []string
		for _, h := range d.headings {
			k := strconv.Itoa(h.level)
			for _, s := range d.steps {
				if s.Line == h.line {
					k += " step " + strconv.Itoa(s.N)
				}
			}
			out = append(out, k)
		}
		return out
	}
	en, zh := c.en.headings, c.zh.headings
	for _, op := range diff(keys(c.en), keys(c.zh)) {
		c.structureOK = false
		if (op.a >= 0 && en[op.a].level <= 2) || (op.b >= 0 && zh[op.b].level <= 2) {
			c.sectionsOK = false
		}
		switch {
		case op.a >= 0 && op.b >= 0:
			c.add(zh[op.b].line, c.zh.stepAt(zh[op.b].line), "heading %q is level %d where %s has %q at level %d: keep the same headings as English",
				zh[op.b].text, zh[op.b].level, c.enAt(en[op.a].line), en[op.a].text, en[op.a].level)
		case op.a >= 0:
			line, step := c.zhSpot(en[op.a].line)
			c.add(line, step, "lacks a heading for %q (%s, level %d): keep the same headings as English", en[op.a].text, c.enAt(en[op.a].line), en[op.a].level)
		default:
			c.add(zh[op.b].line, c.zh.stepAt(zh[op.b].line), "heading %q has no counterpart in %s: keep the same headings as English", zh[op.b].text, path.Base(c.en.rel))
		}
	}
}

var testNameRE = regexp.MustCompile(`\b(?:(?:Test|Fuzz|Benchmark|Example)Step\d+_\w+|TestScripts(?:/[\w.-]+)*)`)

// testNames returns each test name that lines from (a heading's line) to the
// end of its section mention, with the line of its first mention.
func (d *doc) testNames(from int) (names []string, at map[string]int) {
	at = map[string]int{}
	end := len(d.lines)
	for _, h := range d.headings {
		if h.line > from && h.level <= 2 {
			end = h.line - 1
			break
		}
	}
	for i := from; i <= end; i++ {
		for _, name := range testNameRE.FindAllString(d.lines[i-1], -1) {
			if _, ok := at[name]; !ok {
				at[name] = i
				names = append(names, name)
			}
		}
	}
	return names, at
}

// tests compares the test names each step section mentions, once the
// steps and the sections agree.
func (c *checker) tests() {
	if !c.stepsOK || !c.sectionsOK {
		return
	}
	for _, s := range c.en.steps {
		zl := c.zh.stepLine(s.N)
		if zl == 0 {
			continue // reported by steps
		}
		enNames, enAt := c.en.testNames(s.Line)
		zhNames, zhAt := c.zh.testNames(zl)
		c.nTests += len(enNames)
		for _, n := range enNames {
			if _, ok := zhAt[n]; !ok {
				c.add(zl, s.N, "step %d lacks %s, which %s names", s.N, n, c.enAt(enAt[n]))
			}
		}
		for _, n := range zhNames {
			if _, ok := enAt[n]; !ok {
				c.add(zhAt[n], s.N, "step %d names %s, which step %d of %s does not (%s)", s.N, n, s.N, path.Base(c.en.rel), c.enAt(s.Line))
			}
		}
	}
}

// hintCounts returns the number of "- " bullets under each step heading,
// as workbook.ParseHints counts them.
func (d *doc) hintCounts() map[int]int {
	counts := map[int]int{}
	step := 0
	next := 0
	for i, line := range d.lines {
		if next < len(d.steps) && d.steps[next].Line == i+1 {
			step = d.steps[next].N
			next++
			continue
		}
		if step != 0 && strings.HasPrefix(line, "- ") {
			counts[step]++
		}
	}
	return counts
}

// hints compares the number of hints of each step.
func (c *checker) hints() {
	en, zh := c.en.hintCounts(), c.zh.hintCounts()
	for _, s := range c.en.steps {
		c.nHints += en[s.N]
		zl := c.zh.stepLine(s.N)
		if zl == 0 {
			continue // reported by steps
		}
		if en[s.N] != zh[s.N] {
			c.add(zl, s.N, "step %d has %d hints, %s has %d: one Chinese hint for each English one, in the same order", s.N, zh[s.N], c.enAt(s.Line), en[s.N])
		}
	}
}

// common runs the checks every pair of files shares: code blocks, links,
// the links between the two languages near the top, and markers of parts
// not translated yet.
func (c *checker) common(wantEnglishLink bool) {
	c.blocks()
	c.links()
	enBase, zhBase := path.Base(c.en.rel), path.Base(c.zh.rel)
	if !c.linksNearTop(c.zh, enBase) {
		c.add(1, 0, "does not link back to English in its first %d lines: put \"[English](%s)\" under the title", TopLines, enBase)
	}
	if wantEnglishLink && !c.linksNearTop(c.en, zhBase) {
		c.findings = append(c.findings, Finding{File: c.en.rel, Line: 1,
			Text: fmt.Sprintf("does not link to its Chinese edition in its first %d lines: put \"[简体中文](%s)\" under the title", TopLines, zhBase)})
	}
	for i, line := range c.zh.lines {
		if strings.Contains(line, TodoMarker) {
			step := c.zh.stepAt(i + 1)
			what := "this part"
			if step > 0 {
				what = fmt.Sprintf("step %d", step)
			}
			c.add(i+1, step, "%s is not translated yet (%s): translate it from %s, then remove the marker", what, TodoMarker, path.Base(c.en.rel))
		}
	}
}

// linksNearTop reports whether d links to the file named base (in its own
// folder) in its first TopLines lines.
func (c *checker) linksNearTop(d *doc, base string) bool {
	for _, l := range d.links {
		if p, _ := splitTarget(l.target); l.line <= TopLines && !isURL(l.target) && p == base {
			return true
		}
	}
	return false
}

// blocks compares the fenced code blocks: byte for byte, in order.
func (c *checker) blocks() {
	if n := len(c.zh.blocks); n > 0 && c.zh.blocks[n-1].unclosed && (len(c.en.blocks) == 0 || !c.en.blocks[len(c.en.blocks)-1].unclosed) {
		zb := c.zh.blocks[n-1]
		c.add(zb.line, c.zh.stepAt(zb.line), "a code block opens here and never closes: its closing fence (```), or one above, is lost or changed")
	}
	a := make([]string, len(c.en.blocks))
	for i, b := range c.en.blocks {
		a[i] = b.text
	}
	b := make([]string, len(c.zh.blocks))
	for i, blk := range c.zh.blocks {
		b[i] = blk.text
	}
	for _, op := range diff(a, b) {
		switch {
		case op.a >= 0 && op.b >= 0: // changed
			eb, zb := c.en.blocks[op.a], c.zh.blocks[op.b]
			el, zl, n := firstDiff(eb.text, zb.text)
			c.add(zb.line+n, c.zh.stepAt(zb.line), "code block %d differs from %s's, at its line %d: %q, English has %q (copy code blocks byte for byte)",
				op.b+1, c.enAt(eb.line), n+1, zl, el)
		case op.a >= 0:
			eb := c.en.blocks[op.a]
			line, step := c.zhSpot(eb.line)
			c.add(line, step, "lacks the code block at %s (%s): copy it byte for byte", c.enAt(eb.line), firstLine(eb.text))
		default:
			zb := c.zh.blocks[op.b]
			c.add(zb.line, c.zh.stepAt(zb.line), "has a code block (%s) that %s does not", firstLine(zb.text), path.Base(c.en.rel))
		}
	}
}

func firstLine(s string) string {
	lines := strings.SplitN(s, "\n", 3)
	if len(lines) > 1 && strings.TrimSpace(lines[1]) != "" && !fenceRE.MatchString(lines[1]) {
		return "starting " + fmt.Sprintf("%q", lines[1])
	}
	return fmt.Sprintf("%q", lines[0])
}

// firstDiff returns the first line where a and b differ, and its index.
func firstDiff(a, b string) (al, bl string, n int) {
	as, bs := strings.Split(a, "\n"), strings.Split(b, "\n")
	for n = 0; n < max(len(as), len(bs)); n++ {
		al, bl = "", ""
		if n < len(as) {
			al = as[n]
		}
		if n < len(bs) {
			bl = bs[n]
		}
		if al != bl || n >= len(as) || n >= len(bs) {
			return al, bl, n
		}
	}
	return "", "", 0
}

// op is one step of an alignment of two sequences: a and b are indexes,
// -1 where one side has nothing. diff returns only the ops that are not
// matches: a changed element (both set), a removed one (b == -1) or an
// added one (a == -1).
type op struct{ a, b int }

// diff aligns a with b (longest common subsequence) and returns where they
// differ, pairing an element removed with one added at the same place as
// a change.
func diff(a, b []string) []op {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []op
	var dels, adds []int
	flush := func() {
		k := 0
		for ; k < len(dels) && k < len(adds); k++ {
			out = append(out, op{dels[k], adds[k]})
		}
		for _, d := range dels[k:] {
			out = append(out, op{d, -1})
		}
		for _, ad := range adds[k:] {
			out = append(out, op{-1, ad})
		}
		dels, adds = nil, nil
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			flush()
			i, j = i+1, j+1
		case j >= m || (i < n && lcs[i+1][j] >= lcs[i][j+1]):
			dels = append(dels, i)
			i++
		default:
			adds = append(adds, j)
			j++
		}
	}
	flush()
	return out
}

// linkKey is what a link is compared by, and how to show it.
type linkKey struct {
	key    string // the normalised target
	want   string // the target as the Chinese file should write it
	broken bool   // an anchor that names no heading of its file
}

// links compares the links of both files as multisets of normalised
// targets. The links between the two languages are left out.
func (c *checker) links() {
	enBase, zhBase := path.Base(c.en.rel), path.Base(c.zh.rel)
	type item struct {
		k    linkKey
		l    link
		used bool
	}
	var zhItems []*item
	for _, l := range c.zh.links {
		if p, _ := splitTarget(l.target); !isURL(l.target) && p == enBase {
			continue // the link back to English
		}
		zhItems = append(zhItems, &item{k: c.key(c.zh, l.target, false), l: l})
	}
	for _, l := range c.en.links {
		if p, _ := splitTarget(l.target); !isURL(l.target) && p == zhBase {
			continue // the link to the Chinese edition
		}
		c.nLinks++
		k := c.key(c.en, l.target, true)
		// The same link in the same step first, else anywhere.
		found := false
		for pass := 0; pass < 2 && !found; pass++ {
			for _, z := range zhItems {
				if !z.used && z.k.key == k.key && (pass == 1 || c.zh.stepAt(z.l.line) == c.en.stepAt(l.line)) {
					z.used, found = true, true
					break
				}
			}
		}
		if !found {
			line, step := c.zhSpot(l.line)
			c.add(line, step, "lacks the link to %s, which %s has (as %s)", k.want, c.enAt(l.line), l.target)
		}
	}
	for _, z := range zhItems {
		switch {
		case z.used:
		case z.k.broken:
			c.add(z.l.line, c.zh.stepAt(z.l.line), "links to %s, and no heading has that anchor (GitHub's: lower case, spaces to \"-\", punctuation dropped)", z.l.target)
		default:
			c.add(z.l.line, c.zh.stepAt(z.l.line), "links to %s, which %s does not (a link changed or added?)", z.l.target, path.Base(c.en.rel))
		}
	}
}

// zhName is the Chinese counterpart of a translated file's name.
var zhName = map[string]string{ReadmeEN: ReadmeZH, HintsEN: HintsZH}

// key normalises a link target of d (the English file when en is set).
func (c *checker) key(d *doc, target string, en bool) linkKey {
	if isURL(target) {
		return linkKey{key: target, want: target}
	}
	p, anchor := splitTarget(target)
	zp := p
	if en {
		if z, ok := zhName[path.Base(p)]; ok {
			zp = path.Join(path.Dir(p), z)
		}
	}
	if anchor == "" {
		return linkKey{key: zp, want: zp}
	}
	// An anchor in the same file, or in a translated file: by the heading
	// it names, when the Chinese file it points into exists.
	var target0 *doc
	switch {
	case p == "" && !c.structureOK:
		return linkKey{key: "#…", want: "#" + anchor} // the headings differ: reported already
	case p == "":
		target0 = d
	case isTranslated(zp):
		zhTarget, err := c.docAt(c.zh.dir, zp)
		if err != nil {
			return linkKey{key: zp, want: zp} // not translated yet: the file only
		}
		target0 = zhTarget
		if en {
			if target0, err = c.docAt(d.dir, p); err != nil {
				return linkKey{key: zp + "#" + anchor, want: zp + "#" + anchor}
			}
		}
	default:
		return linkKey{key: zp + "#" + anchor, want: zp + "#" + anchor}
	}
	for i, h := range target0.headings {
		if h.slug == strings.ToLower(anchor) {
			k := linkKey{key: fmt.Sprintf("%s#heading %d", zp, i+1), want: zp + "#" + anchor}
			if en {
				// Show the anchor the Chinese heading at the same place has.
				zhDoc := c.zh
				if p != "" {
					zhDoc, _ = c.docAt(c.zh.dir, zp)
				}
				if zhDoc != nil && i < len(zhDoc.headings) {
					k.want = zp + "#" + zhDoc.headings[i].slug
				}
			}
			return k
		}
	}
	return linkKey{key: zp + "#" + anchor, want: zp + "#" + anchor, broken: true}
}

func isTranslated(p string) bool {
	b := path.Base(p)
	return b == ReadmeZH || b == HintsZH
}

// docAt reads the file at rel from dir, a folder of the workbook.
func (c *checker) docAt(dir, rel string) (*doc, error) {
	abs := filepath.Join(dir, filepath.FromSlash(rel))
	r, err := filepath.Rel(c.root, abs)
	if err != nil || strings.HasPrefix(r, "..") {
		return nil, fs.ErrNotExist
	}
	return readDoc(c.root, filepath.ToSlash(r))
}
