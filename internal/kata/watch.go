package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/workbook"
)

var watchCmd = command{
	name:    "watch",
	usage:   "kata watch [NN] [-poll]",
	summary: "re-run the current lesson's tests on every save and show the first failure; moves on when a lesson is done",
}

func init() {
	watchCmd.run = runWatch
	register(watchCmd)
}

func runWatch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &watchCmd, kataCmd+" watch")
	poll := fs.Bool("poll", false, "look for changes by polling (where file events do not arrive: WSL, network file systems, some containers)")
	interval := fs.Duration("interval", 500*time.Millisecond, "how often -poll looks")
	debounce := fs.Duration("debounce", 150*time.Millisecond, "wait this long after a change for more before running")
	if err := fs.Parse(reorder(fs, args)); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageError("%s", i18n.Tr("watch.one"))
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	if len(w.Lessons) == 0 {
		return fmt.Errorf("%s", i18n.Tr("watch.nolessons"))
	}
	var fixed *workbook.Lesson
	if fs.NArg() == 1 {
		if fixed, err = w.Lesson(fs.Arg(0)); err != nil {
			return err
		}
	}
	out := e.stdout
	st := newStyle(out)

	changes := make(chan struct{}, 1)
	how, stop := watchFiles(ctx, filepath.Join(w.Root, "lessons"), *poll, *interval, changes)
	defer stop()

	cur := fixed
	if cur == nil {
		fmt.Fprintln(out, i18n.Tr("watch.finding"))
		cur = currentLesson(checkAll(ctx, w, w.Lessons, 0, workbook.CheckOptions{Cache: workbook.DefaultResultCache(), Race: raceOK(), SkipShipped: true}))
		if cur == nil {
			cur = w.Lessons[0]
		}
	}
	for {
		start := time.Now()
		r := cur.Check(ctx, w.Root, workbook.CheckOptions{Race: raceOK()})
		if ctx.Err() != nil {
			return nil
		}
		if r.Done() && fixed == nil {
			if next := nextLesson(ctx, w, cur); next != nil {
				clearScreen(out, st)
				fmt.Fprintln(out, st.green(i18n.Tr("watch.next.lesson", cur.Name, next.Name)))
				cur = next
				continue
			}
		}
		clearScreen(out, st)
		p, n := r.Passed(), len(r.Steps)
		fmt.Fprintf(out, "%s  %s  %s %s %d%%  (%s, %s)\n", time.Now().Format("15:04:05"), st.bold(cur.Name), i18n.Tr("watch.steps", p, n), bar(p, n, 20), percent(p, n), cur.TitleIn(i18n.Current()), since(start))
		if r.Done() {
			fmt.Fprintln(out, st.green("\n"+i18n.Tr("watch.lesson.done")))
			if fixed == nil {
				fmt.Fprintln(out, st.green(i18n.Tr("watch.all.done")))
			}
		} else {
			// The whole failure: scrolling is the terminal's job.
			printNext(out, st, w, r, 0)
		}
		fmt.Fprintf(out, "\n%s\n", st.dim(i18n.Tr("watch.watching", how)))
		if !waitChange(ctx, changes, *debounce) {
			return nil
		}
	}
}

// nextLesson returns the first lesson after cur that is not done, or nil.
func nextLesson(ctx context.Context, w *workbook.Workbook, cur *workbook.Lesson) *workbook.Lesson {
	after := false
	for _, l := range w.Lessons {
		if l == cur {
			after = true
			continue
		}
		if after && !l.Check(ctx, w.Root, workbook.CheckOptions{Cache: workbook.DefaultResultCache(), Race: raceOK(), SkipShipped: true}).Done() {
			return l
		}
	}
	return nil
}

// currentLesson is the lesson the student is on, from the results of
// every lesson: of those not done, the one whose files (the tests left
// out) the student changed last, or else the first; nil if all are done.
func currentLesson(results []*workbook.LessonResult) *workbook.Lesson {
	var first, newest *workbook.Lesson
	var firstTime, newestTime time.Time
	for _, r := range results {
		if r.Done() {
			continue
		}
		t := lastEdit(r.Lesson.Dir)
		if first == nil {
			first, firstTime = r.Lesson, t
		}
		if newest == nil || t.After(newestTime) {
			newest, newestTime = r.Lesson, t
		}
	}
	// A fresh clone writes every file within moments: only a later edit
	// says where the student is.
	if newest != nil && newestTime.Sub(firstTime) > 10*time.Second {
		return newest
	}
	return first
}

// lastEdit is when a .go file of dir, not a test, last changed.
func lastEdit(dir string) time.Time {
	var last time.Time
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().After(last) {
			last = fi.ModTime()
		}
	}
	return last
}

func clearScreen(out io.Writer, st style) {
	if st.on {
		fmt.Fprint(out, "\x1b[H\x1b[2J")
		return
	}
	fmt.Fprintln(out, "\f")
}

// waitChange waits for a change, then for debounce without another, and
// reports false if ctx ended first.
func waitChange(ctx context.Context, changes <-chan struct{}, debounce time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-changes:
	}
	t := time.NewTimer(debounce)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-changes:
			t.Reset(debounce)
		case <-t.C:
			return true
		}
	}
}

// watchFiles signals on changes of .go files under dir, with file events
// where they work and by polling otherwise (or when poll is set). It
// returns how it watches, for the screen, and a function that stops it.
func watchFiles(ctx context.Context, dir string, poll bool, interval time.Duration, changes chan<- struct{}) (string, func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	stop := func() { cancel(); <-done }
	signal := func() {
		select {
		case changes <- struct{}{}:
		default:
		}
	}
	how := ""
	var fw *fsnotify.Watcher
	if !poll {
		var err error
		fw, err = fsnotify.NewWatcher()
		if err == nil {
			err = addTree(fw, dir)
		}
		if err != nil {
			if fw != nil {
				fw.Close()
			}
			fw = nil
			how = i18n.Tr("watch.noevents", err)
		}
	}
	if fw == nil {
		how += i18n.Tr("watch.polling", interval)
		go func() {
			defer close(done)
			seen := snapshot(dir)
			tick := time.NewTicker(interval)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					if now := snapshot(dir); !sameSnapshot(seen, now) {
						seen = now
						signal()
					}
				}
			}
		}()
		return how, stop
	}
	go func() {
		defer close(done)
		defer fw.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-fw.Events:
				if !ok {
					return
				}
				if ev.Has(fsnotify.Create) {
					if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
						addTree(fw, ev.Name)
					}
				}
				if strings.HasSuffix(ev.Name, ".go") && !ev.Has(fsnotify.Chmod) {
					signal()
				}
			case _, ok := <-fw.Errors:
				if !ok {
					return
				}
			}
		}
	}()
	return i18n.Tr("watch.events"), stop
}

// addTree watches dir and every folder under it (fsnotify is not recursive).
func addTree(fw *fsnotify.Watcher, dir string) error {
	return filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return fw.Add(p)
		}
		return nil
	})
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// snapshot records the modification time and size of every .go file under dir.
func snapshot(dir string) map[string]fileStamp {
	m := map[string]fileStamp{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			m[p] = fileStamp{fi.ModTime(), fi.Size()}
		}
		return nil
	})
	return m
}

func sameSnapshot(a, b map[string]fileStamp) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
