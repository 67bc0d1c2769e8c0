package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/workbook"
)

var overlayCmd = command{
	name:    "overlay",
	usage:   "kata overlay [NN]",
	summary: "write the -overlay JSON that swaps a lesson's stubs (or all) for the reference and print its path",
}

func init() {
	overlayCmd.run = runOverlay
	register(overlayCmd)
}

func runOverlay(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &overlayCmd, `go run -overlay "$(go run ./cmd/kata overlay 01)" ./lessons/01-layers/cmd/pktdump lessons/01-layers/testdata/http-get-v4.pcap`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageError("one lesson at most")
	}
	w, err := workbook.Find(e.dir)
	if err != nil {
		return err
	}
	if err := needSolutions(w, i18n.Tr("overlay.needs.solutions")); err != nil {
		return err
	}
	lessons := w.Lessons
	name := "all"
	if fs.NArg() == 1 {
		l, err := w.Lesson(fs.Arg(0))
		if err != nil {
			return err
		}
		lessons, name = []*workbook.Lesson{l}, l.ID
	}
	path, err := writeOverlay(w, lessons, filepath.Join(w.Root, ".kata", "overlay-"+name+".json"))
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, path)
	return nil
}

// writeOverlay writes one overlay covering every stub of lessons.
func writeOverlay(w *workbook.Workbook, lessons []*workbook.Lesson, path string) (string, error) {
	all := map[string]string{}
	for _, l := range lessons {
		m, err := l.Overlay(nil)
		if err != nil {
			return "", err
		}
		for k, v := range m {
			all[k] = v
		}
	}
	return workbook.WriteOverlay(path, all)
}
