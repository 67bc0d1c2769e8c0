// Package seed gives tests reproducible randomness.
//
// Every test that uses randomness takes it from Rand. A top-level test has
// one seed, shared by every Rand call in it and in its subtests; when the
// test fails, the seed is printed once, with the command that replays that
// exact run from the repository root:
//
//	seed 8716254: replay with NETKATA_SEED=8716254 go test -run '^TestStep4_ARQ$' ./lessons/05-udp
//
// Each Rand call gets its own stream of that seed, chosen by the calling
// test's full name and how many Rand calls that test made before, so two
// calls in one test do not repeat each other's numbers, and a replay gives
// every call the numbers it had.
package seed

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Env is the environment variable that fixes the seed.
const Env = "NETKATA_SEED"

// state is the seed of one run of a top-level test.
type state struct {
	seed    uint64
	printed bool
}

var (
	mu    sync.Mutex
	tests = map[string]*state{}     // by top-level test name
	calls = map[testing.TB]int{}    // Rand calls made by each test
	users = map[testing.TB]*state{} // the tests that took a seed, to print it once on failure
)

// Value returns the seed of the running top-level test: NETKATA_SEED if
// set, else a new random one, the same for every call in that test and its
// subtests. When the test fails, the seed and the command that replays it
// are logged once.
func Value(t testing.TB) uint64 {
	t.Helper()
	return use(t).seed
}

// Rand returns a random source for t: the top-level test's seed (Value),
// on a stream of its own for each call.
func Rand(t testing.TB) *rand.Rand {
	t.Helper()
	s := use(t)
	mu.Lock()
	n := calls[t]
	calls[t]++
	mu.Unlock()
	return rand.New(rand.NewPCG(s.seed, stream(t.Name(), n)))
}

// stream names the n-th Rand call of the test called name.
func stream(name string, n int) uint64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s#%d", name, n)
	return h.Sum64()
}

// use returns the state of t's top-level test, making it on first use, and
// arranges for the replay line to be printed if t fails.
func use(t testing.TB) *state {
	name := t.Name()
	top, _, _ := strings.Cut(name, "/")
	mu.Lock()
	defer mu.Unlock()
	s := tests[top]
	if s == nil {
		v, fixed := fromEnv()
		if !fixed {
			v = rand.Uint64()
		}
		s = &state{seed: v}
		tests[top] = s
		// A state made by the top-level test ends with it, so each of
		// -count=N runs gets a seed of its own. One made first in a subtest
		// stays for the later runs: its seed is still right to print.
		if name == top {
			t.Cleanup(func() {
				mu.Lock()
				defer mu.Unlock()
				if tests[top] == s {
					delete(tests, top)
				}
			})
		}
	}
	if users[t] == nil {
		users[t] = s
		t.Cleanup(func() {
			mu.Lock()
			defer mu.Unlock()
			delete(users, t)
			delete(calls, t)
			if t.Failed() && !s.printed {
				s.printed = true
				t.Logf("%s", ReplayLine(s.seed, top))
			}
		})
	}
	return s
}

// ReplayLine is what a failing test prints: the seed and the command that
// replays the top-level test from the repository root.
func ReplayLine(seed uint64, top string) string {
	return fmt.Sprintf("seed %d: replay with %s=%d go test -run '^%s$' %s", seed, Env, seed, top, packageDir())
}

// packageDir is the running test's package folder relative to the module
// root ("./lessons/05-udp"): go test runs a test binary in its package's
// folder. It is "." when no go.mod is found above it.
func packageDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			rel, err := filepath.Rel(d, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		if filepath.Dir(d) == d {
			return "."
		}
	}
}

func fromEnv() (uint64, bool) {
	v := os.Getenv(Env)
	if v == "" {
		return 0, false
	}
	s, err := strconv.ParseUint(v, 10, 64)
	return s, err == nil
}
