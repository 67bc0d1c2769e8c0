package loopback

import (
	"bufio"
	"io"
	"net"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFakeServesEachConnection(t *testing.T) {
	var served atomic.Int32
	addr := Fake(t, func(conn net.Conn) {
		served.Add(1)
		line, _ := bufio.NewReader(conn).ReadString('\n')
		io.WriteString(conn, "echo: "+line)
	})
	for _, msg := range []string{"one\n", "two\n"} {
		c := Dial(t, addr)
		_, err := io.WriteString(c, msg)
		require.NoError(t, err)
		got, err := io.ReadAll(c) // Fake closes the connection after handle
		require.NoError(t, err)
		require.Equal(t, "echo: "+msg, string(got))
		c.Close()
	}
	require.Equal(t, int32(2), served.Load())
}
