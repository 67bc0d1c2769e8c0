package i18n

// zh holds the 简体中文 messages, one for every key of en (messages_en.go),
// with the same fmt verbs in the same order.
var zh = map[string]string{
	"lang.name": "简体中文",
}
