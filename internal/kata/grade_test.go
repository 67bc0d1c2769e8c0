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

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "2GiB": 2 << 30, "1G": 1 << 30, "100": 100, "64KiB": 64 << 10} {
		got, err := parseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := parseSize("lots")
	assert.Error(t, err)
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+2": "'=1+2", "+x": "'+x", "-x": "'-x", "@x": "'@x", "alice": "alice", "a\nb\x1b": "a b\uFFFD"} {
		assert.Equal(t, want, csvSafe(in), in)
	}
}

func TestUniqueNames(t *testing.T) {
	info := &RunInfo{}
	assert.Equal(t, []string{"alice", "bob", "alice-2"}, uniqueNames([]string{"a/alice", "bob.zip", "b/alice.zip"}, info))
	assert.Len(t, info.Warnings, 1)
}

func TestFetchSubmissionRefusesLinksAndBombs(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub", "lessons", "01-demo")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(sub, "hello.go")))
	_, err := fetchSubmission(context.Background(), filepath.Join(dir, "sub"), filepath.Join(dir, "out"), defaultCaps)
	require.ErrorContains(t, err, "lessons/01-demo/hello.go is a symlink")

	big := filepath.Join(dir, "big.zip")
	writeZip(t, big, map[string]string{"x/lessons/01-demo/a.go": string(make([]byte, 2<<20))})
	_, err = fetchSubmission(context.Background(), big, filepath.Join(dir, "out2"), archiveCaps{Bytes: 1 << 20, Entries: 100})
	require.ErrorContains(t, err, "the cap on a submission's size")
}
