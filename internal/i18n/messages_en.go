package i18n

// en holds the English messages. Keys are "area.what"; keep them sorted by
// area, and add every key to zh (messages_zh.go) in the same change.
var en = map[string]string{
	"lang.name": "English",
}
