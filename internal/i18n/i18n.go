// Package i18n chooses the student's language (English or 简体中文) and
// holds the catalogue of everything kata and the tests' helpers say to a
// student in both.
//
// The language comes from, in order:
//
//  1. kata's -lang flag (kata sets NETKATA_LANG for everything it runs);
//  2. NETKATA_LANG ("zh" or "en");
//  3. the choice kata remembers ("kata lang zh", or any "kata -lang zh"), in
//     the file lang beside kata's hint state (os.UserCacheDir()/netkata);
//  4. the first of LC_ALL, LC_MESSAGES and LANG that is set (zh_* means
//     Chinese, any other locale English);
//  5. English.
//
// So "go test ./lessons/02..." run by hand follows the same choice as kata.
//
// Messages are looked up by key. Each key has an English and a Chinese text
// with the same fmt verbs in the same order; TestCatalogueParity checks that,
// and verify's parity check does too.
package i18n

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/netkata/netkata/internal/atomicfile"
)

// Lang is a language the workbook is written in.
type Lang string

// The languages of the workbook.
const (
	EN Lang = "en" // English
	ZH Lang = "zh" // 简体中文
)

// Langs lists every language of the workbook, English first.
var Langs = []Lang{EN, ZH}

// EnvVar is the environment variable that overrides the remembered choice
// and the locale.
const EnvVar = "NETKATA_LANG"

// Parse returns the language that s names: "zh", "zh-CN", "zh_CN.UTF-8",
// "chinese" and "中文" mean Chinese; "en", "en_US.UTF-8", "C" and "POSIX"
// mean English. ok is false for anything else.
func Parse(s string) (l Lang, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "zh" || strings.HasPrefix(s, "zh_") || strings.HasPrefix(s, "zh-") ||
		strings.HasPrefix(s, "zh.") || s == "chinese" || s == "中文":
		return ZH, true
	case s == "en" || strings.HasPrefix(s, "en_") || strings.HasPrefix(s, "en-") ||
		strings.HasPrefix(s, "en.") || s == "english" || s == "c" || s == "posix" ||
		strings.HasPrefix(s, "c."):
		return EN, true
	}
	return "", false
}

// Source says where a choice of language came from.
type Source string

// Where a language can come from, strongest first (kata's -lang flag
// reaches the rest of the process as NETKATA_LANG).
const (
	FromFlag   Source = "flag"
	FromVar    Source = "env"
	FromSaved  Source = "saved"
	FromLocale Source = "locale"
	FromNone   Source = "default"
)

// Choose returns the language that getenv's variables and the remembered
// choice saved ("" for none) ask for, and where it came from (see the
// package comment). Locales of other languages mean English.
func Choose(getenv func(string) string, saved Lang) (Lang, Source) {
	if l, ok := Parse(getenv(EnvVar)); ok {
		return l, FromVar
	}
	if l, ok := Parse(string(saved)); ok {
		return l, FromSaved
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if l, ok := Parse(s); ok {
				return l, FromLocale
			}
			return EN, FromLocale
		}
	}
	return EN, FromNone
}

// FromEnv returns the language that getenv's variables ask for, leaving
// the remembered choice out.
func FromEnv(getenv func(string) string) Lang {
	l, _ := Choose(getenv, "")
	return l
}

// Current returns the language of this process: NETKATA_LANG, then the
// remembered choice (read once per process), then the locale.
func Current() Lang {
	l, _ := Choose(os.Getenv, savedOnce())
	return l
}

// savedOnce reads the remembered choice the first time it is needed.
var savedOnce = sync.OnceValue(func() Lang {
	l, _ := Saved()
	return l
})

// SavedFile is the file that remembers the student's choice: lang in
// os.UserCacheDir()/netkata, beside kata's hints.json.
func SavedFile() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "netkata", "lang"), nil
}

// Saved returns the remembered choice, or "" when there is none. A file
// that names no language counts as none.
func Saved() (Lang, error) {
	p, err := SavedFile()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		if os.IsNotExist(err) {
			return "", nil
		}
		return "", err
	}
	l, _ := Parse(string(b))
	return l, nil
}

// Save remembers l for later runs of kata and of go test; Save("") forgets
// the choice, so the locale decides again. It returns the file it wrote.
func Save(l Lang) (string, error) {
	p, err := SavedFile()
	if err != nil {
		return "", err
	}
	if l == "" {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return p, err
		}
		return p, nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
		return p, err
	}
	return p, atomicfile.WriteFile(p, []byte(string(l)+"\n"), 0o666)
}

// File returns the name of the edition of a workbook file in language l:
// "README.md" is "README.zh-CN.md" in Chinese, "hints.md" "hints.zh-CN.md".
func File(name string, l Lang) string {
	if l != ZH {
		return name
	}
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + ".zh-CN" + ext
}

// T returns the text of key in language l, formatted with args as
// fmt.Sprintf does. A key missing from l falls back to English; a key
// missing from both is returned in brackets, so a typo shows instead of
// vanishing.
func T(l Lang, key string, args ...any) string {
	format, ok := catalogue[l][key]
	if !ok {
		format, ok = catalogue[EN][key]
	}
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// Tr is T in the current language.
func Tr(key string, args ...any) string { return T(Current(), key, args...) }

// Keys returns the catalogue's keys in language l, sorted.
func Keys(l Lang) []string {
	keys := make([]string, 0, len(catalogue[l]))
	for k := range catalogue[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Format returns the raw text of key in language l, and whether it exists.
func Format(l Lang, key string) (string, bool) {
	s, ok := catalogue[l][key]
	return s, ok
}

// catalogue maps each language to its messages, key to fmt format.
var catalogue = map[Lang]map[string]string{
	EN: en,
	ZH: zh,
}
