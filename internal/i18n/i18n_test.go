package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// TestChoose is the precedence table of the package comment: NETKATA_LANG
// (kata -lang sets it), the remembered choice, the locale, English.
func TestChoose(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		saved   Lang
		want    Lang
		wantSrc Source
	}{
		{"nothing", nil, "", EN, FromNone},
		{"locale", map[string]string{"LANG": "zh_CN.UTF-8"}, "", ZH, FromLocale},
		{"LANG=C", map[string]string{"LANG": "C"}, "", EN, FromLocale},
		{"remembered wins over the locale", map[string]string{"LANG": "zh_CN.UTF-8"}, EN, EN, FromSaved},
		{"remembered zh over LANG=C", map[string]string{"LANG": "C", "LC_ALL": "C"}, ZH, ZH, FromSaved},
		{"remembered, no locale", nil, ZH, ZH, FromSaved},
		{"NETKATA_LANG wins over remembered", map[string]string{EnvVar: "en"}, ZH, EN, FromVar},
		{"NETKATA_LANG zh over all", map[string]string{EnvVar: "zh", "LC_ALL": "C"}, EN, ZH, FromVar},
		{"bad NETKATA_LANG falls through to remembered", map[string]string{EnvVar: "klingon", "LANG": "C"}, ZH, ZH, FromSaved},
		{"bad remembered falls through to the locale", map[string]string{"LANG": "zh_CN"}, "klingon", ZH, FromLocale},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, src := Choose(func(k string) string { return tt.env[k] }, tt.saved)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantSrc, src)
		})
	}
}

// TestSaveRemembers checks the remembered file: written beside hints.json
// (os.UserCacheDir()/netkata), read back, forgotten with Save("").
func TestSaveRemembers(t *testing.T) {
	cache := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cache)
	t.Setenv("HOME", t.TempDir()) // macOS: UserCacheDir is under HOME
	p, err := SavedFile()
	require.NoError(t, err)
	assert.Equal(t, "netkata", filepath.Base(filepath.Dir(p)))

	l, err := Saved()
	require.NoError(t, err)
	assert.Equal(t, Lang(""), l, "nothing remembered yet")

	got, err := Save(ZH)
	require.NoError(t, err)
	assert.Equal(t, p, got)
	l, err = Saved()
	require.NoError(t, err)
	assert.Equal(t, ZH, l)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "zh\n", string(b))

	_, err = Save("")
	require.NoError(t, err)
	l, err = Saved()
	require.NoError(t, err)
	assert.Equal(t, Lang(""), l, "forgotten")
	_, err = Save("") // forgetting twice is fine
	require.NoError(t, err)

	require.NoError(t, os.WriteFile(p, []byte("klingon\n"), 0o644))
	l, err = Saved()
	require.NoError(t, err)
	assert.Equal(t, Lang(""), l, "a file naming no language counts as none")
}

func TestSaveWithoutCacheFolder(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	if _, err := os.UserCacheDir(); err == nil {
		t.Skip("this system has a cache folder without HOME")
	}
	_, err := Save(ZH)
	assert.Error(t, err)
	l, err := Saved()
	assert.Error(t, err)
	assert.Equal(t, Lang(""), l)
}

func TestFile(t *testing.T) {
	assert.Equal(t, "README.md", File("README.md", EN))
	assert.Equal(t, "README.zh-CN.md", File("README.md", ZH))
	assert.Equal(t, "hints.zh-CN.md", File("hints.md", ZH))
}

func TestCurrentFollowsEnv(t *testing.T) {
	t.Setenv(EnvVar, "zh")
	assert.Equal(t, ZH, Current())
	assert.Equal(t, "简体中文", Tr("lang.name"))
	t.Setenv(EnvVar, "en")
	assert.Equal(t, EN, Current())
}
