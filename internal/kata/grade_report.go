package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jstemmer/go-junit-report/v2/junit"
	"github.com/netkata/netkata/internal/grading"
	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/textwidth"
	"github.com/netkata/netkata/internal/workbook"
)

// report is what the gradebook writers get.
type report struct {
	Run         *RunInfo `json:"run"`
	Submissions []*Grade `json:"submissions"`
	workbook    *workbook.Workbook
}

// printGrades writes the human table of grades, its headings in language
// lang; submission names, scores and notes are as in the reports.
func printGrades(out io.Writer, lessons []*workbook.Lesson, grades []*Grade, lang i18n.Lang) {
	hSub, hScore, hNotes := i18n.T(lang, "grade.col.submission"), i18n.T(lang, "grade.col.score"), i18n.T(lang, "grade.col.notes")
	nameW := textwidth.Of(hSub)
	names := make([]string, len(grades))
	for i, g := range grades {
		names[i] = oneLineClean(g.Submission)
		nameW = max(nameW, textwidth.Of(names[i]))
	}
	fmt.Fprint(out, textwidth.Pad(hSub, nameW))
	for _, l := range lessons {
		fmt.Fprintf(out, "  %-7s", l.ID)
	}
	fmt.Fprintf(out, "  %s  %s\n", textwidth.Pad(hScore, 13), hNotes)
	for i, g := range grades {
		fmt.Fprint(out, textwidth.Pad(names[i], nameW))
		for _, lg := range g.Lessons {
			fmt.Fprintf(out, "  %-7s", fmt.Sprintf("%d/%d", lg.Score, lg.Max))
		}
		fmt.Fprintf(out, "  %-13s  %s\n", fmt.Sprintf("%d/%d %5.1f%%", g.Score, g.Max, g.Percent), oneLineClean(strings.Join(g.Notes, "; ")))
	}
}

// oneLineClean is untrusted text made safe for one line of a terminal.
func oneLineClean(s string) string {
	return strings.NewReplacer("\n", " ", "\t", " ").Replace(grading.Clean(s))
}

