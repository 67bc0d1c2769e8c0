package todo

import (
	"errors"
	"fmt"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
)

func TestErrTODO(t *testing.T) {
	wrapped := fmt.Errorf("Hello: %w", ErrTODO)
	assert.ErrorIs(t, wrapped, ErrTODO)
	assert.False(t, errors.Is(errors.New(ErrTODO.Error()), ErrTODO), "only ErrTODO itself is ErrTODO")

	t.Setenv(i18n.EnvVar, "en")
	assert.Equal(t, "not written yet (TODO): read the lesson's README.md and fill in the stub", ErrTODO.Error())
	t.Setenv(i18n.EnvVar, "zh")
	assert.Contains(t, ErrTODO.Error(), "尚未实现（TODO）")
}
