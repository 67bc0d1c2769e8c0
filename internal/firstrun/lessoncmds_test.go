package firstrun

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// How TestLessonCommands treats a command of a lesson's README.
type cmdKind int

const (
	skipCmd   cmdKind = iota // not run, for the reason given
	serverCmd                // started in the background; waited for until it prints "listening on ADDR"
	clientCmd                // run to the end; must exit 0
	goTestCmd                // go test against the reference solution; must exit 0 and run something
	stubCmd                  // go test as written, on the stubs: must fail in the tests it names
)

// lessonCommands are the commands the lessons' READMEs show (README.md;
// README.zh-CN.md has the same code blocks), by what TestLessonCommands
// does with each. A command matching none fails the test: add it here.
var lessonCommands = []struct {
	re   string
	kind cmdKind
	why  string // for skipCmd: why not; otherwise what is changed, if anything
}{
	// Servers: each prints "listening on ADDR" first. The README's port is
	// replaced by 0 and later commands get the real address.
	{`^go run \./lessons/\d\d-[a-z]+/cmd/(timeserver|echoserver|webserver|chatserver|fileserver|udpecho|arqrecv|lossyproxy|greetserver|kvserver|devsmtp|smsprovider|newsapi) .*`, serverCmd, ""},
	{`^/tmp/ft/fileserver `, serverCmd, ""},
	// Clients and one-shot programs, against the servers started before them.
	{`^(printf '[^']*' \| )?go run \./lessons/\d\d-[a-z]+/cmd/(pktdump|timeclient|echoclient|chatclient|fileclient|udpclient|ping|arqsend|kvclient|sockinfo|fetch) .*`, clientCmd, ""},
	{`^SMTP_PASSWORD=\S+ go run \./lessons/08-smtp/cmd/sendmail `, clientCmd, ""},
	{`^SMS_PASSWORD=\S+ go run \./lessons/09-sms/cmd/sms `, clientCmd, ""},
	{`^curl -s .*http://127\.0\.0\.1:\d+/`, clientCmd, ""},
	{`^printf '[^']*' \| nc 127\.0\.0\.1 \d+$`, clientCmd, ""},
	{`^echo secret > /tmp/pw$`, clientCmd, ""},
	{`^mkdir -p /tmp/in$`, clientCmd, ""},
	{`^go build -o /tmp/ft/ \./lessons/04-filetransfer/cmd/\.\.\.$`, clientCmd, "the reference"},
	{`^mkdir -p /tmp/ft/src /tmp/ft/out && head -c 1G /dev/urandom > /tmp/ft/src/big\.bin$`, clientCmd, "1 MiB instead of 1 GiB"},
	{`^/usr/bin/time -v /tmp/ft/fileclient `, clientCmd, "1 MiB instead of 1 GiB"},
	// go test: against the reference (-overlay), benchmarks once each,
	// fuzz targets on their seed corpus (fuzzing would build everything
	// again with coverage, minutes).
	{`^go test (-run \S+ )?-bench .* \./lessons/\d\d-[a-z]+/$`, goTestCmd, "-benchtime 1x, the reference"},
	{`^go test -overlay "\$\(go run \./cmd/kata overlay 05\)" -run XXX -bench \. \./lessons/05-udp/$`, goTestCmd, "-benchtime 1x"},
	{`^go test (-run '\^\$' )?-fuzz Fuzz\w+ -fuzztime 60s \./lessons/\d\d-[a-z]+/$`, goTestCmd, "the fuzz target's seed corpus, the reference"},
	{`^go test \./lessons/\d\d-[a-z]+/ -run 'Step1'$`, stubCmd, ""},
	// Not run.
	{`^go test \./lessons/\d\d-[a-z]+/$`, skipCmd, "TestFirstScreen runs go test on every lesson's stubs"},
	{`^go run \./cmd/kata (test|hint) \d\d( N)?$`, skipCmd, "kata's own scenarios (testscripts/kata/{test,hint}.txtar) run it"},
	{`^go test -race$`, skipCmd, "a flag named in a sentence"},
	{`^go run \./lessons/05-udp/cmd/(ping|udpecho)$`, skipCmd, "a program named in a sentence; the Programs block runs it"},
	{`\.\.\.$`, skipCmd, "a pattern with ..., not a command"},
	{`^nc 127\.0\.0\.1 7007$`, skipCmd, "interactive nc; the Programs block's echoclient talks to the same server"},
	{`^go test -c -o /tmp/l06\.test .* strace `, skipCmd, "strace, Linux only; TestStep4_SendFile checks the sendfile path"},
	{`^grep VmHWM /proc/\$!/status$|^kill %1$`, skipCmd, "the shell's background job ($!, %1): the test stops its servers itself"},
}

