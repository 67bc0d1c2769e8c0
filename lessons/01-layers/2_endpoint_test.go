package layers

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/netkata/netkata/internal/readme"
	"github.com/stretchr/testify/require"
)

func TestStep2_ParseEndpoint(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		in     string
		family Family
		addr   string
		port   uint16
	}{
		{"10.77.0.2:8080", AFInet, "10.77.0.2", 8080},
		{"127.0.0.1:0", AFInet, "127.0.0.1", 0},
		{"0.0.0.0:65535", AFInet, "0.0.0.0", 65535},
		{"192.168.1.1:00080", AFInet, "192.168.1.1", 80},
		{"[fd00:77::2]:9999", AFInet6, "fd00:77::2", 9999},
		{"[::1]:1", AFInet6, "::1", 1},
		{"[::]:443", AFInet6, "::", 443},
		{"[FE80::1:2]:22", AFInet6, "fe80::1:2", 22},
		{"[::ffff:10.0.0.1]:80", AFInet6, "::ffff:10.0.0.1", 80},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseEndpoint(tc.in)
			require.NoError(t, err, "ParseEndpoint(%q)", tc.in)
			want := Endpoint{Family: tc.family, Addr: netip.MustParseAddr(tc.addr), Port: tc.port}
			require.Equal(t, want, got, "ParseEndpoint(%q) = %+v, want %+v", tc.in, got, want)
		})
	}
}

func TestStep2_MalformedEndpoints(t *testing.T) {
	readme.Explain(t)
	tests := []struct {
		in   string
		want error
	}{
		{"10.0.0.1", ErrMissingPort},
		{"10.0.0.1:", ErrMissingPort},
		{"[::1]", ErrMissingPort},
		{"[::1]:", ErrMissingPort},
		{"", ErrMissingPort},
		{"10.0.0.1:http", ErrBadPort},
		{"10.0.0.1:+80", ErrBadPort},
		{"10.0.0.1:-1", ErrBadPort},
		{"10.0.0.1:8 0", ErrBadPort},
		{"10.0.0.1:0x50", ErrBadPort},
		{"[::1]:８０", ErrBadPort}, // full-width digits are not ASCII digits
		{"10.0.0.1:65536", ErrPortRange},
		{"10.0.0.1:70000", ErrPortRange},
		{"10.0.0.1:999999", ErrPortRange},
		{"10.0.0.1:18446744073709551617", ErrPortRange}, // 2^64+1 must not wrap around
		{"[::1]:65536", ErrPortRange},
		{"::1:80", ErrNeedBrackets},
		{"fd00:77::2:9999", ErrNeedBrackets},
		{"fd00::1", ErrNeedBrackets},
		{":80", ErrEmptyHost},
		{"[]:80", ErrEmptyHost},
		{"localhost:80", ErrNotIP},
		{"example.com:443", ErrNotIP},
		{"10.0.0.256:80", ErrNotIP},
		{"10.0.0:80", ErrNotIP},
		{"[x::y]:80", ErrNotIP},
		{"[fe80::1%eth0]:80", ErrZone},
		{"[10.0.0.1]:80", ErrSyntax},
		{"[::1]80", ErrSyntax},
		{"[::1:80", ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseEndpoint(tc.in)
			require.ErrorIs(t, err, tc.want, "ParseEndpoint(%q) = %+v, %v; want error %v", tc.in, got, err, tc.want)
			require.Contains(t, err.Error(), strconv.Quote(tc.in), "the error of ParseEndpoint(%q) should quote the input", tc.in)
			require.Equal(t, Endpoint{}, got, "ParseEndpoint(%q) returned a value with its error", tc.in)
		})
	}
}

func TestStep2_EveryPort(t *testing.T) {
	readme.Explain(t)
	// A port is 16 bits: every value 0..65535 parses, 65536 and up do not.
	for port := 0; port <= 65536+100; port++ {
		in := "10.1.2.3:" + strconv.Itoa(port)
		got, err := ParseEndpoint(in)
		if port > 65535 {
			require.ErrorIs(t, err, ErrPortRange, "ParseEndpoint(%q)", in)
			continue
		}
		if err != nil || int(got.Port) != port {
			t.Fatalf("ParseEndpoint(%q) = %+v, %v; want port %d", in, got, err, port)
		}
	}
}
