#!/usr/bin/python3
"""Generate flowtrace's test captures into OUTDIR.

usage: gen.py OUTDIR

Frames are built with scapy and written with a small pcap/pcapng writer of
our own (so that malformed and truncated frames go out byte for byte).

  eth ipv4 ipv6 arp mpls trunc many sll .pcap
      conformance captures: flowtrace -f of must print exactly what
      "ovs-ofctl parse-pcap" prints for them.  Truncated frames here have
      their IP length fields cut down to match, as a frame that is really
      that short would have them.
  divergent.pcap, divergent.tsv
      frames on which the Linux kernel datapath and Open vSwitch's
      userspace flow_extract() (what parse-pcap runs) give different keys.
      flowtrace follows the kernel.  Each tsv row: packet number, what the
      frame is, fields flowtrace must print, fields ovs-ofctl prints.
  ipv4.pcapng      the packets of ipv4.pcap, as pcapng
  raw.pcap, null.pcap, sll-noaddr.pcap
      link types parse-pcap cannot read (raw IP, BSD loopback, cooked
      without a 6-byte address)
  snap.pcap        records captured shorter than on the wire
  zero-len.pcap    a record of 0 bytes between two others (parse-pcap
                   stops reading there)
  bad-*            files that are not captures, or are cut short
"""

import os
import random
import struct
import sys

from scapy.all import (ARP, AH, ICMP, IP, TCP, UDP, Dot1AD, Dot1Q, Dot3,
                       ESP, Ether, IPOption_NOP, ICMPv6DestUnreach, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6ND_RA, ICMPv6ND_RS,
                       ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IPv6,
                       IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, LLC, Raw, SNAP)
from scapy.contrib.mpls import MPLS
from scapy.layers.sctp import SCTP

rng = random.Random(4)


def mac():
    return "02:%02x:%02x:%02x:%02x:%02x" % tuple(rng.randrange(256)
                                              for _ in range(5))


def ip4():
    return "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256),
                            rng.randrange(1, 255))


def ip6():
    return "2001:db8:%x::%x:%x" % (rng.randrange(1, 65536),
                                   rng.randrange(65536), rng.randrange(65536))


def eth(**kw):
    return Ether(src=mac(), dst=mac(), **kw)


def raw(p):
    return bytes(p)


# ---------------------------------------------------------------- writers

