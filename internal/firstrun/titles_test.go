package firstrun

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/netkata/netkata/internal/textwidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxTitle is the widest a lesson title may be: kata's table shows titles
// up to this many columns.
const maxTitle = 40

// TestLessonTitles holds every lesson README's title line to one form,
// "# Lesson NN: Title", the title capitalised, without the notes' Chinese
// terms or dashes (the README's first paragraph has those), and short
// enough that kata's table never cuts it.
func TestLessonTitles(t *testing.T) {
	readmes, err := filepath.Glob("../../lessons/[0-9][0-9]-*/README.md")
	require.NoError(t, err)
	require.NotEmpty(t, readmes)
	form := regexp.MustCompile(`^# Lesson (\d\d): ([A-Z][^()\p{Han}]*[^.])$`)
	for _, p := range readmes {
		f, err := os.Open(p)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Scan()
		first := sc.Text()
		f.Close()
		m := form.FindStringSubmatch(first)
		if !assert.NotNil(t, m, "%s: title line %q is not \"# Lesson NN: Title\" (capitalised, no Chinese, no brackets, no full stop)", p, first) {
			continue
		}
		assert.Equal(t, filepath.Base(filepath.Dir(p))[:2], m[1], "%s: the lesson number", p)
		assert.NotContains(t, m[2], " - ", "%s: one form: no dash in %q", p, m[2])
		assert.LessOrEqual(t, textwidth.Of(m[2]), maxTitle, "%s: title %q is wider than kata's table column", p, m[2])
	}
}
