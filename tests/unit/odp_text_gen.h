/* Random flow keys, masks and actions for the odp_text round-trip tests:
 * each generator makes attributes in the canonical form the text reads
 * back into (for instance a tunnel's flags last, a vlan mask with the CFI
 * bit, a tcp_flags key inside its mask), so attributes -> text ->
 * attributes must give the same bytes. */
#ifndef DPKIT_TEST_ODP_TEXT_GEN_H
#define DPKIT_TEST_ODP_TEXT_GEN_H

#include <linux/openvswitch.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "nlattr.h"
#include "odp_text.h"

static uint64_t gen_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	gen_state ^= gen_state << 13;
	gen_state ^= gen_state >> 7;
	gen_state ^= gen_state << 17;
	return (uint32_t)(gen_state >> 16);
}

static uint32_t rndn(uint32_t n)
{
	return n ? rnd() % n : 0;
}

/* Edge values often, random ones otherwise. */
static uint32_t rnd_edge(uint32_t max)
{
	switch (rndn(6)) {
	case 0: return 0;
	case 1: return max;
	case 2: return 1;
	default: return max == UINT32_MAX ? rnd() : rndn(max + 1);
	}
}

static void rnd_bytes(uint8_t *p, size_t n)
{
	size_t i;
	int mode = (int)rndn(4);

	for (i = 0; i < n; i++)
		p[i] = mode == 0 ? 0 : mode == 1 ? 0xff : (uint8_t)rnd();
}

/* A mask for n bytes: exact, wildcard, or partial. */
static void rnd_mask(uint8_t *m, size_t n)
{
	size_t i;
	int mode = (int)rndn(4);

	for (i = 0; i < n; i++)
		m[i] = mode == 0 ? 0xff : mode == 1 ? 0 : (uint8_t)rnd();
}

static void put_be16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static void put2(struct buf *k, struct buf *m, uint16_t t, const void *kv,
		 const void *mv, size_t n)
{
	na_put(k, t, kv, n);
	if (m)
		na_put(m, t, mv, n);
}

/* Struct attributes: random fields, zero padding, frag valid. */
static void gen_struct(struct buf *k, struct buf *m, uint16_t type)
{
	uint8_t kv[40], mv[40];
	size_t n;

	memset(kv, 0, sizeof kv);
	memset(mv, 0, sizeof mv);
	switch (type) {
	case OVS_KEY_ATTR_ETHERNET: n = 12; break;
	case OVS_KEY_ATTR_IPV4: n = 12; break;
	case OVS_KEY_ATTR_IPV6: n = 40; break;
	case OVS_KEY_ATTR_ARP: n = 22; break;
	case OVS_KEY_ATTR_ND: n = 28; break;
	case OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4: n = 13; break;
	case OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6: n = 37; break;
	case OVS_KEY_ATTR_ICMP: case OVS_KEY_ATTR_ICMPV6: n = 2; break;
	default: n = 4; break;    /* tcp, udp, sctp, packet_type */
	}
	rnd_bytes(kv, n);
	rnd_mask(mv, n);
	if (type == OVS_KEY_ATTR_IPV4 || type == OVS_KEY_ATTR_IPV6) {
		size_t f = type == OVS_KEY_ATTR_IPV4 ? 11 : 39;

		mv[f] = rndn(2) ? 0xff : 0;
		kv[f] = mv[f] ? (uint8_t)rndn(3) : 0;
	}
	if (type == OVS_KEY_ATTR_IPV6) {
		uint32_t l = rnd_edge(0xfffff), lm = rnd_edge(0xfffff);

		put_be32(kv + 32, l);
		put_be32(mv + 32, lm);
	}
	if (type == OVS_KEY_ATTR_ARP)
		n = 24;
	if (type == OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4)
		n = 16;
	if (type == OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6)
		n = 40;
	put2(k, m, type, kv, mv, n);
}

