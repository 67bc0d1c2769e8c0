package seed

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValueFromEnv(t *testing.T) {
	t.Setenv(Env, "42")
	require.Equal(t, uint64(42), Value(t))
	a, b := Rand(t), Rand(t)
	require.NotEqual(t, a.Uint64(), b.Uint64(), "two calls in one test: one seed, two streams")
	require.Equal(t, uint64(42), Value(t))
}

func TestValueRandom(t *testing.T) {
	t.Setenv(Env, "")
	require.NotEqual(t, Value(t), uint64(0))
}

func TestOneSeedPerTopLevelTest(t *testing.T) {
	t.Setenv(Env, "")
	top := Value(t)
	Rand(t)
	t.Run("sub", func(t *testing.T) {
		assert.Equal(t, top, Value(t), "a subtest shares its top-level test's seed")
		Rand(t)
	})
	assert.Equal(t, top, Value(t))
}

// TestFailingForReplay is run by TestReplayCommandReplays in a child
// process: it draws from two Rand calls (one in a subtest), prints what it
// drew, and fails.
func TestFailingForReplay(t *testing.T) {
	if os.Getenv("SEED_TEST_CHILD") == "" {
		t.Skip("run by TestReplayCommandReplays")
	}
	a := Rand(t)
	var b uint64
	t.Run("sub", func(t *testing.T) { b = Rand(t).Uint64() })
	c := Rand(t)
	fmt.Printf("drew %d %d %d\n", a.Uint64(), b, c.Uint64())
	t.Fail()
}

var (
	replayRE = regexp.MustCompile(`seed (\d+): replay with NETKATA_SEED=(\d+) go test -run '\^TestFailingForReplay\$' (\S+)\n`)
	drewRE   = regexp.MustCompile(`drew \d+ \d+ \d+`)
)

func child(t *testing.T, seed string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestFailingForReplay$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SEED_TEST_CHILD=1", Env+"="+seed)
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the child test fails on purpose:\n%s", out)
	return string(out)
}

func TestReplayCommandReplays(t *testing.T) {
	first := child(t, "")
	m := replayRE.FindAllStringSubmatch(first, -1)
	require.Len(t, m, 1, "one seed line for one failing test, however many Rand calls:\n%s", first)
	assert.Equal(t, m[0][1], m[0][2])
	assert.Equal(t, "./internal/seed", m[0][3], "the command runs from the repository root")
	drew := drewRE.FindString(first)
	require.NotEmpty(t, drew, first)

	again := child(t, m[0][1])
	assert.Equal(t, drew, drewRE.FindString(again), "NETKATA_SEED=%s replays every Rand call:\n%s", m[0][1], again)
	assert.Contains(t, again, "seed "+m[0][1]+": replay", "the replay prints the same seed")
	nums := strings.Fields(drew)[1:]
	assert.NotEqual(t, nums[0], nums[2], "two Rand calls in one test draw different numbers")
}
