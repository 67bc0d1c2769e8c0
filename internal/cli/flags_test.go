package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// demo is a server-like program's flags: -addr checked, no arguments.
func demo(args ...string) (code int, stop bool, stdout, stderr string) {
	var out, errOut bytes.Buffer
	fs := NewFlags("demo", "serve the time of day over TCP", &out, &errOut)
	fs.String("addr", "127.0.0.1:6789", "listen on `host:port`")
	count := fs.Int("c", 1, "send `N` probes")
	fs.CheckAddr("addr")
	fs.Check(func() error {
		if *count < 1 {
			return fmt.Errorf("-c %d: the count must be 1 or more", *count)
		}
		return nil
	})
	code, stop = fs.ParseArgs(args)
	return code, stop, out.String(), errOut.String()
}

func TestParseArgsHelp(t *testing.T) {
	for _, h := range []string{"-h", "-help", "--help"} {
		code, stop, out, errOut := demo(h)
		assert.True(t, stop, h)
		assert.Equal(t, 0, code, "%s exits 0", h)
		assert.Empty(t, errOut, h)
		assert.True(t, strings.HasPrefix(out, "demo: serve the time of day over TCP\n\nusage: demo [flags]\n"), "%s prints the description and usage first:\n%s", h, out)
		assert.Contains(t, out, "-addr host:port")
	}
}

func TestParseArgsUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"stray", "-addr", "127.0.0.1:0"}, `unexpected argument "stray": demo takes only flags`},
		{[]string{"-addr", "127.0.0.1:0", "stray"}, `unexpected argument "stray"`},
		{[]string{"-nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"-c", "x"}, `invalid value "x" for flag -c`},
		{[]string{"-c", "-1"}, "-c -1: the count must be 1 or more"},
		{[]string{"-addr", "localhost"}, "-addr localhost: missing port in address (want host:port)"},
		{[]string{"-addr", "127.0.0.1:http"}, `-addr 127.0.0.1:http: port "http" is not a number`},
		{[]string{"-addr", "127.0.0.1:70000"}, `-addr 127.0.0.1:70000: port "70000"`},
	}
	for _, tc := range tests {
		code, stop, out, errOut := demo(tc.args...)
		assert.True(t, stop, "%q", tc.args)
		assert.Equal(t, 2, code, "%q is a usage error: exit 2", tc.args)
		assert.Empty(t, out, "%q", tc.args)
		assert.Contains(t, errOut, "demo: "+tc.want, "%q", tc.args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%q: one line on stderr, got:\n%s", tc.args, errOut)
	}
}

func TestParseArgsGoesOn(t *testing.T) {
	code, stop, out, errOut := demo("-addr", "[::1]:0", "-c", "3")
	assert.False(t, stop)
	assert.Equal(t, 0, code)
	assert.Empty(t, out+errOut)
}

func TestParseArgsPositional(t *testing.T) {
	var out, errOut bytes.Buffer
	fs := NewFlags("pktdump", "print a capture's packets", &out, &errOut)
	fs.Bool("v", false, "verbose")
	fs.Positional("FILE", 1, 1)
	_, stop := fs.ParseArgs([]string{"a.pcap"})
	assert.False(t, stop)
	assert.Equal(t, []string{"a.pcap"}, fs.Args())

	for args, want := range map[string]string{
		"":          "missing FILE: usage: pktdump [flags] FILE",
		"a.pcap b":  `unexpected argument "b": usage: pktdump [flags] FILE`,
		"a.pcap -v": `flags go before arguments: "-v" comes after "a.pcap"`,
	} {
		errOut.Reset()
		code, stop := fs.ParseArgs(strings.Fields(args))
		assert.True(t, stop && code == 2, "%q", args)
		assert.Contains(t, errOut.String(), want, "%q", args)
	}
}
