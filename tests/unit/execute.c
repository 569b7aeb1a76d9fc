/* Unit tests for execute*.c: each action on hand-built packets, with
 * checksums checked against a from-scratch computation (pktgen.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>

#include "dp_csum.h"
#include "packet.h"
#include "execute.h"
#include "nlattr.h"
#include "pktgen.h"
#include "tap.h"

/* What the callbacks saw. */
struct rec {
	int n_out;
	uint32_t out_port[16];
	uint8_t out[16][256];
	uint32_t out_len[16];
	int n_up;
	struct dp_exec_upcall up;
	uint8_t up_data[64];
	int n_recirc;
	uint32_t recirc_id;
	const void *loop_acts;          /* recirc runs these if set */
	size_t loop_len;
};

static void cb_output(void *aux, uint32_t port, struct dp_packet *p,
		      uint32_t len)
{
	struct rec *r = aux;

	if (r->n_out < 16) {
		r->out_port[r->n_out] = port;
		r->out_len[r->n_out] = len;
		memcpy(r->out[r->n_out], p->data, len < 256 ? len : 256);
		r->n_out++;
	}
}

static void cb_userspace(void *aux, const struct dp_exec_upcall *u,
			 const struct dp_packet *p, const struct dp_key *key)
{
	struct rec *r = aux;

	(void)p;
	(void)key;
	r->n_up++;
	r->up = *u;
	if (u->userdata_len <= sizeof r->up_data)
		memcpy(r->up_data, u->userdata, u->userdata_len);
}

static void cb_recirc(void *aux, struct dp_exec *x, struct dp_packet *p,
		      struct dp_key *key)
{
	struct rec *r = aux;

	r->n_recirc++;
	r->recirc_id = key->recirc_id;
	if (r->loop_acts)
		dp_execute_nested(x, p, key, r->loop_acts, r->loop_len);
}

static const struct dp_exec_cb cbs = { cb_output, cb_userspace, cb_recirc };

struct t {
	struct dp_packet *p;
	struct dp_key key;
	struct dp_exec x;
	struct rec r;
	struct buf acts;
};

static void start(struct t *t, const uint8_t *frame, size_t len)
{
	memset(&t->r, 0, sizeof t->r);
	t->p = dp_packet_new(frame, (uint32_t)len, DP_PACKET_HEADROOM);
	t->p->md.in_port = 1;
	dp_packet_extract(t->p, &t->key);
	dp_exec_init(&t->x, &cbs, &t->r, 42);
	buf_init(&t->acts);
}

static int go(struct t *t)
{
	return dp_execute(&t->x, t->p, &t->key, t->acts.data, t->acts.len);
}

static void finish(struct t *t)
{
	dp_packet_delete(t->p);
	buf_free(&t->acts);
}

/* set_masked(TYPE(value/mask)) */
static void put_set_masked(struct buf *b, uint16_t type, const void *v,
			   const void *m, size_t n)
{
	size_t ofs = na_nest_start(b, OVS_ACTION_ATTR_SET_MASKED);
	uint8_t *d = na_put_zero(b, type, 2 * n);

	memcpy(d, v, n);
	memcpy(d + n, m, n);
	na_nest_end(b, ofs);
}

static void put_set(struct buf *b, uint16_t type, const void *v, size_t n)
{
	size_t ofs = na_nest_start(b, OVS_ACTION_ATTR_SET);

	na_put(b, type, v, n);
	na_nest_end(b, ofs);
}

static int l4_ok(const uint8_t *f, int v6, uint8_t proto, size_t cofs, size_t len)
{
	const uint8_t *ip = f + 14, *l4 = ip + (v6 ? 40 : 20);
	size_t l4len = len - (size_t)(l4 - f);

	return rd16be(l4 + cofs) == ref_l4_csum(ip, v6, proto, l4, l4len, cofs);
}

static void test_output_drop(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1000, 2000, 18);
	struct t t;

	start(&t, f, n);
	ok(go(&t) == 0 && t.r.n_out == 0, "empty action list drops");
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 3);
	ok(go(&t) == 0 && t.r.n_out == 2 && t.r.out_port[0] == 2 && t.r.out_port[1] == 3 &&
	   t.r.out_len[0] == n && !memcmp(t.r.out[1], f, n), "output:2,3 sends the frame twice");
	finish(&t);
}

