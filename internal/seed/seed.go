// Package seed gives tests reproducible randomness.
//
// Every test that uses randomness takes it from Rand, which prints the seed
// when the test fails, with the command that replays that exact run:
//
//	seed 8716254: replay with NETKATA_SEED=8716254 go test -run '^TestStep4_ARQ$' .
package seed

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Env is the environment variable that fixes the seed.
const Env = "NETKATA_SEED"

// Value returns the seed for the running test: NETKATA_SEED if set, else a
// new one. When the test fails, it logs the seed and how to replay it.
func Value(t testing.TB) uint64 {
	t.Helper()
	s, fixed := fromEnv()
	if !fixed {
		s = uint64(time.Now().UnixNano())
	}
	t.Cleanup(func() {
		if t.Failed() {
			top, _, _ := strings.Cut(t.Name(), "/")
			t.Logf("seed %d: replay with %s=%d go test -run '^%s$' .", s, Env, s, top)
		}
	})
	return s
}

// Rand returns a random source seeded with Value(t).
func Rand(t testing.TB) *rand.Rand {
	t.Helper()
	s := Value(t)
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

func fromEnv() (uint64, bool) {
	v := os.Getenv(Env)
	if v == "" {
		return 0, false
	}
	s, err := strconv.ParseUint(v, 10, 64)
	return s, err == nil
}
