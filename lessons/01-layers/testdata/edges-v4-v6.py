# Writes edges-v4-v6.pcap (see README.md): python3 edges-v4-v6.py edges-v4-v6.pcap
import struct, socket, sys
A_MAC=bytes.fromhex('7a32b47b9acb'); B_MAC=bytes.fromhex('82679d4fca5e')
A4=socket.inet_aton('10.77.0.1'); B4=socket.inet_aton('10.77.0.2')
A6=socket.inet_pton(socket.AF_INET6,'fd00:77::1'); B6=socket.inet_pton(socket.AF_INET6,'fd00:77::2')
def csum(b):
    if len(b)%2: b+=b'\0'
    s=sum(struct.unpack('!%dH'%(len(b)//2),b))
    while s>>16: s=(s&0xffff)+(s>>16)
    return (~s)&0xffff
ipid=[0x4000]
def ip4(src,dst,proto,payload):
    ipid[0]+=1
    h=struct.pack('!BBHHHBBH4s4s',0x45,0,20+len(payload),ipid[0],0x4000,64,proto,0,src,dst)
    h=h[:10]+struct.pack('!H',csum(h))+h[12:]
    return h+payload
def tcp(src,dst,sport,dport,seq,ack,flags,win,opts=b'',data=b'',v6=False):
    off=(20+len(opts))//4
    h=struct.pack('!HHIIBBHHH',sport,dport,seq,ack,off<<4,flags,win,0,0)+opts+data
    if v6: ph=src+dst+struct.pack('!IxxxB',len(h),6)
    else: ph=src+dst+struct.pack('!xBH',6,len(h))
    c=csum(ph+h)
    return h[:16]+struct.pack('!H',c)+h[18:]
def eth(dst,src,typ,payload): return dst+src+struct.pack('!H',typ)+payload
def ip6(src,dst,nxt,payload,hlim=64):
    return struct.pack('!IHBB',0x60000000,len(payload),nxt,hlim)+src+dst+payload
def icmp6(src,dst,typ,code,body):
    m=struct.pack('!BBH',typ,code,0)+body
    ph=src+dst+struct.pack('!IxxxB',len(m),58)
    c=csum(ph+m)
    return m[:2]+struct.pack('!H',c)+m[4:]
SYN,ACK,PSH,FIN=2,16,8,1
def opts_win(ws): return bytes.fromhex('020405b4')+b'\x01'+bytes([3,3,ws])+b'\x01\x01'+bytes.fromhex('0402')
T0=1764158400
pk=[]
def add(t,frame): pk.append((t,frame))
# conn 1: Windows-style option order (SACK_PERM last); the server offers WS shift 0
add(0.000000,eth(B_MAC,A_MAC,0x800,ip4(A4,B4,6,tcp(A4,B4,50001,9999,1000,0,SYN,64240,opts_win(7)))))
add(0.000100,eth(A_MAC,B_MAC,0x800,ip4(B4,A4,6,tcp(B4,A4,9999,50001,5000,1001,SYN|ACK,65160,opts_win(0)))))
add(0.000200,eth(B_MAC,A_MAC,0x800,ip4(A4,B4,6,tcp(A4,B4,50001,9999,1001,5001,ACK,502))))
add(0.000300,eth(A_MAC,B_MAC,0x800,ip4(B4,A4,6,tcp(B4,A4,9999,50001,5001,1001,PSH|ACK,509,data=b'hi\n'))))
# conn 2: the client's SYN (WS=7) is captured, the server's SYN-ACK is not
add(0.000400,eth(B_MAC,A_MAC,0x800,ip4(A4,B4,6,tcp(A4,B4,50002,9998,2000,0,SYN,64240,opts_win(7)))))
add(0.000500,eth(A_MAC,B_MAC,0x800,ip4(B4,A4,6,tcp(B4,A4,9998,50002,6001,2001,PSH|ACK,1000,data=b'x'))))
# conn 3: the server's SYN-ACK (WS=7) is captured, the client's SYN is not
add(0.000600,eth(A_MAC,B_MAC,0x800,ip4(B4,A4,6,tcp(B4,A4,9997,50003,7000,3001,SYN|ACK,65160,opts_win(7)))))
add(0.000700,eth(A_MAC,B_MAC,0x800,ip4(B4,A4,6,tcp(B4,A4,9997,50003,7001,3001,PSH|ACK,1000,data=b'y'))))
# neighbour advertisement without options (20-byte body)
add(0.000800,eth(A_MAC,B_MAC,0x86dd,ip6(B6,A6,58,icmp6(B6,A6,136,0,bytes([0x60,0,0,0])+B6),255)))
# a packet whose timestamp is before the first one's
def udp(src,dst,sport,dport,data):
    h=struct.pack('!HHHH',sport,dport,8+len(data),0)+data
    c=csum(src+dst+struct.pack('!xBH',17,len(h))+h)
    return h[:6]+struct.pack('!H',c)+h[8:]
add(-0.250000,eth(A_MAC,B_MAC,0x800,ip4(B4,A4,17,udp(B4,A4,9999,53761,b'late'))))
# an IPv4 packet of an experimental protocol (253), an IPv6 packet with no next header (59)
add(0.000900,eth(B_MAC,A_MAC,0x800,ip4(A4,B4,253,b'abcd')))
add(0.001000,eth(B_MAC,A_MAC,0x86dd,ip6(A6,B6,59,b'')))
out=struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,262144,1)
for t,f in pk:
    ts=round((T0+t)*1e6); sec,usec=divmod(ts,1000000)
    out+=struct.pack('<IIII',sec,usec,len(f),len(f))+f
open(sys.argv[1],'wb').write(out)
