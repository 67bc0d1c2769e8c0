package grading

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestJudgeSeal(t *testing.T) {
	const nonce = "n0nce"
	run := "^(TestStep1_A|" + SealTest + ")$"
	seal := "KATA-GRADE-SEAL " + nonce + " stdout=true&test.count=1&test.list=&test.run=" + strings.NewReplacer("^", "%5E", "(", "%28", "|", "%7C", ")", "%29", "$", "%24").Replace(run) + "&test.shuffle=off&test.skip=\n"
	c := &Config{Budget: time.Minute, Memory: 1 << 30}
	step := Step{N: 1, Tests: []string{"TestStep1_A"}}
	for _, tc := range []struct {
		name   string
		out    string
		passed bool
		note   string
		review string
	}{
		{"honest pass", "\x16=== RUN   TestStep1_A\n\x16--- PASS: TestStep1_A (0.00s)\n\x16=== RUN   " + SealTest + "\n" + seal + "\x16--- PASS: " + SealTest + " (0.00s)\n", true, "", ""},
		{"forged pass, no seal", "\x16=== RUN   TestStep1_A\n\x16--- PASS: TestStep1_A (0.00s)\n", false, "did not complete", ""},
		{"wrong nonce", "\x16=== RUN   TestStep1_A\n\x16--- PASS: TestStep1_A (0.00s)\n" + strings.Replace(seal, nonce, "guess", 1), false, "did not complete", ""},
		{"forged pass before a real fail", "\x16--- PASS: TestStep1_A (0.00s)\n\x16=== RUN   TestStep1_A\n    x_test.go:1: wrong\n\x16--- FAIL: TestStep1_A (0.00s)\n" + seal, false, "", "forged test lines"},
		{"flags changed", "\x16=== RUN   TestStep1_A\n\x16--- PASS: TestStep1_A (0.00s)\n" + strings.Replace(seal, "test.shuffle=off", "test.shuffle=on", 1), false, "test flags or the standard output were changed", "tampered"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parseRun(strings.NewReader(tc.out), nonce)
			var sr StepRun
			judge(&sr, step, p, nil, false, run, c, time.Minute)
			assert.Equal(t, tc.passed, sr.Passed, "note %q", sr.Note)
			assert.Contains(t, sr.Note, tc.note)
			assert.Contains(t, sr.Review, tc.review)
		})
	}
}

func TestClean(t *testing.T) {
	assert.Equal(t, "\uFFFD[31mred\uFFFD\n\tok \uFFFD", Clean("\x1b[31mred\x01\n\tok \xff"))
}

func TestFingerprint(t *testing.T) {
	a := map[string][]byte{"a.go": []byte("package x\n\n// Add adds.\nfunc Add(a, b int) int {\n\treturn a + b\n}\n")}
	b := map[string][]byte{"a.go": []byte("package x\nfunc Add(x, y int) int { return x + y }")}
	c := map[string][]byte{"a.go": []byte("package x\nfunc Add(x, y int) int { return y + x }")}
	assert.Equal(t, Fingerprint(a), Fingerprint(b), "gofmt and renaming")
	assert.NotEqual(t, Fingerprint(a), Fingerprint(c))
}

func TestReview(t *testing.T) {
	src := []byte(`package demo

import (
	"os"
	"unsafe"
	sol "m/solutions/01-demo"
	"github.com/evil/pkg"
)

//go:linkname x runtime.x
var x int

func init() { os.Stdout = nil }

func F() { os.Exit(0); _ = "/proc/self/mem"; _ = unsafe.Pointer(nil); sol.F(); pkg.F() }
`)
	notes := strings.Join(Review("m", "01-demo", map[string][]byte{"f.go": src}, map[string]bool{}), "\n")
	for _, want := range []string{"f.go:5: imports unsafe", "f.go:6: imports the reference solution", "f.go:7: imports github.com/evil/pkg, outside", "f.go:10: //go:linkname",
		"f.go:13: func init with side effects", "f.go:13: assigns os.Stdout", "f.go:15: os.Exit", "f.go:15: mentions /proc"} {
		assert.Contains(t, notes, want)
	}
	assert.Empty(t, Review("m", "07-x", map[string][]byte{"f.go": []byte("package x\nimport \"os/exec\"\nvar _ = exec.Command\n")}, map[string]bool{"os/exec": true}), "a lesson that uses os/exec itself")
}
