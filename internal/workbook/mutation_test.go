package workbook

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseEquivalentMutants(t *testing.T) {
	good := "# comment\n\nweb.go:163:50 CONDITIONALS_BOUNDARY  '9' < ':' so c <= '9' and c < ':' agree\n"
	m, err := ParseEquivalentMutants(strings.NewReader(good), "eq.txt")
	require.NoError(t, err)
	require.Equal(t, map[string]string{"web.go:163:50 CONDITIONALS_BOUNDARY": "'9' < ':' so c <= '9' and c < ':' agree"}, m)

	for _, tc := range []struct{ line, want string }{
		{"web.go:163:50 CONDITIONALS_BOUNDARY", "eq.txt:1: no reason"},
		{"web.go:163 CONDITIONALS_BOUNDARY why", `eq.txt:1: "web.go:163" is not file.go:LINE:COL`},
		{"web.go:1:1 conditionals why", `"conditionals" is not a mutator name`},
		{"web.go:1:1", "no mutator"},
		{"web.go:1:1 INVERT_NEGATIVES a\nweb.go:1:1 INVERT_NEGATIVES b", "eq.txt:2: web.go:1:1 INVERT_NEGATIVES is listed twice"},
	} {
		_, err := ParseEquivalentMutants(strings.NewReader(tc.line), "eq.txt")
		require.ErrorContains(t, err, tc.want, tc.line)
	}
}

func TestJudgeMutationFigures(t *testing.T) {
	var ms []GremlinsMutant
	add := func(n int, status string) {
		for i := 0; i < n; i++ {
			ms = append(ms, GremlinsMutant{File: "a.go", Line: len(ms) + 1, Col: 1, Mutator: "ARITHMETIC_BASE", Status: status})
		}
	}
	add(66, MutantKilled) // lesson 02's figures in issue 14
	add(9, MutantLived)
	add(18, MutantNotCovered)
	add(1, MutantTimedOut)
	f := JudgeMutation(ms, nil)
	require.InDelta(t, 88.0, f.Efficacy, 0.01)
	require.InDelta(t, 80.645, f.Coverage, 0.01)
	require.Len(t, f.Survivors, 9)
	require.Len(t, f.Uncovered, 18)
	require.Equal(t, 1, f.TimedOut)
	require.Len(t, f.Problems, 11, "9 survivors and both figures under the bar")

	eq := map[string]string{}
	for _, m := range ms[66:75] {
		eq[m.Key()] = "listed"
	}
	f = JudgeMutation(ms, eq)
	require.Equal(t, 9, f.Equivalent)
	require.InDelta(t, 100.0, f.Efficacy, 0.01)
	require.InDelta(t, 66.0/84*100, f.Coverage, 0.01)
	require.Len(t, f.Problems, 1, "only the coverage bar: %v", f.Problems)
}
