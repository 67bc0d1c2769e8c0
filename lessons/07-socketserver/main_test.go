package socketserver

import (
	"fmt"
	"os"
	"testing"

	"github.com/netkata/netkata/internal/leakcheck"
)

// TestMain first lets a forked child run (step 5): the forking server
// re-executes this test binary with ForkEnv set, and the child must serve
// its connection and exit before anything else happens. Otherwise it runs
// the tests with leak checking.
func TestMain(m *testing.M) {
	if child, err := ChildMain(childHandlers()); child {
		if err != nil {
			fmt.Fprintf(os.Stderr, "socketserver test child %d: %v\n", os.Getpid(), err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	leakcheck.Main(m, programs)
}

// childHandlers are the handlers a forked child of the tests can run: the
// programs' echo and the tests' pid, which says which process it runs in.
func childHandlers() map[string]func() Handler {
	h := map[string]func() Handler{"pid": newPIDEcho}
	for name, newHandler := range ChildHandlers {
		h[name] = newHandler
	}
	return h
}
