package socketserver

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
)

// ListenUnix listens for stream connections on the Unix socket file path,
// for a StreamServer (Python's UnixStreamServer). The file is created by
// listening and removed when the listener is closed. An existing file at
// path is an error (the address is in use, or a crashed server left it).
func ListenUnix(path string) (net.Listener, error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("socketserver: listen on unix socket %q: %w", path, err)
	}
	// net.Listen's UnixListener unlinks its file on Close already; say so.
	ln.(*net.UnixListener).SetUnlinkOnClose(true)
	return ln, nil
}

// ListenUnixgram opens a Unix datagram socket bound to the file path, for
// a DatagramServer (Python's UnixDatagramServer) or for a client that
// wants replies (a datagram needs a return address). Closing it removes
// the file. An existing file at path is an error.
func ListenUnixgram(path string) (net.PacketConn, error) {
	pc, err := net.ListenPacket("unixgram", path)
	if err != nil {
		return nil, fmt.Errorf("socketserver: listen on unixgram socket %q: %w", path, err)
	}
	return &unlinkOnClose{UnixConn: pc.(*net.UnixConn), path: path}, nil
}

// unlinkOnClose is a Unix datagram socket that removes its file when closed:
// unlike a UnixListener, a UnixConn leaves it behind.
type unlinkOnClose struct {
	*net.UnixConn
	path string
}

func (u *unlinkOnClose) Close() error {
	err := u.UnixConn.Close()
	if errors.Is(err, net.ErrClosed) {
		return err // closed before: the file is gone already
	}
	if rerr := os.Remove(u.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
		err = fmt.Errorf("socketserver: remove %q: %w", u.path, rerr)
	}
	return err
}
