package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/netkata/netkata/internal/atomicfile"
	"github.com/netkata/netkata/internal/grading"
	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/sandbox"
	"github.com/netkata/netkata/internal/workbook"
	"golang.org/x/term"
)

var gradeCmd = command{
	name:    "grade",
	usage:   "kata grade [-junit F] [SUBMISSION...]",
	summary: "grade this tree or submissions (folders, .zip, .tar.gz, git) with the official tests, each in a sandbox",
}

func init() {
	gradeCmd.run = runGrade
	register(gradeCmd)
}

// Grade is the gradebook entry of one submission. A lesson's score is the
// weight of its steps passed: 1 each, unless the README gives a step a
// "<!-- weight: N -->" line.
type Grade struct {
	Submission string        `json:"submission"` // unique within a run
	Source     string        `json:"source"`
	Score      int           `json:"score"`
	Max        int           `json:"max"`
	Percent    float64       `json:"percent"`
	Graded     bool          `json:"graded"` // false: the submission could not be graded at all
	Notes      []string      `json:"notes,omitempty"`
	Lessons    []LessonGrade `json:"lessons"`
	Seconds    float64       `json:"seconds"`
}

// LessonGrade is one lesson of a Grade.
type LessonGrade struct {
	Lesson      string      `json:"lesson"`
	Score       int         `json:"score"`
	Max         int         `json:"max"`
	Note        string      `json:"note,omitempty"`
	Review      []string    `json:"review,omitempty"`
	Same        string      `json:"same,omitempty"` // "the reference" or another submission
	BuildOutput string      `json:"build_output,omitempty"`
	Steps       []StepGrade `json:"steps"`
	Seconds     float64     `json:"seconds"`
	fingerprint string      // of the lesson's files, for markSame
}

// StepGrade is one README step of a LessonGrade.
type StepGrade struct {
	Step   int         `json:"step"`
	Title  string      `json:"title"`
	Weight int         `json:"weight"`
	Passed bool        `json:"passed"`
	Note   string      `json:"note,omitempty"`
	Tests  []TestGrade `json:"tests"`
}

// TestGrade is one top-level test of a StepGrade.
type TestGrade struct {
	Name    string  `json:"name"`
	Status  string  `json:"status"` // pass, fail, skip, not run
	Message string  `json:"message,omitempty"`
	Seconds float64 `json:"seconds"`
}

// RunInfo is how a gradebook was made: the JSON report's "run".
type RunInfo struct {
	Workbook string    `json:"workbook_commit,omitempty"`
	Date     time.Time `json:"date"`
	Sandbox  string    `json:"sandbox"`
	Timeout  string    `json:"lesson_timeout"`
	Memory   string    `json:"memory_limit"`
	MaxBytes int64     `json:"max_submission_bytes"`
	MaxFiles int       `json:"max_submission_files"`
	Lessons  []string  `json:"lessons"`
	Warnings []string  `json:"warnings,omitempty"`
}

// gradeOpts are runGrade's flags.
type gradeOpts struct {
	timeout   time.Duration
	memory    int64
	jobs      int
	sandbox   string
	image     string
	unsafe    bool
	commit    string
	gocache   string
	caps      archiveCaps
	reference bool
}

