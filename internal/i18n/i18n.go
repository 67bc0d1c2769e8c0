// Package i18n chooses the student's language (English or 简体中文) and
// holds the catalogue of everything kata and the tests' helpers say to a
// student in both.
//
// The language comes from, in order: NETKATA_LANG ("zh" or "en"), then the
// first of LC_ALL, LC_MESSAGES and LANG that is set (zh_* means Chinese),
// then English. kata's -lang flag sets NETKATA_LANG for everything it runs,
// so the tests' helpers follow the same choice.
//
// Messages are looked up by key. Each key has an English and a Chinese text
// with the same fmt verbs in the same order; TestCatalogueParity checks that,
// and verify's parity check does too.
package i18n

import (
	"fmt"
	"os"
	"sort"
	"strings"
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

// EnvVar is the environment variable that overrides the locale.
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

// FromEnv returns the language that getenv's variables ask for (see the
// package comment). Locales of other languages mean English.
func FromEnv(getenv func(string) string) Lang {
	if l, ok := Parse(getenv(EnvVar)); ok {
		return l
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if l, ok := Parse(s); ok {
				return l
			}
			return EN
		}
	}
	return EN
}

// Current returns the language of this process's environment.
func Current() Lang { return FromEnv(os.Getenv) }

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
