// You don't need to edit this file.

// Package chat is lesson 03: a chat room over TCP, from the notes'
// multi-user chat server (实现多人聊天群) and their two-thread client
// (TCP客户端).
//
// The room first speaks the notes' own protocol byte for byte (Notes), then
// a framed one (Lines): one message per line, names, notices, commands, and
// members that cannot stall each other. README.md explains each step.
package chat

import "github.com/netkata/netkata/internal/todo"

// ErrTODO is what the stubs return until you write them.
var ErrTODO = todo.ErrTODO