// lessonCommand is one command a README shows.
type lessonCommand struct {
	text string
	line int
}

// TestLessonCommands runs every command each lesson's README shows (in
// sh blocks, "go ..." lines of other blocks, "# then: ..." comments and
// `go run`/`go test`/`kata`/`nc`/`curl` spans) as a student would on a
// fresh clone that has written the lessons: programs built against the
// reference solution, servers on ports of their own, /tmp and ~ inside the
// test's temp dir. A command that fails, or that the test does not know,
// fails it.
func TestLessonCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the lessons' README commands")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	lessons, err := filepath.Glob(filepath.Join(root, "lessons", "[0-9][0-9]-*"))
	require.NoError(t, err)
	require.NotEmpty(t, lessons)

	bin := t.TempDir()
	overlay := goOutput(t, root, "run", "./cmd/kata", "overlay")
	for _, l := range lessons {
		if _, err := os.Stat(filepath.Join(l, "cmd")); err == nil {
			goOutput(t, root, "build", "-overlay", overlay, "-o", filepath.Join(bin, filepath.Base(l))+string(filepath.Separator), "./lessons/"+filepath.Base(l)+"/cmd/...")
		}
	}
	for _, l := range lessons {
		name := filepath.Base(l)
		cmds := extractLessonCommands(t, filepath.Join(l, "README.md"))
		t.Run(name, func(t *testing.T) {
			s := newSession(t, root, filepath.Join(bin, name), overlay)
			for _, c := range cmds {
				i := -1
				for j, lc := range lessonCommands {
					if regexp.MustCompile(lc.re).MatchString(c.text) {
						i = j
						break
					}
				}
				if !assert.GreaterOrEqual(t, i, 0, "lessons/%s/README.md:%d shows %q, which TestLessonCommands does not know: add it to lessonCommands", name, c.line, c.text) {
					continue
				}
				lc := lessonCommands[i]
				if lc.kind == skipCmd {
					t.Logf("not run: README.md:%d %s (%s)", c.line, c.text, lc.why)
					continue
				}
				s.run(c, lc.kind)
			}
		})
	}
}

// goOutput runs go with args in dir and returns its trimmed stdout.
func goOutput(t *testing.T, dir string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NETKATA_RACE=0")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go %s: %s", strings.Join(args, " "), stderr.String())
	return strings.TrimSpace(string(out))
}

// session is one lesson's commands run in order: the servers they started
// and where they listen.
type session struct {
	t       *testing.T
	root    string // the repository: go test runs here
	dir     string // a work dir with the repository's entries linked in: programs run here
	tmp     string // stands for /tmp, and tmp/home for ~
	bin     string // the lesson's programs, built against the reference
	overlay string
	addrs   map[string]string // README address -> where the server really listens
	last    string            // the last server's address, for a client with no -addr
}

func newSession(t *testing.T, root, bin, overlay string) *session {
	s := &session{t: t, root: root, dir: t.TempDir(), tmp: t.TempDir(), bin: bin, overlay: overlay, addrs: map[string]string{}}
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	for _, e := range entries {
		require.NoError(t, os.Symlink(filepath.Join(root, e.Name()), filepath.Join(s.dir, e.Name())))
	}
	// The reader's own file in 04's "-dir ~/Downloads ... -name big.iso".
	require.NoError(t, os.MkdirAll(filepath.Join(s.tmp, "home", "Downloads"), 0o777))
	require.NoError(t, os.WriteFile(filepath.Join(s.tmp, "home", "Downloads", "big.iso"), []byte(strings.Repeat("iso ", 1<<16)), 0o666))
	return s
}

var (
	goRunRE  = regexp.MustCompile(`go run \./lessons/\d\d-[a-z]+/cmd/(\w+)`)
	addrFlag = regexp.MustCompile(`-addr (\S+)`)
	listenRE = regexp.MustCompile(`^listening on (\S+)`)
)

