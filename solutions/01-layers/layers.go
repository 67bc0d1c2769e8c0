package layers

import (
	"errors"
	"fmt"
	"strings"
)

// Layer is a layer of the TCP/IP model (TCP/IP模型), numbered from the
// bottom: the network interface layer (网络接口层) is 1, the application
// layer (应用层) is 4. The zero Layer is no layer.
type Layer int

// The four layers of the TCP/IP model, bottom up.
const (
	LinkLayer        Layer = 1 // network interface layer (网络接口层): Ethernet frames, ARP
	InternetLayer    Layer = 2 // network layer (网络层): IP, ICMP
	TransportLayer   Layer = 3 // transport layer (传输层): TCP, UDP
	ApplicationLayer Layer = 4 // application layer (应用层): HTTP, FTP, SMTP, DNS, Telnet
)

// String returns the layer's English name, "link" for LinkLayer.
func (l Layer) String() string {
	switch l {
	case LinkLayer:
		return "link"
	case InternetLayer:
		return "internet"
	case TransportLayer:
		return "transport"
	case ApplicationLayer:
		return "application"
	}
	return fmt.Sprintf("Layer(%d)", int(l))
}

// OSILayer is a layer of the seven-layer OSI reference model (OSI参考模型),
// numbered from the bottom: the physical layer (物理层) is 1, the
// application layer (应用层) is 7. The zero OSILayer is no layer.
type OSILayer int

// The seven layers of the OSI model, bottom up.
const (
	Physical     OSILayer = 1 // 物理层
	DataLink     OSILayer = 2 // 数据链路层
	Network      OSILayer = 3 // 网络层
	Transport    OSILayer = 4 // 传输层
	Session      OSILayer = 5 // 会话层
	Presentation OSILayer = 6 // 表示层
	Application  OSILayer = 7 // 应用层
)

// String returns the OSI layer's English name, "data link" for DataLink.
func (o OSILayer) String() string {
	names := [...]string{"", "physical", "data link", "network", "transport", "session", "presentation", "application"}
	if o >= Physical && o <= Application {
		return names[o]
	}
	return fmt.Sprintf("OSILayer(%d)", int(o))
}

// ErrUnknownProtocol means a protocol name is not in the notes' table.
var ErrUnknownProtocol = errors.New("layers: unknown protocol")

// ErrNoSuchLayer means a layer number is outside its model (1..4 for
// TCP/IP, 1..7 for OSI).
var ErrNoSuchLayer = errors.New("layers: no such layer")

// LayerOf returns the TCP/IP layer of a protocol in the notes' table:
//
//	HTTP FTP SMTP DNS Telnet   application
//	TCP UDP                    transport
//	IP ICMP                    internet
//	ARP                        link
//
// Names are matched without regard to case ("http" is HTTP). Any other
// name, including the notes' typo "Tenlnet", is ErrUnknownProtocol with the
// name quoted in the message: a wrong guess teaches more harm than an error.
func LayerOf(protocol string) (Layer, error) {
	switch strings.ToUpper(protocol) {
	case "HTTP", "FTP", "SMTP", "DNS", "TELNET":
		return ApplicationLayer, nil
	case "TCP", "UDP":
		return TransportLayer, nil
	case "IP", "ICMP":
		return InternetLayer, nil
	case "ARP":
		// The notes' table puts ARP in the data link layer (数据链路层): it
		// maps IP addresses to MAC addresses inside one link and is never
		// routed, so in TCP/IP it belongs to the network interface layer.
		return LinkLayer, nil
	}
	return 0, fmt.Errorf("layer of protocol %q: %w", protocol, ErrUnknownProtocol)
}

// TCPIPLayer returns the TCP/IP layer that does the job of OSI layer o:
// physical and data link are the link layer, network is the internet
// layer, transport is the transport layer, and session, presentation and
// application all fold into the application layer. A layer outside 1..7 is
// ErrNoSuchLayer.
func TCPIPLayer(o OSILayer) (Layer, error) {
	switch {
	case o == Physical || o == DataLink:
		return LinkLayer, nil
	case o == Network:
		return InternetLayer, nil
	case o == Transport:
		return TransportLayer, nil
	case o >= Session && o <= Application:
		return ApplicationLayer, nil
	}
	return 0, fmt.Errorf("TCP/IP layer of OSI layer %d: %w", int(o), ErrNoSuchLayer)
}

// OSILayers returns the OSI layers that TCP/IP layer l covers, bottom up:
// the inverse of TCPIPLayer. LinkLayer is [Physical DataLink] and
// ApplicationLayer is [Session Presentation Application]. A layer outside
// 1..4 is ErrNoSuchLayer.
func OSILayers(l Layer) ([]OSILayer, error) {
	switch l {
	case LinkLayer:
		return []OSILayer{Physical, DataLink}, nil
	case InternetLayer:
		return []OSILayer{Network}, nil
	case TransportLayer:
		return []OSILayer{Transport}, nil
	case ApplicationLayer:
		return []OSILayer{Session, Presentation, Application}, nil
	}
	return nil, fmt.Errorf("OSI layers of TCP/IP layer %d: %w", int(l), ErrNoSuchLayer)
}

// SocketType is the second argument of socket(): what kind of channel the
// socket is.
type SocketType int

// The two socket types of the notes.
const (
	SockStream SocketType = 1 // SOCK_STREAM: a connected byte stream, TCP (面向连接的流套接字)
	SockDgram  SocketType = 2 // SOCK_DGRAM: connectionless datagrams, UDP (无连接的数据报文套接字)
)

// String returns the C name, "SOCK_STREAM" or "SOCK_DGRAM".
func (s SocketType) String() string {
	switch s {
	case SockStream:
		return "SOCK_STREAM"
	case SockDgram:
		return "SOCK_DGRAM"
	}
	return fmt.Sprintf("SocketType(%d)", int(s))
}

// SocketTypeFor returns the socket type that carries a transport protocol:
// SockStream for TCP, SockDgram for UDP (any case). Every other name,
// including protocols of other layers, is ErrUnknownProtocol.
func SocketTypeFor(transport string) (SocketType, error) {
	switch strings.ToUpper(transport) {
	case "TCP":
		return SockStream, nil
	case "UDP":
		return SockDgram, nil
	}
	return 0, fmt.Errorf("socket type for %q: %w", transport, ErrUnknownProtocol)
}
