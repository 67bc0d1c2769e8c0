package loopback

import (
	"net"
	"os"
	"sync"
	"syscall"
)

// FlakyListener wraps a listener so that its first Failures calls to Accept
// fail with the error a process gets when it has run out of file
// descriptors ("accept4: too many open files", EMFILE). That error is
// temporary: a server that backs off and calls Accept again, as net/http
// does, goes on serving; one that returns on any Accept error stops for
// everyone. The error is a *net.OpError whose Temporary method reports true
// and which matches syscall.EMFILE with errors.Is, so either way of telling
// it apart works.
type FlakyListener struct {
	net.Listener

	mu       sync.Mutex
	failures int
	failed   int
}

// Flaky returns ln wrapped so that its first failures Accepts fail with
// EMFILE.
func Flaky(ln net.Listener, failures int) *FlakyListener {
	return &FlakyListener{Listener: ln, failures: failures}
}

// Accept fails with EMFILE while failures remain, then accepts from the
// wrapped listener.
func (l *FlakyListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.failed < l.failures {
		l.failed++
		l.mu.Unlock()
		return nil, &net.OpError{
			Op:   "accept",
			Net:  l.Addr().Network(),
			Addr: l.Addr(),
			Err:  os.NewSyscallError("accept4", syscall.EMFILE),
		}
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

// Failed reports how many Accepts have failed so far.
func (l *FlakyListener) Failed() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failed
}
