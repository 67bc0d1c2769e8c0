package chat

import (
	"net"
	"strconv"
)

// PyRepr returns what Python's repr prints for the address tuple that
// socket.accept() returns for addr, the prefix of every message in the
// notes' chat room (实现多人聊天群):
//
//	127.0.0.1:54321   ->  ('127.0.0.1', 54321)
//	[::1]:54321       ->  ('::1', 54321, 0, 0)
//	[fe80::1%2]:80    ->  ('fe80::1%2', 80, 0, 2)
//
// An IPv4 address is a 2-tuple (host, port); an IPv6 address is Python's
// 4-tuple (host, port, flowinfo, scope_id), flowinfo always 0 and scope_id
// the zone's interface index (0 without a zone). addr is a *net.TCPAddr or
// *net.UDPAddr; anything else is quoted as a string, ('addr',).
func PyRepr(addr net.Addr) string {
	var ip net.IP
	var port int
	var zone string
	switch a := addr.(type) {
	case *net.TCPAddr:
		ip, port, zone = a.IP, a.Port, a.Zone
	case *net.UDPAddr:
		ip, port, zone = a.IP, a.Port, a.Zone
	default:
		return "(" + pyString(addr.String()) + ",)"
	}
	if ip4 := ip.To4(); ip4 != nil {
		return "(" + pyString(ip4.String()) + ", " + strconv.Itoa(port) + ")"
	}
	host := ip.String()
	scope := 0
	if zone != "" {
		host += "%" + zone
		scope = zoneIndex(zone)
	}
	return "(" + pyString(host) + ", " + strconv.Itoa(port) + ", 0, " + strconv.Itoa(scope) + ")"
}

// zoneIndex turns an IPv6 zone ("2" or "eth0") into an interface index.
func zoneIndex(zone string) int {
	if n, err := strconv.Atoi(zone); err == nil {
		return n
	}
	if ifi, err := net.InterfaceByName(zone); err == nil {
		return ifi.Index
	}
	return 0
}

// pyString is Python's repr of a str with no quotes or backslashes in it
// (true of every address): single quotes around it.
func pyString(s string) string { return "'" + s + "'" }