func writeGradeJSON(w io.Writer, r *report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// csvSafe keeps a cell from starting a spreadsheet formula.
func csvSafe(s string) string {
	s = oneLineClean(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeGradeCSV(w io.Writer, r *report) error {
	cw := csv.NewWriter(w)
	head := []string{"submission", "source"}
	for _, l := range r.Run.Lessons {
		head = append(head, l)
	}
	head = append(head, "score", "max", "percent", "notes")
	cw.Write(head)
	for _, g := range r.Submissions {
		row := []string{csvSafe(g.Submission), csvSafe(g.Source)}
		for _, lg := range g.Lessons {
			row = append(row, strconv.Itoa(lg.Score))
		}
		row = append(row, strconv.Itoa(g.Score), strconv.Itoa(g.Max), strconv.FormatFloat(g.Percent, 'f', 1, 64), csvSafe(strings.Join(g.Notes, "; ")))
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// writeJUnit writes one test suite per submission and lesson, one test
// case per test, named by its step, for CI systems and LMSs. Every string
// is cleaned of what XML cannot hold; a lesson not graded is an error.
func writeJUnit(w io.Writer, r *report) error {
	var suites junit.Testsuites
	suites.Name = "kata grade"
	c := grading.Clean
	for _, g := range r.Submissions {
		for _, lg := range g.Lessons {
			s := junit.Testsuite{Name: c(g.Submission + "/" + lg.Lesson), Package: lg.Lesson}
			s.AddProperty("score", fmt.Sprintf("%d/%d", lg.Score, lg.Max))
			if lg.Note != "" {
				s.AddProperty("note", c(lg.Note))
			}
			for _, rv := range lg.Review {
				s.AddProperty("review", c(rv))
			}
			if lg.Same != "" {
				s.AddProperty("same", c("same as "+lg.Same))
			}
			total := 0.0
			n := 0
			for _, sg := range lg.Steps {
				for _, tg := range sg.Tests {
					tc := junit.Testcase{
						Name:      tg.Name,
						Classname: c(fmt.Sprintf("%s.%s.step%d", g.Submission, lg.Lesson, sg.Step)),
						Time:      fmt.Sprintf("%.3f", tg.Seconds),
					}
					total += tg.Seconds
					msg := c(tg.Message)
					switch {
					case !g.Graded:
						tc.Error = &junit.Result{Message: "not graded", Data: c(strings.Join(g.Notes, "\n"))}
					case tg.Status == "pass" && sg.Passed:
					case tg.Status == "pass":
						tc.Failure = &junit.Result{Message: "step not passed", Data: c(sg.Note)}
					case tg.Status == "skip":
						tc.Skipped = &junit.Result{Message: "skipped", Data: msg}
					case tg.Status == "fail":
						tc.Failure = &junit.Result{Message: "Failed", Data: msg}
					default:
						tc.Error = &junit.Result{Message: tg.Status, Data: msg}
					}
					s.AddTestcase(tc)
					n++
				}
			}
			if n == 0 {
				s.AddTestcase(junit.Testcase{Name: "grade", Classname: c(g.Submission + "." + lg.Lesson),
					Error: &junit.Result{Message: "not graded", Data: c(lg.Note + "\n" + strings.Join(g.Notes, "\n"))}})
			}
			s.Time = fmt.Sprintf("%.3f", total)
			suites.AddSuite(s)
		}
	}
	return suites.WriteXML(w)
}

// writeExercism writes the first grade as Exercism's test-runner
// results.json, version 3 (https://exercism.org/docs/building/tooling/test-runners/interface):
// a test per top-level test, its task_id the step number, its test_code
// the official test's source. A lesson that does not build, or a
// submission not graded, is status "error" with the compiler's output or
// the reason.
func writeExercism(w io.Writer, r *report) error {
	type test struct {
		Name     string `json:"name"`
		Status   string `json:"status"`
		Message  string `json:"message,omitempty"`
		TestCode string `json:"test_code,omitempty"`
		TaskID   int    `json:"task_id"`
	}
	res := struct {
		Version int    `json:"version"`
		Status  string `json:"status"`
		Message string `json:"message,omitempty"`
		Tests   []test `json:"tests"`
	}{Version: 3, Status: "pass", Tests: []test{}}
	g := r.Submissions[0]
	var errs []string
	for _, lg := range g.Lessons {
		code := map[string]string{}
		if r.workbook != nil {
			if l, err := r.workbook.Lesson(lg.Lesson); err == nil {
				code = testSources(l.Dir)
			}
		}
		if lg.BuildOutput != "" {
			errs = append(errs, lg.Lesson+" does not build:\n"+lg.BuildOutput)
		}
		for _, sg := range lg.Steps {
			for _, tg := range sg.Tests {
				t := test{Name: lg.Lesson + "/" + tg.Name, Status: "pass", TaskID: sg.Step, TestCode: code[tg.Name]}
				switch {
				case tg.Status == "pass" && sg.Passed:
				case tg.Status == "pass":
					t.Status, t.Message = "fail", sg.Note
				case tg.Status == "fail" || tg.Status == "skip":
					t.Status, t.Message = "fail", tg.Message
				case strings.HasPrefix(lg.Note, "no files for "):
					t.Status, t.Message = "fail", "not submitted: "+lg.Note
				default:
					t.Status, t.Message = "error", tg.Status+": "+firstNonEmpty(tg.Message, lg.Note)
				}
				if t.Status != "pass" && res.Status == "pass" {
					res.Status = "fail"
				}
				res.Tests = append(res.Tests, t)
			}
		}
	}
	switch {
	case len(errs) > 0:
		res.Status, res.Message = "error", grading.Clean(strings.Join(errs, "\n"))
	case !g.Graded || len(res.Tests) == 0:
		res.Status, res.Message = "error", grading.Clean(strings.Join(g.Notes, "; "))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// testSources maps the top-level test functions in dir's test files to
// their source.
func testSources(dir string) map[string]string {
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				out[fd.Name.Name] = string(src[fset.Position(fd.Pos()).Offset:fset.Position(fd.End()).Offset])
			}
		}
	}
	return out
}