def write_pcap(path, frames, linktype=1, snapped=None):
    """frames: bytes, or (bytes, wire_len) pairs."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144,
                            linktype))
        for i, fr in enumerate(frames):
            b, wire = (fr if isinstance(fr, tuple) else (fr, len(fr)))
            f.write(struct.pack("<IIII", 1700000000 + i, i, len(b), wire))
            f.write(b)


def write_pcapng(path, frames, linktype=1):
    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        n = len(body) + 12
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    with open(path, "wb") as f:
        f.write(block(0x0a0d0d0a, struct.pack("<IHHq", 0x1a2b3c4d, 1, 0, -1)))
        f.write(block(1, struct.pack("<HHI", linktype, 0, 262144)))
        for i, b in enumerate(frames):
            ts = (1700000000 + i) * 1000000
            f.write(block(6, struct.pack("<IIIII", 0, ts >> 32,
                                         ts & 0xffffffff, len(b), len(b)) + b))


# ------------------------------------------------------- length fix-ups

def cut(b, n, l3, kind):
    """The first n bytes of frame b, with the IP length field at offset l3
    (kind "ip4" or "ip6") made to agree with what is left."""
    b = bytearray(b[:n])
    if kind == "ip4" and len(b) >= l3 + 4:
        struct.pack_into(">H", b, l3 + 2, len(b) - l3)
    elif kind == "ip6" and len(b) >= l3 + 6:
        struct.pack_into(">H", b, l3 + 4, max(0, len(b) - l3 - 40))
    return bytes(b)


def sweep(b, l3, kind, start=1):
    return [cut(b, n, l3, kind) for n in range(start, len(b) + 1)]


# ------------------------------------------------------------- captures

def eth_frames():
    f = []
    tcp = IP(src=ip4(), dst=ip4()) / TCP(sport=40000, dport=80, flags="S")
    f.append(eth() / tcp)
    for t in (0x88cc, 0x9000, 0xffff, 0x0600, 0x88e5, 0x22f0):
        f.append(eth(type=t) / Raw(b"\x01" * 46))
    # 802.3: a length where the ethertype would be
    f.append(Ether(src=mac(), dst="01:80:c2:00:00:00") /
             Dot3_llc(0x42, 0x42, 3, b"\0\0\0\0" * 9))
    f.append(Ether(src=mac(), dst=mac(), type=0x05ff) / Raw(b"\xaa" * 20))
    f.append(Ether(src=mac(), dst=mac(), type=0x0000) / Raw(b"\x00" * 20))
    f.append(Ether(src=mac(), dst=mac(), type=0x0010) / Raw(b"\xaa\xaa\x03"))
    f.append(Ether(src=mac(), dst=mac(), type=0x0010) /
             Raw(b"\xaa\xaa\x03\x00\x00\x00\x08"))
    # SNAP with OUI 0: the ethertype inside counts
    for inner in (IP(src=ip4(), dst=ip4()) / UDP(sport=1, dport=2),
                  ARP(psrc=ip4(), pdst=ip4(), hwsrc=mac()),
                  IPv6(src=ip6(), dst=ip6()) / TCP(flags="A")):
        f.append(Dot3(src=mac(), dst=mac()) / LLC(dsap=0xaa, ssap=0xaa,
                                                  ctrl=3) /
                 SNAP(OUI=0, code=inner_type(inner)) / inner)
    # SNAP that does not name an ethertype
    f.append(Dot3(src=mac(), dst=mac()) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
             SNAP(OUI=0x00000c, code=0x2000) / Raw(b"\0" * 30))
    f.append(Dot3(src=mac(), dst=mac()) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
             SNAP(OUI=0, code=0x0100) / Raw(b"\0" * 30))
    f.append(Dot3(src=mac(), dst=mac()) / LLC(dsap=0xaa, ssap=0x42, ctrl=3) /
             SNAP(OUI=0, code=0x0800) / Raw(b"\0" * 30))
    # VLANs
    ip = IP(src=ip4(), dst=ip4()) / UDP(sport=5353, dport=5353)
    for vid, prio in ((5, 3), (0, 0), (0, 7), (4095, 1), (1, 0), (100, 5)):
        f.append(eth() / Dot1Q(vlan=vid, prio=prio) / ip)
    f.append(eth() / Dot1Q(vlan=10, prio=2, id=1) / ip)   # DEI set
    f.append(eth(type=0x88a8) / Dot1AD(vlan=7, prio=1) / Dot1Q(vlan=8) / ip)
    f.append(eth() / Dot1Q(vlan=7) / Dot1Q(vlan=9, prio=6) / ip)
    f.append(eth(type=0x88a8) / Dot1AD(vlan=7) / Dot1AD(vlan=9) / ip)
    f.append(eth() / Dot1Q(vlan=7, type=0x88a8) / Dot1AD(vlan=9) / ip)
    f.append(eth(type=0x88a8) / Dot1AD(vlan=1) / Dot1Q(vlan=2) /
             Dot1Q(vlan=3) / ip)                           # third tag
    f.append(eth() / Dot1Q(vlan=20) / ARP(psrc=ip4(), pdst=ip4()))
    f.append(eth() / Dot1Q(vlan=20) / IPv6(src=ip6(), dst=ip6()) /
             ICMPv6EchoRequest())
    f.append(eth() / Dot1Q(vlan=20) / MPLS(label=99, ttl=3) / ip)
    f.append(eth() / Dot1Q(vlan=30, type=0x0020) / LLC(dsap=0x42, ssap=0x42,
                                                       ctrl=3) / Raw(b"x" * 29))
    f.append(eth() / Dot1Q(vlan=30, type=0x0020) / LLC(dsap=0xaa, ssap=0xaa,
                                                       ctrl=3) /
             SNAP(OUI=0, code=0x0800) / ip)
    # tags cut short: the type after a tag must be there for it to count
    base = raw(eth(type=0x88a8) / Dot1AD(vlan=7) / Dot1Q(vlan=8) / ip)
    for n in (14, 15, 16, 17, 18, 19, 20, 21, 22, 23):
        f.append(base[:n])
    # runts
    for n in (1, 6, 12, 13):   # (0 stops ovs-ofctl reading)
        f.append(raw(eth() / ip)[:n])
    f.append(raw(eth(type=0x0800)))   # header only
    return [raw(p) for p in f]


def Dot3_llc(dsap, ssap, ctrl, payload):
    return LLC(dsap=dsap, ssap=ssap, ctrl=ctrl) / Raw(payload)


def inner_type(p):
    return {IP: 0x0800, ARP: 0x0806, IPv6: 0x86dd}[type(p)]


def ipv4_frames():
    f = []

    def v4(l4, **kw):
        return eth() / IP(src=ip4(), dst=ip4(), **kw) / l4

    f.append(v4(TCP(sport=1234, dport=80, flags="S")))
    f.append(v4(UDP(sport=53, dport=33000)))
    f.append(v4(SCTP(sport=2905, dport=2906)))
    f.append(v4(ICMP(type=8, code=0)))
    f.append(v4(ICMP(type=0, code=0)))
    f.append(v4(ICMP(type=3, code=13)))
    f.append(v4(ICMP(type=255, code=255)))
    for proto in (0, 4, 41, 47, 50, 51, 89, 103, 255):
        f.append(v4(Raw(b"\x45" * 24), proto=proto))
    for tos in (0x00, 0xb8, 0x01, 0x03, 0xff, 0x28):
        f.append(v4(UDP(sport=1, dport=2), tos=tos))
    for ttl in (0, 1, 255):
        f.append(v4(TCP(flags="A"), ttl=ttl))
    for port in (0, 65535):
        f.append(v4(TCP(sport=port, dport=port)))
        f.append(v4(UDP(sport=port, dport=65535 - port)))
    # fragments
    f.append(v4(UDP(sport=7, dport=8) / Raw(b"x" * 40), flags="MF"))
    f.append(v4(Raw(b"x" * 40), flags="MF", frag=185, proto=17))
    f.append(v4(Raw(b"x" * 40), frag=185, proto=17))
    f.append(v4(Raw(b"x" * 40), frag=1, proto=6))
    f.append(v4(Raw(b"x" * 40), frag=8191, proto=1))
    f.append(v4(TCP(sport=9, dport=10), flags="DF"))
    f.append(v4(TCP(sport=9, dport=10), flags="evil"))
    f.append(v4(ICMP() / Raw(b"x" * 40), flags="MF"))
    # options
    for n in (4, 8, 20, 40):
        f.append(v4(TCP(sport=22, dport=50000, flags="PA"),
                    options=[IPOption_NOP()] * n))
    # a bad header length
    for ihl in (0, 1, 4):
        f.append(v4(TCP(), ihl=ihl))
    f.append(eth() / IP(src=ip4(), dst=ip4(), ihl=15) / Raw(b"\0" * 4))
    f.append(eth() / IP(src=ip4(), dst=ip4(), version=6) / UDP(sport=3,
                                                                dport=4))
    # TCP flags, one by one and together
    # (scapy's "flags" is the low 9 bits, "reserved" the 3 above)
    for bit in range(12):
        f.append(v4(TCP(sport=1000 + bit, dport=443, flags=(1 << bit) & 0x1ff,
                        reserved=(1 << bit) >> 9)))
    for flags in (0, 0x012, 0x011, 0x018, 0x004, 0x0c2, 0xfff, 0x1ff, 0xa01):
        f.append(v4(TCP(sport=5000, dport=443, flags=flags & 0x1ff,
                        reserved=flags >> 9)))
    # TCP data offset: from 5 to 15 words, with real options
    for opts in ([("MSS", 1460)], [("MSS", 1460), ("SAckOK", b""),
                                   ("Timestamp", (1, 2)), ("NOP", None),
                                   ("WScale", 7)]):
        f.append(v4(TCP(flags="S", options=opts)))
    # short L4 headers (the IP length says so too)
    for b, l3 in ((raw(v4(TCP(sport=1, dport=2))), 14),
                  (raw(v4(UDP(sport=1, dport=2))), 14),
                  (raw(v4(SCTP(sport=1, dport=2))), 14),
                  (raw(v4(ICMP(type=5, code=1))), 14)):
        for n in range(l3 + 20, len(b)):
            f.append(cut(b, n, l3, "ip4"))
    # TCP data offset under 5 words and past the end: no ports
    for doff in (0, 4, 15):
        b = bytearray(raw(v4(TCP(sport=5, dport=6))))
        b[14 + 20 + 12] = doff << 4
        f.append(bytes(b))
    # Ethernet padding after a short datagram
    f.append(raw(v4(UDP(sport=1, dport=2))) + b"\0" * 18)
    f.append(raw(v4(UDP(sport=1, dport=2))) + b"\0" * 256)
    f.append(raw(v4(ICMP())) + b"\xff" * 14)
    return [raw(p) if not isinstance(p, bytes) else p for p in f]


def ipv6_frames():
    f = []

    def v6(l4, **kw):
        kw.setdefault("src", ip6())
        kw.setdefault("dst", ip6())
        return eth() / IPv6(**kw) / l4

    f.append(v6(TCP(sport=1234, dport=80, flags="S")))
    f.append(v6(UDP(sport=546, dport=547)))
    f.append(v6(SCTP(sport=1, dport=2)))
    f.append(v6(ICMPv6EchoRequest()))
    f.append(v6(ICMPv6DestUnreach(code=4)))
    f.append(v6(ICMPv6ND_RS()))
    f.append(v6(ICMPv6ND_RA()))
    for tc, fl in ((0xb8, 0), (0x03, 0xfffff), (0xff, 0x12345), (0x01, 1)):
        f.append(v6(UDP(sport=1, dport=2), tc=tc, fl=fl))
    for hlim in (0, 1, 255):
        f.append(v6(TCP(flags="A"), hlim=hlim))
    # well-formed extension header chains
    f.append(v6(IPv6ExtHdrHopByHop() / TCP(dport=22)))
    f.append(v6(IPv6ExtHdrDestOpt() / UDP(dport=53)))
    f.append(v6(IPv6ExtHdrRouting() / TCP(dport=80)))
    f.append(v6(IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
                IPv6ExtHdrRouting() / IPv6ExtHdrFragment(m=1) /
                TCP(dport=443)))
    f.append(v6(IPv6ExtHdrFragment(m=1, offset=0) / UDP(dport=9)))
    f.append(v6(IPv6ExtHdrFragment(m=1, offset=100, nh=17) /
                Raw(b"x" * 16)))
    f.append(v6(IPv6ExtHdrFragment(m=0, offset=100, nh=6) / Raw(b"x" * 16)))
    f.append(v6(IPv6ExtHdrFragment(m=1, offset=0, res2=2) / UDP(dport=9)))
    f.append(v6(IPv6ExtHdrFragment(m=1) / ICMPv6EchoRequest()))
    f.append(v6(AH(nh=6, payloadlen=4) / TCP(dport=179)))
    f.append(v6(IPv6ExtHdrHopByHop() / AH(nh=17, payloadlen=5,
                                           icv=b"\0" * 8) / UDP(dport=500)))
    f.append(v6(ESP(spi=1, seq=1) / Raw(b"x" * 16)))
    f.append(v6(Raw(b""), nh=59))
    f.append(v6(IPv6ExtHdrDestOpt(nh=59)))
    f.append(v6(Raw(b"x" * 8), nh=253))
    f.append(v6(IPv6ExtHdrDestOpt(nh=253) / Raw(b"x" * 8)))
    f.append(v6(IPv6ExtHdrDestOpt() / IPv6ExtHdrHopByHop() / TCP()))
    f.append(v6(IPv6ExtHdrRouting() / IPv6ExtHdrRouting() / UDP()))
    f.append(v6(IPv6ExtHdrDestOpt() / IPv6ExtHdrDestOpt() /
                IPv6ExtHdrDestOpt() / UDP()))
    f.append(v6(IPv6ExtHdrFragment(m=1) / IPv6ExtHdrDestOpt() / UDP()))
    # neighbour discovery
    tgt = ip6()
    f.append(v6(ICMPv6ND_NS(tgt=tgt), hlim=255))
    f.append(v6(ICMPv6ND_NS(tgt=tgt) / ICMPv6NDOptSrcLLAddr(lladdr=mac())))
    f.append(v6(ICMPv6ND_NA(tgt=tgt) / ICMPv6NDOptDstLLAddr(lladdr=mac())))
    f.append(v6(ICMPv6ND_NA(tgt=tgt) / ICMPv6NDOptSrcLLAddr(lladdr=mac()) /
                ICMPv6NDOptDstLLAddr(lladdr=mac())))
    f.append(v6(ICMPv6ND_NA(tgt=tgt) / ICMPv6NDOptDstLLAddr(lladdr=mac()) /
                ICMPv6NDOptDstLLAddr(lladdr=mac())))        # repeated
    f.append(v6(ICMPv6ND_NS(tgt=tgt) /
                ICMPv6NDOptSrcLLAddr(lladdr="00:00:00:00:00:00") /
                ICMPv6NDOptSrcLLAddr(lladdr=mac())))        # zero, then one
    f.append(v6(ICMPv6ND_NS(tgt=tgt) / Raw(b"\x0e\x01" + b"\0" * 6) /
                ICMPv6NDOptSrcLLAddr(lladdr=mac())))        # unknown option
    f.append(v6(ICMPv6ND_NS(tgt=tgt) / Raw(b"\x01\x02" + b"\x11" * 14) /
                ICMPv6NDOptDstLLAddr(lladdr=mac())))        # 16-byte SLL
    f.append(v6(ICMPv6ND_NS(tgt=tgt) / ICMPv6NDOptSrcLLAddr(lladdr=mac()) /
                Raw(b"\x02\x00" + b"\0" * 6)))              # zero length
    f.append(v6(ICMPv6ND_NS(tgt=tgt) / Raw(b"\x01\x02" + b"\x11" * 6)))
    f.append(v6(ICMPv6ND_NS(tgt=tgt) / ICMPv6NDOptSrcLLAddr(lladdr=mac()) /
                Raw(b"\x02\x01\x33")))                      # short tail
    f.append(v6(ICMPv6ND_NS(tgt=tgt, code=1) /
                ICMPv6NDOptSrcLLAddr(lladdr=mac())))        # not ND: code
    for tgt in ("::", "::1", "::ffff:10.1.2.3", "::10.1.2.3", "fe80::",
                "1::", "1:0:0:1::1", "1:0:0:1:0:0:0:1", "0:0:1::",
                "::2:0:0:0:0:3", "ff02::1:ff00:1234"):
        f.append(v6(ICMPv6ND_NS(tgt=tgt), src=tgt, dst=tgt))
    # short L4 headers and a short IPv6 header
    for b in (raw(v6(TCP(sport=1, dport=2))), raw(v6(UDP(sport=1, dport=2))),
              raw(v6(ICMPv6ND_NS(tgt="fe80::1")))):
        for n in range(14 + 40, len(b)):
            f.append(cut(b, n, 14, "ip6"))
    f.append(raw(v6(UDP(sport=1, dport=2))) + b"\0" * 256)
    b = raw(v6(UDP()))
    for n in (14, 20, 53):
        f.append(cut(b, n, 14, "ip6"))
    return [raw(p) if not isinstance(p, bytes) else p for p in f]


def arp_frames():
    f = []

    def a(**kw):
        return eth(type=kw.pop("etype", 0x0806)) / ARP(
            psrc=ip4(), pdst=ip4(), hwsrc=mac(), **kw)

    f.append(a(op=1))
    f.append(a(op=2, hwdst=mac()))
    f.append(a(op=3, etype=0x8035))
    f.append(a(op=4, etype=0x8035, hwdst=mac()))
    for op in (0, 255, 256, 0xffff, 0x0102):
        f.append(a(op=op))
    f.append(a(hwtype=6))
    f.append(a(ptype=0x86dd))
    f.append(a(hwlen=8))
    f.append(a(plen=16))
    f.append(raw(a(op=1))[:14 + 27])
    f.append(raw(a(op=2)) + b"\0" * 18)
    f.append(eth() / Dot1Q(vlan=3) / ARP(op=1, psrc="10.0.0.1",
                                         pdst="10.0.0.1"))
    return [raw(p) if not isinstance(p, bytes) else p for p in f]


def mpls_frames():
    f = []
    ip = IP(src=ip4(), dst=ip4()) / TCP()
    f.append(eth() / MPLS(label=16, cos=0, ttl=64, s=1) / ip)
    f.append(eth() / MPLS(label=0xfffff, cos=7, ttl=255, s=1) / ip)
    f.append(eth() / MPLS(label=100, s=0) / MPLS(label=200, ttl=1, s=1) / ip)
    f.append(eth() / MPLS(label=1, s=0) / MPLS(label=2, s=0) /
             MPLS(label=3, s=1) / ip)
    f.append(eth() / MPLS(label=1, s=0) / MPLS(label=2, s=0) /
             MPLS(label=3, s=0) / MPLS(label=4, s=1) / ip)
    f.append(eth() / MPLS(label=1, s=0) / MPLS(label=2, s=0) /
             MPLS(label=3, s=0) / MPLS(label=4, s=0) / MPLS(label=5, s=1))
    f.append(eth(type=0x8848) / MPLS(label=300, s=1) / ip)
    b = raw(eth() / MPLS(label=10, s=0) / MPLS(label=20, s=0) /
            MPLS(label=30, s=0) / MPLS(label=40, s=1))
    for n in range(14, len(b) + 1):
        f.append(b[:n])
    return [raw(p) if not isinstance(p, bytes) else p for p in f]


def trunc_frames():
    """Every prefix of some frames, IP lengths cut to match."""
    f = []
    b = raw(eth() / IP(src=ip4(), dst=ip4(), options=[IPOption_NOP()] * 4) /
            TCP(sport=1, dport=2, flags="SA", options=[("MSS", 1400)]))
    f += sweep(b, 14, "ip4")
    b = raw(eth() / Dot1Q(vlan=12) / IPv6(src=ip6(), dst=ip6()) /
            UDP(sport=3, dport=4))
    f += sweep(b, 18, "ip6", start=14)
    b = raw(eth() / IPv6(src=ip6(), dst=ip6()) / ICMPv6ND_NS(tgt=ip6()) /
            ICMPv6NDOptSrcLLAddr(lladdr=mac()) /
            ICMPv6NDOptDstLLAddr(lladdr=mac()))
    f += sweep(b, 14, "ip6", start=54)
    b = raw(eth() / ARP(psrc=ip4(), pdst=ip4()))
    f += sweep(b, 14, None, start=12)
    b = raw(eth(type=0x88a8) / Dot1AD(vlan=5) / Dot1Q(vlan=6) /
            IP(src=ip4(), dst=ip4()) / SCTP(sport=7, dport=8))
    f += sweep(b, 22, "ip4", start=14)
    b = raw(Dot3(src=mac(), dst=mac()) / LLC(dsap=0xaa, ssap=0xaa, ctrl=3) /
            SNAP(OUI=0, code=0x0800) / IP(src=ip4(), dst=ip4()) /
            ICMP(type=8))
    f += sweep(b, 22, "ip4", start=12)
    b = raw(eth() / IPv6(src=ip6(), dst=ip6()) / TCP(sport=5, dport=6))
    f += sweep(b, 14, "ip6", start=50)
    return f


def many_frames():
    """70,000 frames with 70,000 different keys (more than flowtrace's
    cache of key texts holds), each printed again later on."""
    base = bytearray(raw(eth() / IP(src="10.0.0.1", dst="10.9.0.1") /
                         UDP(sport=1, dport=53)))
    out = []
    for i in list(range(70000)) + list(range(0, 70000, 997)):
        b = bytearray(base)
        struct.pack_into(">HH", b, 28, i >> 16, i & 0xffff)
        struct.pack_into(">H", b, 34, 1024 + i % 50000)
        out.append(bytes(b))
    return out


def sll_frames():
    def sll(proto, payload, addr=None):
        a = addr if addr is not None else bytes(rng.randrange(256)
                                                for _ in range(6))
        return (struct.pack(">HHH", 0, 1, len(a)) + a.ljust(8, b"\0") +
                struct.pack(">H", proto) + payload)

    return [sll(0x0800, raw(IP(src=ip4(), dst=ip4()) / TCP(flags="S"))),
            sll(0x0806, raw(ARP(psrc=ip4(), pdst=ip4()))),
            sll(0x86dd, raw(IPv6(src=ip6(), dst=ip6()) / UDP())),
            sll(0x8100, raw(Dot1Q(vlan=4) / IP() / UDP())),
            sll(0x0800, b"\x45")]


# ------------------------------------------------------------ divergent

def divergent():
    """(frame, what, what flowtrace prints, what ovs-ofctl prints): the
    last two are space-separated pieces each line must contain (a piece
    ending in $ at its end)."""
    d = []

    def v4(l4, **kw):
        return eth() / IP(src="10.0.0.1", dst="10.0.0.2", **kw) / l4

    def v6(l4, **kw):
        return eth() / IPv6(src="2001:db8::1", dst="2001:db8::2", **kw) / l4

    # IPv4 total length: the kernel does not look at it.
    b = bytearray(raw(v4(TCP(sport=1, dport=2))))
    struct.pack_into(">H", b, 16, 1500)
    d.append((bytes(b), "IPv4 total length larger than the frame",
              "nw_src=10.0.0.1, tp_src=1,tp_dst=2", "nw_src=0.0.0.0,"))
    b = bytearray(raw(v4(TCP(sport=1, dport=2))))
    struct.pack_into(">H", b, 16, 0)
    d.append((bytes(b), "IPv4 total length 0 (TSO frames captured on "
              "their way out)", "nw_src=10.0.0.1, tp_src=1,", "nw_src=0.0.0.0,"))
    b = bytearray(raw(v4(TCP(sport=1, dport=2))))
    struct.pack_into(">H", b, 16, 20)
    d.append((bytes(b), "IPv4 total length covering the IP header only",
              "tcp, tp_src=1,tp_dst=2", "tcp, tp_src=0,tp_dst=0"))
    b = bytearray(raw(v4(TCP(sport=7, dport=8))))
    struct.pack_into(">H", b, 16, 28)
    d.append((bytes(b), "IPv4 total length ending 8 bytes into the TCP "
              "header (the rest counts as padding)",
              "tp_src=7,tp_dst=8", "tp_src=0,tp_dst=0"))
    # Snap length: the capture has less than the wire.
    full = raw(v4(TCP(sport=3, dport=4)) / Raw(b"x" * 100))
    d.append(((full[:54], len(full)), "captured 54 of 154 bytes (tcpdump "
              "-s 54)", "nw_src=10.0.0.1, tp_src=3,", "nw_src=0.0.0.0,"))
    # Protocols the kernel reads only in their own IP version.
    d.append((raw(v4(Raw(b"\x11\x22\x00\x00\xe0\0\0\x01"), proto=2)),
              "IGMP: the kernel does not read it (no tp_src/tp_dst)",
              "ip, nw_proto=2, nw_frag=no$", "nw_proto=2, tp_src=17,tp_dst=34"))
    d.append((raw(v4(ICMPv6EchoRequest(), proto=58)),
              "ICMPv6 in IPv4", "nw_proto=58, tp_src=0,tp_dst=0",
              "nw_proto=58, tp_src=128,tp_dst=0"))
    d.append((raw(v6(ICMP(type=8), nh=1)), "ICMP (v4) in IPv6",
              "nw_proto=1, tp_src=0,tp_dst=0",
              "nw_proto=1, tp_src=8,tp_dst=0"))
    # IPv6 payload length.
    b = bytearray(raw(v6(UDP(sport=1, dport=2))))
    struct.pack_into(">H", b, 18, 1000)
    d.append((bytes(b), "IPv6 payload length larger than the frame",
              "ipv6_src=2001:db8::1, tp_src=1,", "ipv6_src=::,"))
    b = bytearray(raw(v6(IPv6ExtHdrHopByHop() / TCP(sport=1, dport=2))))
    struct.pack_into(">H", b, 18, 0)
    d.append((bytes(b), "IPv6 payload length 0 (a jumbogram, or BIG TCP)",
              "tcp6, tp_src=1,tp_dst=2", "ipv6, nw_proto=0,"))
    # IPv6 extension headers.
    d.append((raw(v6(IPv6ExtHdrFragment(m=0, offset=0) / UDP(sport=1,
                                                              dport=2))),
              "IPv6 atomic fragment (offset 0, no more fragments)",
              "nw_frag=first", "nw_frag=no"))
    d.append((raw(v6(IPv6ExtHdrFragment(m=1, offset=8) /
                     IPv6ExtHdrDestOpt() / UDP())),
              "IPv6 later fragment whose next header is an extension header",
              "ipv6, nw_proto=59, nw_frag=first",
              "ipv6, nw_proto=44, nw_frag=later"))
    b = cut(raw(v6(IPv6ExtHdrHopByHop() / TCP(sport=1, dport=2))),
            14 + 40 + 4, 14, "ip6")
    d.append((b, "IPv6 hop-by-hop header cut after 4 bytes (the kernel "
              "reads 2)", "tcp6, nw_ttl=64, tp_src=0,tp_dst=0",
              "ipv6, nw_proto=0,nw_tos=0,nw_ecn=0,nw_ttl=0"))
    b = cut(raw(v6(IPv6ExtHdrHopByHop() / TCP())), 14 + 40 + 1, 14, "ip6")
    d.append((b, "IPv6 hop-by-hop header cut after 1 byte",
              "ipv6, nw_proto=59, nw_ttl=64,", "ipv6, nw_proto=0, nw_ttl=0,"))
    b = cut(raw(v6(IPv6ExtHdrDestOpt(len=3) / UDP())), 14 + 40 + 8, 14,
            "ip6")
    d.append((b, "IPv6 destination options longer than the frame",
              "udp6, nw_ttl=64, tp_src=0,tp_dst=0", "ipv6, nw_proto=0, nw_ttl=0,"))
    b = cut(raw(v6(IPv6ExtHdrFragment(m=1) / UDP())), 14 + 40 + 3, 14,
            "ip6")
    d.append((b, "IPv6 fragment header cut after 3 bytes",
              "ipv6, nw_proto=59, nw_ttl=64, nw_frag=first",
              "ipv6, nw_proto=0, nw_ttl=0, nw_frag=no"))
    # LLC: the kernel ignores the control byte.
    d.append((raw(Dot3(src=mac(), dst=mac()) / LLC(dsap=0xaa, ssap=0xaa,
                                                   ctrl=0x13) /
                  SNAP(OUI=0, code=0x0800) / IP(src="10.0.0.1") / UDP()),
              "SNAP with an LLC control byte other than 3",
              "udp, nw_src=10.0.0.1,", "dl_type=0x05ff"))
    return d


def bad_files(out):
    good = os.path.join(out, "ipv4.pcap")
    with open(good, "rb") as f:
        data = f.read()
    files = {
        "bad-empty.pcap": b"",
        "bad-text.pcap": b"this is not a capture\n" * 4,
        "bad-header.pcap": data[:10],
        # one whole record, then 10 bytes of the next one's 54
        "bad-cut.pcap": data[:24 + 16 + struct.unpack_from("<I", data, 32)[0]
                             + 16 + 10],
    }
    for name, content in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(content)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    sets = {
        "eth": eth_frames(),
        "ipv4": ipv4_frames(),
        "ipv6": ipv6_frames(),
        "arp": arp_frames(),
        "mpls": mpls_frames(),
        "trunc": trunc_frames(),
        "many": many_frames(),
    }
    for name, frames in sets.items():
        write_pcap(os.path.join(out, name + ".pcap"), frames)
    write_pcap(os.path.join(out, "sll.pcap"), sll_frames(), linktype=113)
    write_pcapng(os.path.join(out, "ipv4.pcapng"), sets["ipv4"])

    raw_ip = [raw(IP(src="10.0.0.1", dst="10.0.0.2") / TCP(sport=1, dport=2)),
              raw(IPv6(src="2001:db8::1", dst="2001:db8::2") /
                  UDP(sport=3, dport=4)),
              b"\x00\x01"]
    write_pcap(os.path.join(out, "raw.pcap"), raw_ip, linktype=101)
    write_pcap(os.path.join(out, "null.pcap"),
               [struct.pack("<I", 2) + raw_ip[0],
                struct.pack("<I", 30) + raw_ip[1]], linktype=0)
    write_pcap(os.path.join(out, "sll-noaddr.pcap"),
               [struct.pack(">HHH", 0, 0xfffe, 0) + b"\0" * 8 +
                struct.pack(">H", 0x0800) + raw_ip[0]], linktype=113)
    one = raw(eth() / IP(src="10.0.0.1", dst="10.0.0.2") / UDP())
    write_pcap(os.path.join(out, "zero-len.pcap"), [one, b"", one])
    full = raw(eth() / IP(src="10.0.0.1", dst="10.0.0.2") /
               TCP(sport=1, dport=2) / Raw(b"x" * 200))
    write_pcap(os.path.join(out, "snap.pcap"),
               [(full[:64], len(full)), (full, len(full))])

    div = divergent()
    write_pcap(os.path.join(out, "divergent.pcap"), [x[0] for x in div])
    with open(os.path.join(out, "divergent.tsv"), "w") as f:
        for i, (_, what, ft, ovs) in enumerate(div, 1):
            f.write("%d\t%s\t%s\t%s\n" % (i, what, ft, ovs))
    bad_files(out)


if __name__ == "__main__":
    main()
