package udp

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"testing"
	"time"

	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"udpecho":    func() { os.Exit(UDPEchoMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"udpclient":  func() { os.Exit(UDPClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	"ping":       func() { os.Exit(PingMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"arqsend":    func() { os.Exit(ARQSendMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	"arqrecv":    func() { os.Exit(ARQRecvMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"lossyproxy": func() { os.Exit(LossyProxyMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"arqcrash":   func() { os.Exit(arqCrashMain(os.Args[1:])) },
}

func TestScripts(t *testing.T) { scripts.Run(t) }

// arqCrashMain is the scenarios' sender that dies in mid-stream:
//
//	arqcrash -addr HOST:PORT -i FILE -chunks N [-chunk BYTES] [-then DURATION]
//
// It sends the first N chunks of FILE stop-and-wait with a random session,
// each until its ACK comes (so the receiver has them), then stays silent
// for -then and exits 0 without a FIN. It uses the tests' own encoder, so
// it does not depend on your Marshal.
func arqCrashMain(args []string) int {
	fs := flag.NewFlagSet("arqcrash", flag.ContinueOnError)
	addr := fs.String("addr", "", "the receiver")
	in := fs.String("i", "", "the file")
	chunks := fs.Int("chunks", 1, "chunks to send")
	chunk := fs.Int("chunk", 1024, "bytes per chunk")
	then := fs.Duration("then", 0, "silence before exiting")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintf(os.Stderr, "arqcrash: %v\n", err)
		return 1
	}
	data, err := os.ReadFile(*in)
	if err != nil {
		return fail(err)
	}
	to, err := net.ResolveUDPAddr("udp", *addr)
	if err != nil {
		return fail(err)
	}
	pc, err := net.ListenUDP("udp", nil)
	if err != nil {
		return fail(err)
	}
	defer pc.Close()
	session := rand.Uint32()
	buf := make([]byte, 100)
	for seq := range *chunks {
		part := data[min(seq**chunk, len(data)):min((seq+1)**chunk, len(data))]
		wire, ack := wirePacket(KindData, session, uint32(seq), string(part)), wirePacket(KindAck, session, uint32(seq), "")
		for try := 0; ; try++ {
			if try == 100 {
				return fail(fmt.Errorf("no ACK %d after %d sends", seq, try))
			}
			if _, err := pc.WriteTo(wire, to); err != nil {
				return fail(err)
			}
			pc.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
			n, _, err := pc.ReadFrom(buf)
			if err == nil && bytes.Equal(buf[:n], ack) {
				break
			}
		}
	}
	fmt.Printf("sent %d chunks of session %08x, now silent\n", *chunks, session)
	time.Sleep(*then)
	return 0
}
