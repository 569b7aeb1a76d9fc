/*
 * Unit tests for extract.c: hand-built frames with the key fields the
 * kernel datapath gives them.  (Every prefix of a frame, and the header
 * offsets, are tests/unit/extract_edges.c.)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "frames.h"
#include "tap.h"

static void test_tcp4(void)
{
	struct frame f;
	struct dp_key k;
	size_t ip;

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 5, 0x4000);
	tcp_hdr(&f, 1234, 80, 5, 0x012);
	ip4_fix(&f, ip);
	ok(extract(&f, &k) == 0 &&
	   !memcmp(k.eth_src, MAC_A, 6) && !memcmp(k.eth_dst, MAC_B, 6) &&
	   k.eth_type == htons(0x0800) && !k.vlan.tci && !k.vlan.tpid,
	   "tcp4: Ethernet header");
	ok(k.l3.ipv4.src == htonl(0x0a000001) &&
	   k.l3.ipv4.dst == htonl(0x0a000002) && k.nw_proto == 6 &&
	   k.nw_tos == 0xb9 && k.nw_ttl == 63 &&
	   k.nw_frag == OVS_FRAG_TYPE_NONE, "tcp4: IPv4 header (DF is no fragment)");
	ok(h16(k.tp_src) == 1234 && h16(k.tp_dst) == 80 &&
	   h16(k.tcp_flags) == 0x012, "tcp4: ports and flags syn|ack");

	/* Header fields keep network order, metadata is left alone. */
	dp_key_init(&k);
	k.in_port = 7;
	k.skb_mark = 9;
	k.recirc_id = 3;
	k.tun.id = 42;
	dp_extract(f.b, f.len, &k);
	ok(k.in_port == 7 && k.skb_mark == 9 && k.recirc_id == 3 &&
	   k.tun.id == 42 && k.mac_proto == DP_MAC_ETH,
	   "metadata and tunnel fields are the caller's");

	/* The whole L2-L4 region is rewritten: no stale field survives. */
	memset(k.eth_src, 0xa5, DP_KEY_OFS_L2_END - DP_KEY_OFS_L2);
	eth_hdr(&f, 0x88cc);
	put32(&f, 0);
	dp_extract(f.b, f.len, &k);
	ok(k.eth_type == htons(0x88cc) && !k.vlan.tci && !k.nw_proto &&
	   !k.tp_src && !k.tcp_flags && !k.ipv6_exthdrs && !k.l3.ipv6.label &&
	   !k.l3.ipv6.nd_tll[5], "fields a frame lacks are zeroed");
}

static void test_ipv4_variants(void)
{
	struct frame f;
	struct dp_key k;
	size_t ip;

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 17, 7, 0);
	udp_hdr(&f, 53, 5353);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(h16(k.tp_src) == 53 && h16(k.tp_dst) == 5353,
	   "IPv4 options are stepped over");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 5, 0x2000);
	tcp_hdr(&f, 1, 2, 5, 0);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_frag == OVS_FRAG_TYPE_FIRST && h16(k.tp_src) == 1,
	   "first fragment: FIRST, ports read");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 5, 0x2000 | 10);
	tcp_hdr(&f, 1, 2, 5, 0x2);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_frag == OVS_FRAG_TYPE_LATER && k.nw_proto == 6 && !k.tp_src &&
	   !k.tcp_flags, "later fragment: LATER, protocol kept, no ports");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 5, 0);
	tcp_hdr(&f, 1, 2, 5, 0);
	ip4_fix(&f, ip);
	f.b[ip] = 0x44;                 /* ihl 4 */
	extract(&f, &k);
	ok(k.eth_type == htons(0x0800) && !k.l3.ipv4.src && !k.nw_proto &&
	   !k.nw_ttl && !k.tp_src, "IPv4 header length under 20: no L3");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 5, 0);
	tcp_hdr(&f, 1, 2, 5, 0);
	f.b[ip + 2] = 0xff;             /* tot_len far past the frame */
	extract(&f, &k);
	ok(k.l3.ipv4.src == htonl(0x0a000001) && h16(k.tp_dst) == 2,
	   "IPv4 total length is not checked (kernel)");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 5, 0);
	tcp_hdr(&f, 1, 2, 4, 0x2);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 6 && !k.tp_src && !k.tcp_flags,
	   "TCP data offset under 5: no ports");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 6, 5, 0);
	tcp_hdr(&f, 1, 2, 6, 0x2);
	f.len -= 4;                     /* the option word is missing */
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(!k.tp_src && !k.tcp_flags, "TCP header longer than the frame");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 1, 5, 0);
	put8(&f, 3);
	put8(&f, 13);
	put16(&f, 0);
	put32(&f, 0);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(k.tp_src == htons(3) && k.tp_dst == htons(13),
	   "ICMP type and code as 16-bit network-order values");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 2, 5, 0);
	put32(&f, 0x11223344);
	put32(&f, 0xe0000001);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 2 && !k.tp_src && !k.tp_dst,
	   "IGMP: no transport fields (kernel)");

	eth_hdr(&f, 0x0800);
	ip = ip4_hdr(&f, 132, 5, 0);
	put16(&f, 2905);
	put16(&f, 2906);
	put32(&f, 0);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(!k.tp_src, "SCTP needs its whole 12-byte header");
	put32(&f, 0);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(h16(k.tp_src) == 2905 && h16(k.tp_dst) == 2906, "SCTP ports");
}