static void test_set_ipv4(void)
{
	static const int protos[] = { 6, 17 };
	uint8_t f[128];
	unsigned i;

	for (i = 0; i < 2; i++) {
		size_t n = build_ipv4(f, (uint8_t)protos[i], "10.0.0.1", "10.0.0.2",
				      1234, 80, 21);
		struct ovs_key_ipv4 v = { 0 }, m = { 0 };
		size_t cofs = protos[i] == 6 ? 16 : 6;
		struct t t;

		start(&t, f, n);
		v.ipv4_src = htonl(0xc0a80005);
		v.ipv4_dst = htonl(0x0a000063);
		v.ipv4_proto = (uint8_t)protos[i];
		v.ipv4_tos = 0x2e;
		v.ipv4_ttl = 9;
		put_set(&t.acts, OVS_KEY_ATTR_IPV4, &v, sizeof v);
		na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
		ok(go(&t) == 0 && t.r.n_out == 1 && ref_ipv4_ok(t.r.out[0] + 14) &&
		   l4_ok(t.r.out[0], 0, (uint8_t)protos[i], cofs, n) &&
		   t.r.out[0][14 + 12] == 192 && t.r.out[0][14 + 19] == 99 &&
		   t.r.out[0][14 + 8] == 9 && t.r.out[0][15] == 0x2e,
		   "set(ipv4(src,dst,tos,ttl)) on %s: fields and checksums",
		   protos[i] == 6 ? "TCP" : "UDP");
		finish(&t);

		/* Masked: only the low byte of dst, ttl. */
		start(&t, f, n);
		memset(&v, 0, sizeof v);
		memset(&m, 0, sizeof m);
		v.ipv4_dst = htonl(0x000000aa);
		m.ipv4_dst = htonl(0x000000ff);
		v.ipv4_ttl = 1;
		m.ipv4_ttl = 0xff;
		put_set_masked(&t.acts, OVS_KEY_ATTR_IPV4, &v, &m, sizeof v);
		na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
		ok(go(&t) == 0 && ref_ipv4_ok(t.r.out[0] + 14) &&
		   l4_ok(t.r.out[0], 0, (uint8_t)protos[i], cofs, n) &&
		   t.r.out[0][14 + 16] == 10 && t.r.out[0][14 + 19] == 0xaa &&
		   t.r.out[0][14 + 12] == 10 && t.r.out[0][14 + 8] == 1,
		   "set_masked(ipv4(dst=0.0.0.170/0.0.0.255,ttl=1)) on %s",
		   protos[i] == 6 ? "TCP" : "UDP");
		finish(&t);
	}
}

static void test_udp_zero(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 5, 6, 10);
	struct ovs_key_ipv4 v = { 0 }, m = { 0 };
	struct ovs_key_udp u = { htons(7), htons(8) };
	struct t t;

	f[34 + 6] = f[34 + 7] = 0;      /* "no checksum" */
	start(&t, f, n);
	v.ipv4_src = htonl(0x01020304);
	m.ipv4_src = 0xffffffff;
	put_set_masked(&t.acts, OVS_KEY_ATTR_IPV4, &v, &m, sizeof v);
	put_set(&t.acts, OVS_KEY_ATTR_UDP, &u, sizeof u);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	ok(go(&t) == 0 && ref_ipv4_ok(t.r.out[0] + 14) && !t.r.out[0][40] &&
	   !t.r.out[0][41] && rd16be(t.r.out[0] + 34) == 7,
	   "UDP checksum 0 stays 0 across address and port rewrites");
	finish(&t);

	/* A rewrite that would produce 0 gives 0xffff instead: find ports
	 * whose checksum comes out as 0xffff from scratch. */
	{
		uint16_t sp;
		int found = 0;

		for (sp = 1; sp && !found; sp++) {
			uint8_t g[128];
			size_t k;

			memcpy(g, f, n);
			wr16be(g + 34, sp);
			k = n;
			wr16be(g + 40, ref_l4_csum(g + 14, 0, 17, g + 34, k - 34, 6));
			if (rd16be(g + 40) == 0) {      /* really 0 -> must be ffff */
				struct ovs_key_udp uu = { htons(sp), htons(6) };

				build_ipv4(g, 17, "10.0.0.1", "10.0.0.2", 5, 6, 10);
				start(&t, g, n);
				put_set(&t.acts, OVS_KEY_ATTR_UDP, &uu, sizeof uu);
				na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
				go(&t);
				ok(rd16be(t.r.out[0] + 40) == 0xffff,
				   "UDP checksum that computes to 0 is sent as 0xffff");
				finish(&t);
				found = 1;
			}
		}
		if (!found)
			skip("no port gives a zero UDP checksum");
	}
}

