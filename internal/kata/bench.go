package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/workbook"
)

var benchCmd = command{
	name:    "bench",
	usage:   "kata bench NN [-count N] [-bench RE]",
	summary: "run a lesson's benchmarks on your code and on the reference, interleaved, and print the ratios",
}

func init() {
	benchCmd.run = runBench
	register(benchCmd)
}

// benchSamples holds one side's measurements of one benchmark.
type benchSamples struct {
	ns, bytes, allocs []float64
	failed            bool
}

func runBench(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &benchCmd, kataCmd+" bench 06 -count 6")
	count := fs.Int("count", 5, "run each side `N` times, alternating (medians are compared)")
	pattern := fs.String("bench", ".", "run only the benchmarks matching `RE`")
	benchtime := fs.String("benchtime", "", "go test's -benchtime (default: go's 1s)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if err := positive("count", *count); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("name one lesson: kata bench 06")
	}
	w, l, err := findLesson(e, fs.Arg(0))
	if err != nil {
		return err
	}
	if err := needSolutions(w, i18n.Tr("bench.needs.solutions")); err != nil {
		return err
	}
	m, err := l.Overlay(nil)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "kata-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	overlay, err := workbook.WriteOverlay(filepath.Join(tmp, "overlay.json"), m)
	if err != nil {
		return err
	}
	sides := [2]map[string]*benchSamples{{}, {}}
	var order []string
	for i := 0; i < max(1, *count); i++ {
		for side, extra := range [][]string{nil, {"-overlay", overlay}} {
			args := append([]string{"test", "-run", "^$", "-bench", *pattern, "-benchmem", "-count", "1"}, extra...)
			if *benchtime != "" {
				args = append(args, "-benchtime", *benchtime)
			}
			cmd := exec.CommandContext(ctx, "go", append(args, l.Package())...)
			cmd.Dir = w.Root
			out, _ := cmd.CombinedOutput()
			if ctx.Err() != nil {
				return ctx.Err()
			}
			for _, name := range parseBench(string(out), sides[side]) {
				if !contains(order, name) {
					order = append(order, name)
				}
			}
			if side == 1 && len(sides[1]) == 0 {
				return fmt.Errorf("no benchmarks ran on the reference:\n%s", tail(string(out), 20))
			}
		}
	}
	st := newStyle(e.stdout)
	fmt.Fprintf(e.stdout, "lessons/%s: your code / the reference, medians of %d runs each (lower is better; 1.00 is as fast)\n\n", l.Name, max(1, *count))
	nameW := 9
	for _, n := range order {
		nameW = max(nameW, len(n))
	}
	fmt.Fprintf(e.stdout, "%-*s  %9s %9s %6s  %9s %9s %6s  %9s %9s %6s\n", nameW, "benchmark", "ns/op you", "reference", "ratio", "B/op you", "reference", "ratio", "allocs", "reference", "ratio")
	for _, n := range order {
		you, ref := sides[0][n], sides[1][n]
		if ref == nil {
			continue
		}
		if you == nil || you.failed || len(you.ns) == 0 {
			fmt.Fprintf(e.stdout, "%-*s  %s\n", nameW, n, st.red("fails on your code: run kata test "+l.ID+" first"))
			continue
		}
		cells := ""
		for _, pair := range [][2][]float64{{you.ns, ref.ns}, {you.bytes, ref.bytes}, {you.allocs, ref.allocs}} {
			a, b := median(pair[0]), median(pair[1])
			cells += fmt.Sprintf("  %9s %9s %6s", num(a), num(b), ratio(st, a, b))
		}
		fmt.Fprintf(e.stdout, "%-*s%s\n", nameW, n, cells)
	}
	return nil
}

var benchLineRE = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$`)
var benchFailRE = regexp.MustCompile(`^--- FAIL: (Benchmark\S+)`)

// parseBench adds the measurements in go test -bench output to into and
// returns the benchmark names in the order they appear.
func parseBench(out string, into map[string]*benchSamples) []string {
	var names []string
	get := func(name string) *benchSamples {
		s := into[name]
		if s == nil {
			s = &benchSamples{}
			into[name] = s
		}
		if !contains(names, name) {
			names = append(names, name)
		}
		return s
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if m := benchFailRE.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			get(m[1]).failed = true
			continue
		}
		m := benchLineRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		s := get(m[1])
		f := strings.Fields(m[2])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				s.ns = append(s.ns, v)
			case "B/op":
				s.bytes = append(s.bytes, v)
			case "allocs/op":
				s.allocs = append(s.allocs, v)
			}
		}
	}
	return names
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func num(v float64) string {
	if v >= 100 || v == float64(int64(v)) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// ratio is a/b, coloured red when a is worse by more than 10%.
func ratio(st style, a, b float64) string {
	switch {
	case b == 0 && a == 0:
		return "1.00"
	case b == 0:
		return st.red("inf")
	}
	r := fmt.Sprintf("%.2f", a/b)
	if a/b > 1.1 {
		return st.red(r)
	}
	return r
}
