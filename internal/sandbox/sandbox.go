// Package sandbox runs a command confined by an existing, well-kept tool:
// bubblewrap (bwrap) on Linux, or a container engine (docker, podman). kata
// grade runs every submission's build and tests through it.
//
// What a sandbox built here guarantees, whatever the code inside does: it
// sees only the folders a Spec mounts (read-only unless marked writable), a
// private empty /tmp and HOME, the environment the Spec gives and nothing
// of the caller's; its network has loopback only; its processes live in
// their own PID namespace and die with it; and the rlimits of Limits hold
// (memory, CPU seconds, file size, processes).
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Limits are the rlimits of a sandboxed command; zero means no limit.
type Limits struct {
	Memory   int64         // bytes of heap and other private writable memory (RLIMIT_DATA; Go reserves far more address space than it uses, so RLIMIT_AS would not do)
	CPU      time.Duration // CPU time (RLIMIT_CPU), rounded up to seconds
	FileSize int64         // bytes a file can grow to (RLIMIT_FSIZE)
	Procs    int           // processes (RLIMIT_NPROC; not enforced for root)
}

// Mount makes a host folder or file visible inside at the same path.
type Mount struct {
	Path     string
	Writable bool
}

// Spec is one command to run confined.
type Spec struct {
	Args   []string // the command and its arguments
	Dir    string   // its working directory (inside a mount)
	Env    []string // its whole environment, "KEY=value"
	Mounts []Mount  // host paths it may see, at the same paths
	Limits Limits
}

// Runner builds the command that runs a Spec confined.
type Runner interface {
	// Name is "bwrap", "docker", "podman" or "none".
	Name() string
	// Command returns the command to start; the caller sets its stdio.
	Command(ctx context.Context, s Spec) (*exec.Cmd, error)
}

// ErrUnavailable says no sandbox could be found or started.
var ErrUnavailable = errors.New("no sandbox available")

// New returns the runner named kind: "auto" (bwrap if it works here),
// "bwrap", "docker", "podman", or "none" (no confinement at all). image is
// the container image for docker and podman.
func New(ctx context.Context, kind, image string) (Runner, error) {
	switch kind {
	case "auto", "", "bwrap":
		b, err := FindBwrap(ctx)
		if err != nil {
			return nil, err
		}
		return b, nil
	case "docker", "podman":
		path, err := exec.LookPath(kind)
		if err != nil {
			return nil, fmt.Errorf("%w: %s is not installed (%v)", ErrUnavailable, kind, err)
		}
		pctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(pctx, path, "image", "inspect", "--format", "{{.Id}}", image).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%w: %s cannot run the image %s (is its engine running? build the image with: %s build -t %s .): %v: %s", ErrUnavailable, kind, image, kind, image, err, strings.TrimSpace(string(out)))
		}
		return &Container{Engine: path, Kind: kind, Image: image}, nil
	case "none":
		return None{}, nil
	}
	return nil, fmt.Errorf("unknown sandbox %q: use bwrap, docker, podman or none", kind)
}

// Bwrap runs commands with bubblewrap.
type Bwrap struct {
	Path string // the bwrap binary
	// System are the read-only system folders every command sees (for sh,
	// prlimit and the dynamic loader); DefaultSystem if nil.
	System []string
}

// DefaultSystem are the host paths a bwrap sandbox sees read-only: the
// programs and libraries, and the world-readable files of /etc that name
// hosts, services and time zones (Go's resolver reads them) — never /home,
// /root, the rest of /etc, or /tmp.
var DefaultSystem = []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
	"/etc/hosts", "/etc/services", "/etc/protocols", "/etc/nsswitch.conf", "/etc/localtime",
	"/etc/passwd", "/etc/group", "/etc/ssl/certs", "/etc/ca-certificates"}

// FindBwrap finds bwrap and checks it can build a sandbox here (user, PID
// and network namespaces).
func FindBwrap(ctx context.Context) (*Bwrap, error) {
	if runtime.GOOS != "linux" {
		return nil, fmt.Errorf("%w: bubblewrap runs on Linux only; use -sandbox docker or podman", ErrUnavailable)
	}
	path, err := exec.LookPath("bwrap")
	if err != nil {
		return nil, fmt.Errorf("%w: bwrap not found (install bubblewrap: apt-get install bubblewrap; or use -sandbox docker)", ErrUnavailable)
	}
	if _, err := exec.LookPath("prlimit"); err != nil {
		return nil, fmt.Errorf("%w: prlimit not found: the sandbox sets its limits with it (install util-linux)", ErrUnavailable)
	}
	b := &Bwrap{Path: path}
	cmd, err := b.Command(ctx, Spec{Args: []string{"true"}, Dir: "/", Env: []string{"PATH=/usr/bin:/bin"}, Limits: Limits{CPU: 10 * time.Second}})
	if err != nil {
		return nil, err
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%w: bwrap cannot build a sandbox here (are unprivileged user namespaces enabled? sysctl kernel.unprivileged_userns_clone=1): %v: %s", ErrUnavailable, err, strings.TrimSpace(string(out)))
	}
	return b, nil
}

// Name is "bwrap".
func (b *Bwrap) Name() string { return "bwrap" }

