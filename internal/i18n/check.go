package i18n

import (
	"fmt"
	"regexp"
	"slices"
)

// Problem is one way the catalogue's languages disagree on a key.
type Problem struct {
	Key  string // the message key
	Lang Lang   // the language that lags or differs from English
	Text string // what is wrong, in a few words
}

// Error says which key, which language and what is wrong.
func (p Problem) Error() string {
	return fmt.Sprintf("key %q (%s): %s", p.Key, p.Lang, p.Text)
}

var catalogueVerbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// Verbs returns the fmt verbs of a format in order ("%s", "%d", "%%"...).
func Verbs(format string) []string {
	return catalogueVerbRE.FindAllString(format, -1)
}

// Check compares the catalogue's languages with Compare.
func Check() []Problem {
	cat := map[Lang]map[string]string{}
	for _, l := range Langs {
		cat[l] = map[string]string{}
		for _, k := range Keys(l) {
			cat[l][k], _ = Format(l, k)
		}
	}
	return Compare(cat)
}

// Compare returns every key that is not in every language of Langs, that
// is empty in one but not in English, or whose fmt verbs differ from the
// English text's (the same verbs in the same order, so that the arguments
// fit). A nil slice means the languages agree.
func Compare(cat map[Lang]map[string]string) []Problem {
	var out []Problem
	en := cat[EN]
	keys := make([]string, 0, len(en))
	for k := range en {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, l := range Langs {
		if l == EN {
			continue
		}
		other := cat[l]
		for _, k := range keys {
			text, ok := other[k]
			switch {
			case !ok:
				out = append(out, Problem{k, l, "missing: English has it"})
			case text == "" && en[k] != "":
				out = append(out, Problem{k, l, "empty: English is not"})
			case !slices.Equal(Verbs(text), Verbs(en[k])):
				out = append(out, Problem{k, l, fmt.Sprintf("fmt verbs %v, English has %v (the same verbs, in the same order)", Verbs(text), Verbs(en[k]))})
			}
		}
		var extra []string
		for k := range other {
			if _, ok := en[k]; !ok {
				extra = append(extra, k)
			}
		}
		slices.Sort(extra)
		for _, k := range extra {
			out = append(out, Problem{k, l, "not in English: add it there too, or remove it"})
		}
	}
	return out
}
