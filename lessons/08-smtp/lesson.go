// Package mailer is lesson 08: composing e-mail and sending it over SMTP.
//
// The notes (发送电子邮件) build messages with Python's MIMEText,
// MIMEMultipart and Header('王大锤', 'utf-8') and send them with smtplib's
// login, starttls, sendmail and quit. This lesson writes the same in Go:
// the message format first, then the SMTP conversation.
package mailer

// You don't need to edit this file.

import "github.com/netkata/netkata/internal/todo"

// ErrTODO is what the stubs return until you write them.
var ErrTODO = todo.ErrTODO