// Args returns bwrap's command line for s (without the bwrap binary).
func (b *Bwrap) Args(s Spec) []string {
	args := []string{
		"--unshare-all", // user (if possible), IPC, PID, network (loopback only), UTS, cgroup
		"--die-with-parent",
		"--new-session",
		"--cap-drop", "ALL",
		"--clearenv",
		"--proc", "/proc",
		"--dev", "/dev",
		"--tmpfs", "/tmp",
		"--dir", "/tmp/home",
	}
	sys := b.System
	if sys == nil {
		sys = DefaultSystem
	}
	for _, p := range sys {
		if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if t, err := os.Readlink(p); err == nil {
				args = append(args, "--symlink", t, p)
			}
			continue
		}
		args = append(args, "--ro-bind-try", p, p)
	}
	for _, m := range s.Mounts {
		flag := "--ro-bind"
		if m.Writable {
			flag = "--bind"
		}
		args = append(args, flag, m.Path, m.Path)
	}
	for _, kv := range s.Env {
		k, v, _ := strings.Cut(kv, "=")
		args = append(args, "--setenv", k, v)
	}
	args = append(args, "--chdir", s.Dir, "--")
	return append(args, withLimits(s.Limits, s.Args)...)
}

// Command runs s under bwrap.
func (b *Bwrap) Command(ctx context.Context, s Spec) (*exec.Cmd, error) {
	cmd := exec.CommandContext(ctx, b.Path, b.Args(s)...)
	if os.Getenv("KATA_SANDBOX_DEBUG") != "" {
		fmt.Fprintf(os.Stderr, "sandbox: %q\n", cmd.Args)
	}
	cmd.Env = []string{}
	cmd.WaitDelay = 5 * time.Second
	return cmd, nil
}

// withLimits prefixes args with prlimit setting l, if l sets any.
func withLimits(l Limits, args []string) []string {
	var p []string
	if l.Memory > 0 {
		p = append(p, "--data="+strconv.FormatInt(l.Memory, 10))
	}
	if l.CPU > 0 {
		p = append(p, "--cpu="+strconv.FormatInt(int64((l.CPU+time.Second-1)/time.Second), 10))
	}
	if l.FileSize > 0 {
		p = append(p, "--fsize="+strconv.FormatInt(l.FileSize, 10))
	}
	if l.Procs > 0 && os.Getuid() != 0 {
		p = append(p, "--nproc="+strconv.Itoa(l.Procs))
	}
	if len(p) == 0 {
		return args
	}
	return append(append(append([]string{"prlimit"}, p...), "--"), args...)
}

// Container runs commands in a docker or podman container, as Exercism's
// test runners do: no network, a read-only root, memory and process
// limits. The image is built from the workbook's Dockerfile.
type Container struct {
	Engine string // the docker or podman binary
	Kind   string // "docker" or "podman"
	Image  string // e.g. "netkata-grade"
}

// Name is the engine's name.
func (c *Container) Name() string { return c.Kind }

// Args returns the engine's command line for s (without the engine).
// Mounts keep their host paths; the image's own Go is used (GOROOT and
// PATH from s.Env are left out).
func (c *Container) Args(s Spec) []string {
	args := []string{"run", "--rm", "-i",
		"--network", "none",
		"--read-only",
		"--cap-drop", "ALL",
		"--security-opt", "no-new-privileges",
		"--tmpfs", "/tmp:rw,exec,size=1g",
		// The caller's own ids: the build cache it mounts is theirs.
		"--user", strconv.Itoa(os.Getuid()) + ":" + strconv.Itoa(os.Getgid()),
	}
	if s.Limits.Memory > 0 {
		m := strconv.FormatInt(s.Limits.Memory, 10)
		args = append(args, "--memory", m, "--memory-swap", m)
	}
	procs := s.Limits.Procs
	if procs == 0 {
		procs = 512
	}
	args = append(args, "--pids-limit", strconv.Itoa(procs))
	if s.Limits.CPU > 0 {
		args = append(args, "--ulimit", "cpu="+strconv.FormatInt(int64((s.Limits.CPU+time.Second-1)/time.Second), 10))
	}
	if s.Limits.FileSize > 0 {
		args = append(args, "--ulimit", "fsize="+strconv.FormatInt(s.Limits.FileSize, 10))
	}
	for _, m := range s.Mounts {
		opt := "ro"
		if m.Writable {
			opt = "rw"
		}
		args = append(args, "-v", m.Path+":"+m.Path+":"+opt)
	}
	for _, kv := range s.Env {
		if k, _, _ := strings.Cut(kv, "="); k == "GOROOT" || k == "PATH" {
			continue
		}
		args = append(args, "-e", kv)
	}
	args = append(args, "-w", s.Dir, c.Image)
	return append(args, s.Args...)
}

// Command runs s in a container.
func (c *Container) Command(ctx context.Context, s Spec) (*exec.Cmd, error) {
	cmd := exec.CommandContext(ctx, c.Engine, c.Args(s)...)
	cmd.WaitDelay = 5 * time.Second
	return cmd, nil
}

// None runs commands unconfined, with the caller's rights: only for
// trusted code (kata grade -unsafe-no-sandbox). Limits still apply if
// prlimit is installed.
type None struct{}

// Name is "none".
func (None) Name() string { return "none" }

// Command runs s directly.
func (None) Command(ctx context.Context, s Spec) (*exec.Cmd, error) {
	args := s.Args
	if _, err := exec.LookPath("prlimit"); err == nil {
		args = withLimits(s.Limits, args)
	}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	if p, err := lookPathIn(args[0], s.Env); err == nil {
		cmd.Path = p
	}
	cmd.Dir = s.Dir
	cmd.Env = s.Env
	cmd.WaitDelay = 5 * time.Second
	return cmd, nil
}

// lookPathIn finds prog in the PATH of env.
func lookPathIn(prog string, env []string) (string, error) {
	if strings.Contains(prog, "/") {
		return prog, nil
	}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			for _, d := range filepath.SplitList(v) {
				p := filepath.Join(d, prog)
				if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
					return p, nil
				}
			}
		}
	}
	return exec.LookPath(prog)
}
