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

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxFirstScreen is how many lines "go test ./lessons/NN..." may print on
// a fresh checkout: one screen.
const maxFirstScreen = 60

var pkgSummaryRE = regexp.MustCompile(`^(?:FAIL|ok  |\?   )\t\S+/lessons/(\d\d)-[^/\s]+`)

// screenREs are what a first screen shows in one language: the README
// step the first failure opens with, the closing "where to read" line with
// the hint command (NN stands for the lesson), and a later step's one line.
// A lesson whose Chinese README has not landed yet points at README.md.
type screenREs struct {
	opens, closes, later string
}

var screens = map[i18n.Lang]screenREs{
	i18n.EN: {
		opens:  `README\.md, step \d+`,
		closes: `→ Read README\.md, step \d+: .*Stuck\? go run \./cmd/kata hint NN \d`,
		later:  `(?m)^--- FAIL: step (\d+) waits for step \d+ \(`,
	},
	i18n.ZH: {
		opens:  `README(?:\.zh-CN)?\.md 第 \d+ 步`,
		closes: `→ 请阅读 README(?:\.zh-CN)?\.md 第 \d+ 步.*卡住了？运行 go run \./cmd/kata hint NN \d`,
		later:  `(?m)^--- FAIL: 第 (\d+) 步要等第 \d+ 步通过（`,
	},
}

// TestFirstScreen runs the README's first command, go test on a lesson, on
// the stubs of every lesson (one go test for all, split per lesson) and
// checks that each fits on one screen and opens with a whole failure: the
// README step, the failure's text, and where to read next. It runs in the
// student's language (i18n.Current); TestFirstScreenOtherLanguage checks
// one lesson in the other.
func TestFirstScreen(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every lesson's tests")
	}
	lang := i18n.Current()
	out := goTestStubs(t, lang, "./lessons/...")
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	lessons, err := filepath.Glob(filepath.Join(root, "lessons", "[0-9][0-9]-*"))
	require.NoError(t, err)
	byLesson := splitScreens(out)
	for _, dir := range lessons {
		nn := filepath.Base(dir)[:2]
		t.Run(filepath.Base(dir), func(t *testing.T) {
			checkScreen(t, lang, nn, byLesson[nn], out)
		})
	}
}

// TestFirstScreenOtherLanguage is TestFirstScreen for lesson 02 in the
// language TestFirstScreen does not run in.
func TestFirstScreenOtherLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a lesson's tests")
	}
	lang := i18n.ZH
	if i18n.Current() == i18n.ZH {
		lang = i18n.EN
	}
	out := goTestStubs(t, lang, "./lessons/02-tcp/...")
	checkScreen(t, lang, "02", splitScreens(out)["02"], out)
}

// goTestStubs runs go test on pattern in the repository root, in language
// lang, as a student would on a fresh checkout, and returns its output.
func goTestStubs(t *testing.T, lang i18n.Lang, pattern string) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "test", pattern)
	cmd.Dir = root
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NETKATA_ALL_STEPS=") && !strings.HasPrefix(kv, "NETKATA_SCREEN_CHILD=") && !strings.HasPrefix(kv, i18n.EnvVar+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, i18n.EnvVar+"="+string(lang))
	out, _ := cmd.CombinedOutput() // the stubs fail: go test exits 1
	require.NoError(t, ctx.Err(), "go test %s took too long; it printed:\n%s", pattern, out)
	return string(out)
}

// splitScreens splits go test's output by lesson number.
func splitScreens(out string) map[string][]string {
	screens := map[string][]string{} // lesson number -> its lines
	var pending []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		pending = append(pending, sc.Text())
		if m := pkgSummaryRE.FindStringSubmatch(sc.Text()); m != nil {
			screens[m[1]] = append(screens[m[1]], pending...)
			pending = nil
		}
	}
	return screens
}

// checkScreen checks lesson nn's lines of a first screen in language lang.
func checkScreen(t *testing.T, lang i18n.Lang, nn string, lines []string, out string) {
	t.Helper()
	re := screens[lang]
	require.NotEmpty(t, lines, "go test printed nothing for lesson %s; it printed:\n%s", nn, out)
	screen := strings.Join(lines, "\n")
	t.Logf("go test ./lessons/%s... (%s): %d lines", nn, lang, len(lines))
	assert.LessOrEqual(t, len(lines), maxFirstScreen,
		"go test ./lessons/%s... printed %d lines on the stubs, more than one screen (%d):\n%s", nn, len(lines), maxFirstScreen, screen)
	// The first failure is whole: its step, its text, where to read next.
	first := strings.Index(screen, "--- FAIL: ")
	require.GreaterOrEqual(t, first, 0, "no failing test on the stubs of %s:\n%s", nn, screen)
	rest := screen[first:]
	assert.Regexp(t, `^--- FAIL: \S+ \(.*\)\n +\S+_test\.go:\d+: `+re.opens, rest,
		"the first failure does not open with its README step (%s):\n%s", lang, screen)
	assert.Regexp(t, `(?s)^.*?\n(?: {4,}[^\n]*\n){2,}? +\S+_test\.go:\d+: `+strings.ReplaceAll(re.closes, "NN", nn), rest,
		"the first failure is not shown whole (its text, then where to read and the hint command, in %s):\n%s", lang, screen)
	// Later steps take one line each.
	steps := regexp.MustCompile(re.later).FindAllStringSubmatch(screen, -1)
	seen := map[string]bool{}
	for _, m := range steps {
		assert.False(t, seen[m[1]], "step %s has more than one line:\n%s", m[1], screen)
		seen[m[1]] = true
	}
	for l, other := range screens {
		if l != lang {
			assert.NotRegexp(t, other.later, screen, "a later step's line is in %s, not %s:\n%s", l, lang, screen)
		}
	}
}
