package layers

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// LinkTypeEthernet is the pcap link type of Ethernet II frames, the only
// one this lesson reads.
const LinkTypeEthernet = 1

// MaxSnapLen bounds a record's captured length, whatever the file header
// says: no real capture has longer packets, and a corrupt length must not
// make the reader allocate gigabytes.
const MaxSnapLen = 262144

// Errors of the pcap reader.
var (
	ErrNotPcap   = errors.New("layers: not a classic pcap file")
	ErrLinkType  = errors.New("layers: link type is not Ethernet (1)")
	ErrTruncated = errors.New("layers: file cut short")
	ErrCorrupt   = errors.New("layers: corrupt record header")
)

// RecordError is an error in one packet record of a pcap file.
type RecordError struct {
	Record int   // the record's number, from 1
	Offset int64 // the byte offset of its 16-byte record header in the file
	Err    error // ErrTruncated, ErrCorrupt, or an error of the reader
}

// Error reads like "pcap record 4 at byte offset 286: ...".
func (e *RecordError) Error() string {
	return fmt.Sprintf("pcap record %d at byte offset %d: %v", e.Record, e.Offset, e.Err)
}

// Unwrap returns e.Err.
func (e *RecordError) Unwrap() error { return e.Err }

// Record is one packet of a pcap file.
type Record struct {
	N       int       // the record's number, from 1
	Offset  int64     // the byte offset of its record header in the file
	Time    time.Time // when the packet was captured
	OrigLen int       // the packet's length on the wire
	Data    []byte    // the captured bytes (CapLen of them); valid until the next call of Next
}

// PcapReader reads the packet records of a classic libpcap file:
//
//	file header, 24 bytes:
//	  magic       4  a1b2c3d4 (microsecond timestamps) or a1b23c4d (nanosecond),
//	                 in the writer's byte order: d4 c3 b2 a1 means little-endian
//	  version     4  major 2, minor 4 (2 bytes each)
//	  thiszone    4  ignored
//	  sigfigs     4  ignored
//	  snaplen     4  the longest record the writer kept (0: not set, so
//	                 MaxSnapLen)
//	  linktype    4  1 for Ethernet
//	then records, each a 16-byte header and the captured bytes:
//	  ts_sec      4  seconds since 1970
//	  ts_frac     4  microseconds (or nanoseconds)
//	  caplen      4  bytes captured, which follow
//	  origlen     4  bytes on the wire
type PcapReader struct {
	r      io.Reader
	order  binary.ByteOrder
	nanos  bool   // timestamps in nanoseconds
	snap   int    // the header's snaplen, capped at MaxSnapLen
	offset int64  // of the next record
	n      int    // records read
	buf    []byte // the last record's data
	err    error  // sticky: once broken, always broken
}

// NewPcapReader reads the file header from r and returns a reader for its
// records. A file that does not start with a pcap magic number in either
// byte order, or has a version other than 2.4, is ErrNotPcap; a link type
// other than Ethernet is ErrLinkType; a file shorter than its header is
// ErrTruncated.
func NewPcapReader(r io.Reader) (*PcapReader, error) {
	var h [24]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = ErrTruncated
		}
		return nil, fmt.Errorf("read pcap file header: %w", err)
	}
	p := &PcapReader{r: r, offset: 24}
	switch {
	case binary.LittleEndian.Uint32(h[:]) == 0xa1b2c3d4:
		p.order = binary.LittleEndian
	case binary.BigEndian.Uint32(h[:]) == 0xa1b2c3d4:
		p.order = binary.BigEndian
	case binary.LittleEndian.Uint32(h[:]) == 0xa1b23c4d:
		p.order, p.nanos = binary.LittleEndian, true
	case binary.BigEndian.Uint32(h[:]) == 0xa1b23c4d:
		p.order, p.nanos = binary.BigEndian, true
	default:
		return nil, fmt.Errorf("read pcap file header: magic % x: %w", h[:4], ErrNotPcap)
	}
	if major, minor := p.order.Uint16(h[4:]), p.order.Uint16(h[6:]); major != 2 || minor != 4 {
		return nil, fmt.Errorf("read pcap file header: version %d.%d: %w", major, minor, ErrNotPcap)
	}
	if lt := p.order.Uint32(h[20:]); lt != LinkTypeEthernet {
		return nil, fmt.Errorf("read pcap file header: link type %d: %w", lt, ErrLinkType)
	}
	p.snap = MaxSnapLen
	if s := p.order.Uint32(h[16:]); s > 0 && s < MaxSnapLen {
		p.snap = int(s)
	}
	return p, nil
}

// Next returns the next record, or io.EOF after the last one. A record cut
// short (a partial record header, or fewer data bytes left than its caplen
// announces) is a *RecordError wrapping ErrTruncated; a caplen above the
// file's snaplen (or MaxSnapLen) or above origlen is a *RecordError
// wrapping ErrCorrupt. After an error, Next returns the same error again.
func (p *PcapReader) Next() (Record, error) {
	if p.err != nil {
		return Record{}, p.err
	}
	rec, err := p.next()
	if err != nil {
		p.err = err
	}
	return rec, err
}

func (p *PcapReader) next() (Record, error) {
	n, off := p.n+1, p.offset
	fail := func(err error) (Record, error) {
		return Record{}, &RecordError{Record: n, Offset: off, Err: err}
	}
	var h [16]byte
	if got, err := io.ReadFull(p.r, h[:]); err != nil {
		switch {
		case errors.Is(err, io.EOF):
			return Record{}, io.EOF // a clean end, between records
		case errors.Is(err, io.ErrUnexpectedEOF):
			return fail(fmt.Errorf("only %d of the 16 bytes of the record header: %w", got, ErrTruncated))
		}
		return fail(err)
	}
	sec, frac := p.order.Uint32(h[0:]), p.order.Uint32(h[4:])
	capLen, origLen := p.order.Uint32(h[8:]), p.order.Uint32(h[12:])
	if capLen > uint32(p.snap) || capLen > origLen {
		return fail(fmt.Errorf("caplen %d, origlen %d, snaplen %d: %w", capLen, origLen, p.snap, ErrCorrupt))
	}
	if cap(p.buf) < int(capLen) {
		p.buf = make([]byte, capLen)
	}
	data := p.buf[:capLen]
	if got, err := io.ReadFull(p.r, data); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fail(fmt.Errorf("header says %d captured bytes but only %d are left: %w", capLen, got, ErrTruncated))
		}
		return fail(err)
	}
	nsec := int64(frac) * 1000
	if p.nanos {
		nsec = int64(frac)
	}
	p.n, p.offset = n, off+16+int64(capLen)
	return Record{N: n, Offset: off, Time: time.Unix(int64(sec), nsec).UTC(), OrigLen: int(origLen), Data: data}, nil
}
