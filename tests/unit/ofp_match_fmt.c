/*
 * Unit tests for ofp_match_fmt.c: IPv6 text against inet_ntop(), masked
 * matches against what "ovs-ofctl parse-flow" prints for the same match
 * (packets without masks are checked against ovs-ofctl parse-pcap by
 * tests/bats/flowtrace.bats).
 */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_match_fmt.h"
#include "tap.h"

static const char *fmt(struct buf *b, const struct dp_key *k,
		       const struct dp_key *m)
{
	buf_clear(b);
	ofp_match_format(b, k, m);
	return buf_cstr(b);
}

static int same(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return 1;
	note("want %s", want);
	note("got  %s", got);
	return 0;
}

static void test_ipv6_text(void)
{
	static const char *const fixed[] = {
		"::", "::1", "::2", "1::", "::ffff:1.2.3.4", "::1.2.3.4",
		"::ffff:0:1.2.3.4", "1:0:0:1::", "1::1:0:0:1", "0:0:1::",
		"1:2:3:4:5:6:7:8", "fe80::1:0:0:0", "1:0:1:0:1:0:1:0",
		"::ffff", "::1:ffff:1.2.3.4", "0:0:0:1::", "::0.0.0.0",
	};
	struct buf b = BUF_INIT;
	char want[INET6_ADDRSTRLEN];
	unsigned int i, j, bad = 0;
	uint8_t a[16];

	srand(7);
	for (i = 0; i < sizeof fixed / sizeof *fixed + 200000; i++) {
		if (i < sizeof fixed / sizeof *fixed) {
			inet_pton(AF_INET6, fixed[i], a);
		} else {
			/* groups zero half of the time, to get many runs */
			for (j = 0; j < 8; j++) {
				unsigned int w = rand() & 1 ? 0 :
						 (unsigned int)rand() & 0xffff;

				if (rand() % 8 == 0)
					w = 0xffff;
				a[2 * j] = (uint8_t)(w >> 8);
				a[2 * j + 1] = (uint8_t)w;
			}
		}
		inet_ntop(AF_INET6, a, want, sizeof want);
		buf_clear(&b);
		ofp_put_ipv6(&b, a);
		if (strcmp(buf_cstr(&b), want) && bad++ < 5)
			note("%s != %s", buf_cstr(&b), want);
	}
	ok(!bad, "IPv6 text equals inet_ntop() for %u addresses", i);
	buf_free(&b);
}

static void test_packet(void)
{
	struct buf b = BUF_INIT;
	struct dp_key k;

	dp_key_init(&k);
	memcpy(k.eth_src, "\x00\x01\x02\x03\x04\x05", 6);
	memcpy(k.eth_dst, "\x10\x20\x30\x40\x50\x60", 6);
	k.eth_type = htons(0x0800);
	k.l3.ipv4.src = htonl(0x0a000001);
	k.l3.ipv4.dst = htonl(0x0a000002);
	k.nw_proto = 6;
	k.nw_ttl = 64;
	k.nw_tos = 0xb9;
	k.tp_src = htons(1234);
	k.tp_dst = htons(80);
	k.tcp_flags = htons(0x012);
	ok(same(fmt(&b, &k, NULL),
		"tcp,in_port=ANY,vlan_tci=0x0000,dl_src=00:01:02:03:04:05,"
		"dl_dst=10:20:30:40:50:60,nw_src=10.0.0.1,nw_dst=10.0.0.2,"
		"nw_tos=184,nw_ecn=1,nw_ttl=64,nw_frag=no,tp_src=1234,tp_dst=80,"
		"tcp_flags=syn|ack"), "a TCP packet as parse-pcap shows it");

	k.in_port = 3;
	k.skb_mark = 0x10;
	k.recirc_id = 2;
	k.vlan.tpid = htons(0x8100);
	k.vlan.tci = htons(0x1000 | 5);
	k.nw_frag = OVS_FRAG_TYPE_LATER;
	ok(same(fmt(&b, &k, NULL),
		"pkt_mark=0x10,recirc_id=0x2,tcp,in_port=3,dl_vlan=5,"
		"dl_vlan_pcp=0,vlan_tci1=0x0000,dl_src=00:01:02:03:04:05,"
		"dl_dst=10:20:30:40:50:60,nw_src=10.0.0.1,nw_dst=10.0.0.2,"
		"nw_tos=184,nw_ecn=1,nw_ttl=64,nw_frag=later"),
	   "metadata where set, VLAN, later fragment without ports");

	k.in_port = 0xfffe;
	k.eth_type = htons(DP_ETH_TYPE_802_2);
	ok(same(fmt(&b, &k, NULL),
		"pkt_mark=0x10,recirc_id=0x2,in_port=LOCAL,dl_vlan=5,"
		"dl_vlan_pcp=0,vlan_tci1=0x0000,dl_src=00:01:02:03:04:05,"
		"dl_dst=10:20:30:40:50:60,dl_type=0x05ff"),
	   "802.2 prints as OVS's 0x05ff, reserved ports by name");
	buf_free(&b);
}

