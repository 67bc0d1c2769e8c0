package socketserver

import (
	"net"
)

// ListenUnix listens for stream connections on the Unix socket file path,
// for a StreamServer (Python's UnixStreamServer). The file is created by
// listening and removed when the listener is closed. An existing file at
// path is an error (the address is in use, or a crashed server left it).
func ListenUnix(path string) (net.Listener, error) {
	// TODO(step 4): listen on the Unix socket file path. See README.md, step 4.
	return nil, ErrTODO
}

// ListenUnixgram opens a Unix datagram socket bound to the file path, for
// a DatagramServer (Python's UnixDatagramServer) or for a client that
// wants replies (a datagram needs a return address). Closing it removes
// the file. An existing file at path is an error.
func ListenUnixgram(path string) (net.PacketConn, error) {
	// TODO(step 4): bind a Unix datagram socket to path, removing the file on Close. See README.md, step 4.
	return nil, ErrTODO
}
