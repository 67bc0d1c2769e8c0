package layers

import (
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

func TestStep1_ProtocolLayers(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		protocol string
		want     Layer
	}{
		// The notes' table (OSI层 | 功能 | TCP/IP协议), row by row.
		{"HTTP", ApplicationLayer},
		{"FTP", ApplicationLayer},
		{"SMTP", ApplicationLayer},
		{"DNS", ApplicationLayer},
		{"Telnet", ApplicationLayer},
		{"TCP", TransportLayer},
		{"UDP", TransportLayer},
		{"IP", InternetLayer},
		{"ICMP", InternetLayer},
		{"ARP", LinkLayer},
		// Case does not matter.
		{"http", ApplicationLayer},
		{"telnet", ApplicationLayer},
		{"Udp", TransportLayer},
		{"arp", LinkLayer},
	}
	for _, tc := range tests {
		t.Run(tc.protocol, func(t *testing.T) {
			got, err := LayerOf(tc.protocol)
			require.NoError(t, err, "LayerOf(%q)", tc.protocol)
			require.Equal(t, tc.want, got, "LayerOf(%q) = %v, want %v", tc.protocol, got, tc.want)
		})
	}
	// Names outside the table are errors, not guesses: "Tenlnet" is the
	// notes' typo for Telnet, "HTTPS" and "IPv6" are not in the table.
	for _, name := range []string{"Tenlnet", "HTTPS", "IPv6", "Ethernet", "", " TCP", "TCP/IP"} {
		t.Run("unknown "+name, func(t *testing.T) {
			got, err := LayerOf(name)
			require.ErrorIs(t, err, ErrUnknownProtocol, "LayerOf(%q) = %v, %v; want ErrUnknownProtocol", name, got, err)
			require.Contains(t, err.Error(), `"`+name+`"`, "the error should quote the name")
			require.Zero(t, got, "LayerOf(%q) returned a layer with its error", name)
		})
	}
}

func TestStep1_OSIMapping(t *testing.T) {
	readme.Explain(t)
	want := map[OSILayer]Layer{
		Physical:     LinkLayer,
		DataLink:     LinkLayer,
		Network:      InternetLayer,
		Transport:    TransportLayer,
		Session:      ApplicationLayer,
		Presentation: ApplicationLayer,
		Application:  ApplicationLayer,
	}
	for o := Physical; o <= Application; o++ {
		got, err := TCPIPLayer(o)
		require.NoError(t, err, "TCPIPLayer(%v)", o)
		require.Equal(t, want[o], got, "TCPIPLayer(%v) = %v, want %v", o, got, want[o])
	}
	for _, o := range []OSILayer{0, 8, -1} {
		_, err := TCPIPLayer(o)
		require.ErrorIs(t, err, ErrNoSuchLayer, "TCPIPLayer(%d)", int(o))
	}

	wantOSI := map[Layer][]OSILayer{
		LinkLayer:        {Physical, DataLink},
		InternetLayer:    {Network},
		TransportLayer:   {Transport},
		ApplicationLayer: {Session, Presentation, Application},
	}
	for l := LinkLayer; l <= ApplicationLayer; l++ {
		got, err := OSILayers(l)
		require.NoError(t, err, "OSILayers(%v)", l)
		require.Equal(t, wantOSI[l], got, "OSILayers(%v), bottom up", l)
		for _, o := range got { // the two mappings agree
			back, err := TCPIPLayer(o)
			require.NoError(t, err)
			require.Equal(t, l, back, "OSILayers(%v) holds %v, but TCPIPLayer(%v) = %v", l, o, o, back)
		}
	}
	for _, l := range []Layer{0, 5, -1} {
		_, err := OSILayers(l)
		require.ErrorIs(t, err, ErrNoSuchLayer, "OSILayers(%d)", int(l))
	}

	// The names the messages above print (OSILayer.String is given).
	names := []string{"physical", "data link", "network", "transport", "session", "presentation", "application"}
	for i, want := range names {
		o := OSILayer(i + 1)
		require.Equal(t, want, o.String(), "OSILayer(%d).String()", i+1)
	}
	for _, o := range []OSILayer{0, 8, -1} {
		require.NotContains(t, names, o.String(), "OSILayer(%d).String(): a number outside 1..7 is no layer", int(o))
	}
}

func TestStep1_SocketTypes(t *testing.T) {
	readme.Explain(t)
	for _, tc := range []struct {
		transport string
		want      SocketType
	}{{"TCP", SockStream}, {"tcp", SockStream}, {"UDP", SockDgram}, {"udp", SockDgram}} {
		got, err := SocketTypeFor(tc.transport)
		require.NoError(t, err, "SocketTypeFor(%q)", tc.transport)
		require.Equal(t, tc.want, got, "SocketTypeFor(%q) = %v, want %v", tc.transport, got, tc.want)
	}
	for _, name := range []string{"IP", "HTTP", "ICMP", "SCTP", ""} {
		_, err := SocketTypeFor(name)
		require.ErrorIs(t, err, ErrUnknownProtocol, "SocketTypeFor(%q): only transport protocols have a socket type", name)
	}
}
