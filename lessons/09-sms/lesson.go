// You don't need to edit this file.

// Package sms is lesson 09: an SMS gateway client over HTTP.
//
// The notes send a verification code through a provider's web API (互亿无线)
// with http.client: one form-encoded POST, one JSON reply, a 30 s timeout
// and no error handling at all. This lesson builds the same request in Go
// (step 1), reads the reply strictly (step 2), makes sending robust without
// ever sending a message twice or leaking the password (step 3), and adds
// what a sign-up form needs around it: unbiased codes, a per-number rate
// limit and mobile number validation (step 4).
//
// Provider (provider.go) is a fake of the provider for the tests and the
// smsprovider program; the sms program sends one message.
package sms

import "github.com/netkata/netkata/internal/todo"

// ErrTODO is what the stubs return until you write them.
var ErrTODO = todo.ErrTODO
