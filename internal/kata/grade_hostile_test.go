package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"
	"github.com/netkata/netkata/internal/sandbox"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGradeHostile grades a class of hostile submissions
// (testdata/hostile.txtar), one per attack, and checks each gets the right
// score with a note saying why, that the reports survive them, and that
// nothing changed outside the sandbox: HOME, the workbook checkout, /tmp,
// the loopback listener, the processes.
func TestGradeHostile(t *testing.T) {
	if testing.Short() {
		t.Skip("grades a class (about a minute)")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	ctx := context.Background()
	if _, err := sandbox.FindBwrap(ctx); err != nil {
		if os.Getenv("CI") != "" && runtime.GOOS == "linux" {
			t.Fatalf("CI must run the sandboxed path: %v", err)
		}
		t.Skipf("no sandbox: %v", err)
	}
	gocache, err := goEnv("GOCACHE")
	require.NoError(t, err)

	token := randomWord(t)
	secret := "TOPSECRET-" + token
	home := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(home, "secret.txt"), []byte(secret), 0o600))
	t.Setenv("GOCACHE", gocache)
	t.Setenv("HOME", home)

	// A loopback listener a submission would like to reach.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var received []string
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.SetDeadline(time.Now().Add(5 * time.Second))
			b, _ := io.ReadAll(c)
			c.Close()
			mu.Lock()
			received = append(received, "connection: "+string(b))
			mu.Unlock()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())

	dir := t.TempDir()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "hostile.txtar"))
	require.NoError(t, err)
	repl := strings.NewReplacer("@TOKEN@", token, "@PORT@", port, "@HOME@", home)
	for _, f := range ar.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(repl.Replace(string(f.Data))), 0o644))
	}
	wb := filepath.Join(dir, "wb")
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"-c", "user.name=I", "-c", "user.email=i@example.com", "commit", "-q", "-m", "workbook"}} {
		out, err := exec.Command("git", append([]string{"-C", wb}, args...)...).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	subs := filepath.Join(dir, "subs")
	// A folder whose lesson is a symlink to a classmate's.
	require.NoError(t, os.MkdirAll(filepath.Join(subs, "symlinked", "lessons"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(subs, "good", "lessons", "01-demo"), filepath.Join(subs, "symlinked", "lessons", "01-demo")))
	// Archives: one slipping out, one bomb by size, one by entries.
	writeZip(t, filepath.Join(subs, "zipslip.zip"), map[string]string{"../../escaped-" + token + ".go": "package x\n"})
	writeZip(t, filepath.Join(subs, "bomb.zip"), map[string]string{"bomb/lessons/01-demo/hello.go": strings.Repeat("\x00", 100<<20)})
	many := map[string]string{}
	for i := range 2500 {
		many["many/lessons/01-demo/f"+strings.Repeat("x", i%7)+hex.EncodeToString([]byte{byte(i >> 8), byte(i)})+".txt"] = "x"
	}
	writeZip(t, filepath.Join(subs, "many.zip"), many)

	homeBefore := listTree(t, home)
	wbBefore := listTree(t, wb)

	names := []string{"good", "alt", "altcopy", "=1+2", "escape", "secret", "exfil", "survivor", "forgepass", "forgejson",
		"exit0", "solimport", "solread", "spin", "memhog", "ctrlchars", "symlinked", "zipslip.zip", "bomb.zip", "many.zip"}
	args := []string{"grade", "-timeout", "8s", "-memory", "256MiB", "-max-bytes", "16MiB", "-max-files", "2000", "-j", "2", "-q",
		"-json", filepath.Join(dir, "g.json"), "-junit", filepath.Join(dir, "g.xml"), "-csv", filepath.Join(dir, "g.csv")}
	for _, n := range names {
		args = append(args, filepath.Join(subs, n))
	}
	var stdout, stderr bytes.Buffer
	code := run2(ctx, wb, args, &stdout, &stderr)
	t.Logf("kata %s\n%s%s", strings.Join(args, " "), stdout.String(), stderr.String())
	require.Equal(t, 0, code)

	var rep struct {
		Submissions []*Grade
	}
	raw, err := os.ReadFile(filepath.Join(dir, "g.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &rep))
	got := map[string]*Grade{}
	for _, g := range rep.Submissions {
		got[g.Submission] = g
	}
	for _, c := range []struct {
		name  string
		score int
		notes []string
	}{
		{"good", 2, []string{"same as the reference"}},
		{"alt", 2, nil},
		{"altcopy", 2, []string{"same as alt"}},
		{"=1+2", 2, nil},
		{"escape", 2, []string{"review: lessons/01-demo/hello.go:11: func init with side effects", "mentions /proc"}},
		{"secret", 1, []string{"mentions /proc"}},
		{"exfil", 2, []string{"func init with side effects"}},
		{"survivor", 2, []string{"imports os/exec", "imports syscall"}},
		{"forgepass", 0, []string{"did not complete: the test process exited with status 0 before the official harness finished (os.Exit in the submission's init or code?)", "its output claimed passes, which do not count", "os.Exit"}},
		{"forgejson", 0, []string{"mentions /proc"}},
		{"exit0", 0, []string{"did not complete: the test process exited with status 0 before the official harness finished (os.Exit in the submission's init or code?)", "review: lessons/01-demo/hello.go:5: os.Exit"}},
		{"solimport", 0, []string{"does not build", `imports the reference solution "example.com/fixture/solutions/01-demo"`}},
		{"solread", 0, nil},
		{"spin", 1, []string{"step 2: did not complete: time limit reached"}},
		{"memhog", 1, []string{"step 2: did not complete: memory limit reached (256 MiB)"}},
		{"ctrlchars", 1, nil},
		{"symlinked", 0, []string{"not graded", "lessons/01-demo is a symlink", "submissions may not hold symlinks"}},
		{"zipslip", 0, []string{"not graded", "points outside the archive"}},
		{"bomb", 0, []string{"not graded", "the cap on a submission's size"}},
		{"many", 0, []string{"not graded", "more than 2000 files"}},
	} {
		g := got[c.name]
		if !assert.NotNil(t, g, "no grade for %s", c.name) {
			continue
		}
		notes := strings.Join(g.Notes, "; ")
		assert.Equal(t, c.score, g.Score, "%s: score (notes: %s)", c.name, notes)
		assert.Equal(t, 2, g.Max, c.name)
		for _, n := range c.notes {
			assert.Contains(t, notes, n, c.name)
		}
		if c.name == "alt" {
			assert.NotContains(t, notes, "same as", "a different correct solution")
		}
		if c.score < 2 && len(c.notes) == 0 {
			continue
		}
	}

	// The reports: no secret, valid XML, no formula in CSV.
	for _, f := range []string{"g.json", "g.xml", "g.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.NotContains(t, string(b), "TOPSECRET", "%s holds the secret", f)
		assert.NotContains(t, string(b), "\x1b", "%s holds an escape character", f)
	}
	xb, _ := os.ReadFile(filepath.Join(dir, "g.xml"))
	var suites junit.Testsuites
	assert.NoError(t, xml.Unmarshal(xb, &suites), "the JUnit file is well-formed")
	dec := xml.NewDecoder(bytes.NewReader(xb))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if !assert.NoError(t, err, "JUnit XML") {
			break
		}
	}
	cf, _ := os.Open(filepath.Join(dir, "g.csv"))
	rows, err := csv.NewReader(cf).ReadAll()
	cf.Close()
	require.NoError(t, err)
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" {
				assert.NotContains(t, "=+-@", cell[:1], "a CSV cell starts a formula: %q", cell)
			}
		}
	}

	// Nothing changed outside the sandbox.
	assert.Equal(t, homeBefore, listTree(t, home), "HOME changed")
	assert.Equal(t, wbBefore, listTree(t, wb), "the workbook checkout changed")
	status, _ := exec.Command("git", "-C", wb, "status", "--porcelain").Output()
	assert.Empty(t, string(status), "git status of the workbook")
	for _, p := range []string{"/tmp", "/root", os.TempDir(), dir, filepath.Dir(dir)} {
		matches, _ := filepath.Glob(filepath.Join(p, "*"+token+"*"))
		assert.Empty(t, matches, "markers in %s", p)
	}
	var leftover []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		leftover = processesWith(token)
		if len(leftover) == 0 {
			break
		}
	}
	assert.Empty(t, leftover, "processes outlived grading")
	mu.Lock()
	assert.Empty(t, received, "the loopback listener outside the sandbox was reached")
	mu.Unlock()
}

// run2 runs kata in dir (as if started there).
func run2(ctx context.Context, dir string, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, dir: dir}
	err := gradeCmd.run(ctx, e, args[1:])
	if err != nil {
		io.WriteString(stderr, err.Error()+"\n")
		return 1
	}
	return 0
}

func randomWord(t *testing.T) string {
	b := make([]byte, 8)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// listTree lists the files under dir with their sizes and times.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		fi, err := d.Info()
		if err == nil {
			out = append(out, p+" "+fi.Mode().String()+" "+fi.ModTime().String()+" "+string(rune(fi.Size())))
		}
		return nil
	})
	return out
}

// processesWith lists processes whose command line holds s.
func processesWith(s string) []string {
	var out []string
	cmdlines, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range cmdlines {
		b, err := os.ReadFile(p)
		if err == nil && bytes.Contains(b, []byte(s)) && !bytes.Contains(b, []byte("-test.")) {
			out = append(out, p+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return out
}
