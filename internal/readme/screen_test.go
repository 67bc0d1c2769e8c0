package readme

import (
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/todo"
	"github.com/stretchr/testify/assert"
)

// todoBlock is what testify prints for a stub's ErrTODO in subtest name.
func todoBlock(name string) string {
	return "    --- FAIL: " + name + " (0.00s)\n" +
		"        x_test.go:36: \n" +
		"            \tError:      \tReceived unexpected error:\n" +
		"            \t            \t" + todo.ErrTODO.Error() + "\n" +
		"            \tTest:       \t" + name + "\n"
}

func shorten(report string) string {
	var b strings.Builder
	Shorten(&b, strings.NewReader(report))
	return b.String()
}

func TestShortenStubs(t *testing.T) {
	report := "--- FAIL: TestStep1_A (0.00s)\n" +
		"    x_test.go:11: README.md, step 1: One\n" +
		todoBlock("TestStep1_A/first") + todoBlock("TestStep1_A/second") + todoBlock("TestStep1_A/third") +
		"    x_test.go:11: → Read README.md, step 1: One. Stuck? go run ./cmd/kata hint 01 1\n" +
		"--- FAIL: TestStep1_B (0.00s)\n" +
		"    x_test.go:11: README.md, step 1: One\n" +
		"--- FAIL: TestStep2_C (0.00s)\n" +
		"    x_test.go:11: README.md, step 2: Two\n" +
		todoBlock("TestStep2_C/x") +
		"--- FAIL: TestStep2_D (0.00s)\n" +
		"--- FAIL: TestScripts (0.01s)\n" +
		"    --- FAIL: TestScripts/echo (0.00s)\n" +
		"        testscript.go:1: scenario failed\n" +
		"debug print from the student's code\n" +
		"FAIL\n"
	want := "--- FAIL: TestStep1_A (0.00s)\n" +
		"    x_test.go:11: README.md, step 1: One\n" +
		todoBlock("TestStep1_A/first") +
		"    (2 more subtests fail the same way, on a stub's ErrTODO: second, third)\n" +
		"    x_test.go:11: → Read README.md, step 1: One. Stuck? go run ./cmd/kata hint 01 1\n" +
		"--- FAIL: TestStep1_B (0.00s)\n" +
		"--- FAIL: step 2 waits for step 1 (TestStep2_C, TestStep2_D)\n" +
		"--- FAIL: TestScripts (0.01s), waits for step 1\n" +
		"(shortened: go test -run '^TestStep1_B$' . shows one test whole; NETKATA_ALL_STEPS=1 shows all)\n" +
		"debug print from the student's code\n" +
		"FAIL\n"
	assert.Equal(t, want, shorten(report))
}

func TestShortenLaterStepWhole(t *testing.T) {
	// Step 1 passes (go test prints nothing for it): step 2's first failure
	// is shown whole, even when it comes after a later step's (-shuffle).
	step2 := "--- FAIL: TestStep2_C (0.00s)\n" +
		"    x_test.go:11: README.md, step 2: Two\n" +
		"    --- FAIL: TestStep2_C/x (0.00s)\n" +
		"        x_test.go:40: sent \"hi\\n\", got \"\", want \"hi\\n\"\n" +
		"    --- FAIL: TestStep2_C/y (0.00s)\n" +
		"        x_test.go:40: sent \"yo\\n\", got \"\", want \"yo\\n\"\n" +
		"    x_test.go:11: → Read README.md, step 2: Two. Stuck? go run ./cmd/kata hint 01 2\n"
	report := "-test.shuffle 1\n--- FAIL: TestStep3_E (0.00s)\n    x_test.go:9: long\n    x_test.go:9: story\n" + step2 + "FAIL\n"
	want := "-test.shuffle 1\n--- FAIL: step 3 waits for step 2 (TestStep3_E)\n" + step2 +
		"(shortened: go test -run '^TestStep3_E$' . shows one test whole; NETKATA_ALL_STEPS=1 shows all)\nFAIL\n"
	assert.Equal(t, want, shorten(report))
}

func TestShortenOneTest(t *testing.T) {
	// go test -run on one test: nothing is shortened, nothing is added.
	report := "--- FAIL: TestStep4_Z (0.00s)\n    x_test.go:3: README.md, step 4: Four\n" +
		"    --- FAIL: TestStep4_Z/a (0.00s)\n        x_test.go:5: got 1, want 2\n" +
		"        --- FAIL: TestStep4_Z/a/deeper (0.00s)\n            x_test.go:6: got 3, want 4\n" +
		"FAIL\n"
	assert.Equal(t, report, shorten(report))
	assert.Equal(t, "ok\nPASS\n", shorten("ok\nPASS\n"))
}

func TestShortenBudget(t *testing.T) {
	// Subtests with different failures are shown whole while they fit in
	// MaxFirstLines; the rest are named in one line.
	var b strings.Builder
	b.WriteString("--- FAIL: TestStep1_A (0.00s)\n")
	for i := 0; i < 30; i++ {
		b.WriteString("    --- FAIL: TestStep1_A/case" + string(rune('a'+i%26)) + " (0.00s)\n")
		for j := 0; j < 5; j++ {
			b.WriteString("        x_test.go:5: line\n")
		}
	}
	got := shorten(b.String() + "FAIL\n")
	lines := strings.Split(strings.TrimSpace(got), "\n")
	assert.LessOrEqual(t, len(lines), MaxFirstLines+3, "got:\n%s", got)
	assert.Contains(t, got, "more failing subtests: ")
}

func TestScreenable(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-test.paniconexit0", "-test.timeout=10m0s"}, true},
		{[]string{"-test.run=^TestStep1_A$", "-test.v=false"}, true},
		{[]string{"-test.v=true"}, false},
		{[]string{"-test.v=test2json"}, false},
		{[]string{"-test.v"}, false},
		{[]string{"-test.bench=."}, false},
		{[]string{"-test.fuzz=FuzzStep1_X"}, false},
		{[]string{"-test.list=."}, false},
	} {
		assert.Equal(t, tc.want, screenable(tc.args), "%q", tc.args)
	}
}
