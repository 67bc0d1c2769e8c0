package sms

// The notes' own message, and one with every character a form must escape.
const (
	notesContent  = "您的验证码是:147258。请不要把验证码泄露给其他人。"
	trickyContent = "验证码 1+1=2 & 100% 真\n第二行 😀 a%2Bb ?#;"
)
