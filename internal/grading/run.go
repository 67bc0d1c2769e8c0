package grading

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/netkata/netkata/internal/sandbox"
)

// Config says how lessons are built and run.
type Config struct {
	Runner  sandbox.Runner
	GoRoot  string        // the Go toolchain (read-only in the sandbox)
	GoCache string        // the build cache shared by every build (never seen by tests)
	Budget  time.Duration // the time a lesson's tests may take, every step together
	Build   time.Duration // the time a lesson's build may take
	Memory  int64         // the memory a test process may use
	// Vendor says the workbook vendors its dependencies (-mod=vendor).
	Vendor bool
}

// Step is one README step to grade: its number and top-level tests.
type Step struct {
	N     int
	Tests []string
}

// TestResult is one official test's outcome.
type TestResult struct {
	Name    string
	Status  string // pass, fail, skip, not run
	Output  string // what it printed (untrusted: the submission's code ran in it)
	Elapsed time.Duration
}

// StepRun is one step's run: one test process.
type StepRun struct {
	N      int
	Tests  []TestResult
	Passed bool
	Note   string // why it did not pass, when that is not a failing test
	Review string // something for the instructor to look at
}

// LessonRun is a lesson of one submission, built and run.
type LessonRun struct {
	Built       bool
	BuildOutput string // the compiler's output when it did not build
	Steps       []StepRun
	Note        string
	Elapsed     time.Duration
}

// maxOutput caps what is kept of one step's output.
const maxOutput = 256 << 10

func (c *Config) env(extra ...string) []string {
	env := []string{
		"PATH=" + filepath.Join(c.GoRoot, "bin") + ":/usr/local/bin:/usr/bin:/bin",
		"GOROOT=" + c.GoRoot,
		"HOME=/tmp/home",
		"TMPDIR=/tmp",
		"GOPATH=/tmp/home/go",
		"GOTOOLCHAIN=local",
		"GOPROXY=off",
		"GOTELEMETRY=off",
		"CGO_ENABLED=0",
		"NO_COLOR=1",
		"LANG=C.UTF-8",
		"NETKATA_LANG=en", // the tests' messages in reports are English
	}
	return append(env, extra...)
}

func (c *Config) mounts(extra ...sandbox.Mount) []sandbox.Mount {
	m := []sandbox.Mount{}
	if !strings.HasPrefix(c.GoRoot, "/usr/") {
		m = append(m, sandbox.Mount{Path: c.GoRoot})
	}
	return append(m, extra...)
}

// BuildAll builds the test binaries of the named lessons into bin/ in one
// go command in the sandbox (what they share is loaded once); a lesson
// that does not build is left for Lesson to build alone, which reports its
// own compiler output.
func (c *Config) BuildAll(ctx context.Context, root, bin string, names []string) {
	if len(names) < 2 {
		return
	}
	bctx, cancel := context.WithTimeout(ctx, c.Build)
	defer cancel()
	args := []string{"go", "test", "-c", "-o", bin + "/", "-trimpath", "-vet=off"}
	for _, n := range names {
		args = append(args, "./lessons/"+n)
	}
	cmd, err := c.Runner.Command(bctx, c.buildSpec(root, bin, args))
	if err != nil {
		return
	}
	cmd.Run()
}

func (c *Config) buildSpec(root, bin string, args []string) sandbox.Spec {
	mod := "-mod=mod"
	if c.Vendor {
		mod = "-mod=vendor"
	}
	return sandbox.Spec{
		Args: args,
		Dir:  root,
		Env:  c.env("GOCACHE="+c.GoCache, "GOFLAGS="+mod+" -buildvcs=false"),
		Mounts: c.mounts(sandbox.Mount{Path: root}, sandbox.Mount{Path: bin, Writable: true},
			sandbox.Mount{Path: c.GoCache, Writable: true}),
		Limits: sandbox.Limits{FileSize: 1 << 30},
	}
}

