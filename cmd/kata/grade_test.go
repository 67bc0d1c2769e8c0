package main

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for name, body := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
}

func TestFetchSubmissionZip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "alice.zip")
	writeZip(t, src, map[string]string{"netkata-main/lessons/01-demo/hello.go": "package demo\n"})
	root, err := fetchSubmission(context.Background(), src, filepath.Join(dir, "out"), defaultCaps)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, "out", "netkata-main"), root, "the folder one level down that holds lessons/")
	b, err := os.ReadFile(filepath.Join(root, "lessons", "01-demo", "hello.go"))
	require.NoError(t, err)
	assert.Equal(t, "package demo\n", string(b))
}

func TestFetchSubmissionZipSlip(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "evil.zip")
	writeZip(t, src, map[string]string{"../../escaped.go": "package x\n"})
	_, err := fetchSubmission(context.Background(), src, filepath.Join(dir, "a", "out"), defaultCaps)
	require.ErrorContains(t, err, "outside the archive")
	assert.NoFileExists(t, filepath.Join(dir, "escaped.go"))
}

func TestSubmissionName(t *testing.T) {
	for src, want := range map[string]string{
		"subs/alice/":                       "alice",
		"bob.tar.gz":                        "bob",
		"carol.zip":                         "carol",
		"https://example.com/dave/repo.git": "repo",
		"git@example.com:erin/netkata.git":  "netkata",
		"subs/grace/.git":                   "grace",
		"/abs/path/frank":                   "frank",
	} {
		assert.Equal(t, want, submissionName(src), src)
	}
}

func TestReorder(t *testing.T) {
	fs := newFlags(&env{stdout: os.Stdout, stderr: os.Stderr}, &testCmd, "")
	fs.Int("step", 0, "")
	fs.Bool("all", false, "")
	assert.Equal(t, []string{"-step", "2", "-all", "01"}, reorder(fs, []string{"01", "-step", "2", "-all"}))
	assert.Equal(t, []string{"-step=2", "01", "-x"}, reorder(fs, []string{"01", "-step=2", "--", "-x"}))
}