static void test_l2(void)
{
	struct frame f;
	struct dp_key k;
	size_t ip;

	eth_hdr(&f, 0x8100);
	put16(&f, 0x6005);              /* pcp 3, vid 5 */
	put16(&f, 0x0800);
	ip = ip4_hdr(&f, 17, 5, 0);
	udp_hdr(&f, 1, 2);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(k.vlan.tpid == htons(0x8100) && k.vlan.tci == htons(0x7005) &&
	   !k.cvlan.tci && k.eth_type == htons(0x0800) && h16(k.tp_dst) == 2,
	   "802.1Q: tci with the present bit, then IPv4");

	eth_hdr(&f, 0x88a8);
	put16(&f, 0x0007);
	put16(&f, 0x8100);
	put16(&f, 0x0008);
	put16(&f, 0x86dd);
	ip = ip6_hdr(&f, 59);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.vlan.tpid == htons(0x88a8) && k.vlan.tci == htons(0x1007) &&
	   k.cvlan.tpid == htons(0x8100) && k.cvlan.tci == htons(0x1008) &&
	   k.eth_type == htons(0x86dd) && k.nw_proto == 59,
	   "802.1ad QinQ: outer and inner tag");

	eth_hdr(&f, 0x8100);
	put16(&f, 1);
	put16(&f, 0x8100);
	put16(&f, 2);
	put16(&f, 0x8100);
	put16(&f, 3);
	put16(&f, 0x0800);
	extract(&f, &k);
	ok(k.eth_type == htons(0x8100) && !k.nw_proto,
	   "a third tag is the ethertype");

	eth_hdr(&f, 0x8100);
	put16(&f, 5);
	extract(&f, &k);
	ok(!k.vlan.tci && k.eth_type == htons(0x8100),
	   "a tag without the type after it does not count");

	eth_hdr(&f, 0x0026);            /* 802.3: length 38 */
	put8(&f, 0x42);
	put8(&f, 0x42);
	put8(&f, 0x03);
	put32(&f, 0);
	put32(&f, 0);
	extract(&f, &k);
	ok(k.eth_type == htons(DP_ETH_TYPE_802_2), "802.3 LLC: eth_type 802.2");

	eth_hdr(&f, 0x0026);
	put8(&f, 0xaa);
	put8(&f, 0xaa);
	put8(&f, 0x13);                 /* not UI: the kernel does not care */
	put8(&f, 0);
	put16(&f, 0);
	put16(&f, 0x0800);
	ip = ip4_hdr(&f, 17, 5, 0);
	udp_hdr(&f, 7, 9);
	ip4_fix(&f, ip);
	extract(&f, &k);
	ok(k.eth_type == htons(0x0800) && h16(k.tp_dst) == 9,
	   "SNAP with OUI 0: the ethertype inside, LLC control ignored");

	eth_hdr(&f, 0x0026);
	put8(&f, 0xaa);
	put8(&f, 0xaa);
	put8(&f, 0x03);
	put8(&f, 0);
	put16(&f, 0x000c);
	put16(&f, 0x2000);
	extract(&f, &k);
	ok(k.eth_type == htons(DP_ETH_TYPE_802_2), "SNAP with another OUI: 802.2");

	eth_hdr(&f, 0x0010);
	put16(&f, 0xaaaa);
	extract(&f, &k);
	ok(k.eth_type == htons(DP_ETH_TYPE_802_2),
	   "802.3 with less than a SNAP header after it: 802.2");
}

