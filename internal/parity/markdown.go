package parity

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/netkata/netkata/internal/readme"
)

// doc is a Markdown file read for the parity check: its headings, fenced
// code blocks, links and steps, each with its line number (from 1).
type doc struct {
	rel      string // path relative to the workbook root, with forward slashes
	dir      string // absolute folder of the file, for links to other files
	lines    []string
	headings []heading
	blocks   []block
	links    []link
	steps    []readme.Step
}

type heading struct {
	level int
	text  string
	line  int
	slug  string // GitHub's anchor for it
}

type block struct {
	line     int    // the opening fence's line
	text     string // the whole block, fences included
	unclosed bool   // it runs to the end of the file
}

type link struct {
	target string // as written: "../03-chat/README.md#step-2-x", "https://..."
	line   int
}

// readDoc reads and parses root/rel. A file that does not exist returns
// os.ErrNotExist (wrapped).
func readDoc(root, rel string) (*doc, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	d := parseDoc(string(b))
	d.rel = rel
	d.dir = filepath.Dir(filepath.Join(root, filepath.FromSlash(rel)))
	return d, nil
}

var (
	fenceRE   = regexp.MustCompile("^\\s*(`{3,}|~{3,})")
	headingRE = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)
	// An inline link or image: [text](target "title").
	inlineLinkRE = regexp.MustCompile(`!?\[[^\]]*\]\(\s*<?([^\s)>]+)>?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)`)
	// A reference definition: [label]: target.
	refDefRE   = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?`)
	autoLinkRE = regexp.MustCompile(`<((?:https?|ftp|mailto):[^>\s]+)>`)
	bareURLRE  = regexp.MustCompile(`https?://[!-~]+`)
)

// parseDoc finds the headings, fenced code blocks and links of a Markdown
// text. Links inside code blocks and code spans do not count; steps are
// readme.Parse's.
func parseDoc(text string) *doc {
	d := &doc{lines: strings.Split(text, "\n"), steps: readme.Parse(text)}
	slugs := map[string]int{}
	var open *block
	var fence string
	var body []string
	for i, line := range d.lines {
		n := i + 1
		if open != nil {
			body = append(body, line)
			if m := fenceRE.FindStringSubmatch(line); m != nil && m[1][0] == fence[0] && len(m[1]) >= len(fence) &&
				strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), m[1][:1])) == "" {
				open.text = strings.Join(body, "\n")
				d.blocks = append(d.blocks, *open)
				open = nil
			}
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			open, fence, body = &block{line: n}, m[1], []string{line}
			continue
		}
		if m := headingRE.FindStringSubmatch(line); m != nil {
			h := heading{level: len(m[1]), text: m[2], line: n}
			h.slug = slugify(h.text)
			if c := slugs[h.slug]; c > 0 {
				slugs[h.slug] = c + 1
				h.slug += "-" + strconv.Itoa(c)
			} else {
				slugs[h.slug] = 1
			}
			d.headings = append(d.headings, h)
		}
		d.links = append(d.links, linksIn(line, n)...)
	}
	if open != nil { // an unclosed block runs to the end
		open.text, open.unclosed = strings.Join(body, "\n"), true
		d.blocks = append(d.blocks, *open)
	}
	return d
}

// linksIn returns the links of one line of prose.
func linksIn(line string, n int) []link {
	line = blankCodeSpans(line)
	var out []link
	take := func(re *regexp.Regexp) {
		for _, m := range re.FindAllStringSubmatchIndex(line, -1) {
			out = append(out, link{target: line[m[2]:m[3]], line: n})
		}
		line = re.ReplaceAllStringFunc(line, func(s string) string { return strings.Repeat(" ", len(s)) })
	}
	take(refDefRE)
	take(inlineLinkRE)
	take(autoLinkRE)
	for _, u := range bareURLRE.FindAllString(line, -1) {
		out = append(out, link{target: strings.TrimRight(u, ".,:;!?*_~'\""), line: n})
	}
	return out
}

// blankCodeSpans replaces each `code span` of line with spaces. A run of
// backticks with no closing run of the same length stays as it is.
func blankCodeSpans(line string) string {
	b := []byte(line)
	for i := 0; i < len(b); {
		if b[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(b) && b[j] == '`' {
			j++
		}
		run := j - i
		end := -1
		for k := j; k < len(b); {
			if b[k] != '`' {
				k++
				continue
			}
			l := k
			for l < len(b) && b[l] == '`' {
				l++
			}
			if l-k == run {
				end = l
				break
			}
			k = l
		}
		if end < 0 {
			i = j
			continue
		}
		for k := i; k < end; k++ {
			b[k] = ' '
		}
		i = end
	}
	return string(b)
}

// slugify is GitHub's anchor for a heading: its text as rendered (code
// span backticks, emphasis stars and link targets gone), lower case,
// punctuation dropped (letters, digits, "_", "-" and spaces stay), spaces
// turned into "-". "Step 2: Echo server" gives "step-2-echo-server",
// "第 2 步：回显服务器" gives "第-2-步回显服务器".
func slugify(text string) string {
	text = inlineLinkRE.ReplaceAllStringFunc(text, func(s string) string {
		return s[strings.Index(s, "[")+1 : strings.Index(s, "]")]
	})
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stepAt returns the step whose section holds line: from its heading to the
// next heading of level 1 or 2. Zero means no step's.
func (d *doc) stepAt(line int) int {
	step := 0
	for _, h := range d.headings {
		if h.line > line {
			break
		}
		if h.level <= 2 {
			step = 0
			for _, s := range d.steps {
				if s.Line == h.line {
					step = s.N
				}
			}
		}
	}
	return step
}

// stepLine returns the heading line of step n, or 0.
func (d *doc) stepLine(n int) int {
	for _, s := range d.steps {
		if s.N == n {
			return s.Line
		}
	}
	return 0
}

// isURL reports whether a link target leaves the repository.
func isURL(target string) bool {
	return strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:")
}

// splitTarget cuts a relative link target into its cleaned path ("" for
// an anchor in the same file) and its anchor (without "#").
func splitTarget(target string) (p, anchor string) {
	p, anchor, _ = strings.Cut(target, "#")
	if p != "" {
		p = path.Clean(p)
	}
	return p, anchor
}
