package chat

import (
	"testing"

	"github.com/netkata/netkata/internal/leakcheck"
)

func TestMain(m *testing.M) { leakcheck.Main(m, programs) }