static void test_runts_and_l3(void)
{
	struct frame f;
	struct dp_key k;
	size_t n;
	int bad = 0;

	eth_hdr(&f, 0x0800);
	for (n = 0; n < 14; n++) {
		dp_key_init(&k);
		k.eth_src[0] = 1;
		if (dp_extract(f.b, n, &k) != -EINVAL || k.eth_src[0] ||
		    k.eth_type)
			bad++;
	}
	ok(!bad, "frames under 14 bytes: -EINVAL and a zero key");

	f.len = 0;
	ip4_hdr(&f, 6, 5, 0);
	tcp_hdr(&f, 4, 5, 5, 0x10);
	ip4_fix(&f, 0);
	dp_key_init(&k);
	k.mac_proto = DP_MAC_NONE;
	k.eth_type = htons(0x0800);
	ok(dp_extract(f.b, f.len, &k) == 0 && k.eth_type == htons(0x0800) &&
	   h16(k.tp_dst) == 5 && !k.eth_src[0] && !k.vlan.tci,
	   "L3 packet: IPv4 from the first byte, no Ethernet fields");
	dp_key_init(&k);
	k.mac_proto = DP_MAC_NONE;
	k.eth_type = htons(0x8100);
	ok(dp_extract(f.b, f.len, &k) == -EINVAL,
	   "L3 packet with a VLAN protocol is refused");
}

