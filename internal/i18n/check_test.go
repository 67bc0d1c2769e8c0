package i18n

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCheckPassesOnTheCatalogue(t *testing.T) {
	assert.Empty(t, Check(), "the catalogue's languages disagree")
}

func TestCompare(t *testing.T) {
	good := map[Lang]map[string]string{
		EN: {"a.one": "%d of %s", "a.two": "plain"},
		ZH: {"a.one": "%d 个，共 %s", "a.two": "普通"},
	}
	assert.Empty(t, Compare(good), "a correct pair")

	tests := []struct {
		name string
		zh   map[string]string
		want []Problem
	}{
		{"a missing key", map[string]string{"a.one": "%d 个，共 %s"},
			[]Problem{{"a.two", ZH, "missing: English has it"}}},
		{"an empty text", map[string]string{"a.one": "%d 个，共 %s", "a.two": ""},
			[]Problem{{"a.two", ZH, "empty: English is not"}}},
		{"verbs swapped", map[string]string{"a.one": "%s 中的 %d", "a.two": "普通"},
			[]Problem{{"a.one", ZH, "fmt verbs [%s %d], English has [%d %s] (the same verbs, in the same order)"}}},
		{"a key only in Chinese", map[string]string{"a.one": "%d 个，共 %s", "a.two": "普通", "a.three": "多余"},
			[]Problem{{"a.three", ZH, "not in English: add it there too, or remove it"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Compare(map[Lang]map[string]string{EN: good[EN], ZH: tt.zh})
			assert.Equal(t, tt.want, got)
		})
	}
	assert.Equal(t, `key "a.two" (zh): missing: English has it`, Problem{"a.two", ZH, "missing: English has it"}.Error())
}
