#!/usr/bin/python3
"""Write a capture of N mixed packets for benchmarks.

usage: mkpcap.py [--tcp4] [--flows F] FILE [N]      (N: 1000000, F: 2048)

A few dozen frames are built once with scapy (TCP, UDP, ICMP over IPv4 and
IPv6, VLAN and QinQ tags, ARP, ND, MPLS, fragments, 802.3), in sizes from
60 to 1514 bytes (about 380 on average, like a mixed link).  The file
repeats them with the source address and port of one of 2048 flows per
template, picked at random for each packet, so that consecutive packets
rarely share a key, as on a busy link; checksums are left stale.  Payloads
are zeros on ports no decoder claims, so that tcpdump prints one short line
per packet.  (The flow count matters to tcpdump, whose per-connection state
grows with it: 2048 puts tcpdump/ovs-ofctl at the ratio measured on a real
mixed capture in notes/ovs-peer.md, about 1.4.)

--tcp4 writes N copies of one plain TCP/IPv4 frame instead (for counting
the extractor's instructions on the common case).  --flows sets the number
of flows per template; with F >= N every packet with addresses has a key
of its own.
"""

import random
import struct
import sys

from scapy.all import (ARP, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Dot3, Ether,
                       ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6NDOptSrcLLAddr,
                       IPv6, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, LLC, Raw)
from scapy.contrib.mpls import MPLS


FLOWS = 2048


def templates():
    """(weight, frame bytes, offset of the last 16 bits of the source
    address or -1, offset of the L4 source port or -1).  The flow number
    goes there: on IPv6 links the interface identifier is what varies."""
    e = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    t = []

    def add(w, pkt, l3, l4, size):
        b = bytes(pkt)
        if len(b) < size:
            b += b"\0" * (size - len(b))
        t.append((w, b, l3, l4))

    for size, w in ((60, 36), (590, 8), (1514, 8)):
        add(w, e / IP(src="10.0.0.1", dst="10.1.0.1") /
            TCP(sport=1, dport=443, flags="A"), 28, 34, size)
    add(6, e / IP(src="10.0.0.1", dst="10.1.0.1") / UDP(sport=1, dport=53)
        / Raw(b"q" * 40), 28, 34, 60)
    add(3, e / IP(src="10.0.0.1", dst="10.1.0.1") / UDP(sport=1, dport=4433)
        / Raw(b"\0" * 1200), 28, 34, 1250)
    add(2, e / IP(src="10.0.0.1", dst="10.1.0.1") / ICMP(), 28, -1, 98)
    add(6, e / Dot1Q(vlan=10) / IP(src="10.0.0.1", dst="10.1.0.1") /
        TCP(sport=1, dport=80, flags="PA"), 32, 38, 600)
    add(2, e / Dot1AD(vlan=100) / Dot1Q(vlan=10) /
        IP(src="10.0.0.1", dst="10.1.0.1") / UDP(sport=1, dport=9), 36, 42,
        200)
    add(8, e / IPv6(src="2001:db8::1", dst="2001:db8:1::1") /
        TCP(sport=1, dport=443, flags="A"), 36, 54, 86)
    add(4, e / IPv6(src="2001:db8::1", dst="2001:db8:1::1") /
        UDP(sport=1, dport=4433) / Raw(b"\0" * 1200), 36, 54, 1294)
    add(1, e / IPv6(src="2001:db8::1", dst="2001:db8:1::1") /
        IPv6ExtHdrHopByHop() / UDP(sport=1, dport=5), 36, -1, 120)
    add(1, e / IPv6(src="fe80::1", dst="ff02::1:ff00:2", hlim=255) /
        ICMPv6ND_NS(tgt="fe80::2") / ICMPv6NDOptSrcLLAddr(lladdr="02:00:00:00:00:01"),
        -1, -1, 86)
    add(1, e / IPv6(src="2001:db8::1", dst="2001:db8:1::1") /
        ICMPv6EchoRequest(), 36, -1, 118)
    add(1, e / IPv6(src="2001:db8::1", dst="2001:db8:1::1") /
        IPv6ExtHdrFragment(offset=100, nh=17) / Raw(b"f" * 500), 36, -1, 562)
    add(1, e / IP(src="10.0.0.1", dst="10.1.0.1", frag=100, proto=17) /
        Raw(b"f" * 500), 28, -1, 534)
    add(1, e / ARP(psrc="10.0.0.1", pdst="10.0.0.2"), -1, -1, 60)
    add(1, e / MPLS(label=100, s=0) / MPLS(label=200) /
        IP(src="10.0.0.1", dst="10.1.0.1") / UDP(), -1, -1, 100)
    add(1, Dot3(src="02:00:00:00:00:01", dst="01:80:c2:00:00:00") /
        LLC(dsap=0x42, ssap=0x42, ctrl=3) / Raw(b"\0" * 35), -1, -1, 60)
    return t


def main():
    args = sys.argv[1:]
    tcp4 = False
    flows = FLOWS
    while args and args[0].startswith("--"):
        if args[0] == "--tcp4":
            tcp4 = True
            args = args[1:]
        elif args[0] == "--flows" and len(args) > 1:
            flows = int(args[1])
            args = args[2:]
        else:
            sys.exit(__doc__)
    if len(args) not in (1, 2):
        sys.exit(__doc__)
    n = int(args[1]) if len(args) == 2 else 1000000
    rng = random.Random(1)
    tmpl = templates()
    if tcp4:
        tmpl = tmpl[:1]
    weights = [w for w, _, _, _ in tmpl]
    picks = rng.choices(range(len(tmpl)), weights=weights, k=n)
    out = bytearray()
    out += struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)
    with open(args[0], "wb") as f:
        f.write(out)
        out.clear()
        if flows >= n:
            fl = list(range(n))        # every packet its own flow
        else:
            fl = [rng.randrange(flows) for _ in range(n)]
        for i, k in enumerate(picks):
            _, b, l3, l4 = tmpl[k]
            b = bytearray(b)
            if l3 >= 0:
                struct.pack_into(">H", b, l3, fl[i] & 0xffff)
            if l4 >= 0:
                struct.pack_into(">H", b, l4, 32768 + (fl[i] >> 16) +
                                 (fl[i] & 0x7fff if flows < 65536 else 0))
            out += struct.pack("<IIII", 1700000000 + i // 100000,
                               i % 100000 * 10, len(b), len(b))
            out += b
            if len(out) > 1 << 22:
                f.write(out)
                out.clear()
        f.write(out)


if __name__ == "__main__":
    main()
