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

	"github.com/netkata/netkata/internal/i18n"
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
			return usageError("%s", i18n.Tr("hint.reset.one"))
		}
		prefix := w.Root + "|"
		what := i18n.Tr("hint.every.lesson")
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
		fmt.Fprintln(e.stdout, i18n.Tr("hint.hidden", what))
		return nil
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return usageError("%s", i18n.Tr("hint.usage"))
	}
	l, err := w.Lesson(fs.Arg(0))
	if err != nil {
		return err
	}
	lang := i18n.Current()
	hints, _, err := l.HintsIn(lang)
	if err != nil {
		return fmt.Errorf("%s: %w", i18n.Tr("hint.none", l.Name), err)
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
			fmt.Fprintln(e.stdout, i18n.Tr("hint.allpass", l.Name, l.ID))
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
		return fmt.Errorf("%s", i18n.Tr("hint.nostep", l.Name, n, len(steps)))
	}
	if _, s, ok := l.StepIn(lang, n); ok {
		title = s.Title
	}
	list := hints[n]
	if len(list) == 0 {
		return fmt.Errorf("%s", i18n.Tr("hint.nohints", l.Name, "hints.md", n))
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
	fmt.Fprintln(e.stdout, i18n.Tr("hint.heading", l.Name, n, title))
	for i := 0; i < shown; i++ {
		label := i18n.Tr("hint.label", i+1, len(list))
		if i == shown-1 && more {
			label = sty.bold(label)
		}
		fmt.Fprintln(e.stdout, joinLabel(label, list[i]))
	}
	switch {
	case shown < len(list):
		fmt.Fprintln(e.stdout, i18n.Tr("hint.again"))
	case more:
		fmt.Fprintln(e.stdout, i18n.Tr("hint.last", kataCmd, l.ID))
	default:
		fmt.Fprintln(e.stdout, i18n.Tr("hint.nomore", n, kataCmd, l.ID))
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
		return "", fmt.Errorf(i18n.Tr("hint.nocache"), err)
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
		return nil, fmt.Errorf("%s: %w", i18n.Tr("hint.cannot.read"), err)
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
		return fmt.Errorf(i18n.Tr("hint.cannot.save"), err, filepath.Dir(st.path))
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