static void gen_tunnel(struct buf *k, struct buf *m)
{
	size_t ko = na_nest_start(k, OVS_KEY_ATTR_TUNNEL);
	size_t mo = m ? na_nest_start(m, OVS_KEY_ATTR_TUNNEL) : 0;
	uint8_t kv[64], mv[64];
	uint32_t fl, fm;

	if (rndn(2)) {
		rnd_bytes(kv, 8);
		rnd_mask(mv, 8);
		put2(k, m, OVS_TUNNEL_KEY_ATTR_ID, kv, mv, 8);
	}
	if (rndn(2)) {
		rnd_bytes(kv, 4);
		rnd_mask(mv, 4);
		put2(k, m, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, kv, mv, 4);
		rnd_bytes(kv, 4);
		rnd_mask(mv, 4);
		put2(k, m, OVS_TUNNEL_KEY_ATTR_IPV4_DST, kv, mv, 4);
	} else {
		rnd_bytes(kv, 16);
		rnd_mask(mv, 16);
		put2(k, m, OVS_TUNNEL_KEY_ATTR_IPV6_DST, kv, mv, 16);
	}
	rnd_bytes(kv, 2);
	rnd_mask(mv, 2);
	put2(k, m, OVS_TUNNEL_KEY_ATTR_TOS, kv, mv, 1);
	put2(k, m, OVS_TUNNEL_KEY_ATTR_TTL, kv + 1, mv + 1, 1);
	if (rndn(2)) {
		rnd_bytes(kv, 4);
		rnd_mask(mv, 4);
		put2(k, m, OVS_TUNNEL_KEY_ATTR_TP_SRC, kv, mv, 2);
		put2(k, m, OVS_TUNNEL_KEY_ATTR_TP_DST, kv + 2, mv + 2, 2);
	}
	switch (rndn(5)) {
	case 0: {       /* vxlan gbp: 24 bits */
		uint32_t g = rnd() & 0xffffff, gm = rnd() & 0xffffff;
		size_t a = na_nest_start(k, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
		size_t b = m ? na_nest_start(m, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS) : 0;

		na_put_u32(k, OVS_VXLAN_EXT_GBP, g);
		na_nest_end(k, a);
		if (m) {
			na_put_u32(m, OVS_VXLAN_EXT_GBP, gm);
			na_nest_end(m, b);
		}
		break;
	}
	case 1: {       /* geneve: two options */
		size_t n = 0;
		int i;

		for (i = 0; i < 2; i++) {
			size_t d = 4 * rndn(3);

			rnd_bytes(kv + n, 3);
			rnd_mask(mv + n, 3);
			kv[n + 3] = (uint8_t)(d / 4);
			mv[n + 3] = rndn(2) ? 0x1f : (uint8_t)rndn(0x20);
			rnd_bytes(kv + n + 4, d);
			rnd_mask(mv + n + 4, d);
			/* A wildcarded length is not printed: the data's
			 * digits must say it. */
			if (!mv[n + 3] && d)
				kv[n + 4] |= 0x10;
			n += 4 + d;
		}
		put2(k, m, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, kv, mv, n);
		break;
	}
	case 2: {       /* erspan v1 or v2 */
		int32_t ver = 1 + (int32_t)rndn(2), vm = (int32_t)rndn(256);

		memset(kv, 0, 12);
		memset(mv, 0, 12);
		memcpy(kv, &ver, 4);
		memcpy(mv, &vm, 4);
		if (ver == 1) {
			rnd_bytes(kv + 4, 4);
			rnd_mask(mv + 4, 4);
		} else {
			kv[11] = (uint8_t)(rndn(16) << 4 | rndn(2) << 3);
			mv[11] = (uint8_t)(rndn(16) << 4 | rndn(2) << 3);
		}
		put2(k, m, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, kv, mv, 12);
		break;
	}
	case 3:
		rnd_bytes(kv, 2);
		rnd_mask(mv, 2);
		put2(k, m, ODP_TUNNEL_KEY_ATTR_GTPU_OPTS, kv, mv, 2);
		break;
	default:
		break;
	}
	/* Flags last, as the text writes them; key flags within the mask. */
	fm = rndn(8);
	fl = rnd() & fm;
	if (!m)
		fl = rndn(8);
	if (fl & 1)
		na_put_flag(k, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
	if (fl & 2)
		na_put_flag(k, OVS_TUNNEL_KEY_ATTR_CSUM);
	if (fl & 4)
		na_put_flag(k, OVS_TUNNEL_KEY_ATTR_OAM);
	na_nest_end(k, ko);
	if (m) {
		if (fm & 1)
			na_put_flag(m, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
		if (fm & 2)
			na_put_flag(m, OVS_TUNNEL_KEY_ATTR_CSUM);
		if (fm & 4)
			na_put_flag(m, OVS_TUNNEL_KEY_ATTR_OAM);
		na_nest_end(m, mo);
	}
}

static void gen_key_attr(struct buf *k, struct buf *m, uint16_t type,
			 int depth);

/* One attribute of each type, in random order; 'm' NULL: key only. */
static void gen_key(struct buf *k, struct buf *m, int depth)
{
	static const uint16_t types[] = {
		OVS_KEY_ATTR_PRIORITY, OVS_KEY_ATTR_IN_PORT,
		OVS_KEY_ATTR_ETHERNET, OVS_KEY_ATTR_VLAN,
		OVS_KEY_ATTR_ETHERTYPE, OVS_KEY_ATTR_IPV4, OVS_KEY_ATTR_IPV6,
		OVS_KEY_ATTR_TCP, OVS_KEY_ATTR_UDP, OVS_KEY_ATTR_ICMP,
		OVS_KEY_ATTR_ICMPV6, OVS_KEY_ATTR_ARP, OVS_KEY_ATTR_ND,
		OVS_KEY_ATTR_SKB_MARK, OVS_KEY_ATTR_TUNNEL, OVS_KEY_ATTR_SCTP,
		OVS_KEY_ATTR_TCP_FLAGS, OVS_KEY_ATTR_DP_HASH,
		OVS_KEY_ATTR_RECIRC_ID, OVS_KEY_ATTR_MPLS,
		OVS_KEY_ATTR_CT_STATE, OVS_KEY_ATTR_CT_ZONE,
		OVS_KEY_ATTR_CT_MARK, OVS_KEY_ATTR_CT_LABELS,
		OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4,
		OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, OVS_KEY_ATTR_NSH,
		OVS_KEY_ATTR_PACKET_TYPE, OVS_KEY_ATTR_ND_EXTENSIONS,
		OVS_KEY_ATTR_IPV6_EXTHDRS, OVS_KEY_ATTR_ENCAP,
	};
	uint16_t order[sizeof types / sizeof types[0]];
	size_t n = sizeof types / sizeof types[0], i, take;

	memcpy(order, types, sizeof order);
	for (i = n - 1; i > 0; i--) {
		size_t j = rndn((uint32_t)i + 1);
		uint16_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	take = 1 + rndn((uint32_t)n);
	for (i = 0; i < take; i++)
		if (order[i] != OVS_KEY_ATTR_ENCAP || depth < 2)
			gen_key_attr(k, m, order[i], depth);
}

static void gen_key_attr(struct buf *k, struct buf *m, uint16_t type,
			 int depth)
{
	uint8_t kv[48], mv[48];
	uint32_t v, vm;

	switch (type) {
	case OVS_KEY_ATTR_PRIORITY:
	case OVS_KEY_ATTR_SKB_MARK:
	case OVS_KEY_ATTR_DP_HASH:
	case OVS_KEY_ATTR_CT_MARK:
	case OVS_KEY_ATTR_IN_PORT:
		v = rnd_edge(UINT32_MAX);
		vm = rndn(3) ? UINT32_MAX : rnd_edge(UINT32_MAX);
		put2(k, m, type, &v, &vm, 4);
		break;
	case OVS_KEY_ATTR_RECIRC_ID:
		v = rnd_edge(UINT32_MAX);
		vm = UINT32_MAX;
		put2(k, m, type, &v, &vm, 4);
		break;
	case OVS_KEY_ATTR_CT_ZONE:
	case OVS_KEY_ATTR_IPV6_EXTHDRS: {
		uint16_t z = (uint16_t)rnd_edge(0xffff);
		uint16_t zm = rndn(2) ? 0xffff : (uint16_t)rnd_edge(0xffff);

		put2(k, m, type, &z, &zm, 2);
		break;
	}
	case OVS_KEY_ATTR_VLAN:
		/* The text cannot clear the CFI bit of a mask. */
		put_be16(kv, (uint16_t)rnd_edge(0xffff));
		put_be16(mv, (uint16_t)(rnd_edge(0xffff) | 0x1000));
		put2(k, m, type, kv, mv, 2);
		break;
	case OVS_KEY_ATTR_ETHERTYPE:
		put_be16(kv, (uint16_t)(1 + rndn(0xffff)));
		put_be16(mv, (uint16_t)rnd_edge(0xffff));
		put2(k, m, type, kv, mv, 2);
		break;
	case OVS_KEY_ATTR_TCP_FLAGS:
		/* Masked flags name only the mask's bits. */
		vm = rndn(2) ? 0xffff : rndn(0xfff);
		v = vm == 0xffff ? rndn(0x1000) : rnd() & vm;
		if (!m)
			v = rndn(0x1000);
		put_be16(kv, (uint16_t)v);
		put_be16(mv, (uint16_t)vm);
		put2(k, m, type, kv, mv, 2);
		break;
	case OVS_KEY_ATTR_CT_STATE:
		vm = rndn(2) ? UINT32_MAX : rndn(0x100);
		v = rndn(0x100);
		put2(k, m, type, &v, &vm, 4);
		break;
	case OVS_KEY_ATTR_CT_LABELS:
		rnd_bytes(kv, 16);
		rnd_mask(mv, 16);
		put2(k, m, type, kv, mv, 16);
		break;
	case OVS_KEY_ATTR_MPLS: {
		size_t n = 4 * (1 + rndn(3));

		rnd_bytes(kv, n);
		rnd_mask(mv, n);
		put2(k, m, type, kv, mv, n);
		break;
	}
	case OVS_KEY_ATTR_ND_EXTENSIONS:
		memset(kv, 0, 8);
		memset(mv, 0, 8);
		rnd_bytes(kv, 5);
		memset(mv, 0xff, 4);
		mv[4] = (uint8_t)rnd();
		put2(k, m, type, kv, mv, 8);
		break;
	case OVS_KEY_ATTR_NSH: {
		/* Printed masked fields that are zero are left out. */
		size_t ko, mo = 0;
		int i;

		rnd_bytes(kv, 24);
		rnd_mask(mv, 24);
		kv[2] = 1;
		mv[2] = 0xff;
		for (i = 0; i < 24; i++)
			if (!mv[i])
				kv[i] = 0;
		if (!mv[4] && !mv[5] && !mv[6])
			kv[4] = kv[5] = kv[6] = 0;
		ko = na_nest_start(k, type);
		na_put(k, OVS_NSH_KEY_ATTR_BASE, kv, 8);
		na_put(k, OVS_NSH_KEY_ATTR_MD1, kv + 8, 16);
		na_nest_end(k, ko);
		if (m) {
			mo = na_nest_start(m, type);
			na_put(m, OVS_NSH_KEY_ATTR_BASE, mv, 8);
			na_put(m, OVS_NSH_KEY_ATTR_MD1, mv + 8, 16);
			na_nest_end(m, mo);
		}
		break;
	}
	case OVS_KEY_ATTR_TUNNEL:
		gen_tunnel(k, m);
		break;
	case OVS_KEY_ATTR_ENCAP: {
		size_t ko = na_nest_start(k, type);
		size_t mo = m ? na_nest_start(m, type) : 0;

		gen_key(k, m, depth + 1);
		na_nest_end(k, ko);
		if (m)
			na_nest_end(m, mo);
		break;
	}
	default:
		gen_struct(k, m, type);
		break;
	}
}

/* --- actions ---------------------------------------------------------------- */

static void gen_actions(struct buf *a, int depth);

static void gen_nested_list(struct buf *a, uint16_t type, int depth)
{
	size_t o = na_nest_start(a, type);

	if (depth < 3)
		gen_actions(a, depth + 1);
	na_nest_end(a, o);
}

/* A key attribute the set() text reads back as the same SET. */
static void gen_set(struct buf *a)
{
	static const uint16_t types[] = {
		OVS_KEY_ATTR_ETHERNET, OVS_KEY_ATTR_IPV4, OVS_KEY_ATTR_TCP,
		OVS_KEY_ATTR_UDP, OVS_KEY_ATTR_SCTP, OVS_KEY_ATTR_ICMP,
		OVS_KEY_ATTR_ICMPV6, OVS_KEY_ATTR_ND, OVS_KEY_ATTR_SKB_MARK,
		OVS_KEY_ATTR_PRIORITY, OVS_KEY_ATTR_CT_MARK,
		OVS_KEY_ATTR_CT_LABELS, OVS_KEY_ATTR_MPLS, OVS_KEY_ATTR_VLAN,
		OVS_KEY_ATTR_IN_PORT, OVS_KEY_ATTR_ETHERTYPE,
		OVS_KEY_ATTR_TUNNEL,
	};
	uint16_t t = types[rndn(sizeof types / sizeof types[0])];
	size_t o = na_nest_start(a, OVS_ACTION_ATTR_SET);

	if (t == OVS_KEY_ATTR_IPV4) {
		uint8_t v[12];

		rnd_bytes(v, 12);
		v[11] = (uint8_t)rndn(3);
		na_put(a, t, v, 12);
	} else {
		gen_key_attr(a, NULL, t, 3);
	}
	na_nest_end(a, o);
}

/* A masked set: the mask is not all ones, and fields it leaves out
 * (which the text does not show) are zero in the value. */
static void gen_set_masked(struct buf *a)
{
	static const struct { uint16_t type; size_t len; } types[] = {
		{ OVS_KEY_ATTR_ETHERNET, 12 }, { OVS_KEY_ATTR_IPV4, 12 },
		{ OVS_KEY_ATTR_IPV6, 40 }, { OVS_KEY_ATTR_TCP, 4 },
		{ OVS_KEY_ATTR_UDP, 4 }, { OVS_KEY_ATTR_ARP, 24 },
		{ OVS_KEY_ATTR_ND, 28 }, { OVS_KEY_ATTR_SKB_MARK, 4 },
	};
	size_t i = rndn(sizeof types / sizeof types[0]), n = types[i].len, j;
	size_t o = na_nest_start(a, OVS_ACTION_ATTR_SET_MASKED);
	uint8_t v[80];

	rnd_bytes(v, n);
	for (j = 0; j < n; j++)
		v[n + j] = (uint8_t)rnd();
	v[n] &= 0x7f;                   /* never all ones */
	for (j = 0; j < n; j++)
		v[j] &= v[n + j];
	if (types[i].type == OVS_KEY_ATTR_IPV4)
		v[11] = v[n + 11] = 0;
	if (types[i].type == OVS_KEY_ATTR_IPV6) {
		v[39] = v[n + 39] = 0;
		put_be32(v + 32, rnd() & 0xfffff);
		put_be32(v + n + 32, rnd() & 0xfffff);
		v[32] &= v[n + 32];
		v[33] &= v[n + 33];
		v[34] &= v[n + 34];
		v[35] &= v[n + 35];
	}
	if (types[i].type == OVS_KEY_ATTR_ARP)
		v[22] = v[23] = v[n + 22] = v[n + 23] = 0;
	na_put(a, types[i].type, v, 2 * n);
	na_nest_end(a, o);
}

static void gen_userspace(struct buf *a)
{
	size_t o = na_nest_start(a, OVS_ACTION_ATTR_USERSPACE);
	uint8_t c[48];

	na_put_u32(a, OVS_USERSPACE_ATTR_PID, rnd());
	memset(c, 0, sizeof c);
	c[2] = c[3] = 0xff;
	switch (rndn(7)) {
	case 0: {       /* raw userdata, not cookie-shaped */
		size_t n = 8 + rndn(40);

		rnd_bytes(c, n);
		c[0] = 0x80;
		na_put(a, OVS_USERSPACE_ATTR_USERDATA, c, n);
		break;
	}
	case 1:         /* sFlow: a TCI with CFI, or zero */
		c[0] = 1;
		put_be16(c + 24, rndn(2) ? (uint16_t)(rnd() | 0x1000) : 0);
		memcpy(c + 28, &(uint32_t){ rnd() }, 4);
		na_put(a, OVS_USERSPACE_ATTR_USERDATA, c, 48);
		break;
	case 2:
		c[0] = 2;
		memcpy(c + 28, &(uint32_t){ rndn(0x80) }, 4);
		na_put(a, OVS_USERSPACE_ATTR_USERDATA, c, 48);
		break;
	case 3:
		c[0] = 3;
		memcpy(c + 24, &(uint16_t){ (uint16_t)rnd() }, 2);
		memcpy(c + 28, &(uint32_t){ rnd() }, 4);
		memcpy(c + 32, &(uint32_t){ rnd() }, 4);
		memcpy(c + 36, &(uint32_t){ rnd() }, 4);
		memcpy(c + 40, &(uint32_t){ rnd() }, 4);
		memcpy(c + 44, &(uint32_t){ rndn(3) }, 4);
		na_put(a, OVS_USERSPACE_ATTR_USERDATA, c, 48);
		break;
	case 4:
		c[0] = 4;
		memcpy(c + 24, &(uint32_t){ rnd() }, 4);
		na_put(a, OVS_USERSPACE_ATTR_USERDATA, c, 48);
		break;
	case 5:
		c[0] = 5;
		c[24] = (uint8_t)rndn(2);
		c[25] = (uint8_t)rndn(2);
		rnd_bytes(c + 26, 18);
		na_put(a, OVS_USERSPACE_ATTR_USERDATA, c, 48);
		break;
	default:
		break;
	}
	if (rndn(2))
		na_put_u32(a, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT, rnd());
	if (rndn(2))
		na_put_flag(a, OVS_USERSPACE_ATTR_ACTIONS);
	na_nest_end(a, o);
}

static void gen_ct(struct buf *a)
{
	size_t o = na_nest_start(a, OVS_ACTION_ATTR_CT), n;
	static const char *const helpers[] = { "ftp", "tftp", "sip", "h323-x" };
	uint8_t v[32];

	switch (rndn(3)) {
	case 0: na_put_flag(a, OVS_CT_ATTR_COMMIT); break;
	case 1: na_put_flag(a, OVS_CT_ATTR_FORCE_COMMIT); break;
	}
	if (rndn(2))
		na_put_u16(a, OVS_CT_ATTR_ZONE, (uint16_t)(1 + rndn(0xffff)));
	if (rndn(2)) {
		uint32_t mm[2] = { rnd(), 1 + rndn(UINT32_MAX) };

		na_put(a, OVS_CT_ATTR_MARK, mm, 8);
	}
	if (rndn(2)) {
		rnd_bytes(v, 32);
		v[16] |= 1;
		na_put(a, OVS_CT_ATTR_LABELS, v, 32);
	}
	if (rndn(2))
		na_put_str(a, OVS_CT_ATTR_HELPER, helpers[rndn(4)]);
	if (rndn(4) == 0)
		na_put_str(a, OVS_CT_ATTR_TIMEOUT, "ovs_tp_1_tcp4");
	if (rndn(2)) {
		size_t no = na_nest_start(a, OVS_CT_ATTR_NAT);
		int kind = (int)rndn(3);

		if (kind) {
			na_put_flag(a, kind == 1 ? OVS_NAT_ATTR_SRC :
				    OVS_NAT_ATTR_DST);
			if (rndn(3)) {
				n = rndn(2) ? 4 : 16;
				rnd_bytes(v, n);
				v[0] = (uint8_t)(1 + rndn(100));
				na_put(a, OVS_NAT_ATTR_IP_MIN, v, n);
				if (rndn(2)) {
					v[0] = (uint8_t)(v[0] + 1 + rndn(100));
					na_put(a, OVS_NAT_ATTR_IP_MAX, v, n);
				}
				if (rndn(2)) {
					uint16_t p = (uint16_t)(1 + rndn(30000));

					na_put_u16(a, OVS_NAT_ATTR_PROTO_MIN, p);
					if (rndn(2))
						na_put_u16(a, OVS_NAT_ATTR_PROTO_MAX,
							   (uint16_t)(p + 1 + rndn(30000)));
				}
			}
			if (rndn(2))
				na_put_flag(a, OVS_NAT_ATTR_PERSISTENT);
			if (rndn(3) == 0)
				na_put_flag(a, OVS_NAT_ATTR_PROTO_HASH);
			else if (rndn(2))
				na_put_flag(a, OVS_NAT_ATTR_PROTO_RANDOM);
		}
		na_nest_end(a, no);
	}
	na_nest_end(a, o);
}

static void gen_action(struct buf *a, int depth)
{
	uint8_t v[48];
	size_t o;

	switch (rndn(30)) {
	case 0: case 1: case 2:
		na_put_u32(a, OVS_ACTION_ATTR_OUTPUT, rnd_edge(UINT32_MAX));
		break;
	case 3: gen_userspace(a); break;
	case 4: gen_set(a); break;
	case 5: gen_set_masked(a); break;
	case 6:
		put_be16(v, (uint16_t)rnd());
		put_be16(v + 2, (uint16_t)rnd());
		na_put(a, OVS_ACTION_ATTR_PUSH_VLAN, v, 4);
		break;
	case 7: na_put_flag(a, OVS_ACTION_ATTR_POP_VLAN); break;
	case 8: {
		/* Probabilities that "%.1f%%" shows exactly. */
		double pct = rndn(1001) / 10.0;
		double prob = floor(UINT32_MAX * (pct / 100.0) + .5);

		o = na_nest_start(a, OVS_ACTION_ATTR_SAMPLE);
		na_put_u32(a, OVS_SAMPLE_ATTR_PROBABILITY, (uint32_t)prob);
		gen_nested_list(a, OVS_SAMPLE_ATTR_ACTIONS, depth);
		na_nest_end(a, o);
		break;
	}
	case 9: na_put_u32(a, OVS_ACTION_ATTR_RECIRC, rnd_edge(UINT32_MAX)); break;
	case 10: {
		uint32_t h[2] = { rndn(2), rnd() };

		na_put(a, OVS_ACTION_ATTR_HASH, h, 8);
		break;
	}
	case 11:
	case 12: {
		uint16_t t = rndn(2) ? OVS_ACTION_ATTR_PUSH_MPLS :
				       OVS_ACTION_ATTR_ADD_MPLS;

		memset(v, 0, 8);
		rnd_bytes(v, 6);
		if (t == OVS_ACTION_ATTR_ADD_MPLS && rndn(2))
			memcpy(v + 6, &(uint16_t){ (uint16_t)rnd() }, 2);
		na_put(a, t, v, 8);
		break;
	}
	case 13:
		rnd_bytes(v, 2);
		na_put(a, OVS_ACTION_ATTR_POP_MPLS, v, 2);
		break;
	case 14: gen_ct(a); break;
	case 15: na_put_u32(a, OVS_ACTION_ATTR_TRUNC, rnd()); break;
	case 16:
		rnd_bytes(v, 12);
		na_put(a, OVS_ACTION_ATTR_PUSH_ETH, v, 12);
		break;
	case 17: na_put_flag(a, OVS_ACTION_ATTR_POP_ETH); break;
	case 18: na_put_flag(a, OVS_ACTION_ATTR_CT_CLEAR); break;
	case 19: {
		size_t no;

		rnd_bytes(v, 24);
		v[0] &= 3;
		v[1] &= 0x3f;
		v[2] = 1;
		o = na_nest_start(a, OVS_ACTION_ATTR_PUSH_NSH);
		no = na_nest_start(a, OVS_KEY_ATTR_NSH);
		na_put(a, OVS_NSH_KEY_ATTR_BASE, v, 8);
		na_put(a, OVS_NSH_KEY_ATTR_MD1, v + 8, 16);
		na_nest_end(a, no);
		na_nest_end(a, o);
		break;
	}
	case 20: na_put_flag(a, OVS_ACTION_ATTR_POP_NSH); break;
	case 21: na_put_u32(a, OVS_ACTION_ATTR_METER, rnd()); break;
	case 22: gen_nested_list(a, OVS_ACTION_ATTR_CLONE, depth); break;
	case 23:
		o = na_nest_start(a, OVS_ACTION_ATTR_CHECK_PKT_LEN);
		na_put_u16(a, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, (uint16_t)rnd());
		gen_nested_list(a, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER,
				depth);
		gen_nested_list(a, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL,
				depth);
		na_nest_end(a, o);
		break;
	case 24:
		o = na_nest_start(a, OVS_ACTION_ATTR_DEC_TTL);
		gen_nested_list(a, OVS_DEC_TTL_ATTR_ACTION, depth);
		na_nest_end(a, o);
		break;
	case 25: na_put_u32(a, ODP_ACTION_ATTR_DROP, 1 + rndn(100)); break;
	case 26:
		o = na_nest_start(a, ODP_ACTION_ATTR_PSAMPLE);
		na_put_u32(a, ODP_PSAMPLE_ATTR_GROUP, rnd());
		if (rndn(2)) {
			rnd_bytes(v, 16);
			na_put(a, ODP_PSAMPLE_ATTR_COOKIE, v, 1 + rndn(16));
		}
		na_nest_end(a, o);
		break;
	case 27: na_put_u32(a, ODP_ACTION_ATTR_TUNNEL_POP, rnd()); break;
	case 28: na_put_u32(a, ODP_ACTION_ATTR_LB_OUTPUT, rnd()); break;
	default: gen_userspace(a); break;
	}
}

static void gen_actions(struct buf *a, int depth)
{
	size_t n = 1 + rndn(depth ? 3 : 6), i;

	for (i = 0; i < n; i++)
		gen_action(a, depth);
}

#endif
