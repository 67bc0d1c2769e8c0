package workbook

import (
	"testing"

	"github.com/stretchr/testify/require"
)

const caseSrc = `package p

func size(n int) string {
	switch {
	case n > 10:
		return "big"
	case n >= 1 && n != 5, n == -1:
		return "small"
	}
	if n < 0 {
		return "negative"
	}
	return "none"
}
`

func TestInCaseCondition(t *testing.T) {
	for _, tc := range []struct {
		line, col int
		want      bool
	}{
		{5, 9, true},   // n > 10
		{7, 9, true},   // n >= 1
		{7, 19, true},  // n != 5
		{7, 27, true},  // n == -1 (second expression of the list)
		{7, 30, true},  // -1
		{10, 7, false}, // if n < 0
		{6, 3, false},  // return "big"
	} {
		got, err := InCaseCondition([]byte(caseSrc), tc.line, tc.col)
		require.NoError(t, err)
		require.Equal(t, tc.want, got, "InCaseCondition at %d:%d", tc.line, tc.col)
	}
	_, err := InCaseCondition([]byte(caseSrc), 99, 1)
	require.Error(t, err)
}

func TestApplyMutation(t *testing.T) {
	got, err := ApplyMutation([]byte(caseSrc), 5, 9, "CONDITIONALS_BOUNDARY")
	require.NoError(t, err)
	require.Contains(t, string(got), "case n >= 10:")
	got, err = ApplyMutation([]byte(caseSrc), 7, 9, "CONDITIONALS_NEGATION")
	require.NoError(t, err)
	require.Contains(t, string(got), "case n < 1 && n != 5, n == -1:")
	got, err = ApplyMutation([]byte(caseSrc), 7, 30, "INVERT_NEGATIVES")
	require.NoError(t, err)
	require.Contains(t, string(got), "n == +1:")
	require.Contains(t, string(mustApply(t, 7, 19, "CONDITIONALS_NEGATION")), "n == 5, n == -1:")

	_, err = ApplyMutation([]byte(caseSrc), 5, 8, "CONDITIONALS_BOUNDARY")
	require.ErrorContains(t, err, "no token starts at 5:8")
	_, err = ApplyMutation([]byte(caseSrc), 5, 9, "ARITHMETIC_BASE")
	require.ErrorContains(t, err, "does not apply")
	_, err = ApplyMutation([]byte(caseSrc), 5, 9, "INVERT_LOGICAL")
	require.ErrorContains(t, err, "not one kata verify can apply")
}

func mustApply(t *testing.T, line, col int, mutator string) []byte {
	t.Helper()
	b, err := ApplyMutation([]byte(caseSrc), line, col, mutator)
	require.NoError(t, err)
	return b
}
