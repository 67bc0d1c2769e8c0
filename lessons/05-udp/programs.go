package udp

// You don't need to edit this file.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"time"

	"github.com/netkata/netkata/internal/cli"
	"github.com/netkata/netkata/internal/lossy"
	"github.com/netkata/netkata/internal/sockerr"
)

// UDPEchoMain is the udpecho program: an echo server over UDP. It returns
// the exit status: 0 after SIGINT or SIGTERM, 1 if serving failed, 2 for
// bad flags.
func UDPEchoMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("udpecho", "send every UDP datagram back to where it came from", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9007", "listen on `host:port` (port 0 picks a free one)")
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	return cli.ServePacket("udpecho", "udp", *addr, stdout, stderr, ServeEcho)
}

// UDPClientMain is the udpclient program: it sends each line of stdin as
// one datagram to -addr and prints each reply on a line (control
// characters in it written as escapes: the reply comes from the network).
// A line with no reply within -timeout is sent again, up to -retries
// times. It returns 0, 1 if a line got no reply at all, 2 for bad flags.
func UDPClientMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("udpclient", "send each line of stdin as one UDP datagram and print each reply", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9007", "send to the echo server at `host:port`")
	timeout := fs.Duration("timeout", time.Second, "wait this long for a reply before sending the line again")
	retries := fs.Int("retries", 2, "send a line again this many times before giving up")
	fs.Check(func() error {
		switch {
		case *timeout <= 0:
			return fmt.Errorf("-timeout %v: want more than 0", *timeout)
		case *retries < 0:
			return fmt.Errorf("-retries %d: want 0 or more", *retries)
		}
		return nil
	})
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	server, err := net.ResolveUDPAddr("udp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "udpclient: -addr %v\n", err)
		return 2
	}
	pc, err := net.ListenUDP("udp", nil)
	if err != nil {
		fmt.Fprintf(stderr, "udpclient: %v\n", err)
		return 1
	}
	defer pc.Close()
	sc := bufio.NewScanner(stdin)
	var stale []byte // the last line, if it was sent more than once: its extra echoes may still come
	for sc.Scan() {
		reply, sends, err := echoRetry(pc, server, sc.Bytes(), stale, *timeout, *retries)
		if err != nil {
			fmt.Fprintf(stderr, "udpclient: no reply after %d sends, %v apart: %v\n", sends, *timeout, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", cli.Printable(string(reply)))
		stale = nil
		if sends > 1 {
			stale = bytes.Clone(sc.Bytes())
		}
	}
	return 0
}

// echoRetry sends msg with Echo and waits timeout for the reply, up to
// 1+retries times. A reply equal to stale (the previous line, sent more
// than once) is a late echo of that line, not msg's reply. It returns the
// reply and how many times msg was sent.
func echoRetry(pc *net.UDPConn, server net.Addr, msg, stale []byte, timeout time.Duration, retries int) ([]byte, int, error) {
	for sends := 1; ; sends++ {
		pc.SetReadDeadline(time.Now().Add(timeout))
		reply, err := Echo(pc, server, msg)
		for err == nil && stale != nil && bytes.Equal(reply, stale) && !bytes.Equal(reply, msg) {
			reply, err = readFromAddr(pc, server)
		}
		if err == nil {
			return reply, sends, nil
		}
		if !sockerr.IsTimeout(err) || sends > retries {
			return nil, sends, err
		}
	}
}

// readFromAddr returns the next datagram from addr, ignoring others.
func readFromAddr(pc *net.UDPConn, addr net.Addr) ([]byte, error) {
	buf := make([]byte, 65535)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			return nil, err
		}
		if from.String() == addr.String() {
			return buf[:n], nil
		}
	}
}

