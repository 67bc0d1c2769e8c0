package i18n

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Lang
	}{
		{"nothing set", nil, EN},
		{"LANG Chinese", map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
		{"LANG C", map[string]string{"LANG": "C"}, EN},
		{"LANG French is English", map[string]string{"LANG": "fr_FR.UTF-8"}, EN},
		{"LC_ALL wins over LANG", map[string]string{"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, EN},
		{"LC_MESSAGES wins over LANG", map[string]string{"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, ZH},
		{"NETKATA_LANG wins over all", map[string]string{EnvVar: "en", "LC_ALL": "zh_CN.UTF-8"}, EN},
		{"NETKATA_LANG zh", map[string]string{EnvVar: "zh", "LANG": "C"}, ZH},
		{"bad NETKATA_LANG falls through", map[string]string{EnvVar: "klingon", "LANG": "zh_CN"}, ZH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromEnv(func(k string) string { return tt.env[k] })
			assert.Equal(t, tt.want, got)
		})
	}
}

var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// TestCatalogueParity checks that every key exists in every language with
// the same fmt verbs in the same order.
func TestCatalogueParity(t *testing.T) {
	for _, l := range Langs[1:] {
		assert.Equal(t, Keys(EN), Keys(l), "keys of %s differ from English", l)
	}
	for _, k := range Keys(EN) {
		want := verbRE.FindAllString(catalogue[EN][k], -1)
		for _, l := range Langs[1:] {
			got := verbRE.FindAllString(catalogue[l][k], -1)
			assert.Equal(t, want, got, "fmt verbs of %q in %s", k, l)
		}
	}
}

func TestTFallsBack(t *testing.T) {
	assert.Equal(t, "简体中文", T(ZH, "lang.name"))
	assert.Equal(t, "[no.such.key]", T(ZH, "no.such.key"))
}
