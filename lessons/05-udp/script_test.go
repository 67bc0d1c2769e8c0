package udp

import (
	"os"
	"testing"

	"github.com/netkata/netkata/internal/scripts"
)

var programs = map[string]func(){
	"udpecho":    func() { os.Exit(UDPEchoMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"udpclient":  func() { os.Exit(UDPClientMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	"ping":       func() { os.Exit(PingMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"arqsend":    func() { os.Exit(ARQSendMain(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	"arqrecv":    func() { os.Exit(ARQRecvMain(os.Args[1:], os.Stdout, os.Stderr)) },
	"lossyproxy": func() { os.Exit(LossyProxyMain(os.Args[1:], os.Stdout, os.Stderr)) },
}

func TestScripts(t *testing.T) { scripts.Run(t) }
