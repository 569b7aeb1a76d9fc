/* Unit tests for packet.c (buffers, dp_packet_extract): headroom, header moves, batches,
 * keys and offsets of hand-built frames. */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "packet.h"
#include "pktgen.h"
#include "tap.h"

static void test_buffer(void)
{
	uint8_t f[128], big[4096];
	size_t n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1, 2, 0);
	struct dp_packet *p = dp_packet_new(f, (uint32_t)n, 8), *c;
	struct dp_key key;
	uint8_t *gap;

	ok(p && dp_packet_headroom(p) == 8 && p->len == n && p->owned, "new: headroom 8");
	dp_packet_extract(p, &key);
	ok(p->l3 == 14 && p->l4 == 34, "offsets l3 14, l4 34");
	gap = dp_packet_insert(p, 12, 4);
	ok(gap && dp_packet_headroom(p) == 4 && p->l3 == 18 && p->l4 == 38 &&
	   !memcmp(p->data, f, 12) && !memcmp(p->data + 16, f + 12, n - 12),
	   "insert 4 at 12 uses headroom, moves offsets");
	memset(gap, 0xab, 4);
	gap = dp_packet_insert(p, 0, 20);
	ok(gap && p->len == n + 24 && dp_packet_headroom(p) >= DP_PACKET_HEADROOM &&
	   p->data[20 + 12] == 0xab && p->l3 == 38,
	   "insert beyond the headroom moves to a bigger buffer");
	ok(dp_packet_remove(p, 0, 20) == 0 && dp_packet_remove(p, 12, 4) == 0 &&
	   p->len == n && !memcmp(p->data, f, n) && p->l3 == 14 && p->l4 == 34,
	   "removes restore bytes and offsets");
	ok(dp_packet_remove(p, 10, 1000) < 0 && !dp_packet_at(p, p->len - 2, 4) &&
	   dp_packet_at(p, p->len - 4, 4), "bounds: remove and at refuse past the end");
	c = dp_packet_clone(p);
	c->data[0] = 0x77;
	ok(c && c->len == p->len && p->data[0] != 0x77 && c->l4 == 34, "clone is deep");
	dp_packet_delete(c);
	dp_packet_delete(p);

	/* Borrowed buffer: never freed by us. */
	{
		struct dp_packet q;

		memcpy(big + 64, f, n);
		dp_packet_use(&q, big, sizeof big, 64, (uint32_t)n);
		ok(!q.owned && dp_packet_insert(&q, 12, 4) && q.data == big + 60,
		   "borrowed buffer: insert uses its headroom");
		ok(dp_packet_own(&q, 32) == 0 && q.owned && dp_packet_headroom(&q) == 32 &&
		   !memcmp(q.data, big + 60, q.len), "own copies to the heap");
		dp_packet_uninit(&q);
	}
}

static void test_batch(void)
{
	struct dp_batch b;
	int i, added = 0;

	dp_batch_init(&b);
	for (i = 0; i < DP_BATCH_MAX + 5; i++) {
		struct dp_packet *p = dp_packet_new("x", 1, 0);

		if (dp_batch_add(&b, p))
			added++;
		else
			dp_packet_delete(p);
	}
	ok(added == DP_BATCH_MAX && b.n == DP_BATCH_MAX, "a batch holds %d", DP_BATCH_MAX);
	dp_batch_delete_all(&b);
	ok(b.n == 0, "delete_all empties it");
}

static void test_parse(void)
{
	uint8_t f[160], g[200];
	struct dp_key k;
	struct dp_packet *p;
	size_t n;

	n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1234, 80, 4);
	p = dp_packet_new(f, (uint32_t)n, 64);
	p->md.in_port = 3;
	p->md.skb_mark = 9;
	ok(dp_packet_extract(p, &k) == 0 && k.in_port == 3 && k.skb_mark == 9 &&
	   k.eth_type == htons(0x0800) && k.l3.ipv4.src == htonl(0x0a000001) &&
	   k.nw_proto == 6 && k.nw_ttl == 64 && k.nw_tos == 0x10 &&
	   k.tp_src == htons(1234) && k.tp_dst == htons(80) &&
	   k.tcp_flags == htons(0x12) && k.nw_frag == OVS_FRAG_TYPE_NONE,
	   "IPv4/TCP key");
	dp_packet_delete(p);

	/* VLAN-tagged, later fragment: no L4. */
	memcpy(g, f, 12);
	wr16be(g + 12, 0x8100);
	wr16be(g + 14, 0x3007);
	memcpy(g + 16, f + 12, n - 12);
	wr16be(g + 18 + 6, 0x0010);     /* fragment offset 16 */
	p = dp_packet_new(g, (uint32_t)n + 4, 64);
	ok(dp_packet_extract(p, &k) == 0 && k.vlan.tpid == htons(0x8100) &&
	   k.vlan.tci == htons(0x3007 | DP_VLAN_CFI) && k.nw_frag == OVS_FRAG_TYPE_LATER &&
	   !k.tp_src && p->l3 == 18 && p->l4 == DP_OFS_NONE,
	   "802.1Q, later fragment: vlan tci with CFI, no ports");
	dp_packet_delete(p);

	n = build_ipv6(f, 17, 5353, 53, 3);
	p = dp_packet_new(f, (uint32_t)n, 64);
	ok(dp_packet_extract(p, &k) == 0 && k.eth_type == htons(0x86dd) && k.nw_proto == 17 &&
	   k.l3.ipv6.label == htonl(0xabcde) && k.nw_ttl == 64 &&
	   k.l3.ipv6.dst[15] == 2 && k.tp_dst == htons(53) && p->l4 == 54,
	   "IPv6/UDP key");
	dp_packet_delete(p);

	/* ARP request. */
	memset(g, 0, 42);
	memset(g, 0xff, 6);
	g[11] = 1;
	wr16be(g + 12, 0x0806);
	wr16be(g + 14, 1);
	wr16be(g + 16, 0x0800);
	g[18] = 6;
	g[19] = 4;
	wr16be(g + 20, 1);
	g[27] = 1;
	g[28] = 10; g[31] = 1;
	g[38] = 10; g[41] = 2;
	p = dp_packet_new(g, 42, 64);
	ok(dp_packet_extract(p, &k) == 0 && k.eth_type == htons(0x0806) && k.nw_proto == 1 &&
	   k.l3.ipv4.src == htonl(0x0a000001) && k.l3.ipv4.dst == htonl(0x0a000002) &&
	   k.l3.ipv4.arp_sha[5] == 1, "ARP key");
	dp_packet_delete(p);

	p = dp_packet_new(g, 13, 64);
	ok(dp_packet_extract(p, &k) < 0, "a 13-byte frame is refused");
	dp_packet_delete(p);
	p = dp_packet_new(f, 20, 64);   /* IPv6 ethertype, header cut */
	ok(dp_packet_extract(p, &k) == 0 && k.eth_type == htons(0x86dd) && !k.nw_proto,
	   "a truncated IPv6 header leaves L3 fields zero");
	dp_packet_delete(p);
}

