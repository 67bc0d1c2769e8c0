package seed

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValueFromEnv(t *testing.T) {
	t.Setenv(Env, "42")
	require.Equal(t, uint64(42), Value(t))
	a, b := Rand(t), Rand(t)
	require.Equal(t, a.Uint64(), b.Uint64(), "same seed, same numbers")
}

func TestValueRandom(t *testing.T) {
	t.Setenv(Env, "")
	require.NotEqual(t, Value(t), uint64(0))
}
