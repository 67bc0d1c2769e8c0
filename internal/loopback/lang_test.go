package loopback

import (
	"testing"
	"time"

	"github.com/netkata/netkata/internal/i18n"
	"github.com/stretchr/testify/assert"
)

func TestWaitTimesOutChinese(t *testing.T) {
	t.Setenv(i18n.EnvVar, "zh")
	old := Timeout
	Timeout = 10 * time.Millisecond
	t.Cleanup(func() { Timeout = old })
	f := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Wait(f, make(chan int), "the server to start")
	}()
	<-done
	assert.Equal(t, "等了 10ms，仍未等到：the server to start", f.msg)
}
