// Package tcp is lesson 02: TCP servers and clients, from the notes' time
// server (TCP套接字) to an echo server that serves many clients at once and
// shuts down gracefully, idle timeouts (settimeout), and a tiny web server
// that reads and answers HTTP/1.1 the way the protocol asks.
//
// Start with README.md; run the tests with go test ./lessons/02-tcp/.
package tcp

// You don't need to edit this file.

import "github.com/netkata/netkata/internal/todo"

// ErrTODO is what the stubs return until you write them.
var ErrTODO = todo.ErrTODO
