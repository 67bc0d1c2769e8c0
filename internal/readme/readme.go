// Package readme connects tests to the lesson README step that explains them.
//
// Tests are named TestStepN_WhatItProves (FuzzStepN_..., BenchmarkStepN_...
// alike); the lesson's README.md has one heading per step:
//
//	## Step 3: The Internet checksum
//
// Ref turns a running test into "README.md, step 3: The Internet checksum",
// and Explain prints that, with the hint command, when the test fails. The
// kata tool reads the same headings with Parse.
package readme

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
)

// Step is one "## Step N: Title" heading of a lesson README, or
// "## 第 N 步：标题" in a README.zh-CN.md.
type Step struct {
	N      int    // the step number, from 1
	Title  string // the heading's text after "Step N: "
	Line   int    // the heading's line number in the README, from 1
	Weight int    // points for grading: 1, or N from a "<!-- weight: N -->" line after the heading
}

var (
	headingRE = regexp.MustCompile(`^##\s+(?:Step\s+(\d+)\s*[:.]|第\s*(\d+)\s*步\s*[:：.])\s*(.+?)\s*$`)
	weightRE  = regexp.MustCompile(`^<!--\s*weight:\s*(\d+)\s*-->\s*$`)
	testRE    = regexp.MustCompile(`^(?:Test|Fuzz|Benchmark|Example)Step(\d+)_`)
)

// Parse returns the step headings of a README, in the order they appear.
// A step weighs 1 point in grading unless the line after its heading says
// otherwise, as an HTML comment readers do not see:
//
//	## Step 4: Send over SMTP
//	<!-- weight: 2 -->
func Parse(text string) []Step {
	var steps []Step
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	prevHeading := false
	for line := 1; sc.Scan(); line++ {
		if m := weightRE.FindStringSubmatch(sc.Text()); m != nil && prevHeading {
			if w, err := strconv.Atoi(m[1]); err == nil && w > 0 {
				steps[len(steps)-1].Weight = w
			}
		}
		m := headingRE.FindStringSubmatch(sc.Text())
		prevHeading = m != nil
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[1] + m[2])
		steps = append(steps, Step{N: n, Title: m[3], Line: line, Weight: 1})
	}
	return steps
}

// StepOf returns the step number in a test name such as
// "TestStep3_Checksum/odd length", and false if the name has none.
func StepOf(testName string) (int, bool) {
	m := testRE.FindStringSubmatch(testName)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

var cache sync.Map // README path -> []Step

func stepsIn(path string) []Step {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if v, ok := cache.Load(path); ok {
		return v.([]Step)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	steps := Parse(string(b))
	cache.Store(path, steps)
	return steps
}

// Ref names the README step that explains the running test, as
// "README.md, step 3: The Internet checksum", or in Chinese (i18n.Current)
// "README.zh-CN.md 第 3 步：Internet 校验和" when the lesson has a Chinese
// README with that step (else the English one). The README is the one in
// the test's working directory (go test runs a package's tests in its
// folder).
func Ref(t testing.TB) string {
	return refIn(i18n.Current(), t.Name())
}

// refIn is Ref in language l for the test named name.
func refIn(l i18n.Lang, name string) string {
	n, ok := StepOf(name)
	if !ok {
		return "README.md"
	}
	if l != i18n.EN {
		file := i18n.File("README.md", l)
		for _, s := range stepsIn(file) {
			if s.N == n {
				return i18n.T(l, "readme.ref", file, s.N, s.Title)
			}
		}
	}
	for _, s := range stepsIn("README.md") {
		if s.N == n {
			return i18n.T(l, "readme.ref", "README.md", s.N, s.Title)
		}
	}
	return i18n.T(l, "readme.ref.untitled", "README.md", n)
}

// Lesson returns the number of the lesson whose tests are running ("01"),
// from the name of the working directory ("01-layers"), or "" outside one.
func Lesson() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	base := filepath.Base(wd)
	if len(base) > 3 && base[2] == '-' && base[0] >= '0' && base[0] <= '9' && base[1] >= '0' && base[1] <= '9' {
		return base[:2]
	}
	return ""
}

// Explain makes a failing test open with the step that explains it and end
// with where to read next:
//
//	README.md, step 3: The Internet checksum
//	... the failure ...
//	→ Read README.md, step 3: The Internet checksum. Stuck? go run ./cmd/kata hint 01 3
//
// in the student's language (i18n.Current), pointing at README.zh-CN.md in
// Chinese. Call it first in every TestStepN_ and FuzzStepN_ function.
func Explain(t testing.TB) {
	t.Helper()
	l := i18n.Current()
	ref := refIn(l, t.Name())
	// Logged first, so a failing test's output opens with its step (go test
	// shows a test's log only when it fails, or with -v).
	t.Log(ref)
	t.Cleanup(func() {
		t.Helper()
		if !t.Failed() {
			return
		}
		msg := i18n.T(l, "readme.read", ref)
		if n, ok := StepOf(t.Name()); ok && Lesson() != "" {
			msg += i18n.T(l, "readme.stuck", Lesson(), n)
		}
		t.Log(msg)
	})
}
