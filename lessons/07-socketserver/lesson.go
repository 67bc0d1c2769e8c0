// Package socketserver is lesson 07: the notes' SocketServer framework
// (BaseServer, TCPServer/UDPServer, UnixStreamServer/UnixDatagramServer,
// ThreadingMixIn/ForkingMixIn, BaseRequestHandler) rebuilt in Go, with
// interfaces and options where Python has classes and mix-ins.
//
// Step 1 is the handler (Setup, Handle, Finish, with Finish always run)
// and a synchronous stream server; step 2 adds Threading and the
// block-on-close choice; step 3 serves datagrams; step 4 listens on Unix
// socket files; step 5 forks a child process for every connection. The
// notes' echo handler, "Your msg = <text>" until "quit", runs on all of
// them.
package socketserver

// You don't need to edit this file.

import "github.com/netkata/netkata/internal/todo"

// ErrTODO is what the stubs return until you write them.
var ErrTODO = todo.ErrTODO
