package chat

import "net"

// Protocol is what a Room speaks on the wire.
type Protocol int

const (
	// Lines is the framed protocol of steps 2 to 4: every message is one
	// line ending in "\n". A member's first line is its name; after that
	//
	//	C: hello                the member says something
	//	S: alice: hello         every other member reads "<name>: <text>"
	//	S: * bob joined         notices start with "* "
	//	S: ! name bob is taken  errors, to one member only, start with "! "
	//
	// and lines starting with "/" are commands (step 4).
	Lines Protocol = iota

	// Notes is the notes' CharServer (实现多人聊天群), byte for byte: there
	// is no framing and no name. Whatever one Read returns (up to 1024
	// bytes, Python's recv(1024)) is sent to every member, the sender too,
	// after the sender's address as Python prints it and a colon:
	//
	//	C: hello
	//	S: ('127.0.0.1', 54321):hello
	//
	// A Read that returns exactly "quit" leaves: the room closes that
	// connection. There are no notices.
	Notes
)

// DefaultQueueLen is the QueueLen a Room uses when it is 0.
const DefaultQueueLen = 1024

// Room is a chat room: it accepts members on a listener and relays what
// each one says to the others.
//
// The zero Room speaks Lines with DefaultQueueLen; set the fields before
// Serve. A Room serves one listener, once.
type Room struct {
	// Proto is the wire protocol: Lines (the zero value) or Notes.
	Proto Protocol

	// QueueLen is how many messages may wait to be written to one member.
	// A member with a full queue is too slow: the room drops it (closes
	// its connection) and tells the others "* NAME dropped (too slow)".
	// 0 means DefaultQueueLen.
	QueueLen int

	// Logf, if not nil, is told about joins, leaves, drops and renames
	// ("alice joined", "alice left", ...), like the notes' logging calls.
	// It is never called with the room's lock held.
	Logf func(format string, args ...any)

	st roomState // yours: the registry, its lock, what Stop needs
}

// roomState is the room's private state; the zero value must be ready to
// use.
type roomState struct {
	// TODO(step 2): what the room needs: a lock, the members, the listener,
	// a way to wait for goroutines. See README.md, step 2.
}

// Serve accepts members on ln until Stop, then returns nil. Each member
// gets its own goroutines; the room never writes to a connection while
// holding its lock, so one slow member cannot stall the others.
//
// Serve closes ln when it returns. A temporary Accept error (a net.Error
// whose Temporary method reports true, such as EMFILE, "too many open
// files", during a flood) does not end it: Serve waits a little (5ms,
// doubling up to 1s while the errors go on, as net/http does) and accepts
// again. It returns an error if accepting fails for another reason than
// Stop, or if called a second time.
func (r *Room) Serve(ln net.Listener) error {
	// TODO(step 2): accept members, two goroutines each. See README.md, step 2.
	// TODO(step 3): a bounded queue per member; drop one whose queue is full, refuse long lines. See README.md, step 3.
	return ErrTODO
}

// Stop closes the listener and every member's connection, and returns once
// Serve and every goroutine the room started have ended. Stop before Serve
// makes Serve return at once; a second Stop does nothing.
func (r *Room) Stop() error {
	// TODO(step 2): close everything, then wait for every goroutine. See README.md, step 2.
	return ErrTODO
}

// Members returns the names of the members in the room, sorted. In Notes
// a member's name is PyRepr of its address.
func (r *Room) Members() []string {
	// TODO(step 2): the names of the joined members, sorted.
	return nil
}

// MaxName is the longest name a member may take, in bytes.
const MaxName = 32

// ValidName reports whether name may be a member's name: 1 to MaxName
// bytes of UTF-8 (bytes, not characters: 王 takes 3) with no spaces,
// control characters, ":" or ",", not starting with "/", "*" or "!" (王大锤
// is a fine name). Spaces and control characters are Unicode's
// (unicode.IsSpace, unicode.IsControl): an ideographic space or a DEL is
// refused like an ASCII space or a NUL.
func ValidName(name string) bool {
	// TODO(step 4): check the rules above. See README.md, step 4.
	return false
}
