package lineproto

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/readme"
)

func TestStep2_ReadLine(t *testing.T) {
	readme.Explain(t)
	long := strings.Repeat("x", MaxLine+1)
	tests := []struct {
		name  string
		reads []string // what each Read returns: TCP may split or merge writes
		want  []string // lines, or "ERR" for ErrLineTooLong
		end   error    // what ReadLine returns after the last line
	}{
		{"two lines in one read", []string{"SET k v\nGET k\n"}, []string{"SET k v", "GET k"}, io.EOF},
		{"one line in three reads", []string{"GE", "T ", "k\r\n"}, []string{"GET k"}, io.EOF},
		{"crlf and lf", []string{"a\r\nb\n"}, []string{"a", "b"}, io.EOF},
		{"empty line", []string{"\n"}, []string{""}, io.EOF},
		{"longest line", []string{strings.Repeat("x", MaxLine) + "\r\n"}, []string{strings.Repeat("x", MaxLine)}, io.EOF},
		{"one byte too long, whole", []string{long + "\nGET k\n"}, []string{"ERR", "GET k"}, io.EOF},
		{"one byte too long, with crlf", []string{long + "\r\nGET k\n"}, []string{"ERR", "GET k"}, io.EOF},
		{"a megabyte too long", []string{strings.Repeat("y", 1<<20), "\nGET k\n"}, []string{"ERR", "GET k"}, io.EOF},
		{"long line in many reads", []string{long, long, long, "\n", "GET k\n"}, []string{"ERR", "GET k"}, io.EOF},
		{"end in the middle of a line", []string{"GET k\nGE"}, []string{"GET k"}, io.ErrUnexpectedEOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lr := NewLineReader(splitReads(tc.reads))
			for i, want := range tc.want {
				got, err := lr.ReadLine()
				if want == "ERR" {
					require.ErrorIs(t, err, ErrLineTooLong, "ReadLine %d on reads %.80q", i+1, tc.reads)
					continue
				}
				require.NoError(t, err, "ReadLine %d on reads %.80q", i+1, tc.reads)
				require.Equal(t, want, string(got), "ReadLine %d on reads %.80q", i+1, tc.reads)
			}
			_, err := lr.ReadLine()
			require.ErrorIs(t, err, tc.end, "ReadLine after the last line of %.80q", tc.reads)
		})
	}
}

// errReadPast is what stopReader returns when read past its data.
var errReadPast = errors.New("test: ReadLine read on, waiting for the end of a line it already knew was too long")

func TestStep2_ReadLineTooLongAtOnce(t *testing.T) {
	readme.Explain(t)
	// A peer that sends a long line without its end: ReadLine must say so
	// from what it has, not wait (and buffer) until the line ends.
	data := strings.Repeat("x", 64*MaxLine)
	lr := NewLineReader(io.MultiReader(strings.NewReader(data), errReader{errReadPast}))
	_, err := lr.ReadLine()
	require.ErrorIs(t, err, ErrLineTooLong, "ReadLine on %d bytes without a line end, then a stream that must not be read", len(data))
}
