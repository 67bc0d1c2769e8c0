package i18n

// en holds the English messages. Keys are "area.what"; keep them grouped by
// area, and add every key to zh (messages_zh.go) in the same change.
var en = map[string]string{
	"lang.name": "English",

	// internal/readme: the README-step pointer and the first screen.
	"readme.ref":          "%s, step %d: %s",
	"readme.ref.untitled": "%s, step %d",
	"readme.read":         "→ Read %s.",
	"readme.stuck":        " Stuck? go run ./cmd/kata hint %s %d",
	"screen.ended":        "netkata: the test binary ended: %v",
	"screen.waits":        ", waits for step %d",
	"screen.step.waits":   "step %d waits for step %d (%s)",
	"screen.shortened":    "(shortened: go test -run '^%s$' %s shows one test whole; %s=1 shows all)",
	"screen.same.todo":    "(%d more subtests fail the same way, on a stub's ErrTODO: %s)",
	"screen.more":         "(%d more failing subtests: %s)",
	"screen.list.more":    "… %d more",

	// internal/todo
	"todo.err": "not written yet (TODO): read the lesson's README.md and fill in the stub",

	// internal/transcript
	"transcript.op.writedeadline": "set a write deadline",
	"transcript.op.readdeadline":  "set a read deadline",
	"transcript.op.send":          "send %s",
	"transcript.op.halfclose":     "half-close (CloseWrite)",
	"transcript.nohalfclose":      "%s: %T cannot half-close",
	"transcript.what.line":        "a line",
	"transcript.what.bytes":       "%d bytes",
	"transcript.what.all":         "everything up to the close (EOF)",
	"transcript.extra":            "%s: extra data after the expected reply: %s (%s)",
	"transcript.stayedopen":       "%s waited %v for the connection to close (EOF), and it stayed open (%s)",
	"transcript.reset":            "%s: the connection ended with %s",
	"transcript.waited.none":      "%s waited %v for %s and got none",
	"transcript.waited.partial":   "%s waited %v for %s and got only %s",
	"transcript.readerr":          "%s: reading %s: %s",
	"transcript.readerr.partial":  "; got only %s before that",
	"transcript.ref":              " (%s).",
	"transcript.want":             "want",
	"transcript.got":              "got",
	"transcript.hint":             "hint: %s",
	"transcript.failed":           "%s: %s: %s (%s)",
	"transcript.mismatch":         "%s read %s that differ from what was expected (%s):",
	"transcript.heading":          "transcript (C: client, S: server):",
	"transcript.replay":           "replay %s's side by hand (against a server of yours on that port):",
	"transcript.diff.at":          "first difference at byte %d",
	"transcript.diff.short":       "got ends here: %d bytes missing",
	"transcript.diff.extra":       "extra data after the expected reply (%d bytes)",
	"transcript.empty":            "(nothing was sent either way)",
	"transcript.earlier":          "(%d earlier lines not shown)",
	"transcript.cut":              "... (%d more bytes)",

	// internal/sockerr: what a socket error usually means.
	"sockerr.unexpectedeof": "the connection ended in the middle of a message: the other side closed it (or stopped writing) too early",
	"sockerr.eof":           "the other side closed the connection (EOF): it returned or called Close before sending what was expected",
	"sockerr.refused.udp":   "connection refused: an earlier datagram to that address came back as ICMP port unreachable: nothing listens on that UDP port",
	"sockerr.refused":       "connection refused: nothing listens on that address; did the server start, and on the address it was given?",
	"sockerr.reset":         "connection reset: the other side closed the socket with data still unread, or its process died",
	"sockerr.pipe":          "broken pipe: the other side had already closed the connection when this side wrote",
	"sockerr.inuse":         "address already in use: another socket holds that port; listen on 127.0.0.1:0 for a free one, or stop the old server",
	"sockerr.closed":        "use of a closed connection: the code closed the socket and then used it again",
	"sockerr.timeout.udp":   "timeout: no datagram arrived before the deadline: the request or its reply was lost, never sent, or sent to another address (UDP never resends: the code must)",
	"sockerr.timeout.http":  "timeout: the HTTP exchange did not finish before the deadline: a handler that never writes its response, a body shorter than its Content-Length, or a request body nobody sends",
	"sockerr.timeout":       "timeout: nothing arrived before the deadline; both sides may be waiting for each other (a missing \"\\n\", a missing Flush, a reply never sent)",

	// internal/loopback
	"loopback.noipv6":      "skipped: cannot listen on IPv6 loopback %s on this machine: %v",
	"loopback.listen":      "listen on %s %s: %s",
	"loopback.dial":        "dial %s %s: %s",
	"loopback.waited":      "waited %v for %s, and it did not happen",
	"loopback.serve.early": "%s returned before the test ended, with error: %v; want it to serve until its context is cancelled",
	"loopback.serve.err":   "%s returned %v after its context was cancelled; want nil",
	"loopback.serve.stuck": "%s still running %v after its context was cancelled; want it to return",
}
