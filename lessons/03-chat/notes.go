package chat

import "net"

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
	// TODO(step 2): a 2-tuple for IPv4, a 4-tuple for IPv6. See README.md, step 2.
	return ""
}