// rewrite makes a README command runnable here: programs from bin, /tmp
// and ~ inside the temp dir, README addresses replaced by the servers'.
func (s *session) rewrite(c string) string {
	// /tmp first: the temp dirs put in below are under it.
	c = strings.ReplaceAll(c, "/tmp/", s.tmp+"/")
	c = strings.ReplaceAll(c, "~/", s.tmp+"/home/")
	c = goRunRE.ReplaceAllString(c, filepath.Join(s.bin, "$1"))
	c = strings.ReplaceAll(c, "head -c 1G", "head -c 1M")
	for from, to := range s.addrs {
		c = strings.ReplaceAll(c, from, to)
		if h, p, ok := strings.Cut(from, ":"); ok {
			th, tp, _ := strings.Cut(to, ":")
			c = strings.ReplaceAll(c, h+" "+p, th+" "+tp) // nc HOST PORT
		}
	}
	return c
}

func (s *session) run(c lessonCommand, kind cmdKind) {
	t := s.t
	start, ran := time.Now(), true
	defer func() {
		if ran {
			t.Logf("ran: README.md:%d %s (%s)", c.line, c.text, time.Since(start).Round(time.Millisecond))
		}
	}()
	switch kind {
	case serverCmd:
		s.startServer(c)
	case clientCmd:
		text := c.text
		if s.last != "" && !strings.Contains(text, "-addr") && strings.Contains(text, "/fileclient ") {
			text += " -addr " + s.last // the server's default address is ours
		}
		if strings.HasPrefix(text, "/usr/bin/time -v ") {
			if _, err := os.Stat("/usr/bin/time"); err != nil {
				t.Logf("not run: README.md:%d %s (no GNU time here)", c.line, c.text)
				ran = false
				return
			}
		}
		if strings.Contains(text, "| nc ") {
			if _, err := exec.LookPath("nc"); err != nil {
				t.Logf("not run: README.md:%d %s (no nc here)", c.line, c.text)
				ran = false
				return
			}
		}
		dir := s.dir
		text = s.rewrite(text) // before the overlay goes in: its path may be under /tmp too
		if strings.HasPrefix(text, "go build ") {
			// Against the reference, from the repository (the overlay
			// names its files).
			dir, text = s.root, strings.Replace(text, "go build ", "go build -overlay "+s.overlay+" ", 1)
		}
		s.shell(c, dir, text, 0)
	case goTestCmd:
		text := c.text
		if !strings.Contains(text, "-overlay") {
			text = strings.Replace(text, "go test ", "go test -overlay "+s.overlay+" ", 1)
		}
		if m := regexp.MustCompile(`(-run '\^\$' )?-fuzz (\w+) -fuzztime 60s`).FindStringSubmatch(text); m != nil {
			text = strings.Replace(text, m[0], "-run '^"+m[2]+"$'", 1)
		}
		if strings.Contains(text, "-bench") {
			text = regexp.MustCompile(` -benchtime \S+`).ReplaceAllString(text, "")
			text = strings.Replace(text, "go test ", "go test -benchtime 1x ", 1)
		}
		out := s.shell(c, s.root, text, 0)
		assert.NotContains(t, out, "no tests to run", "README.md:%d %s runs nothing", c.line, c.text)
		if strings.Contains(text, "-bench") {
			assert.Contains(t, out, "Benchmark", "README.md:%d %s runs no benchmark", c.line, c.text)
		}
	case stubCmd:
		out := s.shell(c, s.root, c.text, 1)
		assert.Regexp(t, `TestStep1_`, out, "README.md:%d %s shows no step 1 test failing on the stubs", c.line, c.text)
		assert.NotRegexp(t, `TestStep[2-9]_`, out, "README.md:%d %s runs other steps' tests", c.line, c.text)
	}
}

// shell runs text with sh in dir, stdin empty, for at most a minute, and
// wants exit status code.
func (s *session) shell(c lessonCommand, dir, text string, code int) string {
	t := s.t
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", text)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NETKATA_RACE=0")
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	require.NoError(t, ctx.Err(), "README.md:%d %s still ran after a minute (as run: %s); it printed:\n%s", c.line, c.text, text, out)
	got := 0
	if ee, ok := err.(*exec.ExitError); ok {
		got = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	assert.Equal(t, code, got, "README.md:%d %s exited %d, want %d (as run: %s); it printed:\n%s", c.line, c.text, got, code, text, out)
	return string(out)
}

