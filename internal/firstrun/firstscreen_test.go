package firstrun

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxFirstScreen is how many lines "go test ./lessons/NN..." may print on
// a fresh checkout: one screen.
const maxFirstScreen = 60

var pkgSummaryRE = regexp.MustCompile(`^(?:FAIL|ok  |\?   )\t\S+/lessons/(\d\d)-[^/\s]+`)

// TestFirstScreen runs the README's first command, go test on a lesson, on
// the stubs of every lesson (one go test for all, split per lesson) and
// checks that each fits on one screen and opens with a whole failure: the
// README step, the failure's text, and where to read next.
func TestFirstScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson's tests")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", "./lessons/...")
	cmd.Dir = root
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NETKATA_ALL_STEPS=") && !strings.HasPrefix(kv, "NETKATA_SCREEN_CHILD=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, _ := cmd.CombinedOutput() // the stubs fail: go test exits 1
	require.NoError(t, ctx.Err(), "go test ./lessons/... took too long; it printed:\n%s", out)

	lessons, err := filepath.Glob(filepath.Join(root, "lessons", "[0-9][0-9]-*"))
	require.NoError(t, err)
	screens := map[string][]string{} // lesson number -> its lines
	var pending []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		pending = append(pending, sc.Text())
		if m := pkgSummaryRE.FindStringSubmatch(sc.Text()); m != nil {
			screens[m[1]] = append(screens[m[1]], pending...)
			pending = nil
		}
	}
	for _, dir := range lessons {
		nn := filepath.Base(dir)[:2]
		t.Run(filepath.Base(dir), func(t *testing.T) {
			lines := screens[nn]
			require.NotEmpty(t, lines, "go test ./lessons/... printed nothing for lesson %s; it printed:\n%s", nn, out)
			screen := strings.Join(lines, "\n")
			t.Logf("go test ./lessons/%s...: %d lines", nn, len(lines))
			assert.LessOrEqual(t, len(lines), maxFirstScreen,
				"go test ./lessons/%s... printed %d lines on the stubs, more than one screen (%d):\n%s", nn, len(lines), maxFirstScreen, screen)
			// The first failure is whole: its step, its text, where to read next.
			first := strings.Index(screen, "--- FAIL: ")
			require.GreaterOrEqual(t, first, 0, "no failing test on the stubs of %s:\n%s", nn, screen)
			rest := screen[first:]
			assert.Regexp(t, `^--- FAIL: \S+ \(.*\)\n +\S+_test\.go:\d+: README\.md, step \d+`, rest,
				"the first failure does not open with its README step:\n%s", screen)
			assert.Regexp(t, `(?s)^.*?\n(?: {4,}[^\n]*\n){2,}? +\S+_test\.go:\d+: → Read README\.md, step \d+: .*Stuck\? go run \./cmd/kata hint `+nn+` \d`, rest,
				"the first failure is not shown whole (its text, then where to read and the hint command):\n%s", screen)
			// Later steps take one line each.
			steps := regexp.MustCompile(`(?m)^--- FAIL: step (\d+) waits for step \d+ \(`).FindAllStringSubmatch(screen, -1)
			seen := map[string]bool{}
			for _, m := range steps {
				assert.False(t, seen[m[1]], "step %s has more than one line:\n%s", m[1], screen)
				seen[m[1]] = true
			}
		})
	}
}