/* What the stopgap parser got wrong and the shared extractor gets right. */
static void test_extract_wrapper(void)
{
	uint8_t f[160];
	struct dp_key k, k2;
	struct dp_packet *p;
	size_t n;

	/* A frame that ends inside its 802.1Q tag: the tag does not count,
	 * the key says eth_type 0x8100, as the kernel's. */
	n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 0);
	wr16be(f + 12, 0x8100);
	p = dp_packet_new(f, 17, 64);
	p->md.in_port = 2;
	ok(dp_packet_extract(p, &k) == 0 && !k.vlan.tpid && !k.vlan.tci &&
	   k.eth_type == htons(0x8100) && k.in_port == 2 && p->l3 == 14,
	   "truncated VLAN tag: no tag, eth_type 0x8100 as the kernel");
	dp_packet_delete(p);

	/* Every byte of the key is written: garbage in, same key out. */
	n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1234, 80, 4);
	p = dp_packet_new(f, (uint32_t)n, 64);
	p->md.ct_state = 0x21;
	memset(&k, 0xa5, sizeof k);
	memset(&k2, 0, sizeof k2);
	dp_packet_extract(p, &k);
	dp_packet_extract(p, &k2);
	ok(!memcmp(&k, &k2, sizeof k) && k.ct_state == 0x21 && !k.tun_proto,
	   "every key byte is written, metadata included");
	dp_packet_delete(p);

	/* An L3 packet takes its type from the packet, as skb->protocol. */
	p = dp_packet_new(f + 14, (uint32_t)n - 14, 64);
	p->mac_proto = DP_MAC_NONE;
	ok(dp_packet_extract(p, &k) == 0 && k.mac_proto == DP_MAC_NONE &&
	   k.eth_type == htons(0x0800) && k.tp_dst == htons(80) && p->l3 == 0 &&
	   p->l4 == 20, "L3 IPv4 packet: type guessed from the version");
	p->eth_type = htons(0x8847);
	ok(dp_packet_extract(p, &k) == 0 && k.eth_type == htons(0x8847) &&
	   p->l2_5 == 0 && !k.nw_proto, "L3 packet with eth_type MPLS: read as MPLS");
	p->len = 0;
	ok(dp_packet_extract(p, &k) < 0, "an empty L3 packet is refused");
	dp_packet_delete(p);
}

static void test_parse_reuse(void)
{
	static const uint8_t zero[sizeof(struct dp_tun)];
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 0);
	struct dp_packet *p = dp_packet_new(f, (uint32_t)n, 64);
	struct dp_tun tun;
	struct dp_key k;

	memset(&tun, 0, sizeof tun);
	tun.id = 77;
	tun.opts_len = 4;
	memset(tun.opts, 0xab, 4);
	dp_key_init(&k);
	p->md.tun = &tun;
	p->md.tun_proto = DP_TUN_IPV4;
	dp_packet_extract_reuse(p, &k);
	ok(k.tun_proto == DP_TUN_IPV4 && k.tun.id == 77 && k.tun.opts[3] == 0xab,
	   "reuse: tunnel metadata copied");
	p->md.tun = NULL;
	p->md.tun_proto = 0;
	dp_packet_extract_reuse(p, &k);
	ok(!k.tun_proto && !memcmp(&k.tun, zero, sizeof zero) && k.tp_dst == htons(2),
	   "reuse: the next packet without a tunnel gets a clear tunnel region");
	dp_packet_delete(p);
}

int main(void)
{
	test_buffer();
	test_batch();
	test_parse();
	test_extract_wrapper();
	test_parse_reuse();
	return done();
}