static void test_l4_ports(void)
{
	uint8_t f[128];
	size_t n;
	struct ovs_key_tcp tv = { htons(4000), htons(5000) }, tm = { 0, 0xffff };
	struct ovs_key_icmp iv = { 0, 0 };
	struct t t;

	n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1, 2, 5);
	start(&t, f, n);
	put_set_masked(&t.acts, OVS_KEY_ATTR_TCP, &tv, &tm, sizeof tv);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	ok(go(&t) == 0 && rd16be(t.r.out[0] + 34) == 1 && rd16be(t.r.out[0] + 36) == 5000 &&
	   l4_ok(t.r.out[0], 0, 6, 16, n), "set_masked(tcp(dst=5000)): port, checksum");
	finish(&t);

	n = build_ipv4(f, 1, "10.0.0.1", "10.0.0.2", 0, 0, 30);
	start(&t, f, n);
	put_set(&t.acts, OVS_KEY_ATTR_ICMP, &iv, sizeof iv);    /* echo reply */
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	ok(go(&t) == 0 && t.r.out[0][34] == 0 && l4_ok(t.r.out[0], 0, 1, 2, n),
	   "set(icmp(type=0,code=0)): checksum");
	finish(&t);

	n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 5);
	start(&t, f, n);
	put_set(&t.acts, OVS_KEY_ATTR_TCP, &tv, sizeof tv);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	ok(go(&t) == -EINVAL && t.r.n_out == 0 && t.x.stats.errors == 1,
	   "set(tcp) on a UDP packet drops it");
	finish(&t);
}

static void test_ipv6(void)
{
	static const int protos[] = { 6, 17, 58 };
	uint8_t f[160];
	unsigned i;

	for (i = 0; i < 3; i++) {
		size_t n = build_ipv6(f, (uint8_t)protos[i], 100, 200, 13);
		struct ovs_key_ipv6 v, m;
		size_t cofs = protos[i] == 6 ? 16 : protos[i] == 17 ? 6 : 2;
		struct t t;
		const uint8_t *ip;

		memset(&v, 0, sizeof v);
		memset(&m, 0, sizeof m);
		start(&t, f, n);
		memset(v.ipv6_src, 0x11, 16);
		memset(m.ipv6_src, 0xff, 16);
		((uint8_t *)v.ipv6_dst)[15] = 0x77;
		((uint8_t *)m.ipv6_dst)[15] = 0xff;
		v.ipv6_tclass = 0xb8;
		m.ipv6_tclass = 0xfc;
		v.ipv6_label = htonl(0x12345);
		m.ipv6_label = htonl(0xfffff);
		v.ipv6_hlimit = 3;
		m.ipv6_hlimit = 0xff;
		put_set_masked(&t.acts, OVS_KEY_ATTR_IPV6, &v, &m, sizeof v);
		na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
		ip = t.r.out[0] + 14;
		ok(go(&t) == 0 && ip[8] == 0x11 && ip[23] == 0x11 && ip[39] == 0x77 &&
		   ip[24] == 0x20 && (((ip[0] & 15) << 4) | ip[1] >> 4) == 0xb8 &&
		   ((ip[1] & 15) << 16 | ip[2] << 8 | ip[3]) == 0x12345 && ip[7] == 3 &&
		   l4_ok(t.r.out[0], 1, (uint8_t)protos[i], cofs, n),
		   "set_masked(ipv6(src,dst,tclass,label,hlimit)) on %s: checksum",
		   protos[i] == 6 ? "TCP" : protos[i] == 17 ? "UDP" : "ICMPv6");
		finish(&t);
	}
}

