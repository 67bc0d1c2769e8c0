package sandbox

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestContainerArgs(t *testing.T) {
	c := &Container{Engine: "/usr/bin/docker", Kind: "docker", Image: "netkata-grade"}
	got := c.Args(Spec{
		Args:   []string{"go", "test", "-c"},
		Dir:    "/w/wb",
		Env:    []string{"GOROOT=/usr/local/go", "PATH=/x", "HOME=/tmp/home", "GOFLAGS=-mod=vendor"},
		Mounts: []Mount{{Path: "/w/wb"}, {Path: "/w/bin", Writable: true}},
		Limits: Limits{Memory: 1 << 30, CPU: 1500 * time.Millisecond, FileSize: 1 << 20, Procs: 64},
	})
	want := "run --rm -i --network none --read-only --cap-drop ALL --security-opt no-new-privileges --tmpfs /tmp:rw,exec,size=1g --user " + strconv.Itoa(os.Getuid()) + ":" + strconv.Itoa(os.Getgid()) + " " +
		"--memory 1073741824 --memory-swap 1073741824 --pids-limit 64 --ulimit cpu=2 --ulimit fsize=1048576 " +
		"-v /w/wb:/w/wb:ro -v /w/bin:/w/bin:rw -e HOME=/tmp/home -e GOFLAGS=-mod=vendor -w /w/wb netkata-grade go test -c"
	assert.Equal(t, want, strings.Join(got, " "))
}

func TestBwrapArgs(t *testing.T) {
	b := &Bwrap{Path: "bwrap", System: []string{}}
	got := strings.Join(b.Args(Spec{Args: []string{"x.test"}, Dir: "/w", Env: []string{"A=1"}, Mounts: []Mount{{Path: "/w"}, {Path: "/c", Writable: true}},
		Limits: Limits{Memory: 100, CPU: time.Second}}), " ")
	for _, want := range []string{"--unshare-all", "--die-with-parent", "--clearenv", "--tmpfs /tmp", "--ro-bind /w /w", "--bind /c /c", "--setenv A 1", "--chdir /w -- prlimit --data=100 --cpu=1 -- x.test"} {
		assert.Contains(t, got, want)
	}
}

// TestBwrapConfines runs commands in a real bubblewrap sandbox: they see
// no HOME, cannot write the mounts, cannot reach the host's loopback, and
// leave no process behind.
func TestBwrapConfines(t *testing.T) {
	ctx := context.Background()
	b, err := FindBwrap(ctx)
	if err != nil {
		if os.Getenv("CI") != "" && runtime.GOOS == "linux" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	ro := t.TempDir()
	home, _ := os.UserHomeDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	script := `ls ` + home + ` >/dev/null 2>&1 && echo home-visible
touch ` + ro + `/x 2>/dev/null && echo wrote
{ echo > /dev/tcp/` + ln.Addr().String() + `; } 2>/dev/null && echo reached
echo $HOME $KEEP $SECRET
(sleep 300 &) ; echo done`
	script = strings.Replace(script, ln.Addr().String(), strings.Replace(ln.Addr().String(), ":", "/", 1), 1)
	cmd, err := b.Command(ctx, Spec{Args: []string{"bash", "-c", script}, Dir: ro, Env: []string{"PATH=/usr/bin:/bin", "HOME=/tmp/home", "KEEP=kept"}, Mounts: []Mount{{Path: ro}}})
	require.NoError(t, err)
	t.Setenv("SECRET", "leaked")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), out.String())
	assert.Equal(t, "/tmp/home kept\ndone\n", out.String())
	assert.NoFileExists(t, filepath.Join(ro, "x"))
}
