package socketserver

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
)

// ForkEnv is the environment variable that makes a process a forked child:
// its value names the handler the child runs (a key of ChildMain's map).
const ForkEnv = "NETKATA_SOCKETSERVER_CHILD"

// childFD is the descriptor a child finds its connection on: ExtraFiles[0]
// is always 3, after stdin, stdout and stderr.
const childFD = 3

// Forking handles every connection of a StreamServer in a child process,
// as Python's ForkingMixIn does with fork(): the server re-executes its
// own program (os.Executable) with ForkEnv=name and the connection as file
// descriptor 3, and goes back to accepting. The child's ChildMain runs the
// handler registered under name. The server's own newHandler is not used
// for connections. Children are waited for (reaped) as they exit; Shutdown
// and Close wait for them as they wait for handlers (BlockOnClose).
func Forking(name string) Option { return func(o *options) { o.fork = name } }

// DefaultMaxChildren is how many children a forking server keeps alive at
// once unless MaxChildren says otherwise: Python's ForkingMixIn.max_children.
const DefaultMaxChildren = 40

// MaxChildren sets how many children a Forking server keeps alive at once
// (Python's max_children; DefaultMaxChildren unless set, and at least 1).
// While that many are alive, the server starts no new child: the next
// connection waits, accepted or in the listen queue (连接队列), until a
// child exits and has been reaped. Shutdown and Close end that wait.
func MaxChildren(n int) Option { return func(o *options) { o.maxChildren = n } }

// ForkRequest starts the child process that handles conn: this program
// again, with ForkEnv=name in its environment and a duplicate of conn's
// descriptor as file descriptor 3 (exec.Cmd.ExtraFiles). conn must have a
// File method (a *net.TCPConn or *net.UnixConn). The child's stdout is
// discarded and its stderr is this process's. The caller still owns conn
// (close it: the child has its own copy) and must Wait for the returned
// command, or the child stays a zombie when it exits.
func ForkRequest(conn net.Conn, name string) (*exec.Cmd, error) {
	fc, ok := conn.(interface{ File() (*os.File, error) })
	if !ok {
		return nil, fmt.Errorf("socketserver: fork: a %T has no file descriptor to pass", conn)
	}
	f, err := fc.File() // a duplicate: closing it leaves conn open
	if err != nil {
		return nil, fmt.Errorf("socketserver: fork: %w", err)
	}
	defer f.Close() // the child has its own copy once started
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("socketserver: fork: find this program: %w", err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), ForkEnv+"="+name)
	cmd.ExtraFiles = []*os.File{f}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("socketserver: fork %s: %w", exe, err)
	}
	return cmd, nil
}

// ChildMain is the child's side of Forking. A program calls it first
// thing in main (and a test binary in TestMain): if ForkEnv is not set,
// this is no child and ChildMain returns false, nil at once. Otherwise it
// takes the connection on file descriptor 3, runs the handler that
// handlers has under ForkEnv's name on it with Run, closes it, and returns
// true with Run's error; the program should then exit (1 on an error). An
// unknown name is an error.
func ChildMain(handlers map[string]func() Handler) (child bool, err error) {
	name, ok := os.LookupEnv(ForkEnv)
	if !ok {
		return false, nil
	}
	newHandler, ok := handlers[name]
	if !ok {
		return true, fmt.Errorf("socketserver: child: no handler named %q", name)
	}
	f := os.NewFile(childFD, "conn")
	if f == nil {
		return true, errors.New("socketserver: child: no file descriptor 3")
	}
	conn, err := net.FileConn(f) // another duplicate: close f
	f.Close()
	if err != nil {
		return true, fmt.Errorf("socketserver: child: connection on fd %d: %w", childFD, err)
	}
	defer conn.Close()
	return true, Run(newHandler(), &Request{Conn: conn, ClientAddr: conn.RemoteAddr()})
}

// forkRequest hands conn to a child process and reaps the child, when it
// exits, in a goroutine that Shutdown and Close can wait for. While
// MaxChildren children are alive it first waits for one to be reaped.
func (s *StreamServer) forkRequest(conn net.Conn) {
	select {
	case s.children <- struct{}{}: // a free slot
	case <-s.quit:
		conn.Close()
		return
	}
	cmd, err := ForkRequest(conn, s.opts.fork)
	conn.Close() // the child has its own copy; the parent keeps none
	if err != nil {
		<-s.children
		s.opts.logf("%v", err)
		return
	}
	s.handlers.Add(1)
	go func() {
		defer s.handlers.Done()
		err := cmd.Wait() // Wait reaps: no zombie is left
		<-s.children      // the slot is free once the child is reaped
		if err != nil {
			s.opts.logf("socketserver: child %d: %v", cmd.Process.Pid, err)
		}
	}()
}
