package workbook

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/require"
)

func TestResultCacheKeyFollowsContent(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"lessons/01-demo", "internal/x", "testscripts/01-demo"} {
		require.NoError(t, os.MkdirAll(filepath.Join(root, d), 0o777))
	}
	write := func(p, s string) { require.NoError(t, os.WriteFile(filepath.Join(root, p), []byte(s), 0o666)) }
	write("go.mod", "module x\n")
	write("lessons/01-demo/a.go", "package demo\n")
	w, err := Open(root)
	require.NoError(t, err)
	l := w.Lessons[0]
	c := &ResultCache{Dir: t.TempDir()}

	k1, err := c.key(root, l, CheckOptions{})
	require.NoError(t, err)
	k2, err := c.key(root, l, CheckOptions{})
	require.NoError(t, err)
	require.Equal(t, k1, k2, "same files, same key")
	k3, err := c.key(root, l, CheckOptions{Step: 2})
	require.NoError(t, err)
	require.NotEqual(t, k1, k3, "another step, another key")
	t.Setenv(i18n.EnvVar, "zh")
	kzh, err := c.key(root, l, CheckOptions{})
	require.NoError(t, err)
	t.Setenv(i18n.EnvVar, "en")
	ken, err := c.key(root, l, CheckOptions{})
	require.NoError(t, err)
	require.NotEqual(t, kzh, ken, "another language, another key: the cached messages are in one")
	k1 = ken

	for _, p := range []string{"lessons/01-demo/a.go", "internal/x/x.go", "testscripts/01-demo/s.txtar", "go.sum"} {
		write(p, "changed "+p)
		k, err := c.key(root, l, CheckOptions{})
		require.NoError(t, err)
		require.NotEqual(t, k1, k, "the key must change when %s changes", p)
		k1 = k
	}

	_, ok := c.load(k1)
	require.False(t, ok, "nothing stored yet")
	run := &Run{Tests: map[string]*Result{"TestStep1_X": {Name: "TestStep1_X", Action: "fail", Output: "boom"}}, Failed: true}
	c.store(k1, run)
	got, ok := c.load(k1)
	require.True(t, ok)
	require.Equal(t, "boom", got.Tests["TestStep1_X"].Output)
	require.True(t, got.Failed)
}
