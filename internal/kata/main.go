// Command kata is the workbook's tool for students, instructors and
// maintainers.
//
//	go run ./cmd/kata                 your progress and the next thing to do
//	go run ./cmd/kata verify          the maintainer's check (the project's test command)
//	go run ./cmd/kata overlay 01      write the overlay that swaps stubs for solutions
//
// Run "go run ./cmd/kata help" for every command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/netkata/netkata/internal/i18n"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one kata subcommand.
type command struct {
	name    string
	usage   string // one line: "kata verify [-lesson NN] [-v]"
	summary string // what it does, for the command list
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every command gets: where to write and where the workbook is.
type env struct {
	stdout, stderr io.Writer
	dir            string // where kata was started (the workbook is found from here)
	langFlag       bool   // the language was chosen with kata -lang
	langEnv        string // NETKATA_LANG as kata found it (kata sets it for what it runs)
}

// commands is the table run dispatches on; each lives in its own file.
var commands []command

func register(c command) { commands = append(commands, c) }

// errUsage marks a usage error: exit status 2.
var errUsage = errors.New("usage")

// usageError returns an error that run reports with the command's usage.
func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// run runs kata with args and returns the exit status: 0 success, 1 a
// failure (a failing check, a failing test), 2 a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "kata: %v\n", err)
		return 1
	}
	e := &env{stdout: stdout, stderr: stderr, dir: wd}
	args, err = globalFlags(e, args)
	if err != nil {
		fmt.Fprintf(stderr, "kata: %v\n%s\n", strings.TrimPrefix(err.Error(), "usage: "), i18n.Tr("main.usage", "kata [-lang zh|en] COMMAND ..."))
		return 2
	}
	name := "progress"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" || name == "-h" || name == "--help" {
		printHelp(stdout)
		return 0
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		err := c.run(ctx, e, args)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage) || isFlagError(err):
			fmt.Fprintf(stderr, "kata %s: %v\n%s\n", name, strings.TrimPrefix(err.Error(), "usage: "), i18n.Tr("main.usage", c.usage))
			return 2
		case errors.Is(err, errSilent):
			return 1
		default:
			fmt.Fprintf(stderr, "kata %s: %v\n", name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "kata: %s\n\n", i18n.Tr("main.unknown", name))
	printHelp(stderr)
	return 2
}

// errSilent is a failure already reported on stdout: exit 1, print nothing more.
var errSilent = errors.New("failed")

func printHelp(w io.Writer) {
	fmt.Fprintln(w, i18n.Tr("main.help.head"))
	for _, c := range commands {
		fmt.Fprintf(w, "  %-44s %s\n", c.usage, c.summaryText())
	}
	fmt.Fprintln(w, i18n.Tr("main.help.lang"))
	fmt.Fprintln(w, i18n.Tr("main.help.foot"))
}

// summaryText is the command's summary in the student's language.
func (c *command) summaryText() string {
	if s, ok := i18n.Format(i18n.Current(), "cmd."+c.name); ok {
		return s
	}
	return c.summary
}

// newFlags returns a flag set for a command that prints its usage, an
// example and its flags on -h. A flag error is not printed here: run
// prints it once, in one line with the usage, and exits 2.
func newFlags(e *env, c *command, example string) *flag.FlagSet {
	fs := flag.NewFlagSet("kata "+c.name, flag.ContinueOnError)
	errs := &flagErrors{}
	fs.SetOutput(errs)
	fs.Usage = func() {
		if errs.wrote {
			return // a flag error, not -h
		}
		fmt.Fprint(e.stderr, i18n.Tr("main.flags.usage", c.usage, c.summaryText(), example))
		fs.SetOutput(e.stderr)
		fs.PrintDefaults()
		fs.SetOutput(errs)
	}
	return fs
}

// flagErrors swallows what the flag package prints before calling Usage
// on an error, and remembers that it did.
type flagErrors struct{ wrote bool }

func (f *flagErrors) Write(p []byte) (int, error) {
	f.wrote = true
	return len(p), nil
}

// isFlagError reports whether err is the flag package's parse error.
func isFlagError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"flag provided but not defined: ", "invalid value ", "invalid boolean value ", "flag needs an argument: ", "bad flag syntax: "} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// positive is a usage check for a count or number flag that must be 1 or
// more.
func positive(flagName string, n int) error {
	if n < 1 {
		return usageError("-%s %d: want 1 or more", flagName, n)
	}
	return nil
}
