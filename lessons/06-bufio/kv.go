package lineproto

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
)

// The reply codes of the key-value protocol. A reply is one line: three
// digits, a space, a text, "\r\n". 2xx is success, 4xx a request that could
// not be served, 5xx a request the server did not understand.
const (
	CodeBye      = 221 // "221 bye": answer to QUIT, then the server closes
	CodeOK       = 250 // "250 OK" after SET and DEL, "250 <value>" after GET
	CodeNotFound = 404 // "404 no such key": GET or DEL of a key that is not set
	CodeUnknown  = 500 // "500 unknown command": the verb is not SET, GET, DEL or QUIT
	CodeSyntax   = 501 // "501 syntax error": a known verb with the wrong arguments
	CodeTooLong  = 502 // "502 line too long": more than MaxLine bytes before the line end
)

// ErrUnknownCommand means a command line does not start with SET, GET, DEL or QUIT.
var ErrUnknownCommand = errors.New("lineproto: unknown command")

// ErrSyntax means a known command has the wrong arguments.
var ErrSyntax = errors.New("lineproto: syntax error")

// Command is one parsed command line. Key and Value point into the line
// they were parsed from.
type Command struct {
	Verb  string // "SET", "GET", "DEL" or "QUIT", always upper case
	Key   []byte // every verb but QUIT: one or more bytes, none of them a space or control byte
	Value []byte // SET only: the rest of the line, possibly empty, without "\r" or "\n"
}

// ParseCommand parses one command line, given without its line end:
//
//	SET key value    value is everything after the second space, spaces included
//	GET key
//	DEL key
//	QUIT
//
// Verbs are case-insensitive ("get" is GET); arguments are separated by
// exactly one space. A key is one or more bytes above ' ' (no spaces, no
// control bytes, no DEL 0x7f); a value may hold any byte but "\r" and "\n".
// A verb that is none of the four is ErrUnknownCommand; a known verb with
// missing, extra or invalid arguments is ErrSyntax; a line longer than
// MaxLine is ErrLineTooLong. ParseCommand does not allocate: Key and Value
// point into line.
func ParseCommand(line []byte) (Command, error) {
	// TODO(step 2): split the verb and its arguments, check them. See README.md, step 2.
	return Command{}, ErrTODO
}

// Append appends the command's line, "\r\n" included, to b and returns the
// extended slice: Command{Verb: "SET", Key: []byte("k"), Value: []byte("v 1")}
// appends "SET k v 1\r\n". For a Command that ParseCommand returned,
// ParseCommand of the line (without its "\r\n") gives the same Command back.
func (c Command) Append(b []byte) []byte {
	// TODO(step 2): write the command back as a line ending in "\r\n".
	return b
}

// Store is the key-value map a server shares between its connections. It is
// safe for concurrent use.
type Store struct {
	mu sync.Mutex
	m  map[string]string
}

// NewStore returns an empty Store.
func NewStore() *Store {
	// TODO(step 2): make the map.
	return nil
}

// Handle serves one connection: it reads command lines from rw and writes
// one reply line per command, in the order the commands came, until QUIT
// or the end of the stream.
//
//	C: SET k hello world      S: 250 OK
//	C: GET k                  S: 250 hello world
//	C: DEL k                  S: 250 OK
//	C: GET k                  S: 404 no such key
//	C: FOO                    S: 500 unknown command
//	C: GET                    S: 501 syntax error
//	C: <1025 bytes or more>   S: 502 line too long
//	C: QUIT                   S: 221 bye
//
// Commands end in "\n" or "\r\n"; replies end in "\r\n". A client may send
// many commands without waiting (pipelining): Handle answers each one, in
// order, and flushes its buffered replies whenever it has read all that has
// arrived, so a batch of commands is answered by one write. An unknown
// command, a syntax error or a too-long line is answered with its error
// reply and the connection stays open; a too-long line is answered as soon
// as MaxLine is passed, and the rest of it is discarded as it arrives,
// never held in memory.
//
// Handle returns nil after QUIT (once "221 bye" is flushed) or at the end of
// the stream, and the read or write error otherwise.
func (s *Store) Handle(rw io.ReadWriter) error {
	// TODO(step 2): read lines, parse, answer each in order, flush when no more input waits. See README.md, step 2.
	return ErrTODO
}

// ServeKV accepts connections on ln and runs st.Handle on each, one
// goroutine per connection, all sharing st, closing each connection when
// Handle returns. It stops when ctx is done: it closes ln and the open
// connections, waits for their goroutines, and returns nil. A temporary
// Accept failure (EMFILE, say) is retried after a pause, as ServeGreet does;
// any other Accept failure before ctx is done is returned.
func ServeKV(ctx context.Context, ln net.Listener, st *Store) error {
	// TODO(step 2): accept connections until ctx is done and run st.Handle on each. See README.md, step 2.
	return ErrTODO
}
