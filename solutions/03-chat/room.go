package chat

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

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

// roomState is the room's private state; the zero value is ready to use.
type roomState struct {
	mu      sync.Mutex
	ln      net.Listener
	serving bool
	stopped bool
	all     map[*member]struct{} // every open connection, named or not
	wg      sync.WaitGroup       // Serve and every member's two goroutines
	logs    []string             // to hand to Logf once mu is released
}

// member is one connection. Its name and queue are guarded by the room's mu.
type member struct {
	conn   net.Conn
	name   string // "" until the first line; PyRepr of the address in Notes
	joined bool   // named and announced: receives broadcasts
	gone   bool   // removed from the room: nothing more is queued

	queue [][]byte      // messages the writer has not taken yet
	spare [][]byte      // the writer's last batch, reused for the next queue
	wake  chan struct{} // capacity 1: there is something to write, or gone
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
	r.st.mu.Lock()
	if r.st.stopped {
		r.st.mu.Unlock()
		ln.Close() // Stop came first: nothing to serve
		return nil
	}
	if r.st.serving {
		r.st.mu.Unlock()
		return errors.New("chat: Serve called twice on one Room")
	}
	r.st.serving = true
	r.st.ln = ln
	r.st.all = map[*member]struct{}{}
	r.st.wg.Add(1)
	r.st.mu.Unlock()
	defer r.st.wg.Done()
	defer ln.Close()

	var delay time.Duration // since the last temporary Accept error
	for {
		conn, err := ln.Accept()
		r.st.mu.Lock()
		if r.st.stopped {
			r.st.mu.Unlock()
			if conn != nil {
				conn.Close()
			}
			return nil
		}
		if ne := net.Error(nil); errors.As(err, &ne) && ne.Temporary() {
			// Out of file descriptors, say: back off, do not stop the room.
			r.st.mu.Unlock()
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		if err != nil {
			r.st.mu.Unlock()
			return fmt.Errorf("chat: accept on %s: %w", ln.Addr(), err)
		}
		delay = 0
		m := &member{conn: conn, wake: make(chan struct{}, 1)}
		r.st.all[m] = struct{}{}
		r.st.wg.Add(2) // under mu, so never after Stop's Wait began
		r.st.mu.Unlock()
		go r.writeLoop(m)
		go r.readLoop(m)
	}
}

// Stop closes the listener and every member's connection, and returns once
// Serve and every goroutine the room started have ended. Stop before Serve
// makes Serve return at once; a second Stop does nothing.
func (r *Room) Stop() error {
	r.st.mu.Lock()
	r.st.stopped = true
	ln := r.st.ln
	for m := range r.st.all {
		r.removeLocked(m)
		m.conn.Close() // not a write: closing never blocks
	}
	r.st.mu.Unlock()
	var err error
	if ln != nil {
		if cerr := ln.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) {
			err = fmt.Errorf("chat: close listener: %w", cerr)
		}
	}
	r.st.wg.Wait()
	return err
}

// Members returns the names of the members in the room, sorted. In Notes
// a member's name is PyRepr of its address.
func (r *Room) Members() []string {
	r.st.mu.Lock()
	defer r.st.mu.Unlock()
	var names []string
	for m := range r.st.all {
		if m.joined {
			names = append(names, m.name)
		}
	}
	slices.Sort(names)
	return names
}

// lock and unlock guard the room's state; unlock hands the log lines
// gathered meanwhile to Logf, after releasing the lock.
func (r *Room) lock() { r.st.mu.Lock() }

func (r *Room) unlock() {
	logs := r.st.logs
	r.st.logs = nil
	r.st.mu.Unlock()
	if r.Logf != nil {
		for _, l := range logs {
			r.Logf("%s", l)
		}
	}
}

func (r *Room) logLocked(format string, args ...any) {
	if r.Logf != nil {
		r.st.logs = append(r.st.logs, fmt.Sprintf(format, args...))
	}
}

func (r *Room) queueLen() int {
	if r.QueueLen > 0 {
		return r.QueueLen
	}
	return DefaultQueueLen
}

// sendLocked queues msg for m. It never blocks: a member whose queue is
// full is returned as slow, for the caller to drop.
func (r *Room) sendLocked(m *member, msg []byte) (slow bool) {
	if m.gone {
		return false
	}
	if len(m.queue) >= r.queueLen() {
		return true
	}
	m.queue = append(m.queue, msg)
	select {
	case m.wake <- struct{}{}:
	default: // the writer has a wake-up pending already
	}
	return false
}

// broadcastLocked queues msg for every joined member but except (nil for
// all), then drops the members that were too slow to take it, telling the
// others, which may in turn find more slow members.
func (r *Room) broadcastLocked(msg []byte, except *member) {
	var slow []*member
	for m := range r.st.all {
		if m.joined && m != except && r.sendLocked(m, msg) {
			slow = append(slow, m)
		}
	}
	for len(slow) > 0 {
		m := slow[0]
		slow = slow[1:]
		if m.gone {
			continue
		}
		r.removeLocked(m)
		m.conn.Close() // its writer may be stuck in Write: this frees it
		r.logLocked("%s dropped (too slow)", m.name)
		if r.Proto == Notes {
			continue // the notes announce nothing
		}
		notice := []byte("* " + m.name + " dropped (too slow)\n")
		for o := range r.st.all {
			if o.joined && r.sendLocked(o, notice) {
				slow = append(slow, o)
			}
		}
	}
}

// removeLocked takes m out of the room. Its writer flushes what is queued
// and closes the connection.
func (r *Room) removeLocked(m *member) bool {
	if m.gone {
		return false
	}
	m.gone = true
	delete(r.st.all, m)
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return true
}

