package layers

import (
	"errors"
	"fmt"
	"net/netip"
)

// Family is an address family (协议族), the first argument of socket().
type Family int

// The address families of the notes.
const (
	AFInet  Family = 1 // AF_INET: IPv4, 32-bit addresses
	AFInet6 Family = 2 // AF_INET6: IPv6, 128-bit addresses
	AFUnix  Family = 3 // AF_UNIX: Unix domain sockets, named by a file path (not on Windows)
)

// String returns the C name, "AF_INET" for AFInet.
func (f Family) String() string {
	switch f {
	case AFInet:
		return "AF_INET"
	case AFInet6:
		return "AF_INET6"
	case AFUnix:
		return "AF_UNIX"
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// Endpoint is one end of a conversation: an IP address names the host, a
// port names the process on it.
type Endpoint struct {
	Family Family     // AFInet or AFInet6
	Addr   netip.Addr // no zone
	Port   uint16     // 0..65535
}

// String returns the endpoint as ParseEndpoint reads it: "10.0.0.1:80" or
// "[fd00::1]:80".
func (e Endpoint) String() string {
	return netip.AddrPortFrom(e.Addr, e.Port).String()
}

// The ways an endpoint can be malformed. ParseEndpoint wraps them with the
// input quoted.
var (
	ErrMissingPort  = errors.New("layers: missing port")
	ErrBadPort      = errors.New("layers: port is not a decimal number")
	ErrPortRange    = errors.New("layers: port out of range 0..65535")
	ErrNeedBrackets = errors.New("layers: IPv6 address needs brackets, as in [::1]:80")
	ErrEmptyHost    = errors.New("layers: empty host")
	ErrNotIP        = errors.New("layers: host is not an IP address")
	ErrZone         = errors.New("layers: zoned IPv6 addresses are not supported")
	ErrSyntax       = errors.New("layers: malformed endpoint")
)

// ParseEndpoint parses "host:port", where host is an IPv4 address in
// dotted decimal, or "[host]:port" where host is an IPv6 address:
//
//	10.77.0.2:8080      AF_INET
//	[fd00:77::2]:9999   AF_INET6
//	[::ffff:1.2.3.4]:80 AF_INET6 (an IPv4-mapped IPv6 address stays IPv6)
//
// The port is decimal digits (no sign) with a value in 0..65535. Every
// malformed input is an error wrapping one sentinel, with the input quoted:
//
//	"10.0.0.1", "10.0.0.1:", "[::1]"           ErrMissingPort
//	"10.0.0.1:http", "10.0.0.1:+80", ":-1"     ErrBadPort
//	"10.0.0.1:65536", "10.0.0.1:999999"        ErrPortRange
//	"::1:80", "fd00::1"                        ErrNeedBrackets
//	":80", "[]:80"                             ErrEmptyHost
//	"localhost:80", "10.0.0.256:80", "[x]:80"  ErrNotIP
//	"[fe80::1%eth0]:80"                        ErrZone
//	"[10.0.0.1]:80", "[::1]80", "[::1:80"      ErrSyntax
//
// Host names are not resolved: that is DNS's job, an application protocol.
func ParseEndpoint(s string) (Endpoint, error) {
	// TODO(step 2): split host and port, check each, say what is wrong. See README.md, step 2.
	return Endpoint{}, ErrTODO
}
