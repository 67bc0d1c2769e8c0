// Package todo holds the error that every stub returns until the student
// writes it.
package todo

import "github.com/netkata/netkata/internal/i18n"

// ErrTODO is what a stub returns before it is written. Each lesson
// re-exports it as its own ErrTODO, so tests and failure messages can name it.
// Its text is in the student's language (i18n.Current), looked up when it
// is printed.
var ErrTODO error = todoError{}

// todoError is ErrTODO's type: comparable, so errors.Is finds it however
// it is wrapped.
type todoError struct{}

func (todoError) Error() string { return i18n.Tr("todo.err") }