static void test_masked(void)
{
	struct buf b = BUF_INIT;
	struct dp_key k, m;

	/* ovs-ofctl parse-flow "tcp,nw_src=10.0.0.0/8,nw_dst=10.0.0.0/
	 * 255.0.255.0,tp_dst=0x50/0xfff0,tcp_flags=+syn-ack,dl_src=01:00:00:
	 * 00:00:00/01:00:00:00:00:00,vlan_tci=0x1005/0x1fff,ct_state=+trk-new,
	 * ct_zone=5,ct_mark=0x10/0xf0" */
	memset(&k, 0, sizeof k);
	memset(&m, 0, sizeof m);
	k.eth_type = htons(0x0800);
	m.eth_type = 0xffff;
	k.nw_proto = 6;
	m.nw_proto = 0xff;
	k.l3.ipv4.src = htonl(0x0a000000);
	m.l3.ipv4.src = htonl(0xff000000);
	k.l3.ipv4.dst = htonl(0x0a000000);
	m.l3.ipv4.dst = htonl(0xff00ff00);
	k.tp_dst = htons(0x50);
	m.tp_dst = htons(0xfff0);
	k.tcp_flags = htons(0x002);
	m.tcp_flags = htons(0x012);
	k.eth_src[0] = 1;
	m.eth_src[0] = 1;
	k.vlan.tci = htons(0x1005);
	m.vlan.tci = htons(0x1fff);
	k.ct_state = 0x20;
	m.ct_state = 0x21;
	k.ct_zone = 5;
	m.ct_zone = 0xffff;
	k.ct_mark = 0x10;
	m.ct_mark = 0xf0;
	ok(same(fmt(&b, &k, &m),
		"ct_state=-new+trk,ct_zone=5,ct_mark=0x10/0xf0,tcp,dl_vlan=5,"
		"dl_src=01:00:00:00:00:00/01:00:00:00:00:00,nw_src=10.0.0.0/8,"
		"nw_dst=10.0.0.0/255.0.255.0,tp_dst=0x50/0xfff0,"
		"tcp_flags=+syn-ack"), "masked IPv4 match as parse-flow prints it");

	/* "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=::1/::ffff,
	 * ipv6_label=0x1/0xf,dl_vlan=5" */
	memset(&k, 0, sizeof k);
	memset(&m, 0, sizeof m);
	k.eth_type = htons(0x86dd);
	m.eth_type = 0xffff;
	k.vlan.tci = htons(0x1005);
	m.vlan.tci = htons(0x1fff);
	memcpy(k.l3.ipv6.src, "\x20\x01\x0d\xb8", 4);
	memset(m.l3.ipv6.src, 0xff, 4);
	k.l3.ipv6.dst[15] = 1;
	m.l3.ipv6.dst[14] = m.l3.ipv6.dst[15] = 0xff;
	k.l3.ipv6.label = htonl(1);
	m.l3.ipv6.label = htonl(0xf);
	ok(same(fmt(&b, &k, &m),
		"ipv6,dl_vlan=5,ipv6_src=2001:db8::/32,ipv6_dst=::1/::ffff,"
		"ipv6_label=0x00001/0x0000f"), "masked IPv6 match");

	memset(&m, 0, sizeof m);
	ok(same(fmt(&b, &k, &m), ""), "an empty mask prints nothing");
	buf_free(&b);
}

int main(void)
{
	test_ipv6_text();
	test_packet();
	test_masked();
	return done();
}
