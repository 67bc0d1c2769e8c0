package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/netkata/netkata/internal/i18n"
)

var langCmd = command{
	name:    "lang",
	usage:   "kata lang [zh|en|auto]",
	summary: "show or choose the language of kata, the hints and go test's messages (简体中文 or English), remembered for later runs",
}

func init() {
	langCmd.run = runLang
	register(langCmd)
}

// runLang shows the language in use and where it comes from, or remembers
// a new choice ("auto" forgets it: the locale decides again).
func runLang(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, &langCmd, kataCmd+" lang zh")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch fs.NArg() {
	case 0:
		l, src := i18n.Choose(e.getenv, savedLang())
		if e.langFlag {
			l, src = i18n.Current(), i18n.FromFlag
		}
		fmt.Fprintln(e.stdout, i18n.Tr("lang.current", i18n.T(l, "lang.name"), i18n.Tr("lang.from."+string(src))))
		fmt.Fprintln(e.stdout, i18n.Tr("lang.change", kataCmd))
		return nil
	case 1:
	default:
		return usageError("%s", i18n.Tr("lang.usage"))
	}
	arg := fs.Arg(0)
	if strings.EqualFold(arg, "auto") {
		p, err := i18n.Save("")
		if err != nil {
			return fmt.Errorf("%s: %w", i18n.Tr("lang.forget.failed", p), err)
		}
		l, src := i18n.Choose(e.getenv, "")
		if e.langFlag {
			l, src = i18n.Current(), i18n.FromFlag
		}
		fmt.Fprintln(e.stdout, i18n.T(l, "lang.forgot", i18n.T(l, "lang.name"), i18n.T(l, "lang.from."+string(src))))
		return nil
	}
	l, ok := i18n.Parse(arg)
	if !ok {
		return usageError("%s", i18n.Tr("lang.bad", arg))
	}
	if err := remember(e, l); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, i18n.T(l, "lang.set", i18n.T(l, "lang.name")))
	if v := e.langEnv; v != "" && !e.langFlag {
		if other, ok := i18n.Parse(v); ok && other != l {
			fmt.Fprintln(e.stdout, i18n.T(l, "lang.envwins", i18n.EnvVar, v))
		}
	}
	return nil
}

// getenv is os.Getenv with NETKATA_LANG as kata found it.
func (e *env) getenv(k string) string {
	if k == i18n.EnvVar {
		return e.langEnv
	}
	return os.Getenv(k)
}

// savedLang is the remembered choice, or "" (also when it cannot be read).
func savedLang() i18n.Lang {
	l, _ := i18n.Saved()
	return l
}

// remember saves l as the student's choice.
func remember(e *env, l i18n.Lang) error {
	p, err := i18n.Save(l)
	if err != nil {
		if p == "" {
			return fmt.Errorf("%s: %w", i18n.T(l, "lang.nocache"), err)
		}
		return fmt.Errorf("%s: %w", i18n.T(l, "lang.save.failed", p), err)
	}
	return nil
}

// globalFlags takes kata's own flags off the front of args (only -lang,
// "kata -lang zh hint 02"), and sets the language for kata and for every go
// test it runs: -lang (which is remembered), else i18n.Current. It returns
// the rest of args.
func globalFlags(e *env, args []string) ([]string, error) {
	var flagLang string
	for len(args) > 0 {
		a := args[0]
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			break
		}
		if !hasVal {
			if len(args) < 2 {
				return nil, usageError("%s", i18n.Tr("lang.flag.needs"))
			}
			val, args = args[1], args[1:]
		}
		flagLang, args = val, args[1:]
	}
	e.langEnv = os.Getenv(i18n.EnvVar)
	lang := i18n.Current()
	if flagLang != "" {
		l, ok := i18n.Parse(flagLang)
		if !ok {
			return nil, usageError("%s", i18n.Tr("lang.bad", flagLang))
		}
		lang = l
		e.langFlag = true
		if l != savedLang() {
			if err := remember(e, l); err != nil {
				// Not remembered, but this run still speaks l.
				fmt.Fprintf(e.stderr, "kata: %v\n", err)
			}
		}
	}
	// kata's own words (i18n.Tr), the tests' helpers in every go test kata
	// runs, and the programs those start: all follow this one choice.
	os.Setenv(i18n.EnvVar, string(lang))
	return args, nil
}
