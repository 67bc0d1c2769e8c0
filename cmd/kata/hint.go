package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/netkata/netkata/internal/workbook"
)

var hintCmd = command{
	name:    "hint",
	usage:   "kata hint NN [S] | kata hint -reset [NN]",
	summary: "reveal the next hint for a step (default: your first failing step), one per call",
}

func init() {
	hintCmd.run = runHint
	register(hintCmd)
}

func runHint(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &hintCmd, kataCmd+" hint 01 2")
	reset := fs.Bool("reset", false, "forget which hints were revealed (of lesson NN, or of every lesson)")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	st, err := loadHintState()
	if err != nil {
		return err
	}
	if *reset {
		if fs.NArg() > 1 {
			return usageError("kata hint -reset takes one lesson at most")
		}
		prefix := w.Root + "|"
		what := "every lesson"
		if fs.NArg() == 1 {
			l, err := w.Lesson(fs.Arg(0))
			if err != nil {
				return err
			}
			prefix += l.Name + "|"
			what = "lessons/" + l.Name
		}
		for k := range st.Revealed {
			if strings.HasPrefix(k, prefix) {
				delete(st.Revealed, k)
			}
		}
		if err := st.save(); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "hints of %s are hidden again\n", what)
		return nil
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError("name a lesson, and a step if you like: kata hint 01 2")
	}
	l, err := w.Lesson(fs.Arg(0))
	if err != nil {
		return err
	}
	hints, err := l.Hints()
	if err != nil {
		return fmt.Errorf("lessons/%s has no hints: %w", l.Name, err)
	}
	steps, err := l.Steps()
	if err != nil {
		return err
	}
	n := 0
	if fs.NArg() == 2 {
		if n, err = parseStep(fs.Arg(1)); err != nil {
			return err
		}
	} else {
		r := l.Check(ctx, w.Root, workbook.CheckOptions{Race: raceOK()})
		if r.Err != nil {
			return r.Err
		}
		s, _ := r.FirstFailure()
		if s == nil {
			fmt.Fprintf(e.stdout, "every step of lessons/%s passes: no hint needed (kata hint %s S shows step S's)\n", l.Name, l.ID)
			return nil
		}
		n = s.N
	}
	title := ""
	for _, s := range steps {
		if s.N == n {
			title = s.Title
		}
	}
	if title == "" {
		return fmt.Errorf("lessons/%s has no step %d (it has %d steps)", l.Name, n, len(steps))
	}
	list := hints[n]
	if len(list) == 0 {
		return fmt.Errorf("lessons/%s/hints.md has no hints for step %d", l.Name, n)
	}
	key := fmt.Sprintf("%s|%s|%d", w.Root, l.Name, n)
	shown := st.Revealed[key]
	more := shown < len(list)
	if more {
		shown++
		st.Revealed[key] = shown
		if err := st.save(); err != nil {
			return err
		}
	}
	sty := newStyle(e.stdout)
	fmt.Fprintf(e.stdout, "lessons/%s, step %d: %s\n", l.Name, n, title)
	for i := 0; i < shown; i++ {
		label := fmt.Sprintf("hint %d of %d:", i+1, len(list))
		if i == shown-1 && more {
			label = sty.bold(label)
		}
		fmt.Fprintf(e.stdout, "%s %s\n", label, list[i])
	}
	switch {
	case shown < len(list):
		fmt.Fprintf(e.stdout, "(run it again for the next hint)\n")
	case more:
		fmt.Fprintf(e.stdout, "(that was the last hint; the reference unlocks once you pass the step: %s solution %s)\n", kataCmd, l.ID)
	default:
		fmt.Fprintf(e.stdout, "(no more hints for step %d; %s solution %s -force shows the reference)\n", n, kataCmd, l.ID)
	}
	return nil
}

// hintState remembers how many hints of each step were revealed, keyed
// "ROOT|LESSON|STEP", in os.UserCacheDir()/netkata/hints.json.
type hintState struct {
	path     string
	Revealed map[string]int
}

func stateDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("kata remembers which hints you saw in your cache folder, and there is none: %w (set HOME, or XDG_CACHE_HOME to a folder you can write)", err)
	}
	return filepath.Join(dir, "netkata"), nil
}

func loadHintState() (*hintState, error) {
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	st := &hintState{path: filepath.Join(dir, "hints.json"), Revealed: map[string]int{}}
	b, err := os.ReadFile(st.path)
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("kata cannot read which hints you saw: %w", err)
	}
	if err := json.Unmarshal(b, st); err != nil {
		// A damaged state file only costs the count of hints shown.
		st.Revealed = map[string]int{}
	}
	if st.Revealed == nil {
		st.Revealed = map[string]int{}
	}
	return st, nil
}

func (st *hintState) save() error {
	if err := st.write(); err != nil {
		return fmt.Errorf("kata cannot remember which hints you saw: %w (make %s writable, or set XDG_CACHE_HOME to a folder you can write)", err, filepath.Dir(st.path))
	}
	return nil
}

func (st *hintState) write() error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(st.path), 0o777); err != nil {
		return err
	}
	tmp := st.path + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, b, 0o666); err != nil {
		return err
	}
	if err := os.Rename(tmp, st.path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}
