/*
 * odp_gen.h - generated flow keys and masks for the odp_key tests.
 *
 * gen_flow() writes a key and a mask as OVS_KEY_ATTR_* streams, the way a
 * datapath client would send them, for one protocol combination chosen by
 * 'kind' with random field values, and at the same time fills the struct
 * dp_key pair the kernel's reading of those streams must give.  The two
 * are built independently (the streams from the uapi structs, the structs
 * from key.h's conventions), so comparing them checks the reader.
 *
 * The masks are "canonical": what the kernel reports for them reads back
 * as the same mask (in_port and the tunnel nest always in the mask, VLAN
 * masks with the CFI bit, L4 masks only with an exact ip proto...).
 */
#ifndef DPKIT_TEST_ODP_GEN_H
#define DPKIT_TEST_ODP_GEN_H

#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "key.h"
#include "nlattr.h"

enum gen_kind {
	G_L2, G_8022, G_L3ONLY, G_ARP, G_RARP,
	G_V4_TCP, G_V4_UDP, G_V4_SCTP, G_V4_ICMP, G_V4_OTHER, G_V4_FRAG,
	G_V6_TCP, G_V6_UDP, G_V6_SCTP, G_V6_ICMP, G_V6_ND, G_V6_FRAG,
	G_MPLS,
	G_KINDS
};

static const char *const gen_kind_names[G_KINDS] = {
	"l2", "802.2", "l3 packet", "arp", "rarp",
	"ipv4/tcp", "ipv4/udp", "ipv4/sctp", "ipv4/icmp", "ipv4/other",
	"ipv4 fragment", "ipv6/tcp", "ipv6/udp", "ipv6/sctp", "ipv6/icmpv6",
	"ipv6/nd", "ipv6 fragment", "mpls",
};

enum gen_vlan { GV_NONE, GV_ONE, GV_QINQ };

struct gen {
	struct buf k, m;        /* the streams */
	struct dp_key ek, em;   /* what reading them must give */
	uint64_t rng;
	int vlans;              /* VLAN headers around the payload */
};

static inline uint32_t gen_u32(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return (uint32_t)(g->rng >> 16);
}

static inline void gen_bytes(struct gen *g, void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = (uint8_t)gen_u32(g);
}

static inline int gen_pct(struct gen *g, int pct)
{
	return (int)(gen_u32(g) % 100) < pct;
}

/* A mask value: all ones, or random bits (never zero, so the attribute
 * counts). */
static inline void gen_mask(struct gen *g, void *p, size_t n)
{
	if (gen_pct(g, 50)) {
		memset(p, 0xff, n);
		return;
	}
	gen_bytes(g, p, n);
	((uint8_t *)p)[0] |= 1;
}

static inline void gen_meta(struct gen *g)
{
	uint32_t v, m;

	if (gen_pct(g, 80)) {
		v = gen_u32(g) % 65535;
		na_put_u32(&g->k, OVS_KEY_ATTR_IN_PORT, v);
		g->ek.in_port = v;
	}
	/* Always in the mask: in_port is exact whatever the value. */
	na_put_u32(&g->m, OVS_KEY_ATTR_IN_PORT, gen_u32(g) | 1);
	g->em.in_port = 0xffffffff;
#define META(attr, field) \
	if (gen_pct(g, 40)) { \
		v = gen_u32(g); gen_mask(g, &m, 4); \
		na_put_u32(&g->k, attr, v); na_put_u32(&g->m, attr, m); \
		g->ek.field = v; g->em.field = m; \
	}
	META(OVS_KEY_ATTR_PRIORITY, priority)
	META(OVS_KEY_ATTR_SKB_MARK, skb_mark)
	META(OVS_KEY_ATTR_RECIRC_ID, recirc_id)
	META(OVS_KEY_ATTR_DP_HASH, dp_hash)
#undef META
}