// startServer starts a server command on a port of its own, waits for its
// listening line and remembers its address; the test's cleanup stops it
// with SIGINT and wants it to exit 0.
func (s *session) startServer(c lessonCommand) {
	t := s.t
	t.Helper()
	text := strings.TrimSpace(strings.TrimSuffix(c.text, "&"))
	readme := ""
	if m := addrFlag.FindStringSubmatch(text); m != nil {
		readme = m[1]
		if strings.HasPrefix(readme, "127.0.0.1:") {
			text = strings.Replace(text, m[0], "-addr 127.0.0.1:0", 1)
		}
	} else {
		text += " -addr 127.0.0.1:0"
	}
	text = s.rewrite(text)
	cmd := exec.Command("sh", "-c", "exec "+text)
	cmd.Dir = s.dir
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start(), "README.md:%d %s", c.line, c.text)
	exited := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		first := true
		for sc.Scan() {
			if first {
				lines <- sc.Text()
				first = false
			}
		}
		close(lines)
		io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-exited:
			// A one-shot server (arqrecv) may have ended already, with 0.
			assert.NoError(t, err, "README.md:%d %s: after SIGINT it exited with %v; stderr:\n%s", c.line, c.text, err, stderr.String())
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-exited
			t.Errorf("README.md:%d %s still ran 20s after SIGINT", c.line, c.text)
		}
	})
	select {
	case line, ok := <-lines:
		m := listenRE.FindStringSubmatch(line)
		require.True(t, ok && m != nil, "README.md:%d %s (as run: %s) did not print \"listening on ADDR\" first; it printed %q; stderr:\n%s", c.line, c.text, text, line, stderr.String())
		s.last = m[1]
		if readme != "" {
			s.addrs[readme] = m[1]
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("README.md:%d %s (as run: %s) printed no listening line within 30s; stderr:\n%s", c.line, c.text, text, stderr.String())
	}
}

// lockedBuffer is a strings.Builder safe for a process and a test at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var (
	lessonSpanRE = regexp.MustCompile("`((?:go run|go test|kata|nc|curl|printf) [^`]*)`")
	thenRE       = regexp.MustCompile(`#\s*then:\s*(.+)$`)
	optionalRE   = regexp.MustCompile(` \[(-\w+)\]$`)
)

// extractLessonCommands returns the commands a lesson README shows, in
// order, each once: sh blocks' lines (continuations joined, comments cut,
// a "# then: CMD" comment as a command of its own, "[-flag]" as the
// command without and with it), lines starting "go " in other blocks, and
// command spans in the text.
func extractLessonCommands(t *testing.T, path string) []lessonCommand {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var cmds []lessonCommand
	seen := map[string]bool{}
	add := func(c string, line int) {
		c = strings.TrimSpace(c)
		if rest, ok := strings.CutPrefix(c, "kata "); ok {
			c = "go run ./cmd/kata " + rest
		}
		if c == "" || seen[c] {
			return
		}
		seen[c] = true
		if m := optionalRE.FindStringSubmatch(c); m != nil {
			base := strings.TrimSuffix(c, m[0])
			cmds = append(cmds, lessonCommand{base, line}, lessonCommand{base + " " + m[1], line})
			return
		}
		cmds = append(cmds, lessonCommand{c, line})
	}
	block := func(line string, n int) {
		then := ""
		if m := thenRE.FindStringSubmatch(line); m != nil {
			then = m[1]
		}
		add(commentR.ReplaceAllString(line, ""), n)
		if then != "" {
			add(then, n)
		}
	}
	inBlock, lang, cont, contLine := false, "", "", 0
	for i, line := range strings.Split(string(b), "\n") {
		n := i + 1
		switch {
		case strings.HasPrefix(line, "```"):
			inBlock, lang = !inBlock, strings.TrimPrefix(line, "```")
		case inBlock && (lang == "sh" || (lang == "" && strings.HasPrefix(line, "go "))):
			if strings.HasSuffix(line, `\`) {
				if cont == "" {
					contLine = n
				}
				cont += strings.TrimSuffix(line, `\`) + " "
				continue
			}
			if cont != "" {
				line, n, cont = cont+strings.TrimSpace(line), contLine, ""
			}
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			block(line, n)
		case !inBlock:
			for _, m := range lessonSpanRE.FindAllStringSubmatch(line, -1) {
				add(m[1], n)
			}
		}
	}
	if !assert.NotEmpty(t, cmds, "%s shows no commands", path) {
		return nil
	}
	return cmds
}