// PingMain is the ping program: it pings a UDP echo server and prints what
// ping prints. It returns 0 if any probe was answered, 1 if none was (or
// it failed), 2 for bad flags.
func PingMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("ping", "ping a UDP echo server and print round-trip times and loss, like ping", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9007", "ping the UDP echo server at `host:port`")
	count := fs.Int("c", 4, "send this many probes")
	interval := fs.Duration("i", time.Second, "wait this long between probes")
	wait := fs.Duration("W", time.Second, "wait this long for replies after the last probe")
	fs.Check(func() error {
		switch {
		case *count < 1:
			return fmt.Errorf("-c %d: want 1 or more", *count)
		case *interval < 0:
			return fmt.Errorf("-i %v: want 0 or more", *interval)
		case *wait < 0:
			return fmt.Errorf("-W %v: want 0 or more", *wait)
		}
		return nil
	})
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	server, err := net.ResolveUDPAddr("udp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "ping: -addr %v\n", err)
		return 2
	}
	pc, err := net.ListenUDP("udp", nil)
	if err != nil {
		fmt.Fprintf(stderr, "ping: %v\n", err)
		return 1
	}
	defer pc.Close()
	ctx, stop := cli.SignalContext()
	defer stop()
	fmt.Fprintf(stdout, "PING %s: %d data bytes\n", server, ProbeSize)
	p := &Pinger{Count: *count, Interval: *interval, Wait: *wait, Out: stdout}
	st, err := p.Run(ctx, pc, server)
	fmt.Fprintf(stdout, "\n%s", st.Summary(server.String()))
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "ping: %v\n", err)
		return 1
	}
	if st.Received == 0 {
		return 1
	}
	return 0
}

// maxChunk is the largest -chunk: an ARQ datagram must fit in one UDP
// datagram over IPv4.
const maxChunk = MaxPayloadIPv4 - Overhead

// arqFlags adds the ARQ tuning flags to fs.
func arqFlags(fs *cli.Flags) *Config {
	cfg := new(Config)
	fs.IntVar(&cfg.Chunk, "chunk", 1024, fmt.Sprintf("payload `bytes` per datagram (1 to %d)", maxChunk))
	fs.DurationVar(&cfg.Timeout, "timeout", 100*time.Millisecond, "retransmission timeout")
	fs.IntVar(&cfg.Retries, "retries", 50, "sends of one datagram before giving up")
	fs.IntVar(&cfg.Window, "window", 32, "datagrams in flight (arqsend -mode window) or buffered (arqrecv)")
	fs.Check(func() error {
		switch {
		case cfg.Chunk < 1 || cfg.Chunk > maxChunk:
			return fmt.Errorf("-chunk %d: want 1 to %d (a datagram holds %d bytes of payload over IPv4, less %d of header)", cfg.Chunk, maxChunk, MaxPayloadIPv4, Overhead)
		case cfg.Timeout <= 0:
			return fmt.Errorf("-timeout %v: want more than 0", cfg.Timeout)
		case cfg.Retries < 1:
			return fmt.Errorf("-retries %d: want 1 or more", cfg.Retries)
		case cfg.Window < 1:
			return fmt.Errorf("-window %d: want 1 or more", cfg.Window)
		}
		return nil
	})
	return cfg
}

// ARQSendMain is the arqsend program: it sends a file (or stdin) to an
// arqrecv at -addr, with stop-and-wait or a sliding window. It returns 0
// once the receiver acknowledged the end, 1 on failure, 2 for bad flags.
func ARQSendMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("arqsend", "send a file (or stdin) reliably over UDP to arqrecv: stop-and-wait or a sliding window", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9008", "send to the receiver (or proxy) at `host:port`")
	mode := fs.String("mode", "window", "`stopwait` or window")
	in := fs.String("i", "-", "send this `file` (- for stdin)")
	cfg := arqFlags(fs)
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	send := SendWindow
	switch *mode {
	case "window":
	case "stopwait":
		send = SendStopAndWait
	default:
		fmt.Fprintf(stderr, "arqsend: -mode %q: want stopwait or window\n", *mode)
		return 2
	}
	to, err := net.ResolveUDPAddr("udp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "arqsend: -addr %v\n", err)
		return 2
	}
	r := stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			fmt.Fprintf(stderr, "arqsend: %v\n", err)
			return 1
		}
		defer f.Close()
		r = f
	}
	pc, err := net.ListenUDP("udp", nil)
	if err != nil {
		fmt.Fprintf(stderr, "arqsend: %v\n", err)
		return 1
	}
	defer pc.Close()
	ctx, stop := cli.SignalContext()
	defer stop()
	cr := &countingReader{r: r}
	start := time.Now()
	if err := send(ctx, pc, to, cr, *cfg); err != nil {
		fmt.Fprintf(stderr, "arqsend: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "sent %d bytes in %v\n", cr.n, time.Since(start).Round(time.Millisecond))
	return 0
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// ARQRecvMain is the arqrecv program: it receives one ARQ stream on -addr
// and saves it as the file -o, whole or not at all (ReceiveFile). It
// returns 0 once the stream is complete and saved; 1 if it is not (the
// sender went quiet for -idle, another session began, writing failed, or
// SIGINT or SIGTERM came first), leaving no file; 2 for bad flags.
func ARQRecvMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("arqrecv", "receive one reliable stream from arqsend over UDP and write it to a file", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9008", "listen on `host:port` (port 0 picks a free one)")
	out := fs.String("o", "", "write the stream to this `file` (required)")
	cfg := arqFlags(fs)
	fs.DurationVar(&cfg.Idle, "idle", 30*time.Second, "give up when the sender is quiet this long in mid-stream")
	fs.Check(func() error {
		if cfg.Idle <= 0 {
			return fmt.Errorf("-idle %v: want more than 0", cfg.Idle)
		}
		return nil
	})
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "arqrecv: -o is required")
		return 2
	}
	pc, err := net.ListenPacket("udp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "arqrecv: %v\n", err)
		return 1
	}
	defer pc.Close()
	fmt.Fprintf(stdout, "listening on %s\n", pc.LocalAddr())
	ctx, stop := cli.SignalContext()
	defer stop()
	n, err := ReceiveFile(ctx, pc, *out, *cfg)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			err = errors.New("interrupted before the end of the stream")
		}
		fmt.Fprintf(stderr, "arqrecv: %v; %d bytes received, no file written\n", err, n)
		return 1
	}
	fmt.Fprintf(stdout, "received %d bytes\n", n)
	return 0
}

