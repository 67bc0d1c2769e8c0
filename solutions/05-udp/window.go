package udp

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"
)

// SendWindow sends everything r holds to a receiver at to like
// SendStopAndWait, with the same datagrams, but keeps up to cfg.Window
// DATA datagrams in flight instead of one (a sliding window, Selective
// Repeat): chunks base to base+Window-1 may be unacknowledged at once, and
// the window slides forward past every chunk whose ACK has come.
//
// Like SendStopAndWait it draws a new random session for the transfer and
// ignores answers of another session. An ACK acknowledges exactly the chunk
// it names, whatever order ACKs arrive in; a duplicate or stale ACK changes
// nothing (no timer restarts). Each chunk has its
// own retransmission timer: a chunk unacknowledged cfg.Timeout after it was
// last sent is sent again (only that chunk), up to cfg.Retries sends, then
// SendWindow returns an error wrapping ErrGaveUp. Once every chunk is
// acknowledged it closes the stream with FIN and FINACK as SendStopAndWait
// does. It returns nil once the FIN is acknowledged, and ctx's error if
// ctx ends first.
func SendWindow(ctx context.Context, pc net.PacketConn, to net.Addr, r io.Reader, cfg Config) error {
	cfg = cfg.WithDefaults()
	stop := context.AfterFunc(ctx, func() { pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()

	type slot struct {
		wire  []byte
		due   time.Time // when to send it again
		sends int
		acked bool
	}
	var (
		base, next uint32 // base: oldest unacknowledged chunk; next: the next new one
		inFlight   = map[uint32]*slot{}
		eof        bool
		chunk      = make([]byte, cfg.Chunk)
		buf        = make([]byte, 65535)
		session    = newSession()
	)
	send := func(seq uint32, s *slot) error {
		if s.sends == cfg.Retries {
			return fmt.Errorf("%w: %c %d sent %d times to %s", ErrGaveUp, KindData, seq, cfg.Retries, to)
		}
		s.sends++
		s.due = time.Now().Add(cfg.Timeout)
		if _, err := pc.WriteTo(s.wire, to); err != nil {
			return fmt.Errorf("arq: send %c %d to %s: %w", KindData, seq, to, err)
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Fill the window with new chunks.
		for !eof && next-base < uint32(cfg.Window) {
			n, err := io.ReadFull(r, chunk)
			if n > 0 {
				s := &slot{wire: Packet{KindData, session, next, chunk[:n]}.Marshal()}
				inFlight[next] = s
				if err := send(next, s); err != nil {
					return err
				}
				next++
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				eof = true
			} else if err != nil {
				return fmt.Errorf("arq: read chunk %d: %w", next, err)
			}
		}
		if eof && base == next {
			break
		}
		// Wait for an ACK until the earliest retransmission is due.
		var deadline time.Time
		for _, s := range inFlight {
			if !s.acked && (deadline.IsZero() || s.due.Before(deadline)) {
				deadline = s.due
			}
		}
		if err := setReadDeadline(ctx, pc, deadline); err != nil {
			return err
		}
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if !isTimeout(err) {
				return fmt.Errorf("arq: wait for ACKs: %w", err)
			}
			now := time.Now()
			for seq := base; seq != next; seq++ {
				if s := inFlight[seq]; !s.acked && !s.due.After(now) {
					if err := send(seq, s); err != nil {
						return err
					}
				}
			}
			continue
		}
		a, err := Unmarshal(buf[:n])
		if err != nil || a.Kind != KindAck || a.Session != session || a.Seq-base >= next-base {
			continue // damaged, not an ACK, another session's, or outside the window
		}
		inFlight[a.Seq].acked = true
		for base != next && inFlight[base].acked {
			delete(inFlight, base)
			base++
		}
	}
	return exchange(ctx, pc, to, Packet{Kind: KindFin, Session: session, Seq: next}, KindFinAck, cfg, buf)
}