func runGrade(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &gradeCmd, kataCmd+" grade -junit grades.xml -csv grades.csv alice/ bob.zip https://example.com/carol/netkata.git")
	jsonOut := fs.String("json", "", "write the gradebook as JSON to `FILE`")
	junitOut := fs.String("junit", "", "write JUnit XML (one suite per submission and lesson) to `FILE`")
	csvOut := fs.String("csv", "", "write CSV, one row per submission, to `FILE`")
	var o gradeOpts
	fs.DurationVar(&o.timeout, "timeout", 2*time.Minute, "time limit for each lesson of each submission (its build has as long again); what passed by then counts")
	memory := fs.String("memory", "1GiB", "memory limit (heap) of each test process: `SIZE` like 512MiB or 2GiB")
	fs.IntVar(&o.jobs, "j", runtime.NumCPU(), "grade up to `N` lessons at once")
	fs.StringVar(&o.sandbox, "sandbox", "auto", "how submissions are confined: `bwrap` (bubblewrap, Linux), docker or podman (image from the Dockerfile), auto (bwrap)")
	fs.StringVar(&o.image, "image", "netkata-grade", "the container `IMAGE` for -sandbox docker or podman (docker build -t netkata-grade .)")
	fs.BoolVar(&o.unsafe, "unsafe-no-sandbox", false, "run submissions without a sandbox, with your full rights: only for code you trust")
	fs.StringVar(&o.commit, "commit", "HEAD", "grade against the workbook at this git `COMMIT`")
	fs.StringVar(&o.gocache, "gocache", "", "the Go build cache shared by every build, never seen by tests (`DIR`; default: go env GOCACHE)")
	maxBytes := fs.String("max-bytes", "64MiB", "refuse a submission holding more than `SIZE` of files")
	fs.IntVar(&o.caps.Entries, "max-files", 10000, "refuse a submission holding more than `N` files")
	exercism := fs.String("exercism", "", "write Exercism's test-runner results.json (version 3; one submission only; task_id is the step) to `FILE`")
	only := fs.String("lessons", "", "grade only these lessons: `01-05`, 03 or 01,04")
	strict := fs.Bool("strict", false, "exit 1 unless every graded step of every submission passed (for autograders that read the exit status)")
	quiet := fs.Bool("q", false, "print no progress lines")
	langName := fs.String("lang", "en", "the language of the table printed here: `en` or zh (the JSON, JUnit, CSV and Exercism files are always in English)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	tableLang, ok := i18n.Parse(*langName)
	if !ok {
		return usageError("-lang %q: want en or zh", *langName)
	}
	// The tests run in English whatever the grader's language, so that
	// notes and reports read the same for every instructor.
	os.Setenv(i18n.EnvVar, string(i18n.EN))
	var err error
	if o.memory, err = parseSize(*memory); err != nil {
		return usageError("-memory: %v", err)
	}
	if o.caps.Bytes, err = parseSize(*maxBytes); err != nil {
		return usageError("-max-bytes: %v", err)
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
	o.jobs = max(1, o.jobs)
	info := &RunInfo{Date: time.Now().UTC().Round(time.Second), Timeout: o.timeout.String(), Memory: grading.Bytes(o.memory),
		MaxBytes: o.caps.Bytes, MaxFiles: o.caps.Entries}
	for _, l := range lessons {
		info.Lessons = append(info.Lessons, l.Name)
	}
	var grades []*Grade
	if len(subs) == 0 {
		// The student's own tree: their code, their rights.
		info.Sandbox = "none (this tree)"
		grades = []*Grade{gradeOne(ctx, w, w.Root, ".", ".", lessons, o.timeout*time.Duration(len(lessons)), o.jobs)}
	} else {
		var progress func(string, int)
		if !*quiet {
			progress = progressPrinter(e.stderr, len(subs)*len(lessons))
		}
		grades, err = gradeSubmissions(ctx, w, subs, lessons, o, info, progress)
		if err != nil {
			return err
		}
	}
	for _, warn := range info.Warnings {
		fmt.Fprintf(e.stderr, "kata grade: warning: %s\n", warn)
	}
	printGrades(e.stdout, lessons, grades, tableLang)
	rep := &report{Run: info, Submissions: grades, workbook: w}
	for _, out := range []struct {
		path  string
		write func(io.Writer, *report) error
	}{{*jsonOut, writeGradeJSON}, {*junitOut, writeJUnit}, {*csvOut, writeGradeCSV}, {*exercism, writeExercism}} {
		if out.path == "" {
			continue
		}
		if err := atomicfile.Write(out.path, 0o644, func(w io.Writer) error { return out.write(w, rep) }); err != nil {
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

// progressPrinter prints a line per lesson graded and, on a terminal, a
// bar under them: [#####.....] 5/10 lessons.
func progressPrinter(w io.Writer, total int) func(string, int) {
	f, ok := w.(*os.File)
	bar := ok && term.IsTerminal(int(f.Fd()))
	var mu sync.Mutex
	done := 0
	return func(line string, lessons int) {
		mu.Lock()
		defer mu.Unlock()
		done += lessons
		if !bar {
			fmt.Fprintln(w, line)
			return
		}
		const width = 30
		n := width * min(done, total) / max(total, 1)
		fmt.Fprintf(w, "\r\033[K%s\n[%s%s] %d/%d lessons", line, strings.Repeat("#", n), strings.Repeat(".", width-n), done, total)
		if done >= total {
			fmt.Fprint(w, "\r\033[K")
		}
	}
}

// noSandbox explains why grade will not run submissions unconfined.
const noSandbox = `kata grade runs every submission as hostile code: its init functions and tests run on this machine, and unconfined they could read your files (keys, other students' work), change your workbook, use the network and leave processes running.
So it confines each one in a sandbox: bubblewrap on Linux (apt-get install bubblewrap), or a container (-sandbox docker or podman, image built from the workbook's Dockerfile).
To grade code you trust without one, pass -unsafe-no-sandbox`

var sizeRE = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?$`)

// parseSize reads "512MiB", "2GiB", "1G" or a number of bytes.
func parseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not a size like 512MiB or 2GiB", s)
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	mult := map[byte]float64{'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}
	if m[2] != "" && m[2] != "B" {
		f *= mult[m[2][0]]
	}
	return int64(f), nil
}

// gradeSubmissions grades each submission in a pristine copy of the
// workbook at the commit, lesson by lesson, in the sandbox.
func gradeSubmissions(ctx context.Context, w *workbook.Workbook, subs []string, lessons []*workbook.Lesson, o gradeOpts, info *RunInfo, progress func(string, int)) ([]*Grade, error) {
	var runner sandbox.Runner
	var err error
	if o.unsafe {
		runner = sandbox.None{}
	} else if runner, err = sandbox.New(ctx, o.sandbox, o.image); err != nil {
		return nil, fmt.Errorf("%v\n\n%s", err, noSandbox)
	}
	info.Sandbox = runner.Name()
	tmp, err := os.MkdirTemp("", "kata-grade-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	base, err := grading.NewBase(ctx, w.Root, o.commit, filepath.Join(tmp, "base"))
	if err != nil {
		return nil, err
	}
	info.Workbook = base.Commit
	goroot, err := goRoot()
	if err != nil {
		return nil, err
	}
	if o.gocache == "" {
		if o.gocache, err = goCache(); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(o.gocache, 0o777); err != nil {
		return nil, err
	}
	cfg := &grading.Config{Runner: runner, GoRoot: goroot, GoCache: o.gocache, Budget: o.timeout,
		Build: max(o.timeout, 2*time.Minute), Memory: o.memory, Vendor: isDir(filepath.Join(base.Dir, "vendor"))}
	names := uniqueNames(subs, info)
	grades := make([]*Grade, len(subs))
	lessonSem := make(chan struct{}, o.jobs)
	subSem := make(chan struct{}, 2*o.jobs) // submissions unpacked at once
	var wg sync.WaitGroup
	for i, src := range subs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			subSem <- struct{}{}
			defer func() { <-subSem }()
			dir := filepath.Join(tmp, "s"+strconv.Itoa(i))
			grades[i] = gradeSubmission(ctx, w, base, cfg, names[i], src, dir, lessons, o.caps, lessonSem, progress)
			os.RemoveAll(dir)
		}()
	}
	wg.Wait()
	markSame(base.Dir, grades, lessons)
	return grades, nil
}

// goRoot finds the Go toolchain from the go command in PATH, without
// running it (go writes telemetry into HOME).
func goRoot() (string, error) {
	p, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("kata grade builds with the go command: %w", err)
	}
	if p, err = filepath.EvalSymlinks(p); err != nil {
		return "", err
	}
	root := filepath.Dir(filepath.Dir(p))
	if !isDir(filepath.Join(root, "src", "runtime")) {
		return goEnv("GOROOT")
	}
	return root, nil
}

// goCache is the go command's build cache, as go finds it.
func goCache() (string, error) {
	if c := os.Getenv("GOCACHE"); c != "" && c != "off" {
		return c, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no build cache folder: pass -gocache: %w", err)
	}
	return filepath.Join(d, "go-build"), nil
}

func goEnv(key string) (string, error) {
	out, err := exec.Command("go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// uniqueNames names each submission for the reports; names that repeat get
// "-2", "-3", with a warning.
func uniqueNames(subs []string, info *RunInfo) []string {
	seen := map[string]int{}
	out := make([]string, len(subs))
	for i, s := range subs {
		n := submissionName(s)
		seen[n]++
		if seen[n] > 1 {
			nn := fmt.Sprintf("%s-%d", n, seen[n])
			info.Warnings = append(info.Warnings, fmt.Sprintf("two submissions are named %q: %s is reported as %q", n, s, nn))
			n = nn
		}
		out[i] = n
	}
	return out
}

// gradeSubmission fetches one submission, lays its files over its own
// copy of the base and grades its lessons, each in the sandbox.
func gradeSubmission(ctx context.Context, w *workbook.Workbook, base *grading.Base, cfg *grading.Config, name, src, dir string, lessons []*workbook.Lesson, caps archiveCaps, sem chan struct{}, progress func(string, int)) *Grade {
	start := time.Now()
	subDir, err := fetchSubmission(ctx, src, filepath.Join(dir, "submission"), caps)
	if err != nil {
		g := failedGrade(name, src, lessons, err)
		if progress != nil {
			progress(fmt.Sprintf("grade: %s: not graded: %s", name, oneLineClean(err.Error())), len(lessons))
		}
		return g
	}
	root := filepath.Join(dir, "wb")
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o777); err != nil {
		return failedGrade(name, src, lessons, err)
	}
	if err := base.Clone(root); err != nil {
		return failedGrade(name, src, lessons, fmt.Errorf("copy the workbook: %w", err))
	}
	g := &Grade{Submission: name, Source: src, Graded: true, Lessons: make([]LessonGrade, len(lessons))}
	var wg sync.WaitGroup
	var toBuild []string
	type job struct {
		l      *workbook.Lesson
		lg     *LessonGrade
		steps  []readme.Step
		byStep map[int][]string
	}
	var jobs []job
	for i, l := range lessons {
		pristine := filepath.Join(base.Dir, "lessons", l.Name)
		lg := &g.Lessons[i]
		lg.Lesson = l.Name
		pl := &workbook.Lesson{ID: l.ID, Name: l.Name, Dir: pristine}
		steps, byStep, err := pl.StepTests()
		if err != nil {
			lg.Note = "not graded: " + err.Error()
			if progress != nil {
				progress(fmt.Sprintf("grade: %s %s: %s", name, l.Name, oneLineClean(lg.Note)), 1)
			}
			continue
		}
		lg.Max = totalWeight(steps)
		files, err := overlaySubmission(filepath.Join(subDir, "lessons", l.Name), filepath.Join(root, "lessons", l.Name))
		if err != nil {
			lg.Note = grading.Clean(err.Error())
		}
		if len(files) == 0 {
			if lg.Note == "" {
				lg.Note = "no files for " + l.Name
			}
			lg.Steps = notRun(steps, byStep)
			if progress != nil {
				progress(fmt.Sprintf("grade: %s %s 0/%d: %s", name, l.Name, lg.Max, lg.Note), 1)
			}
			continue
		}
		if sol, err := l.SolutionFiles(); err == nil && len(sol) > 0 {
			for i := range sol {
				sol[i] = filepath.Base(sol[i])
			}
			lg.fingerprint = grading.Fingerprint(grading.ReadGoFiles(filepath.Join(root, "lessons", l.Name), sol))
		}
		allowed := grading.Imports(pristine, l.SolutionDir)
		// What the reference does itself is no cause for review.
		usual := map[string]bool{}
		for _, n := range grading.Review(base.Module, l.Name, grading.ReadGoFiles(l.SolutionDir, nil), allowed) {
			usual[reviewWhat(n)] = true
		}
		for _, n := range grading.Review(base.Module, l.Name, files, allowed) {
			if !usual[reviewWhat(n)] {
				lg.Review = append(lg.Review, n)
			}
		}
		pkg, err := packageName(pristine)
		if err == nil {
			err = grading.InjectSeal(filepath.Join(root, "lessons", l.Name), base.Module, pkg)
		}
		if err != nil {
			lg.Note = "not graded: " + err.Error()
			if progress != nil {
				progress(fmt.Sprintf("grade: %s %s: %s", name, l.Name, oneLineClean(lg.Note)), 1)
			}
			continue
		}
		toBuild = append(toBuild, l.Name)
		jobs = append(jobs, job{l, lg, steps, byStep})
	}
	// One build for every lesson (the go command loads the module once).
	sem <- struct{}{}
	cfg.BuildAll(ctx, root, bin, toBuild)
	<-sem
	for _, j := range jobs {
		l, lg, steps, byStep := j.l, j.lg, j.steps, j.byStep
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			var gs []grading.Step
			for _, s := range steps {
				gs = append(gs, grading.Step{N: s.N, Tests: byStep[s.N]})
			}
			lr := cfg.Lesson(ctx, root, bin, l.Name, gs)
			fillLesson(lg, steps, byStep, lr)
			if progress != nil {
				line := fmt.Sprintf("grade: %s %s %d/%d (%.1fs)", name, l.Name, lg.Score, lg.Max, lg.Seconds)
				if lg.Note != "" {
					line += ": " + firstLine(lg.Note)
				}
				progress(line, 1)
			}
		}()
	}
	wg.Wait()
	for _, lg := range g.Lessons {
		g.Score += lg.Score
		g.Max += lg.Max
		if lg.Note != "" {
			note := lg.Note
			if !strings.HasPrefix(note, "no files for ") {
				note = lg.Lesson + ": " + note
			}
			g.Notes = append(g.Notes, note)
		}
		for _, r := range lg.Review {
			g.Notes = append(g.Notes, r)
		}
	}
	if g.Max > 0 {
		g.Percent = math.Round(float64(g.Score)*1000/float64(g.Max)) / 10
	}
	g.Seconds = time.Since(start).Round(time.Millisecond).Seconds()
	return g
}

var reviewRE = regexp.MustCompile(`^review: [^:]*:\d+: `)

// reviewWhat is a review note without its file and line.
func reviewWhat(note string) string { return reviewRE.ReplaceAllString(note, "") }

func notRun(steps []readme.Step, byStep map[int][]string) []StepGrade {
	var out []StepGrade
	for _, s := range steps {
		sg := StepGrade{Step: s.N, Title: s.Title, Weight: s.Weight}
		for _, t := range byStep[s.N] {
			sg.Tests = append(sg.Tests, TestGrade{Name: t, Status: "not run"})
		}
		out = append(out, sg)
	}
	return out
}

// fillLesson turns a sandboxed run into the lesson's grade.
func fillLesson(lg *LessonGrade, steps []readme.Step, byStep map[int][]string, lr *grading.LessonRun) {
	lg.Seconds = lr.Elapsed.Round(time.Millisecond).Seconds()
	if lr.Note != "" {
		lg.Note = grading.Clean(lr.Note)
	}
	lg.BuildOutput = lr.BuildOutput
	runs := map[int]*grading.StepRun{}
	for i := range lr.Steps {
		runs[lr.Steps[i].N] = &lr.Steps[i]
	}
	for _, s := range steps {
		sg := StepGrade{Step: s.N, Title: s.Title, Weight: s.Weight}
		sr := runs[s.N]
		if sr != nil {
			sg.Passed = sr.Passed
			sg.Note = grading.Clean(sr.Note)
			if sr.Review != "" {
				lg.Review = append(lg.Review, grading.Clean(sr.Review))
			}
		}
		for _, t := range byStep[s.N] {
			tg := TestGrade{Name: t, Status: "not run"}
			if sr != nil {
				for _, tr := range sr.Tests {
					if tr.Name == t {
						tg.Status, tg.Seconds = tr.Status, tr.Elapsed.Seconds()
						if tr.Status != "pass" {
							tg.Message = grading.Clean(workbook.Trim(workbook.Message(tr.Output), 40))
						}
					}
				}
			}
			if tg.Message == "" && tg.Status != "pass" {
				switch {
				case sg.Note != "":
					tg.Message = sg.Note
				case lr.BuildOutput != "":
					tg.Message = "does not build:\n" + workbook.Trim(lr.BuildOutput, 40)
				}
			}
			sg.Tests = append(sg.Tests, tg)
		}
		if sg.Passed {
			lg.Score += s.Weight
		}
		lg.Steps = append(lg.Steps, sg)
	}
}

var packageRE = regexp.MustCompile(`(?m)^package\s+(\w+)`)

// packageName is the package clause of the non-test .go files in dir.
func packageName(dir string) (string, error) {
	for _, src := range grading.ReadGoFiles(dir, nil) {
		if m := packageRE.FindSubmatch(src); m != nil {
			return string(m[1]), nil
		}
	}
	return "", fmt.Errorf("no Go package in %s", dir)
}

// markSame flags lessons identical (after gofmt and renaming) to the
// reference or to another submission's.
func markSame(baseDir string, grades []*Grade, lessons []*workbook.Lesson) {
	for li, l := range lessons {
		names, err := l.SolutionFiles()
		if err != nil || len(names) == 0 {
			continue
		}
		for i := range names {
			names[i] = filepath.Base(names[i])
		}
		ref := grading.Fingerprint(grading.ReadGoFiles(l.SolutionDir, names))
		stub := grading.Fingerprint(grading.ReadGoFiles(filepath.Join(baseDir, "lessons", l.Name), names))
		first := map[string]string{}
		for _, g := range grades {
			if li >= len(g.Lessons) || g.Lessons[li].fingerprint == "" {
				continue
			}
			lg := &g.Lessons[li]
			switch fp := lg.fingerprint; {
			case fp == stub:
			case fp == ref:
				lg.Same = "the reference"
			case first[fp] != "":
				lg.Same = first[fp]
			default:
				first[fp] = g.Submission
			}
			if lg.Same != "" {
				g.Notes = append(g.Notes, fmt.Sprintf("%s: same as %s", l.Name, lg.Same))
			}
		}
	}
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

// overlaySubmission copies the non-test .go files of a submitted lesson
// folder over the grading copy's, as new files: the official tests,
// testdata and helpers stay as they are, so editing a test earns nothing.
// It returns the files copied, by name.
func overlaySubmission(from, to string) (map[string][]byte, error) {
	files := map[string][]byte{}
	fi, err := os.Lstat(from)
	if os.IsNotExist(err) {
		return files, nil
	}
	if err != nil {
		return files, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return files, fmt.Errorf("refused: %s is a symlink", filepath.Base(from))
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		return files, err
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || strings.HasPrefix(name, "zz_katagrade") {
			continue
		}
		if !e.Type().IsRegular() {
			return files, fmt.Errorf("refused: %s is not a regular file", name)
		}
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			return files, err
		}
		if err := grading.ReplaceFile(filepath.Join(to, name), b); err != nil {
			return files, err
		}
		files[name] = b
	}
	return files, nil
}

// gradeOne runs the official tests of lessons in root within timeout: the
// student's own tree, graded in place with their rights.
func gradeOne(ctx context.Context, w *workbook.Workbook, root, name, src string, lessons []*workbook.Lesson, timeout time.Duration, jobs int) *Grade {
	start := time.Now()
	g := &Grade{Submission: name, Source: src, Graded: true}
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
		lg.BuildOutput = grading.Clean(r.Run.Output)
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
					tg.Message = grading.Clean(workbook.Trim(failureText(r, t), 40))
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
	g := &Grade{Submission: name, Source: src, Notes: []string{"not graded: " + grading.Clean(err.Error())}}
	for _, l := range lessons {
		lg := LessonGrade{Lesson: l.Name, Note: "not graded"}
		if steps, byStep, err := l.StepTests(); err == nil {
			lg.Max = totalWeight(steps)
			lg.Steps = notRun(steps, byStep)
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

// totalWeight adds up the steps' weights: the most a lesson can score.
func totalWeight(steps []readme.Step) int {
	n := 0
	for _, s := range steps {
		n += s.Weight
	}
	return n
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
