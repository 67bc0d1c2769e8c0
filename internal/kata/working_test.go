package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWorkingSaysWhatItDoes(t *testing.T) {
	old := busyAfter
	t.Cleanup(func() { busyAfter = old })

	// A slow run: one line on stderr (not a terminal), before it ends.
	busyAfter = time.Millisecond
	said := newScreen()
	stop := working(&env{stderr: said}, "building the lessons")
	said.waitFor(t, 0, "\n") // the run goes on until kata has said it
	stop()
	assert.Equal(t, "kata: building the lessons...\n", said.String())
	var stderr bytes.Buffer

	// A quick run (results from the cache): nothing.
	busyAfter = time.Hour
	stderr.Reset()
	working(&env{stderr: &stderr}, "building the lessons")()
	assert.Empty(t, stderr.String())
}