static void test_ipv6(void)
{
	struct frame f;
	struct dp_key k;
	size_t ip;

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 6);
	tcp_hdr(&f, 22, 50000, 5, 0x018);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(!memcmp(k.l3.ipv6.src, V6_A, 16) && !memcmp(k.l3.ipv6.dst, V6_B, 16) &&
	   k.l3.ipv6.label == htonl(0x12345) && k.nw_tos == 0xb8 &&
	   k.nw_ttl == 64 && k.nw_proto == 6 && k.nw_frag == 0 &&
	   !k.ipv6_exthdrs, "IPv6 header fields");
	ok(h16(k.tp_src) == 22 && h16(k.tcp_flags) == 0x018, "TCP over IPv6");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 0);
	ext8(&f, 60);
	ext8(&f, 43);
	ext8(&f, 44);
	frag6(&f, 17, 0, 1);
	udp_hdr(&f, 100, 200);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 17 && k.nw_frag == OVS_FRAG_TYPE_FIRST &&
	   h16(k.tp_dst) == 200, "hop, dest, routing, fragment: walked to UDP");
	ok(k.ipv6_exthdrs == (DP_IPV6_EXT_HOP | DP_IPV6_EXT_DEST |
			      DP_IPV6_EXT_ROUTER | DP_IPV6_EXT_FRAG),
	   "extension header bits in RFC order");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 44);
	frag6(&f, 17, 100, 0);
	udp_hdr(&f, 1, 2);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 44 && k.nw_frag == OVS_FRAG_TYPE_LATER && !k.tp_src,
	   "later fragment: protocol 44, no ports");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 44);
	frag6(&f, 17, 0, 0);
	udp_hdr(&f, 1, 2);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_frag == OVS_FRAG_TYPE_FIRST && k.nw_proto == 17,
	   "atomic fragment is FIRST (kernel)");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 44);
	frag6(&f, 60, 100, 0);
	ext8(&f, 17);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_frag == OVS_FRAG_TYPE_FIRST && k.nw_proto == 59,
	   "later fragment followed by an extension header: FIRST, NONE");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 0);
	put8(&f, 6);
	put8(&f, 0);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 6 && k.nw_ttl == 64 && !k.tp_src,
	   "hop-by-hop cut short: stepped over on 2 bytes (kernel)");
	f.len--;
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 59 && k.nw_ttl == 64,
	   "hop-by-hop cut to 1 byte: NONE, rest of the header kept");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 51);
	put8(&f, 6);
	put8(&f, 2);                    /* AH: (2 + 2) * 4 = 16 bytes */
	put16(&f, 0);
	put32(&f, 0);
	put32(&f, 0);
	put32(&f, 0);
	tcp_hdr(&f, 179, 179, 5, 0);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 6 && h16(k.tp_src) == 179 &&
	   k.ipv6_exthdrs == DP_IPV6_EXT_AUTH, "AH length in 4-byte units");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 60);
	ext8(&f, 60);
	ext8(&f, 60);
	ext8(&f, 59);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.ipv6_exthdrs == (DP_IPV6_EXT_DEST | DP_IPV6_EXT_UNREP |
			      DP_IPV6_EXT_NONEXT) && k.nw_proto == 59,
	   "three destination options: UNREP, then NONEXT");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 44);
	frag6(&f, 43, 0, 1);
	ext8(&f, 0);
	ext8(&f, 17);
	udp_hdr(&f, 1, 2);
	ip6_fix(&f, ip);
	extract(&f, &k);
	/* hop-by-hop counts as present only first in line */
	ok(k.ipv6_exthdrs == (DP_IPV6_EXT_FRAG | DP_IPV6_EXT_ROUTER |
			      DP_IPV6_EXT_UNSEQ) &&
	   k.nw_proto == 17, "routing and hop-by-hop after a fragment: UNSEQ");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 50);
	put32(&f, 1);
	put32(&f, 1);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 50 && !k.ipv6_exthdrs, "ESP ends the walk, no bit");

	eth_hdr(&f, 0x86dd);
	ip = ip6_hdr(&f, 6);
	put16(&f, 1);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.nw_proto == 6 && !k.tp_src, "TCP header cut short over IPv6");

	eth_hdr(&f, 0x86dd);
	ip4_hdr(&f, 6, 5, 0);
	extract(&f, &k);
	ok(k.eth_type == htons(0x86dd) && !k.nw_proto && !k.nw_ttl &&
	   !k.l3.ipv6.src[0], "IPv6 header under 40 bytes: no L3");
}

static void test_nd(void)
{
	static const uint8_t zero[6];
	struct frame f;
	struct dp_key k;
	size_t ip;

	ip = nd(&f, 135, 0);
	lla(&f, 1, MAC_A);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.tp_src == htons(135) && !k.tp_dst &&
	   !memcmp(k.l3.ipv6.nd_target, V6_B, 16) &&
	   !memcmp(k.l3.ipv6.nd_sll, MAC_A, 6) &&
	   !memcmp(k.l3.ipv6.nd_tll, zero, 6), "NS: target and source lla");

	ip = nd(&f, 136, 0);
	put8(&f, 14);                   /* unknown option, skipped */
	put8(&f, 1);
	put16(&f, 0);
	put32(&f, 0);
	lla(&f, 2, MAC_B);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(!memcmp(k.l3.ipv6.nd_tll, MAC_B, 6) &&
	   !memcmp(k.l3.ipv6.nd_sll, zero, 6), "NA: target lla after another option");

	ip = nd(&f, 136, 0);
	lla(&f, 2, MAC_B);
	lla(&f, 2, MAC_A);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.tp_src == htons(136) && !k.l3.ipv6.nd_target[0] &&
	   !memcmp(k.l3.ipv6.nd_tll, zero, 6),
	   "the same option twice: target and addresses zeroed");

	ip = nd(&f, 135, 0);
	lla(&f, 1, MAC_A);
	put8(&f, 2);
	put8(&f, 0);                    /* zero length: stop, keep SLL */
	put16(&f, 0);
	put32(&f, 0);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(!memcmp(k.l3.ipv6.nd_sll, MAC_A, 6), "zero-length option ends the walk");

	ip = nd(&f, 135, 1);
	lla(&f, 1, MAC_A);
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.tp_dst == htons(1) && !k.l3.ipv6.nd_target[0] &&
	   !k.l3.ipv6.nd_sll[0], "code 1: not neighbour discovery");

	ip = nd(&f, 135, 0);
	f.len -= 4;
	ip6_fix(&f, ip);
	extract(&f, &k);
	ok(k.tp_src == htons(135) && !k.l3.ipv6.nd_target[0],
	   "NS too short for its target: type kept, no target");
}