// Lesson builds the lesson package pkgDir (relative to root, the
// submission's grading copy) into bin/, then runs each step's tests in a
// process of its own, in the sandbox. Progress is what the steps left
// within c.Budget; a step that hangs or crashes costs only itself.
func (c *Config) Lesson(ctx context.Context, root, bin, name string, steps []Step) *LessonRun {
	start := time.Now()
	lr := &LessonRun{}
	defer func() { lr.Elapsed = time.Since(start) }()
	exe := filepath.Join(bin, name+".test")
	bctx, cancel := context.WithTimeout(ctx, c.Build)
	defer cancel()
	var out bytes.Buffer
	var err error
	if !isFile(exe) { // not built by BuildAll
		cmd, err := c.Runner.Command(bctx, c.buildSpec(root, bin, []string{"go", "test", "-c", "-o", exe, "-trimpath", "-vet=off", "./lessons/" + name}))
		if err != nil {
			lr.Note = err.Error()
			return lr
		}
		cmd.Stdout, cmd.Stderr = &out, &out
		err = cmd.Run()
	}
	if err != nil || !isFile(exe) {
		lr.BuildOutput = Clean(capText(out.String(), 16<<10))
		switch {
		case bctx.Err() != nil:
			lr.Note = fmt.Sprintf("the build took longer than %v", c.Build)
		default:
			lr.Note = "does not build"
		}
		return lr
	}
	lr.Built = true
	deadline := start.Add(c.Budget)
	for _, s := range steps {
		left := time.Until(deadline)
		if left < time.Second {
			sr := StepRun{N: s.N, Note: fmt.Sprintf("not run: the lesson's time limit (%v) was used up by earlier steps", c.Budget)}
			for _, t := range s.Tests {
				sr.Tests = append(sr.Tests, TestResult{Name: t, Status: "not run"})
			}
			lr.Steps = append(lr.Steps, sr)
			continue
		}
		lr.Steps = append(lr.Steps, c.runStep(ctx, root, exe, name, s, left))
	}
	for _, s := range lr.Steps {
		if s.Note != "" {
			lr.Note = fmt.Sprintf("step %d: %s", s.N, s.Note)
			break
		}
	}
	return lr
}

// runStep runs one step's tests, then the seal, in a fresh sandboxed
// process whose stdin carries the run's nonce.
func (c *Config) runStep(ctx context.Context, root, exe, name string, s Step, left time.Duration) StepRun {
	sr := StepRun{N: s.N}
	nonce := newNonce()
	run := "^(" + strings.Join(append(append([]string{}, s.Tests...), SealTest), "|") + ")$"
	testTimeout := left - left/20
	ctx, cancel := context.WithTimeout(ctx, left+5*time.Second)
	defer cancel()
	spec := sandbox.Spec{
		Args: []string{exe, "-test.v=test2json", "-test.run=" + run, "-test.count=1",
			"-test.timeout=" + testTimeout.Round(time.Millisecond).String(), "-test.paniconexit0", "-test.shuffle=off"},
		Dir:    filepath.Join(root, "lessons", name),
		Env:    c.env("KATA_GRADE_SEAL=1"),
		Mounts: c.mounts(sandbox.Mount{Path: root}, sandbox.Mount{Path: exe}),
		Limits: sandbox.Limits{Memory: c.Memory, CPU: 2*left + time.Second, FileSize: 64 << 20, Procs: 256},
	}
	cmd, err := c.Runner.Command(ctx, spec)
	if err != nil {
		sr.Note = err.Error()
		return sr
	}
	cmd.Stdin = strings.NewReader(nonce + "\n")
	var stderr capBuffer
	stderr.max = 64 << 10
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		sr.Note = err.Error()
		return sr
	}
	if err := cmd.Start(); err != nil {
		sr.Note = err.Error()
		return sr
	}
	p := parseRun(stdout, nonce)
	werr := cmd.Wait()
	p.stray += stderr.String()
	judge(&sr, s, p, werr, ctx.Err() != nil, run, c, left)
	return sr
}

// parsed is what a test process printed, read as the -test.v=test2json
// stream. Everything in it is untrusted but the seal (which carries the
// nonce).
type parsed struct {
	events map[string][]string // top-level test -> "run", "pass", "fail", "skip" in order
	output map[string]*strings.Builder
	stray  string
	sealed bool
	seal   url.Values
	size   int
}

var frameRE = regexp.MustCompile(`^(=== RUN|=== CONT|=== NAME|=== PAUSE|--- PASS:|--- FAIL:|--- SKIP:)\s+(\S+)`)

func parseRun(r io.Reader, nonce string) *parsed {
	p := &parsed{events: map[string][]string{}, output: map[string]*strings.Builder{}}
	br := bufio.NewReaderSize(r, 64<<10)
	cur := ""
	for {
		line, err := br.ReadString('\n')
		if len(line) > 64<<10 {
			line = line[:64<<10] + "…\n"
		}
		if line != "" {
			framed := strings.HasPrefix(line, "\x16")
			text := strings.TrimPrefix(line, "\x16")
			if m := frameRE.FindStringSubmatch(strings.TrimRight(text, "\n")); framed && m != nil && !strings.Contains(m[2], "/") {
				name := m[2]
				switch m[1] {
				case "=== RUN":
					p.events[name] = append(p.events[name], "run")
					cur = name
				case "=== CONT", "=== NAME":
					cur = name
				case "--- PASS:":
					p.events[name] = append(p.events[name], "pass")
				case "--- FAIL:":
					p.events[name] = append(p.events[name], "fail")
				case "--- SKIP:":
					p.events[name] = append(p.events[name], "skip")
				}
			} else if rest, ok := strings.CutPrefix(strings.TrimSpace(text), "KATA-GRADE-SEAL "); ok {
				got, vals, _ := strings.Cut(rest, " ")
				if got == nonce {
					p.sealed = true
					p.seal, _ = url.ParseQuery(vals)
				}
			} else if p.size < maxOutput {
				p.size += len(text)
				if cur == "" || strings.HasPrefix(text, "PASS") || strings.HasPrefix(text, "FAIL") {
					p.stray += text
				} else {
					if p.output[cur] == nil {
						p.output[cur] = &strings.Builder{}
					}
					p.output[cur].WriteString(text)
				}
			}
		}
		if err != nil {
			return p
		}
	}
}

