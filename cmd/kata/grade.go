package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/workbook"
)

var gradeCmd = command{
	name:    "grade",
	usage:   "kata grade [-junit F] [SUBMISSION...]",
	summary: "grade this tree or submissions (folders, .zip, .tar.gz, git) with the official tests",
}

func init() {
	gradeCmd.run = runGrade
	register(gradeCmd)
}

// Grade is the gradebook entry of one submission. A lesson's score is the
// weight of its steps passed: 1 each, unless the README gives a step a
// "<!-- weight: N -->" line.
type Grade struct {
	Submission string        `json:"submission"`
	Source     string        `json:"source"`
	Score      int           `json:"score"`
	Max        int           `json:"max"`
	Percent    float64       `json:"percent"`
	Notes      []string      `json:"notes,omitempty"`
	Lessons    []LessonGrade `json:"lessons"`
	Seconds    float64       `json:"seconds"`
}

// LessonGrade is one lesson of a Grade.
type LessonGrade struct {
	Lesson string      `json:"lesson"`
	Score  int         `json:"score"`
	Max    int         `json:"max"`
	Note   string      `json:"note,omitempty"`
	Steps  []StepGrade `json:"steps"`
}

// StepGrade is one README step of a LessonGrade.
type StepGrade struct {
	Step   int         `json:"step"`
	Title  string      `json:"title"`
	Weight int         `json:"weight"`
	Passed bool        `json:"passed"`
	Tests  []TestGrade `json:"tests"`
}

// TestGrade is one top-level test of a StepGrade.
type TestGrade struct {
	Name    string  `json:"name"`
	Status  string  `json:"status"` // pass, fail, skip, not run
	Message string  `json:"message,omitempty"`
	Seconds float64 `json:"seconds"`
}

func runGrade(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &gradeCmd, kataCmd+" grade -timeout 5m -junit grades.xml -csv grades.csv alice/ bob.zip https://example.com/carol/netkata.git")
	jsonOut := fs.String("json", "", "write the gradebook as JSON to `FILE`")
	junitOut := fs.String("junit", "", "write JUnit XML (one suite per submission and lesson) to `FILE`")
	csvOut := fs.String("csv", "", "write CSV, one row per submission, to `FILE`")
	timeout := fs.Duration("timeout", 10*time.Minute, "time limit for each submission; what passed by then counts")
	jobs := fs.Int("j", runtime.NumCPU(), "grade up to `N` submissions (or lessons) at once")
	exercism := fs.String("exercism", "", "write Exercism's test-runner results.json (version 3; one submission only; task_id is the step) to `FILE`")
	only := fs.String("lessons", "", "grade only these lessons: `01-05`, 03 or 01,04")
	strict := fs.Bool("strict", false, "exit 1 unless every graded step of every submission passed (for autograders that read the exit status)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	lessons, err := selectLessons(w, *only)
	if err != nil {
		return err
	}
	subs := fs.Args()
	if *exercism != "" && len(subs) > 1 {
		return usageError("-exercism writes one submission's results: grade one")
	}
	grades := make([]*Grade, max(1, len(subs)))
	jobsN := max(1, *jobs)
	if len(subs) == 0 {
		grades[0] = gradeOne(ctx, w, w.Root, ".", ".", lessons, *timeout, jobsN)
	} else {
		inner := max(1, jobsN/len(subs))
		sem := make(chan struct{}, jobsN)
		var wg sync.WaitGroup
		for i, s := range subs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				grades[i] = gradeSubmission(ctx, w, s, lessons, *timeout, inner)
			}()
		}
		wg.Wait()
	}
	printGrades(e.stdout, lessons, grades)
	for _, out := range []struct {
		path  string
		write func(io.Writer, []*workbook.Lesson, []*Grade) error
	}{{*jsonOut, writeGradeJSON}, {*junitOut, writeJUnit}, {*csvOut, writeGradeCSV}, {*exercism, writeExercism}} {
		if out.path == "" {
			continue
		}
		if err := writeFileWith(out.path, func(f io.Writer) error { return out.write(f, lessons, grades) }); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", out.path)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if *strict {
		for _, g := range grades {
			if g.Score < g.Max || g.Max == 0 {
				return errSilent
			}
		}
	}
	return nil
}

