package workbook

// EnforceTranslations makes verify's parity check fail a lesson (and the
// top-level README) without its 简体中文 files, and an English README
// without a link to its Chinese edition near the top. Every lesson has both
// languages, so it is on; off, a lesson without README.zh-CN.md would pass
// (and one with it must still agree with English).
const EnforceTranslations = true