// LossyProxyMain is the lossyproxy program: a UDP proxy on -addr in front
// of the server at -to that drops, duplicates, reorders, delays and
// corrupts datagrams. It returns 0 after SIGINT or SIGTERM, 1 if it cannot
// listen, 2 for bad flags.
func LossyProxyMain(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlags("lossyproxy", "relay UDP datagrams to a server, dropping, duplicating, reordering, delaying and corrupting some", stdout, stderr)
	addr := fs.String("addr", "127.0.0.1:9009", "listen on `host:port` (port 0 picks a free one)")
	target := fs.String("to", "127.0.0.1:9008", "forward to the server at `host:port`")
	var cfg lossy.Config
	fs.Float64Var(&cfg.Drop, "drop", 0.1, "probability a datagram is lost")
	fs.Float64Var(&cfg.Duplicate, "dup", 0.05, "probability a datagram is sent twice")
	fs.Float64Var(&cfg.Reorder, "reorder", 0.05, "probability a datagram is held back behind the next")
	fs.Float64Var(&cfg.Corrupt, "corrupt", 0.01, "probability one bit of a datagram is flipped")
	fs.DurationVar(&cfg.Delay, "delay", 0, "added to every datagram")
	seedFlag := fs.Uint64("seed", 0, "random seed (0 picks one and prints it)")
	fs.CheckAddr("to")
	fs.Check(func() error {
		for _, p := range []struct {
			flag string
			v    float64
		}{{"drop", cfg.Drop}, {"dup", cfg.Duplicate}, {"reorder", cfg.Reorder}, {"corrupt", cfg.Corrupt}} {
			if !(p.v >= 0 && p.v <= 1) { // NaN fails too
				return fmt.Errorf("-%s %v: want a probability from 0 to 1", p.flag, p.v)
			}
		}
		if cfg.Delay < 0 {
			return fmt.Errorf("-delay %v: want 0 or more", cfg.Delay)
		}
		return nil
	})
	fs.CheckAddr("addr")
	if code, stop := fs.ParseArgs(args); stop {
		return code
	}
	server, err := net.ResolveUDPAddr("udp", *target)
	if err != nil {
		fmt.Fprintf(stderr, "lossyproxy: -to %v\n", err)
		return 2
	}
	s := *seedFlag
	if s == 0 {
		s = rand.Uint64()
	}
	cfg.Rand = rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
	pc, err := net.ListenPacket("udp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "lossyproxy: %v\n", err)
		return 1
	}
	ctx, stop := cli.SignalContext()
	defer stop()
	p := lossy.Start(pc, server, cfg)
	fmt.Fprintf(stdout, "listening on %s\n", p.Addr())
	fmt.Fprintf(stderr, "lossyproxy: seed %d\n", s)
	<-ctx.Done()
	p.Close()
	st := p.Stats()
	fmt.Fprintf(stderr, "lossyproxy: read %d, sent %d, dropped %d, duplicated %d, reordered %d, corrupted %d\n",
		st.Read, st.Sent, st.Dropped, st.Duplicated, st.Reordered, st.Corrupted)
	return 0
}
