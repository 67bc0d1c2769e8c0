package layers

// Checksum returns the Internet checksum of b (RFC 1071), the checksum of
// the IPv4 header, ICMP, UDP and TCP: the one's complement of the one's
// complement sum of b taken as big-endian 16-bit words. An odd final byte
// is the high byte of a last word whose low byte is 0.
//
// RFC 1071's example: the words of 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2,
// so their checksum is 0x220d. Data that holds its own correct checksum
// (a received IPv4 header, say) has checksum 0.
func Checksum(b []byte) uint16 {
	var sum uint64 // room for 2^48 bytes of carries: fold once, at the end
	for len(b) >= 8 {
		sum += uint64(b[0])<<8 | uint64(b[1])
		sum += uint64(b[2])<<8 | uint64(b[3])
		sum += uint64(b[4])<<8 | uint64(b[5])
		sum += uint64(b[6])<<8 | uint64(b[7])
		b = b[8:]
	}
	for len(b) >= 2 {
		sum += uint64(b[0])<<8 | uint64(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint64(b[0]) << 8 // RFC 1071 4.1: pad on the right with a zero byte
	}
	// Fold the carries back in: end-around carry. Folding once can carry
	// again (0xffff + 0x1), so fold until nothing is left above bit 15.
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
