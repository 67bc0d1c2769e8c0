package sms

import (
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStep4_NormalizeMobile(t *testing.T) {
	readme.Explain(t)
	valid := map[string]string{
		"13800138000":    "13800138000",
		"19912345678":    "19912345678",
		"15000000000":    "15000000000",
		"+8613800138000": "13800138000",
		"8613800138000":  "13800138000",
		"+8619912345678": "19912345678",
	}
	for in, want := range valid {
		t.Run(in, func(t *testing.T) {
			got, err := NormalizeMobile(in)
			require.NoError(t, err, "NormalizeMobile(%q)", in)
			assert.Equal(t, want, got, "NormalizeMobile(%q)", in)
		})
	}
	invalid := []string{
		"", "1380013800", "138001380000", "12800138000", "10800138000", "23800138000",
		"1380013800a", "138 0013 8000", "138-0013-8000", "+86 13800138000", "+8612800138000",
		"+85213800138000", "008613800138000", "１３８００１３８０００", "+86", "86", "+861380013800",
		"861380013800", "13800138000\n", " 13800138000", "+8613800138000x", "8686138001380",
		// near misses: a country code that is almost +86, spaces and
		// digits that are not ASCII, DEL, invisible characters
		"+6813800138000", "6813800138000", "+8813800138000", "8813800138000", "+8713800138000",
		"＋8613800138000", "+86\u00a013800138000", "\u00a013800138000", "13800138000\u200b",
		"1380013800\x7f", "١٣٨٠٠١٣٨٠٠٠", "+8613800138000\x00",
	}
	for _, in := range invalid {
		t.Run(in, func(t *testing.T) {
			got, err := NormalizeMobile(in)
			require.ErrorIs(t, err, ErrInvalidMobile, "NormalizeMobile(%q) = %q, %v", in, got, err)
		})
	}
}