var rangeRE = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})$`)

// selectLessons picks the lessons named by spec ("01-05", "03", "01,04").
func selectLessons(w *workbook.Workbook, spec string) ([]*workbook.Lesson, error) {
	if spec == "" {
		return w.Lessons, nil
	}
	pick := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if m := rangeRE.FindStringSubmatch(part); m != nil {
			lo, _ := strconv.Atoi(m[1])
			hi, _ := strconv.Atoi(m[2])
			for _, l := range w.Lessons {
				if n, _ := strconv.Atoi(l.ID); n >= lo && n <= hi {
					pick[l.Name] = true
				}
			}
			continue
		}
		l, err := w.Lesson(part)
		if err != nil {
			return nil, usageError("-lessons: %v", err)
		}
		pick[l.Name] = true
	}
	var out []*workbook.Lesson
	for _, l := range w.Lessons {
		if pick[l.Name] {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return nil, usageError("-lessons %s names no lesson", spec)
	}
	return out, nil
}

// gradeSubmission fetches a submission, lays its files over a pristine
// copy of the workbook in a temp dir and grades that.
func gradeSubmission(ctx context.Context, w *workbook.Workbook, src string, lessons []*workbook.Lesson, timeout time.Duration, jobs int) *Grade {
	name := submissionName(src)
	tmp, err := os.MkdirTemp("", "kata-grade-")
	if err != nil {
		return failedGrade(name, src, lessons, err)
	}
	defer os.RemoveAll(tmp)
	subDir, err := fetchSubmission(ctx, src, filepath.Join(tmp, "submission"))
	if err != nil {
		return failedGrade(name, src, lessons, err)
	}
	root := filepath.Join(tmp, "workbook")
	if err := copyTree(w.Root, root, func(rel string, d os.DirEntry) bool {
		return rel == ".git" || rel == ".kata" || (d.IsDir() && strings.HasPrefix(d.Name(), ".") && rel != ".")
	}); err != nil {
		return failedGrade(name, src, lessons, fmt.Errorf("copy the workbook: %w", err))
	}
	var notes []string
	for _, l := range lessons {
		n, err := overlaySubmission(filepath.Join(subDir, "lessons", l.Name), filepath.Join(root, "lessons", l.Name))
		if err != nil {
			notes = append(notes, err.Error())
		}
		if n == 0 {
			notes = append(notes, "no files for "+l.Name)
		}
	}
	g := gradeOne(ctx, w, root, name, src, lessons, timeout, jobs)
	g.Notes = append(notes, g.Notes...)
	return g
}

// overlaySubmission copies the non-test .go files of a submitted lesson
// folder over the pristine one: the official tests, testdata and helpers
// stay as they are, so editing a test earns nothing.
func overlaySubmission(from, to string) (int, error) {
	entries, err := os.ReadDir(from)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			return n, err
		}
		if err := os.WriteFile(filepath.Join(to, name), b, 0o666); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// gradeOne runs the official tests of lessons in root within timeout.
func gradeOne(ctx context.Context, w *workbook.Workbook, root, name, src string, lessons []*workbook.Lesson, timeout time.Duration, jobs int) *Grade {
	start := time.Now()
	g := &Grade{Submission: name, Source: src}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	deadline, _ := ctx.Deadline()
	g.Lessons = make([]LessonGrade, len(lessons))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, ol := range lessons {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// The lesson as it is in root (the pristine copy with the
			// submission's files, or the current tree).
			l := &workbook.Lesson{ID: ol.ID, Name: ol.Name,
				Dir:         filepath.Join(root, "lessons", ol.Name),
				SolutionDir: filepath.Join(root, "solutions", ol.Name),
				ScriptDir:   filepath.Join(root, "testscripts", ol.Name)}
			g.Lessons[i] = gradeLesson(ctx, root, l, time.Until(deadline))
		}()
	}
	wg.Wait()
	for _, lg := range g.Lessons {
		g.Score += lg.Score
		g.Max += lg.Max
		if lg.Note != "" {
			g.Notes = append(g.Notes, lg.Lesson+": "+lg.Note)
		}
	}
	if g.Max > 0 {
		g.Percent = math.Round(float64(g.Score)*1000/float64(g.Max)) / 10
	}
	g.Seconds = time.Since(start).Round(time.Millisecond).Seconds()
	return g
}

func gradeLesson(ctx context.Context, root string, l *workbook.Lesson, left time.Duration) LessonGrade {
	lg := LessonGrade{Lesson: l.Name}
	steps, byStep, err := l.StepTests()
	if err != nil {
		lg.Note = err.Error()
		return lg
	}
	lg.Max = totalWeight(steps)
	var r *workbook.LessonResult
	if left > time.Second {
		r = l.Check(ctx, root, workbook.CheckOptions{Count1: true, Timeout: left})
	} else {
		r = &workbook.LessonResult{Lesson: l, Err: context.DeadlineExceeded}
	}
	switch {
	case r.Err != nil && ctx.Err() != nil:
		lg.Note = "time limit reached: what passed before counts"
	case r.Err != nil:
		lg.Note = firstLine(r.Err.Error())
	case r.Run != nil && r.Run.BuildFailed:
		lg.Note = "does not build"
	case r.Trouble != "":
		lg.Note = firstLine(strings.TrimPrefix(r.Trouble, "every test passed, but "))
	}
	if lg.Note == "" && r.Run != nil {
		for _, t := range r.Run.Order {
			if r.Run.Tests[t] == nil {
				lg.Note = t + " crashed or timed out"
				break
			}
		}
	}
	for _, s := range steps {
		sg := StepGrade{Step: s.N, Title: s.Title, Weight: s.Weight}
		res := r.Step(s.N)
		sg.Passed = res != nil && res.Passed() && r.Trouble == ""
		for _, t := range byStep[s.N] {
			tg := TestGrade{Name: t, Status: "not run"}
			if r.Run != nil {
				if tr := r.Run.Tests[t]; tr != nil {
					tg.Status, tg.Seconds = tr.Action, tr.Elapsed.Seconds()
				}
				if tg.Status != "pass" {
					tg.Message = workbook.Trim(failureText(r, t), 40)
				}
			}
			sg.Tests = append(sg.Tests, tg)
		}
		if sg.Passed {
			lg.Score += s.Weight
		}
		lg.Steps = append(lg.Steps, sg)
	}
	return lg
}

func failedGrade(name, src string, lessons []*workbook.Lesson, err error) *Grade {
	g := &Grade{Submission: name, Source: src, Notes: []string{err.Error()}}
	for _, l := range lessons {
		lg := LessonGrade{Lesson: l.Name, Note: "not graded"}
		if steps, err := l.Steps(); err == nil {
			lg.Max = totalWeight(steps)
		}
		g.Max += lg.Max
		g.Lessons = append(g.Lessons, lg)
	}
	return g
}

// submissionName is a short name for a submission: its base name without
// .zip, .tar.gz or .git.
func submissionName(src string) string {
	src = strings.TrimRight(src, "/\\")
	base := filepath.Base(src)
	for _, ext := range []string{".tar.gz", ".tgz", ".zip", ".git"} {
		base = strings.TrimSuffix(base, ext)
	}
	if base == "" { // a repository's .git folder: name it for its worktree
		return submissionName(filepath.Dir(src))
	}
	return base
}

func printGrades(out io.Writer, lessons []*workbook.Lesson, grades []*Grade) {
	nameW := len("submission")
	for _, g := range grades {
		nameW = max(nameW, len(g.Submission))
	}
	fmt.Fprintf(out, "%-*s", nameW, "submission")
	for _, l := range lessons {
		fmt.Fprintf(out, "  %-7s", l.ID)
	}
	fmt.Fprintf(out, "  %-13s  %s\n", "score", "notes")
	for _, g := range grades {
		fmt.Fprintf(out, "%-*s", nameW, g.Submission)
		for _, lg := range g.Lessons {
			fmt.Fprintf(out, "  %-7s", fmt.Sprintf("%d/%d", lg.Score, lg.Max))
		}
		fmt.Fprintf(out, "  %-13s  %s\n", fmt.Sprintf("%d/%d %5.1f%%", g.Score, g.Max, g.Percent), strings.Join(g.Notes, "; "))
	}
}

func writeFileWith(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

func writeGradeJSON(w io.Writer, _ []*workbook.Lesson, grades []*Grade) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Submissions []*Grade `json:"submissions"`
	}{grades})
}

func writeGradeCSV(w io.Writer, lessons []*workbook.Lesson, grades []*Grade) error {
	cw := csv.NewWriter(w)
	head := []string{"submission", "source"}
	for _, l := range lessons {
		head = append(head, l.Name)
	}
	head = append(head, "score", "max", "percent", "notes")
	cw.Write(head)
	for _, g := range grades {
		row := []string{g.Submission, g.Source}
		for _, lg := range g.Lessons {
			row = append(row, strconv.Itoa(lg.Score))
		}
		row = append(row, strconv.Itoa(g.Score), strconv.Itoa(g.Max), strconv.FormatFloat(g.Percent, 'f', 1, 64), strings.Join(g.Notes, "; "))
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// writeJUnit writes one test suite per submission and lesson, one test
// case per test, named by its step, for CI systems and LMSs.
func writeJUnit(w io.Writer, _ []*workbook.Lesson, grades []*Grade) error {
	var suites junit.Testsuites
	suites.Name = "kata grade"
	for _, g := range grades {
		for _, lg := range g.Lessons {
			s := junit.Testsuite{Name: g.Submission + "/" + lg.Lesson, Package: lg.Lesson}
			s.AddProperty("score", fmt.Sprintf("%d/%d", lg.Score, lg.Max))
			if lg.Note != "" {
				s.AddProperty("note", lg.Note)
			}
			total := 0.0
			for _, sg := range lg.Steps {
				for _, tg := range sg.Tests {
					tc := junit.Testcase{
						Name:      tg.Name,
						Classname: fmt.Sprintf("%s.%s.step%d", g.Submission, lg.Lesson, sg.Step),
						Time:      fmt.Sprintf("%.3f", tg.Seconds),
					}
					total += tg.Seconds
					switch tg.Status {
					case "pass":
					case "skip":
						tc.Skipped = &junit.Result{Message: "skipped", Data: tg.Message}
					case "fail":
						tc.Failure = &junit.Result{Message: "Failed", Data: tg.Message}
					default:
						tc.Error = &junit.Result{Message: tg.Status, Data: tg.Message}
					}
					s.AddTestcase(tc)
				}
			}
			s.Time = fmt.Sprintf("%.3f", total)
			suites.AddSuite(s)
		}
	}
	return suites.WriteXML(w)
}

// writeExercism writes the first grade as Exercism's test-runner
// results.json, version 3 (https://exercism.org/docs/building/tooling/test-runners/interface):
// a test per top-level test, its task_id the step number.
func writeExercism(w io.Writer, _ []*workbook.Lesson, grades []*Grade) error {
	type test struct {
		Name    string `json:"name"`
		Status  string `json:"status"`
		Message string `json:"message,omitempty"`
		TaskID  int    `json:"task_id"`
	}
	res := struct {
		Version int    `json:"version"`
		Status  string `json:"status"`
		Message string `json:"message,omitempty"`
		Tests   []test `json:"tests"`
	}{Version: 3, Status: "pass", Tests: []test{}}
	g := grades[0]
	for _, lg := range g.Lessons {
		for _, sg := range lg.Steps {
			for _, tg := range sg.Tests {
				t := test{Name: lg.Lesson + "/" + tg.Name, Status: "pass", TaskID: sg.Step}
				switch tg.Status {
				case "pass":
				case "fail", "skip":
					t.Status, t.Message = "fail", tg.Message
				default:
					t.Status, t.Message = "error", tg.Status+": "+lg.Note
				}
				if t.Status != "pass" && res.Status == "pass" {
					res.Status = "fail"
				}
				res.Tests = append(res.Tests, t)
			}
		}
	}
	if len(res.Tests) == 0 {
		res.Status, res.Message = "error", strings.Join(g.Notes, "; ")
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// totalWeight adds up the steps' weights: the most a lesson can score.
func totalWeight(steps []readme.Step) int {
	n := 0
	for _, s := range steps {
		n += s.Weight
	}
	return n
}