/* Table-driven CRC32c, an independent way to get SCTP's checksum. */
static uint32_t ref_crc32c(const uint8_t *b, size_t n)
{
	uint32_t table[256], crc = ~0u;
	unsigned i, k;

	for (i = 0; i < 256; i++) {
		uint32_t c = i;

		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		table[i] = c;
	}
	for (i = 0; i < n; i++)
		crc = table[(crc ^ b[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void sctp_fill(uint8_t *l4, size_t len)
{
	uint32_t c;

	memset(l4 + 8, 0, 4);
	c = ref_crc32c(l4, len);
	l4[8] = (uint8_t)c;
	l4[9] = (uint8_t)(c >> 8);
	l4[10] = (uint8_t)(c >> 16);
	l4[11] = (uint8_t)(c >> 24);
}

static void test_sctp(void)
{
	uint8_t f[128], g[256];
	size_t n = build_ipv4(f, 132, "10.0.0.1", "10.0.0.2", 0, 0, 20);
	struct ovs_key_sctp s = { htons(9), htons(10) };
	struct t t;

	wr16be(f + 34, 7);
	wr16be(f + 36, 8);
	sctp_fill(f + 34, n - 34);
	start(&t, f, n);
	put_set(&t.acts, OVS_KEY_ATTR_SCTP, &s, sizeof s);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	go(&t);
	memcpy(g, t.r.out[0], n);
	sctp_fill(g + 34, n - 34);
	ok(t.r.n_out == 1 && rd16be(t.r.out[0] + 34) == 9 &&
	   !memcmp(g + 42, t.r.out[0] + 42, 4), "set(sctp): ports, CRC32c recomputed");
	finish(&t);

	f[42] ^= 0x55;                  /* a wrong CRC stays wrong */
	start(&t, f, n);
	put_set(&t.acts, OVS_KEY_ATTR_SCTP, &s, sizeof s);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	go(&t);
	ok((t.r.out[0][42] ^ g[42]) == 0x55, "set(sctp): a bad CRC stays exactly as bad");
	finish(&t);
}

static void test_eth_vlan_mpls(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 8);
	struct ovs_action_push_vlan pv = { htons(0x8100), htons(0x1000 | 0x2005) };
	struct ovs_action_push_mpls pm = { htonl(0x12345 << 12 | 1 << 8 | 64), htons(0x8847) };
	struct ovs_key_ethernet ev, em;
	struct ovs_key_mpls ml = { htonl(0x54321 << 12 | 1 << 8 | 9) };
	struct t t;

	start(&t, f, n);
	na_put(&t.acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	na_put(&t.acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 3);
	na_put_flag(&t.acts, OVS_ACTION_ATTR_POP_VLAN);
	na_put_flag(&t.acts, OVS_ACTION_ATTR_POP_VLAN);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 4);
	go(&t);
	ok(t.r.n_out == 3 && t.r.out_len[0] == n + 4 &&
	   rd16be(t.r.out[0] + 12) == 0x8100 && rd16be(t.r.out[0] + 14) == 0x2005 &&
	   !memcmp(t.r.out[0] + 16, f + 12, n - 12), "push_vlan: tag after MACs, CFI cleared");
	ok(t.r.out_len[1] == n + 8 && rd16be(t.r.out[1] + 16) == 0x8100,
	   "second push_vlan: QinQ");
	ok(t.r.out_len[2] == n && !memcmp(t.r.out[2], f, n), "pop_vlan twice restores");
	finish(&t);

	start(&t, f, n);
	na_put(&t.acts, OVS_ACTION_ATTR_PUSH_MPLS, &pm, sizeof pm);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	put_set(&t.acts, OVS_KEY_ATTR_MPLS, &ml, sizeof ml);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 3);
	na_put_u16(&t.acts, OVS_ACTION_ATTR_POP_MPLS, htons(0x0800));
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 4);
	go(&t);
	ok(t.r.n_out == 3 && rd16be(t.r.out[0] + 12) == 0x8847 &&
	   !memcmp(t.r.out[0] + 14, &pm.mpls_lse, 4) && t.r.out_len[0] == n + 4,
	   "push_mpls: ethertype and label stack entry");
	ok(!memcmp(t.r.out[1] + 14, &ml.mpls_lse, 4), "set(mpls) rewrites the top entry");
	ok(t.r.out_len[2] == n && !memcmp(t.r.out[2], f, n), "pop_mpls restores");
	finish(&t);

	start(&t, f, n);
	memset(&ev, 0, sizeof ev);
	memset(&em, 0, sizeof em);
	ev.eth_dst[5] = 0x99;
	em.eth_dst[5] = 0xff;
	memset(ev.eth_src, 0xaa, 6);
	memset(em.eth_src, 0xff, 6);
	put_set_masked(&t.acts, OVS_KEY_ATTR_ETHERNET, &ev, &em, sizeof ev);
	na_put_flag(&t.acts, OVS_ACTION_ATTR_POP_ETH);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);     /* to a callback: fine */
	{
		struct ovs_action_push_eth pe;

		memset(&pe, 0, sizeof pe);
		pe.addresses.eth_dst[0] = 0x33;
		na_put(&t.acts, OVS_ACTION_ATTR_PUSH_ETH, &pe, sizeof pe);
	}
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 3);
	go(&t);
	ok(t.r.n_out == 2 && t.r.out_len[0] == n - 14 && t.r.out[0][0] == 0x45 &&
	   t.r.out_len[1] == n && t.r.out[1][0] == 0x33 && rd16be(t.r.out[1] + 12) == 0x0800 &&
	   !memcmp(t.r.out[1] + 14, f + 14, n - 14),
	   "set_masked(eth), pop_eth, push_eth: L3 packet and back");
	finish(&t);
}

