package socketserver

import (
	"net"
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
	// TODO(step 5): duplicate conn's descriptor, re-execute this program with ForkEnv and ExtraFiles. See README.md, step 5.
	return nil, ErrTODO
}

// ChildMain is the child's side of Forking. A program calls it first
// thing in main (and a test binary in TestMain): if ForkEnv is not set,
// this is no child and ChildMain returns false, nil at once. Otherwise it
// takes the connection on file descriptor 3, runs the handler that
// handlers has under ForkEnv's name on it with Run, closes it, and returns
// true with Run's error; the program should then exit (1 on an error). An
// unknown name is an error.
func ChildMain(handlers map[string]func() Handler) (child bool, err error) {
	// TODO(step 5): if ForkEnv is set, run its handler on the connection on fd 3. See README.md, step 5.
	return false, ErrTODO
}
