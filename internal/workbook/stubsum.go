package workbook

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/netkata/netkata/internal/atomicfile"
)

// StubSumsFile holds, for each lesson, the StubSum of its files as
// shipped. kata verify proves that every test of a lesson fails on those
// files and that the sum in this file is theirs; so the progress view need
// not build and run a lesson whose files still have that sum (on a fresh
// clone, nine lessons of ten): every step of it fails, and verify said so.
// `kata verify -write` rewrites the file.
const StubSumsFile = "lessons/stubs.sum"

const stubSumsHeader = `# The sum of each lesson's files as shipped: its stubs, tests, test data
# and scenarios (Markdown left out). kata verify checks that every test
# fails on these files and that each sum is theirs; kata's progress view
# does not run a lesson whose files still have their sum: it knows every
# step fails. After changing a lesson, rewrite this file with
#   go run ./cmd/kata verify -write
`

// MaxShippedFile is the largest file a lesson may ship (its largest is a
// few kB). A bigger one is the student's (lesson 04's client and lesson
// 10's fetcher save into "." by default): the lesson has no sum, so kata
// runs it, without reading the file into memory on every run.
const MaxShippedFile = 16 << 20

// StubSum hashes the files a run of the lesson's tests depends on that a
// student could change: every file of the lesson folder and of its
// scenario folder, Markdown (README, hints) and what go test leaves behind
// (leftBehind) aside. Paths are relative to the workbook, so the sum is
// the same in every checkout.
func (l *Lesson) StubSum() (string, error) {
	root := filepath.Dir(filepath.Dir(l.Dir))
	var files []string
	for _, dir := range []string{l.Dir, l.ScriptDir} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) && p == dir {
					return nil
				}
				return err
			}
			if d.IsDir() || strings.HasSuffix(d.Name(), ".md") || leftBehind(dir, p) {
				return nil
			}
			// go builds a file that is a link, so its target counts; a
			// broken link, a linked folder or a pipe has no sum.
			if fi, err := os.Stat(p); err != nil {
				return err
			} else if !fi.Mode().IsRegular() {
				return fmt.Errorf("%s is not a file", p)
			} else if fi.Size() > MaxShippedFile {
				return fmt.Errorf("%s is over %d MB: no lesson ships so big a file", p, MaxShippedFile>>20)
			}
			files = append(files, p)
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("sum lessons/%s: %w", l.Name, err)
		}
	}
	// Sorted as hashed, with "/" between folders: Windows' "\" sorts
	// after digits and capitals, and would give other sums.
	rels := make([]string, len(files))
	for i, p := range files {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return "", err
		}
		rels[i] = filepath.ToSlash(rel)
	}
	sort.Strings(rels)
	h := sha256.New()
	for _, rel := range rels {
		p := filepath.Join(root, filepath.FromSlash(rel))
		b, err := os.ReadFile(p)
		if err != nil {
			return "", fmt.Errorf("sum lessons/%s: %w", l.Name, err)
		}
		// A checkout that turns line ends into CRLF (git's core.autocrlf
		// on Windows) keeps its sums. At worst a file that differs only so
		// counts as shipped: a lesson taken as failing, and the one the
		// student is on runs anyway.
		b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
		fmt.Fprintf(h, "%s\x00%d\x00", rel, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// leftBehind reports whether the file at p, under dir, is one that go
// test -c, -coverprofile or -cpuprofile writes where it runs (.gitignore
// keeps them out of git): no run reads it and no clone has it. Under
// testdata a file of any name is test data.
func leftBehind(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil || slices.Contains(strings.Split(filepath.ToSlash(rel), "/"), "testdata") {
		return false
	}
	switch filepath.Ext(p) {
	case ".test", ".out", ".prof":
		return true
	}
	return false
}

// ReadStubSums returns the sums in root's StubSumsFile by lesson name;
// none (and no error) when the file does not exist.
func ReadStubSums(root string) (map[string]string, error) {
	f, err := os.Open(filepath.Join(root, StubSumsFile))
	if os.IsNotExist(err) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseStubSums(f)
}

func parseStubSums(r io.Reader) (map[string]string, error) {
	sums := map[string]string{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, sum, ok := strings.Cut(line, " ")
		sum = strings.TrimSpace(sum)
		if _, err := hex.DecodeString(sum); !ok || err != nil || len(sum) != 2*sha256.Size || !lessonRE.MatchString(name) {
			return nil, fmt.Errorf("%s:%d: want \"NN-name <sha256 in hex>\", got %q", StubSumsFile, n, line)
		}
		sums[name] = sum
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", StubSumsFile, err)
	}
	return sums, nil
}

// WriteStubSums sets the sums of the given lessons to their files' sums
// now, keeps the other lessons' sums and drops those of lessons w no
// longer has.
func (w *Workbook) WriteStubSums(lessons []*Lesson) error {
	sums, err := ReadStubSums(w.Root)
	if err != nil {
		sums = map[string]string{} // a broken file is rewritten whole
	}
	for _, l := range lessons {
		s, err := l.StubSum()
		if err != nil {
			return err
		}
		sums[l.Name] = s
	}
	var b bytes.Buffer
	b.WriteString(stubSumsHeader)
	for _, l := range w.Lessons {
		if s := sums[l.Name]; s != "" {
			fmt.Fprintf(&b, "%s %s\n", l.Name, s)
		}
	}
	return atomicfile.WriteFile(filepath.Join(w.Root, StubSumsFile), b.Bytes(), 0o644)
}

// ShippedLessons reports which of the lessons have their files as
// shipped: the sum of their files is the one root's StubSumsFile holds.
func ShippedLessons(root string, lessons []*Lesson) map[*Lesson]bool {
	sums, err := ReadStubSums(root)
	if err != nil {
		return nil
	}
	return shipped(lessons, sums)
}

// shipped reports which lessons have their files as shipped: the sum of
// their files is the one sums holds for them.
func shipped(lessons []*Lesson, sums map[string]string) map[*Lesson]bool {
	m := map[*Lesson]bool{}
	for _, l := range lessons {
		want := sums[l.Name]
		if want == "" {
			continue
		}
		if got, err := l.StubSum(); err == nil && got == want {
			m[l] = true
		}
	}
	return m
}
