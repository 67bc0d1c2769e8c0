package sms

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	mrand "math/rand/v2"
	"regexp"
	"testing"
	"testing/iotest"

	"github.com/netkata/netkata/internal/readme"
	"github.com/netkata/netkata/internal/seed"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seededBytes is an endless, reproducible stream of random bytes.
type seededBytes struct{ r *mrand.Rand }

func (s seededBytes) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(s.r.Uint32())
	}
	return len(p), nil
}

// zeros is an endless stream of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

var codeRE = regexp.MustCompile(`^[0-9]{6}$`)

func TestStep4_CodeFormat(t *testing.T) {
	readme.Explain(t)
	got, err := NewCode(zeros{})
	require.NoError(t, err, "NewCode(all zero bytes)")
	assert.Equal(t, "000000", got, "NewCode(all zero bytes): six digits, leading zeros kept")

	src := seededBytes{seed.Rand(t)}
	for range 2000 {
		got, err := NewCode(src)
		require.NoError(t, err, "NewCode(seeded bytes)")
		require.Regexp(t, codeRE, got, "NewCode(seeded bytes) = %q, want exactly %d ASCII digits", got, CodeDigits)
	}

	seen := map[string]bool{}
	for range 20 {
		got, err := NewCode(rand.Reader)
		require.NoError(t, err, "NewCode(crypto/rand.Reader)")
		require.Regexp(t, codeRE, got, "NewCode(crypto/rand.Reader) = %q", got)
		seen[got] = true
	}
	assert.Greater(t, len(seen), 15, "20 codes from crypto/rand.Reader gave only %d different ones: %v", len(seen), seen)
}

func TestStep4_CodeSpread(t *testing.T) {
	readme.Explain(t)
	const n = 20000
	var counts [CodeDigits][10]int // counts[position][digit]
	src := seededBytes{seed.Rand(t)}
	for range n {
		code, err := NewCode(src)
		require.NoError(t, err, "NewCode(seeded bytes)")
		require.Regexp(t, codeRE, code, "NewCode(seeded bytes)")
		for pos := range CodeDigits {
			counts[pos][code[pos]-'0']++
		}
	}
	// Pearson's chi-squared with 9 degrees of freedom: a fair digit goes
	// over 45 about once in a million runs.
	for pos, c := range counts {
		chi2 := 0.0
		for _, got := range c {
			d := float64(got) - n/10.0
			chi2 += d * d / (n / 10.0)
		}
		assert.Less(t, chi2, 45.0, "digit %d of %d codes: counts of 0..9 are %v, want about %d each (chi-squared %.1f)", pos+1, n, c, n/10, chi2)
	}
}

func TestStep4_CodeUnbiased(t *testing.T) {
	readme.Explain(t)
	// All-one bytes make the largest number any width of bytes can hold:
	// it lies in the uneven top slice that % would fold onto small codes,
	// so an unbiased NewCode rejects it and reads on, to the zeros.
	src := io.MultiReader(bytes.NewReader(bytes.Repeat([]byte{0xFF}, 48)), zeros{})
	got, err := NewCode(src)
	require.NoError(t, err, "NewCode(48 bytes 0xFF, then zeros)")
	assert.Equal(t, "000000", got,
		"NewCode(48 bytes 0xFF, then zeros): a number drawn from all-one bytes is in the biased top slice; reject it and draw again (README.md, step 4)")
}

func TestStep4_CodeReaderError(t *testing.T) {
	readme.Explain(t)
	broken := errors.New("entropy source broken")
	_, err := NewCode(iotest.ErrReader(broken))
	require.ErrorIs(t, err, broken, "NewCode(a reader that fails)")
	_, err = NewCode(bytes.NewReader([]byte{1}))
	require.Error(t, err, "NewCode(a reader with one byte, then EOF)")
	require.NotErrorIs(t, err, ErrTODO, "NewCode is still the stub")
}

func BenchmarkStep4_NewCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewCode(rand.Reader); err != nil {
			b.Fatal(err)
		}
	}
}