static void test_trunc_userspace(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 40), ofs;
	struct ovs_action_trunc tr = { 30 };
	struct t t;

	start(&t, f, n);
	na_put(&t.acts, OVS_ACTION_ATTR_TRUNC, &tr, sizeof tr);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 3);
	na_put(&t.acts, OVS_ACTION_ATTR_TRUNC, &tr, sizeof tr);
	ofs = na_nest_start(&t.acts, OVS_ACTION_ATTR_USERSPACE);
	na_put_u32(&t.acts, OVS_USERSPACE_ATTR_PID, 77);
	na_put(&t.acts, OVS_USERSPACE_ATTR_USERDATA, "cookie12", 8);
	na_put_flag(&t.acts, OVS_USERSPACE_ATTR_ACTIONS);
	na_nest_end(&t.acts, ofs);
	go(&t);
	ok(t.r.n_out == 2 && t.r.out_len[0] == 30 && t.r.out_len[1] == n,
	   "trunc(30) cuts the next output only");
	ok(t.r.n_up == 1 && t.r.up.pid == 77 && t.r.up.userdata_len == 8 &&
	   !memcmp(t.r.up_data, "cookie12", 8) && t.r.up.has_actions &&
	   t.r.up.actions_len == t.acts.len && t.r.up.len == 30 && t.r.up.orig_len == n,
	   "userspace(pid=77,userdata,actions) after trunc: the upcall record");
	finish(&t);

	/* The cut is an amount: a header pushed after trunc still goes out. */
	start(&t, f, n);
	{
		struct ovs_action_push_vlan pv = { htons(0x8100), htons(0x1005) };

		na_put(&t.acts, OVS_ACTION_ATTR_TRUNC, &tr, sizeof tr);
		na_put(&t.acts, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
		na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	}
	go(&t);
	ok(t.r.n_out == 1 && t.r.out_len[0] == 34 && rd16be(t.r.out[0] + 12) == 0x8100,
	   "trunc(30),push_vlan,output: 34 bytes, as the kernel's cutlen");
	finish(&t);
}

static void test_recirc_hash(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1000, 80, 0);
	struct ovs_action_hash h = { OVS_HASH_ALG_L4, 7 };
	uint32_t h1, h2;
	struct t t;

	start(&t, f, n);
	na_put(&t.acts, OVS_ACTION_ATTR_HASH, &h, sizeof h);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_RECIRC, 5);
	go(&t);
	h1 = t.p->md.dp_hash;
	ok(t.r.n_recirc == 1 && t.r.recirc_id == 5 && h1 != 0 && t.p->md.recirc_id == 5,
	   "hash then recirc(5): re-lookup with recirc_id 5, dp_hash set");
	finish(&t);

	n = build_ipv4(f, 6, "10.0.0.2", "10.0.0.1", 80, 1000, 0);
	start(&t, f, n);
	h.hash_alg = 1;                 /* symmetric */
	na_put(&t.acts, OVS_ACTION_ATTR_HASH, &h, sizeof h);
	go(&t);
	h2 = t.p->md.dp_hash;
	finish(&t);
	n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1000, 80, 0);
	start(&t, f, n);
	na_put(&t.acts, OVS_ACTION_ATTR_HASH, &h, sizeof h);
	go(&t);
	ok(h2 == t.p->md.dp_hash && h2, "symmetric L4 hash is the same both ways");
	finish(&t);

	/* A flow that recirculates to itself terminates. */
	start(&t, f, n);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 9);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_RECIRC, 1);
	t.r.loop_acts = t.acts.data;
	t.r.loop_len = t.acts.len;
	go(&t);
	ok(t.r.n_recirc > 3 && t.r.n_recirc <= (DP_EXEC_MAX_PASSES + 1) * DP_EXEC_DEFER_LEVEL &&
	   t.x.stats.recursion_drops > 0,
	   "a recirculation loop stops (%d passes, %llu dropped)", t.r.n_recirc,
	   (unsigned long long)t.x.stats.recursion_drops);
	finish(&t);
}