// leave removes m after its connection ended or it quit, and tells the
// others if it had joined.
func (r *Room) leave(m *member) {
	r.lock()
	defer r.unlock()
	if !r.removeLocked(m) || !m.joined {
		return
	}
	r.logLocked("%s left", m.name)
	if r.Proto == Lines {
		r.broadcastLocked([]byte("* "+m.name+" left\n"), m)
	}
}

// writeLoop writes m's queue to its connection, in batches, without the
// room's lock: one writev per batch (net.Buffers).
func (r *Room) writeLoop(m *member) {
	defer r.st.wg.Done()
	defer m.conn.Close() // after a write error too: the reader then ends
	for range m.wake {
		r.st.mu.Lock()
		batch := m.queue
		m.queue, m.spare = m.spare, nil
		gone := m.gone
		r.st.mu.Unlock()
		if len(batch) > 0 {
			bufs := net.Buffers(batch)
			if _, err := bufs.WriteTo(m.conn); err != nil {
				return
			}
			r.st.mu.Lock()
			m.spare = batch[:0]
			r.st.mu.Unlock()
		}
		if gone {
			return
		}
	}
}

func (r *Room) readLoop(m *member) {
	defer r.st.wg.Done()
	if r.Proto == Notes {
		r.serveNotes(m)
	} else {
		r.serveLines(m)
	}
}

// serveNotes is the notes' __recv: relay each chunk, prefixed, to everyone.
func (r *Room) serveNotes(m *member) {
	r.lock()
	m.name = PyRepr(m.conn.RemoteAddr())
	m.joined = true
	r.logLocked("%s joined", m.name)
	r.unlock()
	prefix := m.name + ":"
	buf := make([]byte, 1024)
	for {
		n, err := m.conn.Read(buf)
		if n > 0 {
			if string(buf[:n]) == "quit" {
				break
			}
			msg := make([]byte, 0, len(prefix)+n)
			msg = append(append(msg, prefix...), buf[:n]...)
			r.lock()
			r.broadcastLocked(msg, nil) // the sender too, as in the notes
			r.unlock()
		}
		if err != nil {
			break // the notes' loop spins on EOF; a closed peer has left
		}
	}
	r.leave(m)
}

// serveLines reads m's name, then its lines and commands.
func (r *Room) serveLines(m *member) {
	br := bufio.NewReader(m.conn)
	name, err := ReadLine(br)
	if err != nil {
		r.leave(m)
		return
	}
	r.lock()
	if msg := r.nameProblemLocked(name, m); msg != "" {
		r.sendLocked(m, []byte("! "+msg+"\n"))
		r.removeLocked(m) // the writer sends the error, then closes
		r.unlock()
		return
	}
	m.name = name
	m.joined = true
	r.logLocked("%s joined", name)
	r.broadcastLocked([]byte("* "+name+" joined\n"), nil)
	r.unlock()

	for {
		line, err := ReadLine(br)
		if errors.Is(err, ErrLineTooLong) {
			r.lock()
			r.sendLocked(m, []byte(fmt.Sprintf("! line too long (max %d bytes)\n", MaxLine)))
			r.unlock()
		}
		if err != nil {
			break
		}
		if strings.HasPrefix(line, "/") && !strings.HasPrefix(line, "//") {
			if quit := r.command(m, line); quit {
				break
			}
			continue
		}
		line = strings.TrimPrefix(line, "/") // "//x" says "/x"
		r.lock()
		if !m.gone {
			msg := make([]byte, 0, len(m.name)+len(line)+3) // one allocation, shared by every member
			msg = append(append(append(append(msg, m.name...), ": "...), line...), '\n')
			r.broadcastLocked(msg, m)
		}
		r.unlock()
	}
	r.leave(m)
}

// command runs one "/..." line from m and reports whether m quits.
func (r *Room) command(m *member, line string) (quit bool) {
	cmd, arg, _ := strings.Cut(line, " ")
	r.lock()
	defer r.unlock()
	if m.gone {
		return true // dropped meanwhile
	}
	reply := func(s string) { r.sendLocked(m, []byte(s+"\n")) }
	switch cmd {
	case "/quit":
		return true
	case "/who":
		var names []string
		for o := range r.st.all {
			if o.joined {
				names = append(names, o.name)
			}
		}
		slices.Sort(names)
		reply("* members: " + strings.Join(names, ", "))
	case "/nick":
		if arg == "" {
			reply("! usage: /nick NAME")
			return false
		}
		if msg := r.nameProblemLocked(arg, m); msg != "" {
			reply("! " + msg)
			return false
		}
		if arg == m.name {
			return false
		}
		old := m.name
		m.name = arg
		r.logLocked("%s is now %s", old, arg)
		r.broadcastLocked([]byte("* "+old+" is now "+arg+"\n"), nil)
	default:
		reply("! unknown command " + cmd + " (try /nick NAME, /who, /quit)")
	}
	return false
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
	if name == "" || len(name) > MaxName || !utf8.ValidString(name) {
		return false
	}
	if strings.ContainsAny(name[:1], "/*!") || strings.ContainsAny(name, ":,") {
		return false
	}
	for _, c := range name {
		if unicode.IsSpace(c) || unicode.IsControl(c) || c == utf8.RuneError {
			return false
		}
	}
	return true
}

// nameProblemLocked says why m may not take name, or "" if it may.
func (r *Room) nameProblemLocked(name string, m *member) string {
	if !ValidName(name) {
		return fmt.Sprintf("invalid name %q: 1 to %d bytes, no spaces, \":\" or \",\", not starting with /, * or !", name, MaxName)
	}
	for o := range r.st.all {
		if o != m && o.joined && o.name == name {
			return "name " + name + " is taken"
		}
	}
	return ""
}