static void test_arp_mpls(void)
{
	struct frame f;
	struct dp_key k;

	eth_hdr(&f, 0x0806);
	put16(&f, 1);
	put16(&f, 0x0800);
	put8(&f, 6);
	put8(&f, 4);
	put16(&f, 2);
	put(&f, MAC_A, 6);
	put32(&f, 0xc0a80001);
	put(&f, MAC_B, 6);
	put32(&f, 0xc0a80002);
	extract(&f, &k);
	ok(k.nw_proto == 2 && k.l3.ipv4.src == htonl(0xc0a80001) &&
	   k.l3.ipv4.dst == htonl(0xc0a80002) &&
	   !memcmp(k.l3.ipv4.arp_sha, MAC_A, 6) &&
	   !memcmp(k.l3.ipv4.arp_tha, MAC_B, 6), "ARP reply");
	f.b[14 + 6] = 1;                /* op 0x0102 */
	extract(&f, &k);
	ok(k.nw_proto == 0 && k.l3.ipv4.src == htonl(0xc0a80001),
	   "ARP opcode over 255: 0, addresses kept");
	f.b[14 + 4] = 8;                /* hln */
	extract(&f, &k);
	ok(!k.nw_proto && !k.l3.ipv4.src && !k.l3.ipv4.arp_sha[0],
	   "ARP with another hardware length: nothing");
	f.b[14 + 4] = 6;
	f.len--;
	extract(&f, &k);
	ok(!k.l3.ipv4.src, "ARP cut short: nothing");

	eth_hdr(&f, 0x8847);
	put32(&f, 100 << 12 | 3 << 9 | 0 << 8 | 64);
	put32(&f, 200 << 12 | 1 << 8 | 1);
	put32(&f, 0x45000000);
	extract(&f, &k);
	ok(k.l3.mpls.lse[0] == htonl(100 << 12 | 3 << 9 | 64) &&
	   k.l3.mpls.lse[1] == htonl(200 << 12 | 1 << 8 | 1) &&
	   !k.l3.mpls.lse[2] && k.l3.mpls.num_labels_mask == 3 && !k.nw_proto,
	   "MPLS: two labels to the bottom of the stack");

	eth_hdr(&f, 0x8848);
	put32(&f, 1 << 12);
	put32(&f, 2 << 12);
	put32(&f, 3 << 12);
	put32(&f, 4 << 12 | 1 << 8);
	extract(&f, &k);
	ok(k.l3.mpls.num_labels_mask == 7 && k.l3.mpls.lse[2] == htonl(3 << 12),
	   "MPLS: four labels, the first three kept");
	f.len -= 4;
	extract(&f, &k);
	ok(k.l3.mpls.num_labels_mask == 0 && k.l3.mpls.lse[0] == htonl(1 << 12),
	   "MPLS stack without its bottom: entries kept, no label count");
}
int main(void)
{
	test_tcp4();
	test_ipv4_variants();
	test_l2();
	test_runts_and_l3();
	test_ipv6();
	test_nd();
	test_arp_mpls();
	return done();
}
