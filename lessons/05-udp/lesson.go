// Package udp is lesson 05: datagrams, ping, and what TCP promises.
//
// UDP sends datagrams: each WriteTo is one message that arrives whole, or
// not at all, maybe twice, maybe after the next one. The lesson builds an
// echo server and client (step 1), meets the size limits (step 2), writes
// a ping that matches replies by sequence number (step 3), and then earns
// TCP's first promise itself: a stop-and-wait ARQ (step 4) and a sliding
// window (step 5) that deliver a byte stream intact through a proxy that
// loses, duplicates, reorders and corrupts datagrams.
//
// Read README.md, then run go test ./lessons/05-udp/ and make the tests
// pass one step at a time.
package udp

// You don't need to edit this file.

import "github.com/netkata/netkata/internal/todo"

// ErrTODO is what the stubs return until you write them.
var ErrTODO = todo.ErrTODO
