package lineproto

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
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
	if len(line) > MaxLine {
		return Command{}, ErrLineTooLong // no LineReader would have returned it
	}
	verb, args, hasArgs := bytes.Cut(line, []byte(" "))
	var cmd Command
	switch {
	case bytes.EqualFold(verb, []byte("SET")):
		cmd.Verb = "SET"
		key, value, ok := bytes.Cut(args, []byte(" "))
		if !hasArgs || !ok || !validKey(key) || bytes.ContainsAny(value, "\r\n") {
			return Command{}, ErrSyntax
		}
		cmd.Key, cmd.Value = key, value
	case bytes.EqualFold(verb, []byte("GET")), bytes.EqualFold(verb, []byte("DEL")):
		cmd.Verb = "GET"
		if verb[0] == 'D' || verb[0] == 'd' {
			cmd.Verb = "DEL"
		}
		if !hasArgs || !validKey(args) {
			return Command{}, ErrSyntax
		}
		cmd.Key = args
	case bytes.EqualFold(verb, []byte("QUIT")):
		if hasArgs {
			return Command{}, ErrSyntax
		}
		cmd.Verb = "QUIT"
	default:
		return Command{}, ErrUnknownCommand
	}
	return cmd, nil
}

// validKey reports whether key is one or more bytes above ' ' and below 0x7f.
func validKey(key []byte) bool {
	if len(key) == 0 {
		return false
	}
	for _, c := range key {
		if c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// Append appends the command's line, "\r\n" included, to b and returns the
// extended slice: Command{Verb: "SET", Key: []byte("k"), Value: []byte("v 1")}
// appends "SET k v 1\r\n". For a Command that ParseCommand returned,
// ParseCommand of the line (without its "\r\n") gives the same Command back.
func (c Command) Append(b []byte) []byte {
	b = append(b, c.Verb...)
	if c.Verb != "QUIT" {
		b = append(b, ' ')
		b = append(b, c.Key...)
	}
	if c.Verb == "SET" {
		b = append(b, ' ')
		b = append(b, c.Value...)
	}
	return append(b, "\r\n"...)
}

// Store is the key-value map a server shares between its connections. It is
// safe for concurrent use.
type Store struct {
	mu sync.Mutex
	m  map[string]string
}

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{m: map[string]string{}}
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
	lr := NewLineReader(rw)
	bw := bufio.NewWriter(rw)
	for {
		line, err := lr.ReadLine()
		switch {
		case errors.Is(err, ErrLineTooLong):
			reply(bw, CodeTooLong, "line too long")
		case errors.Is(err, io.EOF):
			return flush(bw)
		case err != nil:
			return fmt.Errorf("read command: %w", err)
		default:
			if s.do(bw, line) {
				return flush(bw)
			}
		}
		// Nothing more has arrived: the client waits for these replies.
		if lr.Buffered() == 0 {
			if err := flush(bw); err != nil {
				return err
			}
		}
	}
}

// do runs one command line and writes its reply to bw. It reports whether
// the command was QUIT.
func (s *Store) do(bw *bufio.Writer, line []byte) (quit bool) {
	cmd, err := ParseCommand(line)
	switch {
	case errors.Is(err, ErrUnknownCommand):
		reply(bw, CodeUnknown, "unknown command")
		return false
	case errors.Is(err, ErrLineTooLong):
		reply(bw, CodeTooLong, "line too long")
		return false
	case err != nil:
		reply(bw, CodeSyntax, "syntax error")
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch cmd.Verb {
	case "SET":
		s.m[string(cmd.Key)] = string(cmd.Value)
		reply(bw, CodeOK, "OK")
	case "GET":
		// m[string(b)] looks the key up without converting (no allocation).
		if v, ok := s.m[string(cmd.Key)]; ok {
			reply(bw, CodeOK, v)
		} else {
			reply(bw, CodeNotFound, "no such key")
		}
	case "DEL":
		if _, ok := s.m[string(cmd.Key)]; ok {
			delete(s.m, string(cmd.Key))
			reply(bw, CodeOK, "OK")
		} else {
			reply(bw, CodeNotFound, "no such key")
		}
	case "QUIT":
		reply(bw, CodeBye, "bye")
		return true
	}
	return false
}

// reply writes one reply line to bw; a write error stays in bw for the next Flush.
func reply(bw *bufio.Writer, code int, text string) {
	// AvailableBuffer is the unused end of bw's buffer: appending there and
	// writing it back copies nothing and allocates nothing.
	bw.Write(strconv.AppendInt(bw.AvailableBuffer(), int64(code), 10))
	bw.WriteByte(' ')
	bw.WriteString(text)
	bw.WriteString("\r\n")
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write replies: %w", err)
	}
	return nil
}

// ServeKV accepts connections on ln and runs st.Handle on each, one
// goroutine per connection, all sharing st, closing each connection when
// Handle returns. It stops when ctx is done: it closes ln and the open
// connections, waits for their goroutines, and returns nil. A temporary
// Accept failure (EMFILE, say) is retried after a pause, as ServeGreet does;
// any other Accept failure before ctx is done is returned.
func ServeKV(ctx context.Context, ln net.Listener, st *Store) error {
	return serve(ctx, ln, func(conn net.Conn) error { return st.Handle(conn) })
}