// judge decides the step from the parsed run, the exit status and the seal.
func judge(sr *StepRun, s Step, p *parsed, werr error, timedOut bool, run string, c *Config, left time.Duration) {
	claimed := false
	allPass := true
	for _, t := range s.Tests {
		ev := p.events[t]
		tr := TestResult{Name: t, Status: "not run"}
		if b := p.output[t]; b != nil {
			tr.Output = b.String()
		}
		has := func(e string) bool {
			for _, x := range ev {
				if x == e {
					return true
				}
			}
			return false
		}
		switch {
		case has("fail"):
			tr.Status = "fail"
			if has("pass") {
				sr.Review = fmt.Sprintf("review: the output claimed %s passed, but the harness reported it failed (forged test lines?)", t)
			}
		case has("pass") && has("run"):
			tr.Status = "pass"
		case has("skip"):
			tr.Status = "skip"
		case has("run"):
			tr.Status = "fail"
			tr.Output += "(did not finish)\n"
		}
		if has("pass") {
			claimed = true
		}
		if tr.Status != "pass" {
			allPass = false
		}
		sr.Tests = append(sr.Tests, tr)
	}
	exit := 0
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		exit = ee.ExitCode()
	} else if werr != nil {
		exit = -1
	}
	all := p.stray
	for _, b := range p.output {
		all += b.String()
	}
	intact := p.sealed &&
		p.seal.Get("test.run") == run && p.seal.Get("test.skip") == "" &&
		p.seal.Get("test.shuffle") == "off" && p.seal.Get("test.count") == "1" &&
		p.seal.Get("test.list") == "" && p.seal.Get("stdout") == "true"
	switch {
	case !p.sealed:
		sr.Note = "did not complete: " + whyIncomplete(p, all, werr, exit, timedOut, c, left)
		if claimed {
			sr.Note += "; its output claimed passes, which do not count"
		}
		for i := range sr.Tests {
			if sr.Tests[i].Status == "pass" {
				sr.Tests[i].Status = "fail"
				sr.Tests[i].Output += "(the test process did not complete: this pass does not count)\n"
			}
		}
	case !intact:
		sr.Note = "did not complete: the test flags or the standard output were changed from inside the test process"
		sr.Review = "review: the submission tampered with the test harness (" + p.seal.Encode() + ")"
	case exit != 0 && allPass:
		msg := firstLine(strings.TrimSpace(p.stray))
		if strings.Contains(all, "leakcheck:") {
			msg = "every test passed, but goroutines still run afterwards"
		}
		sr.Note = fmt.Sprintf("the test process failed after the tests (exit status %d): %s", exit, Clean(msg))
	}
	sr.Passed = intact && exit == 0 && allPass && len(s.Tests) > 0
}

var (
	panicRE = regexp.MustCompile(`(?m)^(panic: .*|fatal error: .*)$`)
)

func whyIncomplete(p *parsed, all string, werr error, exit int, timedOut bool, c *Config, left time.Duration) string {
	ran := false
	for _, ev := range p.events {
		for _, e := range ev {
			if e == "run" {
				ran = true
			}
		}
	}
	var ee *exec.ExitError
	sig := ""
	if errors.As(werr, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			sig = ws.Signal().String()
		}
	}
	switch {
	case timedOut || strings.Contains(all, "panic: test timed out after"):
		return fmt.Sprintf("time limit reached (%v left for this step of the lesson's %v)", left.Round(time.Second), c.Budget)
	case strings.Contains(all, "out of memory") || strings.Contains(all, "cannot allocate memory"):
		return fmt.Sprintf("memory limit reached (%s)", Bytes(c.Memory))
	case sig == "CPU time limit exceeded" || exit == 128+24: // SIGXCPU
		return "CPU time limit reached"
	case sig != "":
		return "killed by signal: " + sig
	case exit == 0:
		return "the test process exited with status 0 before the official harness finished (os.Exit in the submission's init or code?)"
	}
	if m := panicRE.FindString(all); m != "" {
		return "crashed: " + Clean(m)
	}
	if !ran {
		return fmt.Sprintf("the test process ended (exit status %d) before any test ran", exit)
	}
	return fmt.Sprintf("the test process ended (exit status %d) before the harness finished", exit)
}

// Bytes formats n bytes as "1.0 GiB".
func Bytes(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 0, 64) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func capText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "\n… (cut)\n"
	}
	return s
}

// Clean makes untrusted text safe to show and store: valid UTF-8, no
// control characters but newline and tab.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xFFFE || r == 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// capBuffer keeps the first max bytes written to it.
type capBuffer struct {
	bytes.Buffer
	max int
}

func (b *capBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular()
}
