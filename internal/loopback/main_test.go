package loopback

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/i18n"
)

// TestMain runs the tests in English, whatever the machine's language:
// they check the English texts, and the tests of lang_test.go set
// NETKATA_LANG=zh to check the Chinese ones.
func TestMain(m *testing.M) {
	os.Setenv(i18n.EnvVar, "en")
	os.Exit(m.Run())
}
