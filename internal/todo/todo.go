// Package todo holds the error that every stub returns until the student
// writes it.
package todo

import "errors"

// ErrTODO is what a stub returns before it is written. Each lesson
// re-exports it as its own ErrTODO, so tests and failure messages can name it.
var ErrTODO = errors.New("not written yet (TODO): read the lesson's README.md and fill in the stub")
