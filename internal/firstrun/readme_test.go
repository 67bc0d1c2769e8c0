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

// readmeCommands are the commands the top-level README shows, by what
// TestReadmeCommands does with each: the exit status it expects from
// running it as written in the repository root, or why it does not run.
var readmeCommands = []struct {
	re   string // matches the command as the README writes it
	code int    // the exit status expected (-1: not run)
	skip string // why it is not run
}{
	{`^go run \./cmd/kata$`, -1, "every lesson's tests, minutes on a busy machine: testscripts/kata/progress.txtar runs kata on a fixture"},
	{`^go run \./cmd/kata (test|hint|solution) 01$`, -1, "runs lesson 01's tests: testscripts/kata/{test,hint,solution}.txtar run the command on a fixture"},
	{`^go test \./lessons/01\.\.\.$`, -1, "TestFirstScreen runs go test on every lesson"},
	{`^go run \./cmd/kata (test|watch)$`, -1, "the command's name in a sentence"},
	{`^go run \./cmd/kata hint -reset$`, 0, ""},
	{`^go run \./cmd/kata overlay 01$`, 0, ""},
	{`^go run -overlay "\$\(go run \./cmd/kata overlay 01\)" \./lessons/01-layers/cmd/pktdump lessons/01-layers/testdata/http-get-v4\.pcap$`, 0, ""},
	{`^go run \./cmd/kata verify$`, -1, "the whole maintainer's check: CI runs it (.ci/run)"},
	{`^go run \./cmd/kata watch$`, -1, "runs until Ctrl-C: watch_test.go drives it"},
	{`^go run \./cmd/kata (-lang|lang)( |$)`, -1, "changes the reader's remembered language: testscripts/kata/lang.txtar runs it"},
	{`^go test \./lessons/02\.\.\.$`, -1, "TestFirstScreen runs go test on every lesson"},
	{`^go run \./cmd/kata bench 06$`, -1, "minutes of benchmarks: testscripts/kata/bench.txtar runs kata bench"},
	{`^go run \./cmd/kata reset 01 checksum\.go$`, -1, "asks first and rewrites a stub: testscripts/kata/reset.txtar runs it"},
	{`^go run \./cmd/kata grade( |$)`, -1, "needs students' submissions: testscripts/kata/grade.txtar grades some, internal/kata TestGradeHostile a hostile class"},
	{`^go run \./cmd/kata release `, -1, "writes a student edition: testscripts/kata/release.txtar runs it and grades a student repo made from it"},
	{`^go run \./cmd/kata solution$`, -1, "the command's name in a sentence"},
	{`^go test -json$`, -1, "a name in a sentence (what a forged submission prints)"},
	{`^scripts/bench-grade\.sh`, -1, "grades 10 submissions with two commits of kata, minutes: its figures are in the README"},
	{`^git clone `, -1, "the reader's own clone"},
	{`^go env -w `, -1, "changes the reader's go settings"},
	{`\.\.\.( |$)|\.\.\.\)`, -1, "a pattern with ..., not a command"},
}

// TestReadmeCommands runs every command the top-level README shows (in
// sh blocks, after "$ " in examples, and in `go run ./cmd/kata ...` or
// `go test ...` spans) as written, from the repository root, and fails on
// a command it does not know: a new README command needs an entry here.
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's commands")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	cmds := extractCommands(t, filepath.Join(root, "README.md"))
	require.NotEmpty(t, cmds)
	cache := t.TempDir()
	for _, c := range cmds {
		i := -1
		for j, rc := range readmeCommands {
			if regexp.MustCompile(rc.re).MatchString(c) {
				i = j
				break
			}
		}
		if !assert.GreaterOrEqual(t, i, 0, "README.md shows %q, which TestReadmeCommands does not know: add it to readmeCommands", c) {
			continue
		}
		rc := readmeCommands[i]
		if rc.code < 0 {
			t.Logf("not run: %s (%s)", c, rc.skip)
			continue
		}
		t.Run(c, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "sh", "-c", c)
			cmd.Dir = root
			// Hints revealed go to a cache of the test's own; the race
			// detector's builds would make this test minutes long.
			cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cache, "NETKATA_RACE=0")
			out, err := cmd.CombinedOutput()
			require.NoError(t, ctx.Err(), "%s took too long:\n%s", c, out)
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, rc.code, code, "README.md's %s exited %d, want %d; it printed:\n%s", c, code, rc.code, out)
		})
	}
}

var (
	spanRE   = regexp.MustCompile("`((?:go run|go test|kata) [^`]*)`")
	promptRE = regexp.MustCompile(`^\$ (.+)$`)
	commentR = regexp.MustCompile(`\s+#.*$`)
)

// extractCommands returns the commands README shows, "kata X" spelled
// "go run ./cmd/kata X", each once, in order.
func extractCommands(t *testing.T, path string) []string {
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var cmds []string
	seen := map[string]bool{}
	add := func(c string) {
		c = strings.TrimSpace(commentR.ReplaceAllString(c, ""))
		if rest, ok := strings.CutPrefix(c, "kata "); ok {
			c = "go run ./cmd/kata " + rest
		}
		if c != "" && !seen[c] {
			seen[c] = true
			cmds = append(cmds, c)
		}
	}
	inSh, inBlock := false, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```"):
			inSh = !inBlock && strings.TrimPrefix(line, "```") == "sh"
			inBlock = !inBlock
		case inSh:
			add(line)
		case inBlock:
			if m := promptRE.FindStringSubmatch(line); m != nil {
				add(m[1])
			}
		default:
			for _, m := range spanRE.FindAllStringSubmatch(line, -1) {
				add(m[1])
			}
		}
	}
	require.NoError(t, sc.Err())
	return cmds
}
