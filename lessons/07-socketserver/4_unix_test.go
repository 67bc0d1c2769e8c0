package socketserver

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/netkata/netkata/internal/loopback"
	"github.com/netkata/netkata/internal/readme"
)

func TestStep4_UnixStreamEcho(t *testing.T) {
	readme.Explain(t)
	path := socketPath(t, "echo.sock")
	ln, err := ListenUnix(path)
	skipUnlessUnix(t, "unix", err)
	require.NoError(t, err, "ListenUnix(%q)", path)
	_, err = os.Stat(path)
	require.NoError(t, err, "the socket file after ListenUnix(%q)", path)

	nl := wrapListener(ln)
	srv := NewStreamServer(nl, NewEcho, Threading())
	run := serveForever(t, srv, nl)
	alice := dialName(t, nl, "alice")
	bob := dialName(t, nl, "bob")
	alice.Write("over a file")
	bob.Write("me too")
	alice.ExpectBytes("Your msg = over a file")
	bob.ExpectBytes("Your msg = me too")
	alice.Write("quit")
	alice.ExpectEOF()
	bob.Write("quit")
	bob.ExpectEOF()

	stopServer(t, srv, run)
	_, err = os.Stat(path)
	require.ErrorIs(t, err, fs.ErrNotExist, "the socket file %s after the server closed: remove it", path)
	ln2, err := ListenUnix(path)
	require.NoError(t, err, "ListenUnix(%q) again after the first server closed", path)
	require.NoError(t, ln2.Close())
}

func TestStep4_UnixDatagramEcho(t *testing.T) {
	readme.Explain(t)
	path := socketPath(t, "echo.dgram")
	pc, err := ListenUnixgram(path)
	skipUnlessUnix(t, "unixgram", err)
	require.NoError(t, err, "ListenUnixgram(%q)", path)
	// A datagram client binds a file of its own: the replies' address.
	clientPath := socketPath(t, "client.dgram")
	cpc, err := ListenUnixgram(clientPath)
	require.NoError(t, err, "ListenUnixgram(%q) for the client", clientPath)
	t.Cleanup(func() { cpc.Close() })

	srv := NewDatagramServer(pc, NewEcho)
	startDatagramServer(t, srv)
	server := &net.UnixAddr{Name: path, Net: "unixgram"}
	for _, msg := range []string{"hello", "你好, unixgram"} {
		_, err := cpc.WriteTo([]byte(msg), server)
		require.NoError(t, err, "send %q to %s", msg, path)
		require.NoError(t, cpc.SetReadDeadline(loopback.Deadline()))
		buf := make([]byte, MaxPacket)
		n, from, err := cpc.ReadFrom(buf)
		require.NoError(t, err, "read the reply to %q", msg)
		require.Equal(t, ReplyPrefix+msg, string(buf[:n]), "the reply to %q from %v", msg, from)
	}

	require.NoError(t, srv.Close(), "Close")
	require.NoError(t, cpc.Close(), "Close the client's socket")
	for _, p := range []string{path, clientPath} {
		_, err = os.Stat(p)
		require.ErrorIs(t, err, fs.ErrNotExist, "the socket file %s after Close: a UnixConn leaves it, ListenUnixgram's Close must remove it", p)
	}

	// A file someone else removed already is no reason for Close to fail.
	gone := socketPath(t, "gone.sock")
	gpc, err := ListenUnixgram(gone)
	require.NoError(t, err, "ListenUnixgram(%q)", gone)
	require.NoError(t, os.Remove(gone))
	require.NoError(t, gpc.Close(), "Close of a unixgram socket whose file was already removed: nothing is left to remove, and that is no error")

	// A path that cannot be removed (another program put a directory with
	// a file in it there) is an error: the next server could not bind it.
	stuck := socketPath(t, "stuck.sock")
	spc, err := ListenUnixgram(stuck)
	require.NoError(t, err, "ListenUnixgram(%q)", stuck)
	require.NoError(t, os.Remove(stuck))
	require.NoError(t, os.Mkdir(stuck, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(stuck, "f"), nil, 0o644))
	require.Error(t, spc.Close(), "Close of a unixgram socket whose path could not be removed (a non-empty directory is there now); want the error of the removal")
}

// socketPath returns a path for a socket file in a directory removed when
// the test ends: t.TempDir, or a shorter one where t.TempDir's path is too
// long for a socket address (about 104 bytes on macOS).
func socketPath(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if len(p) < 100 {
		return p
	}
	dir, err := os.MkdirTemp("", "nk")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, name)
}

// skipUnlessUnix skips the test where the OS has no Unix sockets of this
// kind (Windows has no unixgram); ErrTODO is a failure, not a skip.
func skipUnlessUnix(t *testing.T, network string, err error) {
	t.Helper()
	if err == nil || errors.Is(err, ErrTODO) {
		return
	}
	probe := socketPath(t, "probe")
	var perr error
	if network == "unix" {
		var ln net.Listener
		if ln, perr = net.Listen(network, probe); perr == nil {
			ln.Close()
		}
	} else {
		var pc net.PacketConn
		if pc, perr = net.ListenPacket(network, probe); perr == nil {
			pc.Close()
		}
	}
	if perr != nil {
		t.Skipf("skipped: this OS has no %s sockets: %v", network, perr)
	}
}
