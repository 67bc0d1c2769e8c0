package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// jsonReport is TestA's output as GoTest records it from go test -json:
// passing, nested and parallel subtests, with the "=== NAME" lines it puts
// back where output changes hands.
const jsonReport = "=== RUN   TestA\n    a_test.go:4: README.md, step 1: One\n" +
	"=== RUN   TestA/zero\n    a_test.go:5: zero log\n--- PASS: TestA/zero (0.00s)\n" +
	"=== RUN   TestA/one\n    a_test.go:6: line1\n        line2\n" +
	"=== RUN   TestA/one/deep\n    a_test.go:6: deep fail\n--- FAIL: TestA/one/deep (0.00s)\n" +
	"=== NAME  TestA/one\n--- FAIL: TestA/one (0.00s)\n" +
	"=== RUN   TestA/two\n    a_test.go:7: two fails\n--- FAIL: TestA/two (0.00s)\n" +
	"=== RUN   TestA/p1\n=== PAUSE TestA/p1\n=== RUN   TestA/p2\n=== PAUSE TestA/p2\n" +
	"=== NAME  TestA\n    a_test.go:4: → Read README.md, step 1: One. Stuck? go run ./cmd/kata hint 01 1\n" +
	"=== CONT  TestA/p1\n    a_test.go:8: p1 log\n--- PASS: TestA/p1 (0.00s)\n" +
	"=== CONT  TestA/p2\n    a_test.go:9: p2 fails\n--- FAIL: TestA/p2 (0.00s)\n" +
	"=== NAME  TestA\n--- FAIL: TestA (0.00s)\n"

func TestFailureOfFirst(t *testing.T) {
	got, more := failureOf("TestA", jsonReport, false)
	// No passing sibling (zero, p1) between a FAIL line and its message.
	assert.Equal(t, "a_test.go:4: README.md, step 1: One\n"+
		"--- FAIL: TestA/one (0.00s)\n"+
		"    a_test.go:6: line1\n"+
		"        line2\n"+
		"    --- FAIL: TestA/one/deep (0.00s)\n"+
		"        a_test.go:6: deep fail", got)
	assert.Equal(t, 2, more)
}

func TestFailureOfAll(t *testing.T) {
	got, more := failureOf("TestA", jsonReport, true)
	assert.Equal(t, "a_test.go:4: README.md, step 1: One\n"+
		"--- FAIL: TestA/one (0.00s)\n"+
		"    a_test.go:6: line1\n"+
		"        line2\n"+
		"    --- FAIL: TestA/one/deep (0.00s)\n"+
		"        a_test.go:6: deep fail\n"+
		"--- FAIL: TestA/two (0.00s)\n"+
		"    a_test.go:7: two fails\n"+
		"--- FAIL: TestA/p2 (0.00s)\n"+
		"    a_test.go:9: p2 fails", got)
	assert.Equal(t, 0, more)
}

func TestFailureOfScenario(t *testing.T) {
	// testscript's dump of the scenario's environment is left out.
	out := "=== RUN   TestScripts\n=== RUN   TestScripts/send\n" +
		"    testscript.go:584: WORK=$WORK\n        PATH=/tmp/bin:/usr/bin\n        GOTRACEBACK=system\n        HOME=/no-home\n        \n" +
		"        > exec sendmail -to a@b\n        [stderr]\n        sendmail: no password\n        FAIL: send.txtar:3: unexpected command failure\n" +
		"--- FAIL: TestScripts/send (0.02s)\n=== NAME  TestScripts\n--- FAIL: TestScripts (0.02s)\n"
	got, _ := failureOf("TestScripts", out, false)
	assert.Equal(t, "--- FAIL: TestScripts/send (0.02s)\n"+
		"    > exec sendmail -to a@b\n    [stderr]\n    sendmail: no password\n    FAIL: send.txtar:3: unexpected command failure", got)
}

func TestFailureOfNoSubtests(t *testing.T) {
	got, more := failureOf("TestB", "=== RUN   TestB\n    b_test.go:9: sent x, got y\n--- FAIL: TestB (0.00s)\n", false)
	assert.Equal(t, "b_test.go:9: sent x, got y", got)
	assert.Equal(t, 0, more)
}

// TestCleanLinesDropsReadLineInEveryLanguage: kata prints its own "read:"
// line, so readme.Explain's closing line goes, in English or Chinese.
func TestCleanLinesDropsReadLineInEveryLanguage(t *testing.T) {
	got := cleanLines([]string{
		"    a_test.go:4: README.zh-CN.md 第 1 步：一",
		"    a_test.go:5: Add(2, 3) = 0",
		"    a_test.go:4: → 请阅读 README.zh-CN.md 第 1 步：一。卡住了？运行 go run ./cmd/kata hint 01 1",
		"    a_test.go:4: → Read README.md, step 1: One. Stuck? go run ./cmd/kata hint 01 1",
	})
	assert.Equal(t, []string{"a_test.go:4: README.zh-CN.md 第 1 步：一", "a_test.go:5: Add(2, 3) = 0"}, got)
}
