// Package todo holds the error that every stub returns until the student
// writes it.
package todo

import (
	"errors"

	"github.com/netkata/netkata/internal/i18n"
)

// ErrTODO is what a stub returns before it is written. Each lesson
// re-exports it as its own ErrTODO, so tests and failure messages can name it.
// Its text is in the student's language (i18n.Current, when the process
// starts).
var ErrTODO = errors.New(i18n.Tr("todo.err"))
