package workbook

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/netkata/netkata/internal/readme"
)

// StepIn returns step n's heading in the lesson's README in language
// lang, and the README's name ("README.zh-CN.md"): the Chinese README's
// heading when it has that step, else the English one, so a lesson whose
// translation has not landed yet still reads in English. ok is false when
// neither README has step n.
func (l *Lesson) StepIn(lang i18n.Lang, n int) (file string, step readme.Step, ok bool) {
	for _, name := range readmes(lang) {
		b, err := os.ReadFile(filepath.Join(l.Dir, name))
		if err != nil {
			continue
		}
		for _, s := range readme.Parse(string(b)) {
			if s.N == n {
				return name, s, true
			}
		}
	}
	return "", readme.Step{}, false
}

// TitleIn is Title in language lang: the first "# " heading of the
// Chinese README when there is one ("# 第 02 课：TCP 服务器与客户端"
// gives "TCP 服务器与客户端"), else the English title.
func (l *Lesson) TitleIn(lang i18n.Lang) string {
	if lang == i18n.ZH {
		if t := l.titleOf(i18n.File("README.md", lang)); t != "" {
			return t
		}
	}
	return l.Title()
}

// titleOf returns the first "# " heading of the lesson file name, without
// a leading "Lesson NN:" or "第 NN 课：", or "" if it has none.
func (l *Lesson) titleOf(name string) string {
	f, err := os.Open(filepath.Join(l.Dir, name))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		t, ok := strings.CutPrefix(sc.Text(), "# ")
		if !ok {
			continue
		}
		t = strings.TrimSpace(t)
		if m := lessonPrefixRE.FindStringIndex(t); m != nil {
			return strings.TrimSpace(t[m[1]:])
		}
		return t
	}
	return ""
}

// lessonPrefixRE matches the "Lesson 02:" or "第 02 课：" before a title.
var lessonPrefixRE = regexp.MustCompile(`^(?:Lesson\s+\d+\s*:|第\s*\d+\s*课\s*[:：])`)

// HintsIn is Hints in language lang: the hints of hints.zh-CN.md in
// Chinese, step by step, with the English hints for a step the Chinese
// file does not have yet (or when there is no Chinese file). files tells
// which file each step's hints came from.
func (l *Lesson) HintsIn(lang i18n.Lang) (hints map[int][]string, files map[int]string, err error) {
	hints, err = l.Hints()
	if err != nil {
		return nil, nil, err
	}
	files = map[int]string{}
	for n := range hints {
		files[n] = "hints.md"
	}
	if lang == i18n.EN {
		return hints, files, nil
	}
	name := i18n.File("hints.md", lang)
	b, err := os.ReadFile(filepath.Join(l.Dir, name))
	if err != nil {
		return hints, files, nil
	}
	local, err := ParseHints(string(b))
	if err != nil {
		return hints, files, nil // a broken translation: verify's parity check says where
	}
	for n, list := range local {
		if len(list) > 0 {
			hints[n] = list
			files[n] = name
		}
	}
	return hints, files, nil
}

// readmes lists the README files to look in for language lang, best first.
func readmes(lang i18n.Lang) []string {
	if lang == i18n.EN {
		return []string{"README.md"}
	}
	return []string{i18n.File("README.md", lang), "README.md"}
}