/* check_pkt_len(size=LEN, gt(output:GT), le(output:LE)) */
static void put_check_len(struct buf *b, uint16_t len, uint32_t gt, uint32_t le)
{
	size_t a = na_nest_start(b, OVS_ACTION_ATTR_CHECK_PKT_LEN), c;

	na_put_u16(b, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, len);
	c = na_nest_start(b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	na_put_u32(b, OVS_ACTION_ATTR_OUTPUT, gt);
	na_nest_end(b, c);
	c = na_nest_start(b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
	na_put_u32(b, OVS_ACTION_ATTR_OUTPUT, le);
	na_nest_end(b, c);
	na_nest_end(b, a);
}

static void test_nested(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 8), a, b;
	struct ovs_key_ethernet ev;
	struct t t;

	memset(&ev, 0xee, sizeof ev);
	start(&t, f, n);
	a = na_nest_start(&t.acts, OVS_ACTION_ATTR_CLONE);
	put_set(&t.acts, OVS_KEY_ATTR_ETHERNET, &ev, sizeof ev);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 1);
	na_nest_end(&t.acts, a);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	go(&t);
	ok(t.r.n_out == 2 && t.r.out[0][0] == 0xee && !memcmp(t.r.out[1], f, n),
	   "clone(set(eth),1),2: the clone's change does not leak");
	finish(&t);

	start(&t, f, n);
	a = na_nest_start(&t.acts, OVS_ACTION_ATTR_SAMPLE);
	na_put_u32(&t.acts, OVS_SAMPLE_ATTR_PROBABILITY, 0);
	b = na_nest_start(&t.acts, OVS_SAMPLE_ATTR_ACTIONS);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 1);
	na_nest_end(&t.acts, b);
	na_nest_end(&t.acts, a);
	a = na_nest_start(&t.acts, OVS_ACTION_ATTR_SAMPLE);
	na_put_u32(&t.acts, OVS_SAMPLE_ATTR_PROBABILITY, UINT32_MAX);
	b = na_nest_start(&t.acts, OVS_SAMPLE_ATTR_ACTIONS);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 3);
	na_nest_end(&t.acts, b);
	na_nest_end(&t.acts, a);
	go(&t);
	ok(t.r.n_out == 1 && t.r.out_port[0] == 3,
	   "sample(probability 0) never, sample(100%%) always");
	finish(&t);

	{
		int hits = 0, i;

		for (i = 0; i < 1000; i++) {
			start(&t, f, n);
			t.x.rng = (uint64_t)i * 2654435761u + 1;
			a = na_nest_start(&t.acts, OVS_ACTION_ATTR_SAMPLE);
			na_put_u32(&t.acts, OVS_SAMPLE_ATTR_PROBABILITY, UINT32_MAX / 4);
			b = na_nest_start(&t.acts, OVS_SAMPLE_ATTR_ACTIONS);
			na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 3);
			na_nest_end(&t.acts, b);
			na_nest_end(&t.acts, a);
			go(&t);
			hits += t.r.n_out;
			finish(&t);
		}
		ok(hits > 170 && hits < 330, "sample(25%%): %d of 1000", hits);
	}

	start(&t, f, n);
	put_check_len(&t.acts, (uint16_t)(n - 1), 5, 6);
	put_check_len(&t.acts, (uint16_t)n, 5, 6);
	go(&t);
	ok(t.r.n_out == 2 && t.r.out_port[0] == 5 && t.r.out_port[1] == 6,
	   "check_pkt_len: greater, then less-or-equal");
	finish(&t);
}