static inline void gen_tunnel(struct gen *g)
{
	struct buf *k = &g->k, *m = &g->m;
	struct dp_tun *t = &g->ek.tun, *tm = &g->em.tun;
	size_t kn = 0, mn;
	int v6;

	mn = na_nest_start(m, OVS_KEY_ATTR_TUNNEL);
	g->em.tun_proto = 0xff;
	if (!gen_pct(g, 30)) {
		/* No tunnel: the mask still names some tunnel fields. */
		tm->ttl = (uint8_t)gen_u32(g);
		na_put_u8(m, OVS_TUNNEL_KEY_ATTR_TTL, tm->ttl);
		if (gen_pct(g, 50)) {
			tm->id = 0xffffffffffffffffull;
			tm->flags |= DP_TUN_F_KEY;
			na_put_u64(m, OVS_TUNNEL_KEY_ATTR_ID, tm->id);
		}
		na_nest_end(m, mn);
		return;
	}
	v6 = gen_pct(g, 40);
	kn = na_nest_start(k, OVS_KEY_ATTR_TUNNEL);
	g->ek.tun_proto = v6 ? DP_TUN_IPV6 : DP_TUN_IPV4;
	if (gen_pct(g, 70)) {
		gen_bytes(g, &t->id, 8);
		gen_mask(g, &tm->id, 8);
		t->flags |= DP_TUN_F_KEY;
		tm->flags |= DP_TUN_F_KEY;
		na_put_u64(k, OVS_TUNNEL_KEY_ATTR_ID, t->id);
		na_put_u64(m, OVS_TUNNEL_KEY_ATTR_ID, tm->id);
	}
	if (!v6) {
		gen_bytes(g, &t->addr.v4, 8);
		t->addr.v4.dst |= htonl(1);
		gen_mask(g, &tm->addr.v4.src, 4);
		gen_mask(g, &tm->addr.v4.dst, 4);
		na_put_u32(k, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, t->addr.v4.src);
		na_put_u32(k, OVS_TUNNEL_KEY_ATTR_IPV4_DST, t->addr.v4.dst);
		na_put_u32(m, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, tm->addr.v4.src);
		na_put_u32(m, OVS_TUNNEL_KEY_ATTR_IPV4_DST, tm->addr.v4.dst);
	} else {
		gen_bytes(g, &t->addr.v6, 32);
		t->addr.v6.dst[15] |= 1;
		gen_mask(g, tm->addr.v6.src, 16);
		gen_mask(g, tm->addr.v6.dst, 16);
		na_put(k, OVS_TUNNEL_KEY_ATTR_IPV6_SRC, t->addr.v6.src, 16);
		na_put(k, OVS_TUNNEL_KEY_ATTR_IPV6_DST, t->addr.v6.dst, 16);
		na_put(m, OVS_TUNNEL_KEY_ATTR_IPV6_SRC, tm->addr.v6.src, 16);
		na_put(m, OVS_TUNNEL_KEY_ATTR_IPV6_DST, tm->addr.v6.dst, 16);
	}
	if (gen_pct(g, 50)) {
		t->tos = (uint8_t)(gen_u32(g) | 1);
		gen_mask(g, &tm->tos, 1);
		na_put_u8(k, OVS_TUNNEL_KEY_ATTR_TOS, t->tos);
		na_put_u8(m, OVS_TUNNEL_KEY_ATTR_TOS, tm->tos);
	}
	t->ttl = (uint8_t)gen_u32(g);
	tm->ttl = (uint8_t)gen_u32(g);
	na_put_u8(k, OVS_TUNNEL_KEY_ATTR_TTL, t->ttl);
	na_put_u8(m, OVS_TUNNEL_KEY_ATTR_TTL, tm->ttl);
	if (gen_pct(g, 50)) {
		t->flags |= DP_TUN_F_DF;
		na_put_flag(k, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
		if (gen_pct(g, 70)) {
			tm->flags |= DP_TUN_F_DF;
			na_put_flag(m, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
		}
	}
	if (gen_pct(g, 30)) {
		t->flags |= DP_TUN_F_CSUM;
		tm->flags |= DP_TUN_F_CSUM;
		na_put_flag(k, OVS_TUNNEL_KEY_ATTR_CSUM);
		na_put_flag(m, OVS_TUNNEL_KEY_ATTR_CSUM);
	}
	if (gen_pct(g, 60)) {
		t->tp_src = (uint16_t)(gen_u32(g) | 1);
		t->tp_dst = htons(4789);
		gen_mask(g, &tm->tp_src, 2);
		tm->tp_dst = 0xffff;
		na_put_u16(k, OVS_TUNNEL_KEY_ATTR_TP_SRC, t->tp_src);
		na_put_u16(k, OVS_TUNNEL_KEY_ATTR_TP_DST, t->tp_dst);
		na_put_u16(m, OVS_TUNNEL_KEY_ATTR_TP_SRC, tm->tp_src);
		na_put_u16(m, OVS_TUNNEL_KEY_ATTR_TP_DST, tm->tp_dst);
	}
	if (gen_pct(g, 15)) {
		t->flags |= DP_TUN_F_OAM;
		tm->flags |= DP_TUN_F_OAM;
		na_put_flag(k, OVS_TUNNEL_KEY_ATTR_OAM);
		na_put_flag(m, OVS_TUNNEL_KEY_ATTR_OAM);
	}
	switch (gen_u32(g) % 4) {
	case 1: {       /* geneve: whole TLVs of 4 + 4n bytes */
		uint8_t n = (uint8_t)(4 * (1 + gen_u32(g) % 16));

		t->opts_type = DP_TUN_OPTS_GENEVE;
		t->opts_len = n;
		gen_bytes(g, t->opts, n);
		gen_mask(g, tm->opts, n);
		tm->opts_type = 0xff;
		tm->opts_len = 0xff;
		na_put(k, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, t->opts, n);
		na_put(m, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, tm->opts, n);
		break;
	}
	case 2: {       /* vxlan GBP */
		size_t kv, mv;
		uint32_t gbp = gen_u32(g) | 1, gm;

		gen_mask(g, &gm, 4);
		t->opts_type = DP_TUN_OPTS_VXLAN;
		t->opts_len = 4;
		memcpy(t->opts, &gbp, 4);
		tm->opts_type = tm->opts_len = 0xff;
		memcpy(tm->opts, &gm, 4);
		kv = na_nest_start(k, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
		na_put_u32(k, OVS_VXLAN_EXT_GBP, gbp);
		na_nest_end(k, kv);
		mv = na_nest_start(m, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
		na_put_u32(m, OVS_VXLAN_EXT_GBP, gm);
		na_nest_end(m, mv);
		break;
	}
	case 3:         /* erspan metadata, 12 bytes */
		t->opts_type = DP_TUN_OPTS_ERSPAN;
		t->opts_len = 12;
		gen_bytes(g, t->opts, 12);
		gen_mask(g, tm->opts, 12);
		tm->opts_type = tm->opts_len = 0xff;
		na_put(k, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, t->opts, 12);
		na_put(m, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, tm->opts, 12);
		break;
	}
	na_nest_end(k, kn);
	na_nest_end(m, mn);
}

static inline void gen_ct(struct gen *g)
{
	uint32_t v, mk;
	uint16_t z, zm;

	if (!gen_pct(g, 40))
		return;
	v = gen_u32(g) & 0xff;
	mk = gen_u32(g) & 0xff;
	na_put_u32(&g->k, OVS_KEY_ATTR_CT_STATE, v);
	na_put_u32(&g->m, OVS_KEY_ATTR_CT_STATE, mk);
	g->ek.ct_state = (uint8_t)v;
	g->em.ct_state = (uint8_t)mk;
	z = (uint16_t)gen_u32(g);
	gen_mask(g, &zm, 2);
	na_put_u16(&g->k, OVS_KEY_ATTR_CT_ZONE, z);
	na_put_u16(&g->m, OVS_KEY_ATTR_CT_ZONE, zm);
	g->ek.ct_zone = z;
	g->em.ct_zone = zm;
	v = gen_u32(g);
	gen_mask(g, &mk, 4);
	na_put_u32(&g->k, OVS_KEY_ATTR_CT_MARK, v);
	na_put_u32(&g->m, OVS_KEY_ATTR_CT_MARK, mk);
	g->ek.ct_mark = v;
	g->em.ct_mark = mk;
	gen_bytes(g, g->ek.ct_labels, 16);
	gen_mask(g, g->em.ct_labels, 16);
	na_put(&g->k, OVS_KEY_ATTR_CT_LABELS, g->ek.ct_labels, 16);
	na_put(&g->m, OVS_KEY_ATTR_CT_LABELS, g->em.ct_labels, 16);
}

/* The conntrack original tuple, for IP flows without ND. */
static inline void gen_ct_tuple(struct gen *g, int v6)
{
	if (!gen_pct(g, 40))
		return;
	if (!v6) {
		struct ovs_key_ct_tuple_ipv4 t, tm;

		memset(&t, 0, sizeof t);
		memset(&tm, 0, sizeof tm);
		gen_bytes(g, &t.ipv4_src, 12);
		t.ipv4_proto = (uint8_t)(gen_u32(g) | 1);
		gen_mask(g, &tm.ipv4_src, 12);
		tm.ipv4_proto = 0xff;
		na_put(&g->k, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4, &t, sizeof t);
		na_put(&g->m, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4, &tm, sizeof tm);
		g->ek.ct_orig.v4.src = t.ipv4_src;
		g->ek.ct_orig.v4.dst = t.ipv4_dst;
		g->em.ct_orig.v4.src = tm.ipv4_src;
		g->em.ct_orig.v4.dst = tm.ipv4_dst;
		g->ek.ct_orig_tp_src = t.src_port;
		g->ek.ct_orig_tp_dst = t.dst_port;
		g->em.ct_orig_tp_src = tm.src_port;
		g->em.ct_orig_tp_dst = tm.dst_port;
		g->ek.ct_orig_proto = t.ipv4_proto;
		g->em.ct_orig_proto = 0xff;
	} else {
		struct ovs_key_ct_tuple_ipv6 t, tm;

		memset(&t, 0, sizeof t);
		memset(&tm, 0, sizeof tm);
		gen_bytes(g, t.ipv6_src, 36);
		t.ipv6_proto = (uint8_t)(gen_u32(g) | 1);
		gen_mask(g, tm.ipv6_src, 36);
		tm.ipv6_proto = 0xff;
		na_put(&g->k, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, &t, sizeof t);
		na_put(&g->m, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, &tm, sizeof tm);
		memcpy(g->ek.ct_orig.v6.src, t.ipv6_src, 32);
		memcpy(g->em.ct_orig.v6.src, tm.ipv6_src, 32);
		g->ek.ct_orig_tp_src = t.src_port;
		g->ek.ct_orig_tp_dst = t.dst_port;
		g->em.ct_orig_tp_src = tm.src_port;
		g->em.ct_orig_tp_dst = tm.dst_port;
		g->ek.ct_orig_proto = t.ipv6_proto;
		g->em.ct_orig_proto = 0xff;
	}
}

/* ipv4/ipv6 header attributes; 'proto' and 'frag' chosen by the caller. */
static inline void gen_ipv4(struct gen *g, uint8_t proto, uint8_t frag,
			    int proto_exact)
{
	struct ovs_key_ipv4 v, m;

	gen_bytes(g, &v, sizeof v);
	v.ipv4_proto = proto;
	v.ipv4_frag = frag;
	gen_mask(g, &m, sizeof m);
	m.ipv4_proto = proto_exact ? 0xff : (uint8_t)(gen_u32(g) & 0x7e);
	if (gen_pct(g, 50))
		m.ipv4_frag = 0xff;
	na_put(&g->k, OVS_KEY_ATTR_IPV4, &v, sizeof v);
	na_put(&g->m, OVS_KEY_ATTR_IPV4, &m, sizeof m);
	g->ek.l3.ipv4.src = v.ipv4_src;
	g->ek.l3.ipv4.dst = v.ipv4_dst;
	g->em.l3.ipv4.src = m.ipv4_src;
	g->em.l3.ipv4.dst = m.ipv4_dst;
	g->ek.nw_proto = v.ipv4_proto;
	g->ek.nw_tos = v.ipv4_tos;
	g->ek.nw_ttl = v.ipv4_ttl;
	g->ek.nw_frag = v.ipv4_frag;
	g->em.nw_proto = m.ipv4_proto;
	g->em.nw_tos = m.ipv4_tos;
	g->em.nw_ttl = m.ipv4_ttl;
	g->em.nw_frag = m.ipv4_frag;
}

static inline void gen_ipv6(struct gen *g, uint8_t proto, uint8_t frag,
			    int proto_exact)
{
	struct ovs_key_ipv6 v, m;
	uint16_t x, xm;

	gen_bytes(g, &v, sizeof v);
	v.ipv6_label &= htonl(0xfffff);
	v.ipv6_proto = proto;
	v.ipv6_frag = frag;
	gen_mask(g, &m, sizeof m);
	m.ipv6_proto = proto_exact ? 0xff : (uint8_t)(gen_u32(g) & 0x7e);
	na_put(&g->k, OVS_KEY_ATTR_IPV6, &v, sizeof v);
	na_put(&g->m, OVS_KEY_ATTR_IPV6, &m, sizeof m);
	memcpy(g->ek.l3.ipv6.src, v.ipv6_src, 16);
	memcpy(g->ek.l3.ipv6.dst, v.ipv6_dst, 16);
	memcpy(g->em.l3.ipv6.src, m.ipv6_src, 16);
	memcpy(g->em.l3.ipv6.dst, m.ipv6_dst, 16);
	g->ek.l3.ipv6.label = v.ipv6_label;
	g->em.l3.ipv6.label = m.ipv6_label;
	g->ek.nw_proto = v.ipv6_proto;
	g->ek.nw_tos = v.ipv6_tclass;
	g->ek.nw_ttl = v.ipv6_hlimit;
	g->ek.nw_frag = v.ipv6_frag;
	g->em.nw_proto = m.ipv6_proto;
	g->em.nw_tos = m.ipv6_tclass;
	g->em.nw_ttl = m.ipv6_hlimit;
	g->em.nw_frag = m.ipv6_frag;
	if (gen_pct(g, 50)) {
		x = (uint16_t)(gen_u32(g) & 0x1ff);
		gen_mask(g, &xm, 2);
		na_put_u16(&g->k, OVS_KEY_ATTR_IPV6_EXTHDRS, x);
		na_put_u16(&g->m, OVS_KEY_ATTR_IPV6_EXTHDRS, xm);
		g->ek.ipv6_exthdrs = x;
		g->em.ipv6_exthdrs = xm;
	}
}

/* tcp/udp/sctp ports (and tcp flags). */
static inline void gen_ports(struct gen *g, uint16_t attr, int mask)
{
	uint16_t p[2], pm[2], f, fm;

	gen_bytes(g, p, 4);
	gen_mask(g, pm, 4);
	na_put(&g->k, attr, p, 4);
	g->ek.tp_src = p[0];
	g->ek.tp_dst = p[1];
	if (mask) {
		na_put(&g->m, attr, pm, 4);
		g->em.tp_src = pm[0];
		g->em.tp_dst = pm[1];
	}
	if (attr != OVS_KEY_ATTR_TCP)
		return;
	f = htons((uint16_t)(gen_u32(g) & 0xfff));
	fm = htons(0xfff);
	na_put_u16(&g->k, OVS_KEY_ATTR_TCP_FLAGS, f);
	g->ek.tcp_flags = f;
	if (mask) {
		na_put_u16(&g->m, OVS_KEY_ATTR_TCP_FLAGS, fm);
		g->em.tcp_flags = fm;
	}
}

/* icmp/icmpv6 type and code; ND after an icmpv6 NS/NA. */
static inline void gen_icmp(struct gen *g, uint16_t attr, uint8_t type,
			    int mask, int nd)
{
	uint8_t v[2] = { type, (uint8_t)gen_u32(g) }, m[2];

	m[0] = nd || gen_pct(g, 50) ? 0xff : (uint8_t)(gen_u32(g) | 1);
	m[1] = (uint8_t)gen_u32(g);
	na_put(&g->k, attr, v, 2);
	g->ek.tp_src = htons(v[0]);
	g->ek.tp_dst = htons(v[1]);
	if (mask) {
		na_put(&g->m, attr, m, 2);
		g->em.tp_src = htons(m[0]);
		g->em.tp_dst = htons(m[1]);
	}
	if (nd) {
		struct ovs_key_nd n, nm;

		gen_bytes(g, &n, sizeof n);
		gen_mask(g, &nm, sizeof nm);
		na_put(&g->k, OVS_KEY_ATTR_ND, &n, sizeof n);
		memcpy(g->ek.l3.ipv6.nd_target, n.nd_target, 16);
		memcpy(g->ek.l3.ipv6.nd_sll, n.nd_sll, 6);
		memcpy(g->ek.l3.ipv6.nd_tll, n.nd_tll, 6);
		if (mask) {
			na_put(&g->m, OVS_KEY_ATTR_ND, &nm, sizeof nm);
			memcpy(g->em.l3.ipv6.nd_target, nm.nd_target, 16);
			memcpy(g->em.l3.ipv6.nd_sll, nm.nd_sll, 6);
			memcpy(g->em.l3.ipv6.nd_tll, nm.nd_tll, 6);
		}
	}
}

static inline void gen_eth_type(struct gen *g, uint16_t type)
{
	na_put_u16(&g->k, OVS_KEY_ATTR_ETHERTYPE, htons(type));
	na_put_u16(&g->m, OVS_KEY_ATTR_ETHERTYPE, (uint16_t)(gen_u32(g) | 1));
	g->ek.eth_type = htons(type);
	g->em.eth_type = 0xffff;
}

/* eth_type and everything after it, for one kind of flow. */
static inline void gen_payload(struct gen *g, enum gen_kind kind)
{
	int exact = gen_pct(g, 80);
	uint8_t frag;

	switch (kind) {
	case G_L2:
	case G_L3ONLY:
		/* clear of every eth_type with a meaning to the kernel */
		gen_eth_type(g, (uint16_t)(0x1000 + gen_u32(g) % 0x1000));
		break;
	case G_8022:
		g->ek.eth_type = htons(DP_ETH_TYPE_802_2);
		/* Under a VLAN the mask's encap would otherwise be empty,
		 * which the kernel reads as no encap at all, and refuses. */
		if (g->vlans || gen_pct(g, 50)) {
			na_put_u16(&g->m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
			g->em.eth_type = 0xffff;
		}
		break;
	case G_ARP:
	case G_RARP: {
		struct ovs_key_arp a, m;
		uint16_t op = (uint16_t)(1 + gen_u32(g) % 4);

		gen_eth_type(g, kind == G_ARP ? 0x0806 : 0x8035);
		memset(&a, 0, sizeof a);
		memset(&m, 0, sizeof m);
		gen_bytes(g, &a, 22);
		a.arp_op = htons(op);
		gen_mask(g, &m, 22);
		na_put(&g->k, OVS_KEY_ATTR_ARP, &a, sizeof a);
		na_put(&g->m, OVS_KEY_ATTR_ARP, &m, sizeof m);
		g->ek.l3.ipv4.src = a.arp_sip;
		g->ek.l3.ipv4.dst = a.arp_tip;
		g->em.l3.ipv4.src = m.arp_sip;
		g->em.l3.ipv4.dst = m.arp_tip;
		memcpy(g->ek.l3.ipv4.arp_sha, a.arp_sha, 6);
		memcpy(g->ek.l3.ipv4.arp_tha, a.arp_tha, 6);
		memcpy(g->em.l3.ipv4.arp_sha, m.arp_sha, 6);
		memcpy(g->em.l3.ipv4.arp_tha, m.arp_tha, 6);
		/* The opcode lives in nw_proto: its low 8 bits. */
		g->ek.nw_proto = (uint8_t)op;
		g->em.nw_proto = (uint8_t)ntohs(m.arp_op);
		break;
	}
	case G_V4_TCP: case G_V4_UDP: case G_V4_SCTP: case G_V4_ICMP:
	case G_V4_OTHER: case G_V4_FRAG: {
		static const uint8_t protos[] = { 6, 17, 132, 1, 47, 6 };
		uint8_t proto = protos[kind - G_V4_TCP];

		gen_eth_type(g, 0x0800);
		frag = kind == G_V4_FRAG ? (uint8_t)(1 + gen_u32(g) % 2) : 0;
		gen_ct_tuple(g, 0);
		gen_ipv4(g, proto, frag, exact);
		if (frag == OVS_FRAG_TYPE_LATER || proto == 47)
			break;
		if (proto == 1)
			gen_icmp(g, OVS_KEY_ATTR_ICMP, (uint8_t)gen_u32(g), exact, 0);
		else
			gen_ports(g, proto == 6 ? OVS_KEY_ATTR_TCP :
				  proto == 17 ? OVS_KEY_ATTR_UDP : OVS_KEY_ATTR_SCTP,
				  exact);
		break;
	}
	case G_V6_TCP: case G_V6_UDP: case G_V6_SCTP: case G_V6_ICMP:
	case G_V6_ND: case G_V6_FRAG: {
		static const uint8_t protos[] = { 6, 17, 132, 58, 58, 17 };
		uint8_t proto = protos[kind - G_V6_TCP];
		uint8_t type = kind == G_V6_ND ? (uint8_t)(135 + gen_u32(g) % 2) :
			       (uint8_t)(128 + gen_u32(g) % 2);

		gen_eth_type(g, 0x86dd);
		frag = kind == G_V6_FRAG ? (uint8_t)(1 + gen_u32(g) % 2) : 0;
		if (kind != G_V6_ND)
			gen_ct_tuple(g, 1);
		gen_ipv6(g, proto, frag, exact);
		if (frag == OVS_FRAG_TYPE_LATER)
			break;
		if (proto == 58)
			gen_icmp(g, OVS_KEY_ATTR_ICMPV6, type, exact,
				 kind == G_V6_ND);
		else
			gen_ports(g, proto == 6 ? OVS_KEY_ATTR_TCP :
				  proto == 17 ? OVS_KEY_ATTR_UDP : OVS_KEY_ATTR_SCTP,
				  exact);
		break;
	}
	case G_MPLS: {
		uint32_t lse[DP_MPLS_DEPTH], lm[DP_MPLS_DEPTH];
		int n = 1 + (int)(gen_u32(g) % DP_MPLS_DEPTH), i;

		gen_eth_type(g, gen_pct(g, 50) ? 0x8847 : 0x8848);
		for (i = 0; i < n; i++) {
			lse[i] = gen_u32(g);
			gen_mask(g, &lm[i], 4);
			g->ek.l3.mpls.lse[i] = lse[i];
			g->em.l3.mpls.lse[i] = lm[i];
		}
		na_put(&g->k, OVS_KEY_ATTR_MPLS, lse, (size_t)n * 4);
		na_put(&g->m, OVS_KEY_ATTR_MPLS, lm, (size_t)n * 4);
		g->ek.l3.mpls.num_labels_mask = (1u << n) - 1;
		g->em.l3.mpls.num_labels_mask = (1u << n) - 1;
		break;
	}
	case G_KINDS:
		break;
	}
}

/* One VLAN header: ETHERTYPE, VLAN, and ENCAP opened (returned). */
static inline void gen_vlan(struct gen *g, struct dp_vlan *kv,
			    struct dp_vlan *mv, size_t *ke, size_t *me)
{
	uint16_t tpid = htons(gen_pct(g, 50) ? 0x8100 : 0x88a8);
	uint16_t tci = (uint16_t)(gen_u32(g) | htons(DP_VLAN_CFI));
	uint16_t tm = (uint16_t)(gen_u32(g) | htons(DP_VLAN_CFI));

	na_put_u16(&g->k, OVS_KEY_ATTR_ETHERTYPE, tpid);
	na_put_u16(&g->k, OVS_KEY_ATTR_VLAN, tci);
	na_put_u16(&g->m, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	na_put_u16(&g->m, OVS_KEY_ATTR_VLAN, tm);
	*ke = na_nest_start(&g->k, OVS_KEY_ATTR_ENCAP);
	*me = na_nest_start(&g->m, OVS_KEY_ATTR_ENCAP);
	kv->tpid = tpid;
	kv->tci = tci;
	mv->tpid = 0xffff;
	mv->tci = tm;
}

static inline void gen_flow(struct gen *g, enum gen_kind kind,
			    enum gen_vlan vlan)
{
	size_t ke[2], me[2];
	int i, n = 0;

	buf_clear(&g->k);
	buf_clear(&g->m);
	memset(&g->ek, 0, sizeof g->ek);
	memset(&g->em, 0, sizeof g->em);
	g->ek.in_port = DP_PORT_NONE;
	g->em.mac_proto = 0xff;
	g->em.vlan.tci = g->em.cvlan.tci = 0xffff;

	gen_meta(g);
	gen_tunnel(g);
	gen_ct(g);
	if (kind == G_L3ONLY) {
		g->ek.mac_proto = DP_MAC_NONE;
		g->vlans = 0;
		gen_payload(g, kind);
		return;
	}
	{
		struct ovs_key_ethernet e, m;

		gen_bytes(g, &e, sizeof e);
		gen_mask(g, &m, sizeof m);
		na_put(&g->k, OVS_KEY_ATTR_ETHERNET, &e, sizeof e);
		na_put(&g->m, OVS_KEY_ATTR_ETHERNET, &m, sizeof m);
		memcpy(g->ek.eth_src, e.eth_src, 6);
		memcpy(g->ek.eth_dst, e.eth_dst, 6);
		memcpy(g->em.eth_src, m.eth_src, 6);
		memcpy(g->em.eth_dst, m.eth_dst, 6);
	}
	if (vlan >= GV_ONE) {
		gen_vlan(g, &g->ek.vlan, &g->em.vlan, &ke[0], &me[0]);
		n = 1;
	}
	if (vlan == GV_QINQ) {
		gen_vlan(g, &g->ek.cvlan, &g->em.cvlan, &ke[1], &me[1]);
		n = 2;
	}
	g->vlans = n;
	gen_payload(g, kind);
	for (i = n - 1; i >= 0; i--) {
		na_nest_end(&g->k, ke[i]);
		na_nest_end(&g->m, me[i]);
	}
}

#endif
