package chat

import (
	"bufio"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

func TestStep1_ReadLine(t *testing.T) {
	readme.Explain(t)
	long := strings.Repeat("x", MaxLine)
	tests := []struct {
		name  string
		reads []string // what each Read returns: TCP may split or merge writes
		size  int      // the bufio.Reader's size; 0 for the default (4096)
		want  []string
		end   error // what ReadLine returns after the last line
	}{
		{"two lines in one read", []string{"hi\nbye\n"}, 0, []string{"hi", "bye"}, io.EOF},
		{"one line in three reads", []string{"he", "ll", "o\n"}, 0, []string{"hello"}, io.EOF},
		{"two lines across three reads", []string{"alice: hi\nbob: hel", "lo\n", "\n"}, 0, []string{"alice: hi", "bob: hello", ""}, io.EOF},
		{"CRLF is trimmed too", []string{"hi\r\n", "there\r", "\n"}, 0, []string{"hi", "there"}, io.EOF},
		{"a character split between reads", []string{"大家\xe5", "\xa5\xbd\n"}, 0, []string{"大家好"}, io.EOF},
		{"no data at all", nil, 0, nil, io.EOF},
		{"the stream ends mid-line", []string{"hi\nbro"}, 0, []string{"hi"}, io.ErrUnexpectedEOF},
		{"exactly MaxLine", []string{long + "\n"}, 0, []string{long}, io.EOF},
		{"exactly MaxLine with CRLF", []string{long[:100], long[100:] + "\r\n"}, 0, []string{long}, io.EOF},
		{"lines longer than the reader's buffer", []string{"0123456789abcdefghij\nklmnopqrstuvwxyz0123\n"}, 16,
			[]string{"0123456789abcdefghij", "klmnopqrstuvwxyz0123"}, io.EOF},
		{"one byte over MaxLine", []string{long + "x\n"}, 0, nil, ErrLineTooLong},
		{"no newline ever", []string{long, long, long, long}, 0, nil, ErrLineTooLong},
		// 4097 = 241 * 17: a 17-byte buffer ends right after the "\r", so the
		// "\n" comes alone; the line is still exactly MaxLine.
		{"exactly MaxLine with CRLF, the \\n alone in the next buffer", []string{long + "\r\n"}, 17, []string{long}, io.EOF},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReader(splitReads(tc.reads))
			if tc.size > 0 {
				br = bufio.NewReaderSize(splitReads(tc.reads), tc.size)
			}
			for _, want := range tc.want {
				got, err := ReadLine(br)
				require.NoError(t, err, "ReadLine on reads %q", short(tc.reads))
				require.Equal(t, want, got, "ReadLine on reads %q", short(tc.reads))
			}
			got, err := ReadLine(br)
			require.ErrorIs(t, err, tc.end, "ReadLine after the last line of %q returned (%q, %v)", short(tc.reads), got, err)
		})
	}
}

// endlessLine is a reader of one line that never ends: 'x' after 'x'. It
// counts what it gave, and fails past 1 MiB.
type endlessLine struct{ n int }

func (r *endlessLine) Read(p []byte) (int, error) {
	if r.n >= 1<<20 {
		return 0, errors.New("read 1 MiB of a line with no newline: ReadLine kept reading past MaxLine")
	}
	n := min(len(p), 1<<20-r.n)
	for i := range p[:n] {
		p[i] = 'x'
	}
	r.n += n
	return n, nil
}

func TestStep1_ReadLineBounded(t *testing.T) {
	readme.Explain(t)
	// A peer that never sends "\n": ReadLine may read MaxLine+2 bytes (a
	// line and its "\r\n") and at most one buffer more before it gives up.
	r := &endlessLine{}
	br := bufio.NewReader(r)
	_, err := ReadLine(br)
	require.ErrorIs(t, err, ErrLineTooLong, "ReadLine on a stream of 'x' with no newline, after reading %d bytes of it", r.n)
	if limit := MaxLine + 2 + br.Size(); r.n > limit {
		t.Fatalf("ReadLine read %d bytes of a line with no newline before it said ErrLineTooLong; want at most %d (MaxLine+2 and one %d-byte buffer): "+
			"a peer that never sends \"\\n\" must not make the room hold more than that (%s)", r.n, limit, br.Size(), readme.Ref(t))
	}
}

// FuzzStep1_ReadLine cuts random input into random reads: the lines must
// not depend on where the cuts fall.
func FuzzStep1_ReadLine(f *testing.F) {
	readme.Explain(f)
	f.Add("hi\nbye\n", uint64(1))
	f.Add("one\r\ntwo\nthree", uint64(7))
	f.Add("大家好\n\n", uint64(3))
	f.Fuzz(func(t *testing.T, data string, cuts uint64) {
		readme.Explain(t)
		var reads []string
		rest := data
		for rest != "" {
			n := int(cuts%7) + 1
			cuts = cuts/7 + 1
			n = min(n, len(rest))
			reads = append(reads, rest[:n])
			rest = rest[n:]
		}
		br := bufio.NewReaderSize(splitReads(reads), 16)
		pieces := strings.Split(data, "\n")
		for _, piece := range pieces[:len(pieces)-1] {
			want := strings.TrimSuffix(piece, "\r")
			got, err := ReadLine(br)
			if len(want) > MaxLine {
				require.ErrorIs(t, err, ErrLineTooLong, "ReadLine of a %d-byte line", len(want))
				return
			}
			require.NoError(t, err, "ReadLine on reads %q", short(reads))
			require.Equal(t, want, got, "ReadLine on reads %q", short(reads))
		}
		_, err := ReadLine(br)
		switch last := pieces[len(pieces)-1]; {
		case last == "":
			require.ErrorIs(t, err, io.EOF, "ReadLine at the end of %q", short(reads))
		case len(last) > MaxLine && errors.Is(err, ErrLineTooLong):
		default:
			require.ErrorIs(t, err, io.ErrUnexpectedEOF, "ReadLine at the end of %q (the last line has no \\n)", short(reads))
		}
	})
}

// splitReads returns a reader whose Reads return reads one by one, as TCP
// might deliver them.
func splitReads(reads []string) io.Reader {
	rs := make([]io.Reader, len(reads))
	for i, s := range reads {
		rs[i] = strings.NewReader(s)
	}
	return io.MultiReader(rs...)
}

// short cuts long reads for failure messages.
func short(reads []string) []string {
	out := make([]string, len(reads))
	for i, s := range reads {
		if len(s) > 40 {
			s = s[:20] + "..." + s[len(s)-10:]
		}
		out[i] = s
	}
	return out
}