static void test_dec_ttl_ct_meter(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 8), a, b;
	struct dp_err err;
	struct t t;

	start(&t, f, n);
	a = na_nest_start(&t.acts, OVS_ACTION_ATTR_DEC_TTL);
	b = na_nest_start(&t.acts, OVS_DEC_TTL_ATTR_ACTION);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 7);
	na_nest_end(&t.acts, b);
	na_nest_end(&t.acts, a);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_METER, 3);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	go(&t);
	ok(t.r.n_out == 1 && t.r.out_port[0] == 2 && t.r.out[0][22] == 63 &&
	   ref_ipv4_ok(t.r.out[0] + 14), "dec_ttl: 64 -> 63, header checksum; meter passes");
	finish(&t);

	f[22] = 1;
	wr16be(f + 24, 0);
	wr16be(f + 24, ref_csum(f + 14, 20, 0));
	start(&t, f, n);
	a = na_nest_start(&t.acts, OVS_ACTION_ATTR_DEC_TTL);
	b = na_nest_start(&t.acts, OVS_DEC_TTL_ATTR_ACTION);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 7);
	na_nest_end(&t.acts, b);
	na_nest_end(&t.acts, a);
	na_put_u32(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);
	go(&t);
	ok(t.r.n_out == 1 && t.r.out_port[0] == 7, "dec_ttl at ttl 1: its actions, nothing after");
	finish(&t);

	start(&t, f, n);
	a = na_nest_start(&t.acts, OVS_ACTION_ATTR_CLONE);
	b = na_nest_start(&t.acts, OVS_ACTION_ATTR_CT);
	na_put_u16(&t.acts, OVS_CT_ATTR_ZONE, 1);
	na_nest_end(&t.acts, b);
	na_nest_end(&t.acts, a);
	ok(dp_exec_check_supported(t.acts.data, t.acts.len, &err) == -EOPNOTSUPP &&
	   strstr(err.msg, "ct:"), "ct (even nested) refused at install: %s", err.msg);
	finish(&t);

	start(&t, f, n);
	t.p->md.ct_state = OVS_CS_F_TRACKED | OVS_CS_F_NEW;
	t.p->md.ct_mark = 5;
	dp_packet_extract(t.p, &t.key);
	na_put_flag(&t.acts, OVS_ACTION_ATTR_CT_CLEAR);
	ok(go(&t) == 0 && !t.p->md.ct_state && !t.p->md.ct_mark && !t.key.ct_state,
	   "ct_clear clears conntrack metadata");
	finish(&t);
}

static void test_partial_csum(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1, 2, 20);
	struct ovs_key_ipv4 v = { 0 }, m = { 0 };
	uint32_t s;
	uint16_t c;
	struct t t;

	/* Make it CHECKSUM_PARTIAL: the field holds the pseudo header sum. */
	s = dp_csum_pseudo4(f + 14, 6, (uint32_t)(n - 34));
	c = dp_csum_fold(s);
	memcpy(f + 50, &c, 2);
	start(&t, f, n);
	t.p->ol_flags |= DP_OL_CSUM_PARTIAL;
	t.p->csum_start = 34;
	t.p->csum_offset = 16;
	v.ipv4_dst = htonl(0x0b0c0d0e);
	m.ipv4_dst = 0xffffffff;
	put_set_masked(&t.acts, OVS_KEY_ATTR_IPV4, &v, &m, sizeof v);
	go(&t);
	ok(dp_csum_complete(t.p) == 0 &&
	   l4_ok(t.p->data, 0, 6, 16, n) && ref_ipv4_ok(t.p->data + 14),
	   "partial checksum: pseudo header updated, completes to the right sum");
	finish(&t);
}

static void test_malformed(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 8);
	struct t t;

	start(&t, f, n);
	na_put_u16(&t.acts, OVS_ACTION_ATTR_OUTPUT, 2);    /* wrong size */
	ok(go(&t) == -EINVAL && t.r.n_out == 0, "output with a 2-byte argument: dropped");
	finish(&t);
	start(&t, f, n);
	na_put_u32(&t.acts, 200, 2);
	ok(go(&t) == -EINVAL, "unknown action: dropped");
	finish(&t);
}

int main(void)
{
	test_output_drop();
	test_set_ipv4();
	test_udp_zero();
	test_l4_ports();
	test_ipv6();
	test_sctp();
	test_eth_vlan_mpls();
	test_trunc_userspace();
	test_recirc_hash();
	test_nested();
	test_dec_ttl_ct_meter();
	test_partial_csum();
	test_malformed();
	return done();
}
