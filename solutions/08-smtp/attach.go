package mailer

import (
	"mime"
	"net/textproto"
	"path"
	"strings"
)

// contentTypes are the types ContentTypeFor knows itself: Go's built-in
// table lacks some that mail carries every day, such as .xlsx.
var contentTypes = map[string]string{
	".txt":  "text/plain; charset=utf-8",
	".csv":  "text/csv; charset=utf-8",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".doc":  "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".zip":  "application/zip",
}

// ContentTypeFor returns the MIME type for a file name, from its extension,
// case-insensitively: "hello.txt" is "text/plain; charset=utf-8",
// "汇总数据.xlsx" is
// "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
// ".jpg" "image/jpeg", and an unknown or missing extension
// "application/octet-stream".
func ContentTypeFor(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// AttachmentHeader returns the MIME part header for a, for
// multipart.Writer.CreatePart:
//
//	Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet
//	Content-Disposition: attachment; filename*=utf-8''%E6%B1%87%E6%80%BB%E6%95%B0%E6%8D%AE.xlsx
//	Content-Transfer-Encoding: base64
//
// A file name that is not plain ASCII is encoded per RFC 2231 (filename*=),
// which mail clients decode; an ASCII one is written plainly
// (filename=hello.txt). The type is a.ContentType, or ContentTypeFor(a.Name).
func AttachmentHeader(a Attachment) textproto.MIMEHeader {
	ct := a.ContentType
	if ct == "" {
		ct = ContentTypeFor(a.Name)
	}
	return textproto.MIMEHeader{
		"Content-Type":              {ct},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
		"Content-Transfer-Encoding": {"base64"},
	}
}
