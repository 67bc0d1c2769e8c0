package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
)

// Flags is a program's flag set, with the rules every lesson program
// follows (CONTRIBUTING, "Programs"):
//
//   - -h, -help and --help print a one-line description, the usage and
//     the flags on stdout, and the program exits 0;
//   - a usage error (an unknown flag, a bad value, a stray argument, a
//     malformed -addr) is one line on stderr saying what is wrong, and
//     exit status 2;
//   - arguments that are not flags are refused unless the program takes
//     them (Positional), so "timeserver stray -addr 127.0.0.1:0" is an error,
//     not a server on the default port.
//
// A program's main reads
//
//	fs := cli.NewFlags("timeserver", "serve the time of day over TCP", stdout, stderr)
//	addr := fs.String("addr", "127.0.0.1:6789", "listen on `host:port`")
//	fs.CheckAddr("addr")
//	if code, stop := fs.ParseArgs(args); stop {
//		return code
//	}
type Flags struct {
	*flag.FlagSet
	desc           string
	stdout, stderr io.Writer
	argsUsage      string
	minArgs        int
	maxArgs        int // -1: no limit
	checks         []func() error
}

// NewFlags returns the flag set of program name; desc says in one line what
// the program does.
func NewFlags(name, desc string, stdout, stderr io.Writer) *Flags {
	f := &Flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), desc: desc, stdout: stdout, stderr: stderr}
	// The flag package prints its error and the whole usage on stderr;
	// ParseArgs prints one line instead.
	f.SetOutput(io.Discard)
	f.Usage = func() {}
	return f
}

// Positional declares the arguments the program takes after its flags: usage
// names them for -h ("FILE", "URL..."), and ParseArgs requires between min
// and max of them (max -1: any number).
func (f *Flags) Positional(usage string, min, max int) {
	f.argsUsage, f.minArgs, f.maxArgs = usage, min, max
}

// Check adds a check that ParseArgs runs after parsing: a non-nil error is
// a usage error, its text the line the user reads ("-c -1: the count must
// be 1 or more").
func (f *Flags) Check(check func() error) {
	f.checks = append(f.checks, check)
}

// CheckAddr makes ParseArgs require that the flag named name holds a
// host:port with a port number (0 picks a free one for a server).
func (f *Flags) CheckAddr(name string) {
	f.Check(func() error {
		v := f.Lookup(name).Value.String()
		if err := HostPort(v); err != nil {
			return fmt.Errorf("-%s %s: %v", name, v, err)
		}
		return nil
	})
}

// HostPort checks that addr is host:port with a numeric port from 0 to
// 65535 ("127.0.0.1:0", "[::1]:25", ":8080").
func HostPort(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		if ae := (*net.AddrError)(nil); errors.As(err, &ae) {
			return errors.New(ae.Err + " (want host:port)")
		}
		return err
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// UsageLine is the usage line: "usage: NAME [flags] ARGS".
func (f *Flags) UsageLine() string {
	u := "usage: " + f.Name()
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		u += " [flags]"
	}
	if f.argsUsage != "" {
		u += " " + f.argsUsage
	}
	return u
}

// PrintHelp writes what -h shows: the description, the usage line and the
// flags.
func (f *Flags) PrintHelp(w io.Writer) {
	fmt.Fprintf(w, "%s: %s\n\n%s\n", f.Name(), f.desc, f.UsageLine())
	hasFlags := false
	f.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
}

// ParseArgs parses args and runs the checks. It returns stop false when the
// program goes on, and otherwise the exit status to return at once: 0
// after printing the help for -h, 2 after printing a usage error.
func (f *Flags) ParseArgs(args []string) (code int, stop bool) {
	err := f.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		f.PrintHelp(f.stdout)
		return 0, true
	}
	if err == nil {
		err = f.checkArgs()
	}
	for _, check := range f.checks {
		if err != nil {
			break
		}
		err = check()
	}
	if err != nil {
		fmt.Fprintf(f.stderr, "%s: %v (%s -h shows the usage)\n", f.Name(), err, f.Name())
		return 2, true
	}
	return 0, false
}

// checkArgs checks the number of arguments after the flags.
func (f *Flags) checkArgs() error {
	n := f.NArg()
	if n > 0 && (f.maxArgs >= 0 && n > f.maxArgs) {
		extra := f.Arg(f.maxArgs)
		if f.maxArgs == 0 {
			extra = f.Arg(0)
		}
		if strings.HasPrefix(extra, "-") {
			return fmt.Errorf("flags go before arguments: %q comes after %q", extra, f.Arg(0))
		}
		if f.maxArgs == 0 {
			return fmt.Errorf("unexpected argument %q: %s takes only flags", extra, f.Name())
		}
		return fmt.Errorf("unexpected argument %q: %s", extra, f.UsageLine())
	}
	if n < f.minArgs {
		return fmt.Errorf("missing %s: %s", f.argsUsage, f.UsageLine())
	}
	return nil
}
