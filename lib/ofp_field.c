/*
 * ofp_field.c - the table of named fields and generic access to their bits.
 *
 * Every field is a run of bits in struct ofp_flow.  Values travel as
 * big-endian integers (union ofp_value) so that one code path serves an
 * 8-bit nw_ttl, a 20-bit mpls_label inside a be32, a host-order register,
 * a register pair and the little-endian 128-bit ct_label.
 */
#include "ofp_match.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#define OFS(member) ((uint16_t)offsetof(struct ofp_flow, member))
#define SZ(member) ((uint8_t)sizeof(((struct ofp_flow *)0)->member))

/* id, name, alias, nxm, oxm, member, store, shift, n_bits, fmt, prereq,
 * maskable, writable */
#define F(ID, NAME, ALIAS, NXM, OXM, MEMBER, STORE, SHIFT, BITS, FMT, PRE, \
	  MASK, WR)                                                         \
	[OFP_F_##ID] = { OFP_F_##ID, NAME, ALIAS, NXM, OXM, OFS(MEMBER),    \
			 SZ(MEMBER), OFP_FS_##STORE, SHIFT, BITS, OFP_FF_##FMT,\
			 OFP_P_##PRE, MASK, WR }
#define REG(N) F(REG0 + N, "reg" #N, NULL, "NXM_NX_REG" #N, NULL,           \
		 regs[N], HOST, 0, 32, HEX, NONE, true, true)
#define XREG(N) [OFP_F_XREG0 + N] = { OFP_F_XREG0 + N, "xreg" #N, NULL,     \
		 "OXM_OF_PKT_REG" #N, NULL, OFS(regs), 0, OFP_FS_REGS, 2 * N,  \
		 64, OFP_FF_HEX, OFP_P_NONE, true, true }
#define XXREG(N) [OFP_F_XXREG0 + N] = { OFP_F_XXREG0 + N, "xxreg" #N, NULL,  \
		 "NXM_NX_XXREG" #N, NULL, OFS(regs), 0, OFP_FS_REGS, 4 * N,    \
		 128, OFP_FF_HEX, OFP_P_NONE, true, true }

static const struct ofp_field fields[OFP_F_N_FIELDS] = {
	F(IN_PORT, "in_port", NULL, "NXM_OF_IN_PORT", NULL, key.in_port,
	  HOST, 0, 16, PORT, NONE, false, true),
	F(METADATA, "metadata", NULL, "OXM_OF_METADATA", NULL, metadata,
	  HOST, 0, 64, HEX, NONE, true, true),
	REG(0), REG(1), REG(2), REG(3), REG(4), REG(5), REG(6), REG(7),
	REG(8), REG(9), REG(10), REG(11), REG(12), REG(13), REG(14), REG(15),
	XREG(0), XREG(1), XREG(2), XREG(3), XREG(4), XREG(5), XREG(6), XREG(7),
	XXREG(0), XXREG(1), XXREG(2), XXREG(3),
	F(PKT_MARK, "pkt_mark", NULL, "NXM_NX_PKT_MARK", NULL, key.skb_mark,
	  HOST, 0, 32, HEX, NONE, true, true),
	F(CT_STATE, "ct_state", NULL, "NXM_NX_CT_STATE", NULL, key.ct_state,
	  HOST, 0, 8, CT_STATE, NONE, true, false),
	F(CT_ZONE, "ct_zone", NULL, "NXM_NX_CT_ZONE", NULL, key.ct_zone,
	  HOST, 0, 16, DEC, NONE, false, false),
	F(CT_MARK, "ct_mark", NULL, "NXM_NX_CT_MARK", NULL, key.ct_mark,
	  HOST, 0, 32, HEX, NONE, true, true),
	F(CT_LABEL, "ct_label", NULL, "NXM_NX_CT_LABEL", NULL, key.ct_labels,
	  LE128, 0, 128, HEX, NONE, true, true),
	F(CT_NW_PROTO, "ct_nw_proto", NULL, "NXM_NX_CT_NW_PROTO", NULL,
	  key.ct_orig_proto, HOST, 0, 8, DEC, CT, false, false),
	F(CT_NW_SRC, "ct_nw_src", NULL, "NXM_NX_CT_NW_SRC", NULL,
	  key.ct_orig.v4.src, BE, 0, 32, IPV4, CT_IPV4, true, false),
	F(CT_NW_DST, "ct_nw_dst", NULL, "NXM_NX_CT_NW_DST", NULL,
	  key.ct_orig.v4.dst, BE, 0, 32, IPV4, CT_IPV4, true, false),
	F(CT_IPV6_SRC, "ct_ipv6_src", NULL, "NXM_NX_CT_IPV6_SRC", NULL,
	  key.ct_orig.v6.src, BE, 0, 128, IPV6, CT_IPV6, true, false),
	F(CT_IPV6_DST, "ct_ipv6_dst", NULL, "NXM_NX_CT_IPV6_DST", NULL,
	  key.ct_orig.v6.dst, BE, 0, 128, IPV6, CT_IPV6, true, false),
	F(CT_TP_SRC, "ct_tp_src", NULL, "NXM_NX_CT_TP_SRC", NULL,
	  key.ct_orig_tp_src, BE, 0, 16, DEC, CT_L4, true, false),
	F(CT_TP_DST, "ct_tp_dst", NULL, "NXM_NX_CT_TP_DST", NULL,
	  key.ct_orig_tp_dst, BE, 0, 16, DEC, CT_L4, true, false),
	F(TUN_ID, "tun_id", "tunnel_id", "NXM_NX_TUN_ID", "OXM_OF_TUNNEL_ID",
	  key.tun.id, BE, 0, 64, HEX, NONE, true, true),
	F(TUN_SRC, "tun_src", NULL, "NXM_NX_TUN_IPV4_SRC", NULL,
	  key.tun.addr.v4.src, BE, 0, 32, IPV4, NONE, true, true),
	F(TUN_DST, "tun_dst", NULL, "NXM_NX_TUN_IPV4_DST", NULL,
	  key.tun.addr.v4.dst, BE, 0, 32, IPV4, NONE, true, true),
	F(TUN_IPV6_SRC, "tun_ipv6_src", NULL, "NXM_NX_TUN_IPV6_SRC", NULL,
	  key.tun.addr.v6.src, BE, 0, 128, IPV6, NONE, true, true),
	F(TUN_IPV6_DST, "tun_ipv6_dst", NULL, "NXM_NX_TUN_IPV6_DST", NULL,
	  key.tun.addr.v6.dst, BE, 0, 128, IPV6, NONE, true, true),
	F(ETH_SRC, "eth_src", "dl_src", "NXM_OF_ETH_SRC", "OXM_OF_ETH_SRC",
	  key.eth_src, BE, 0, 48, MAC, NONE, true, true),
	F(ETH_DST, "eth_dst", "dl_dst", "NXM_OF_ETH_DST", "OXM_OF_ETH_DST",
	  key.eth_dst, BE, 0, 48, MAC, NONE, true, true),
	F(ETH_TYPE, "eth_type", "dl_type", "NXM_OF_ETH_TYPE", "OXM_OF_ETH_TYPE",
	  key.eth_type, BE, 0, 16, HEX, NONE, false, false),
	F(VLAN_TCI, "vlan_tci", NULL, "NXM_OF_VLAN_TCI", NULL, key.vlan.tci,
	  BE, 0, 16, HEX, NONE, true, true),
	F(DL_VLAN, "dl_vlan", NULL, NULL, NULL, key.vlan.tci,
	  BE, 0, 12, DEC, NONE, false, true),
	F(VLAN_VID, "vlan_vid", NULL, "OXM_OF_VLAN_VID", NULL, key.vlan.tci,
	  BE, 0, 13, DEC, VLAN, true, true),
	F(DL_VLAN_PCP, "dl_vlan_pcp", NULL, NULL, NULL, key.vlan.tci,
	  BE, 13, 3, DEC, NONE, false, true),
	F(VLAN_PCP, "vlan_pcp", NULL, "OXM_OF_VLAN_PCP", NULL, key.vlan.tci,
	  BE, 13, 3, DEC, VLAN, false, true),
	F(MPLS_LABEL, "mpls_label", NULL, "OXM_OF_MPLS_LABEL", NULL,
	  key.l3.mpls.lse[0], BE, 12, 20, DEC, MPLS, false, true),
	F(MPLS_TC, "mpls_tc", NULL, "OXM_OF_MPLS_TC", NULL, key.l3.mpls.lse[0],
	  BE, 9, 3, DEC, MPLS, false, true),
	F(MPLS_BOS, "mpls_bos", NULL, "OXM_OF_MPLS_BOS", NULL,
	  key.l3.mpls.lse[0], BE, 8, 1, DEC, MPLS, false, false),
	F(MPLS_TTL, "mpls_ttl", NULL, "NXM_NX_MPLS_TTL", NULL,
	  key.l3.mpls.lse[0], BE, 0, 8, DEC, MPLS, false, true),
	F(IP_SRC, "ip_src", "nw_src", "NXM_OF_IP_SRC", "OXM_OF_IPV4_SRC",
	  key.l3.ipv4.src, BE, 0, 32, IPV4, IPV4_ARP, true, true),
	F(IP_DST, "ip_dst", "nw_dst", "NXM_OF_IP_DST", "OXM_OF_IPV4_DST",
	  key.l3.ipv4.dst, BE, 0, 32, IPV4, IPV4_ARP, true, true),
	F(IPV6_SRC, "ipv6_src", NULL, "NXM_NX_IPV6_SRC", "OXM_OF_IPV6_SRC",
	  key.l3.ipv6.src, BE, 0, 128, IPV6, IPV6, true, true),
	F(IPV6_DST, "ipv6_dst", NULL, "NXM_NX_IPV6_DST", "OXM_OF_IPV6_DST",
	  key.l3.ipv6.dst, BE, 0, 128, IPV6, IPV6, true, true),
	F(IPV6_LABEL, "ipv6_label", NULL, "NXM_NX_IPV6_LABEL",
	  "OXM_OF_IPV6_FLABEL", key.l3.ipv6.label, BE, 0, 20, HEX, IPV6,
	  true, true),
	F(NW_PROTO, "nw_proto", "ip_proto", "NXM_OF_IP_PROTO", "OXM_OF_IP_PROTO",
	  key.nw_proto, HOST, 0, 8, DEC, IP_ARP, false, false),
	F(NW_TOS, "nw_tos", NULL, "NXM_OF_IP_TOS", NULL, key.nw_tos,
	  HOST, 0, 8, DEC, IP_ANY, false, true),
	F(IP_DSCP, "ip_dscp", NULL, "OXM_OF_IP_DSCP", NULL, key.nw_tos,
	  HOST, 2, 6, DEC, IP_ANY, false, true),
	F(NW_ECN, "nw_ecn", "ip_ecn", "NXM_NX_IP_ECN", "OXM_OF_IP_ECN",
	  key.nw_tos, HOST, 0, 2, DEC, IP_ANY, false, true),
	F(NW_TTL, "nw_ttl", NULL, "NXM_NX_IP_TTL", NULL, key.nw_ttl,
	  HOST, 0, 8, DEC, IP_ANY, false, true),
	F(IP_FRAG, "ip_frag", "nw_frag", "NXM_NX_IP_FRAG", NULL, key.nw_frag,
	  HOST, 0, 2, FRAG, IP_ANY, true, false),
	F(ARP_OP, "arp_op", NULL, "NXM_OF_ARP_OP", "OXM_OF_ARP_OP",
	  key.nw_proto, HOST, 0, 8, DEC, ARP, false, true),
	F(ARP_SPA, "arp_spa", NULL, "NXM_OF_ARP_SPA", "OXM_OF_ARP_SPA",
	  key.l3.ipv4.src, BE, 0, 32, IPV4, IPV4_ARP, true, true),
	F(ARP_TPA, "arp_tpa", NULL, "NXM_OF_ARP_TPA", "OXM_OF_ARP_TPA",
	  key.l3.ipv4.dst, BE, 0, 32, IPV4, IPV4_ARP, true, true),
	F(ARP_SHA, "arp_sha", NULL, "NXM_NX_ARP_SHA", "OXM_OF_ARP_SHA",
	  key.l3.ipv4.arp_sha, BE, 0, 48, MAC, ARP, true, true),
	F(ARP_THA, "arp_tha", NULL, "NXM_NX_ARP_THA", "OXM_OF_ARP_THA",
	  key.l3.ipv4.arp_tha, BE, 0, 48, MAC, ARP, true, true),
	F(TCP_SRC, "tcp_src", "tp_src", "NXM_OF_TCP_SRC", "OXM_OF_TCP_SRC",
	  key.tp_src, BE, 0, 16, DEC, L4, true, true),
	F(TCP_DST, "tcp_dst", "tp_dst", "NXM_OF_TCP_DST", "OXM_OF_TCP_DST",
	  key.tp_dst, BE, 0, 16, DEC, L4, true, true),
	F(UDP_SRC, "udp_src", NULL, "NXM_OF_UDP_SRC", "OXM_OF_UDP_SRC",
	  key.tp_src, BE, 0, 16, DEC, L4, true, true),
	F(UDP_DST, "udp_dst", NULL, "NXM_OF_UDP_DST", "OXM_OF_UDP_DST",
	  key.tp_dst, BE, 0, 16, DEC, L4, true, true),
	F(SCTP_SRC, "sctp_src", NULL, "OXM_OF_SCTP_SRC", NULL,
	  key.tp_src, BE, 0, 16, DEC, L4, true, true),
	F(SCTP_DST, "sctp_dst", NULL, "OXM_OF_SCTP_DST", NULL,
	  key.tp_dst, BE, 0, 16, DEC, L4, true, true),
	F(TCP_FLAGS, "tcp_flags", NULL, "NXM_NX_TCP_FLAGS", "ONFOXM_ET_TCP_FLAGS",
	  key.tcp_flags, BE, 0, 12, TCP_FLAGS, TCP, true, false),
	F(ICMP_TYPE, "icmp_type", "icmpv4_type", "NXM_OF_ICMP_TYPE",
	  "OXM_OF_ICMPV4_TYPE", key.tp_src, BE, 0, 8, DEC, L4, false, true),
	F(ICMP_CODE, "icmp_code", "icmpv4_code", "NXM_OF_ICMP_CODE",
	  "OXM_OF_ICMPV4_CODE", key.tp_dst, BE, 0, 8, DEC, L4, false, true),
	F(ICMPV6_TYPE, "icmpv6_type", NULL, "NXM_NX_ICMPV6_TYPE",
	  "OXM_OF_ICMPV6_TYPE", key.tp_src, BE, 0, 8, DEC, L4, false, true),
	F(ICMPV6_CODE, "icmpv6_code", NULL, "NXM_NX_ICMPV6_CODE",
	  "OXM_OF_ICMPV6_CODE", key.tp_dst, BE, 0, 8, DEC, L4, false, true),
	F(ND_TARGET, "nd_target", NULL, "NXM_NX_ND_TARGET",
	  "OXM_OF_IPV6_ND_TARGET", key.l3.ipv6.nd_target, BE, 0, 128, IPV6, ND,
	  true, true),
	F(ND_SLL, "nd_sll", NULL, "NXM_NX_ND_SLL", "OXM_OF_IPV6_ND_SLL",
	  key.l3.ipv6.nd_sll, BE, 0, 48, MAC, ND_SOLICIT, true, true),
	F(ND_TLL, "nd_tll", NULL, "NXM_NX_ND_TLL", "OXM_OF_IPV6_ND_TLL",
	  key.l3.ipv6.nd_tll, BE, 0, 48, MAC, ND_ADVERT, true, true),
};

const struct ofp_field *ofp_field_get(enum ofp_field_id id)
{
	if ((unsigned)id >= OFP_F_N_FIELDS)
		return NULL;
	return &fields[id];
}

static bool name_is(const char *n, const char *s, size_t len)
{
	return n && strlen(n) == len && !strncasecmp(n, s, len);
}

const struct ofp_field *ofp_field_by_name(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < OFP_F_N_FIELDS; i++) {
		const struct ofp_field *f = &fields[i];

		/* Field names are lower case in ovs-fields; header names are
		 * upper case.  ovs-ofctl matches both without regard to case. */
		if (name_is(f->name, s, len) || name_is(f->alias, s, len) ||
		    name_is(f->nxm, s, len) || name_is(f->oxm, s, len))
			return f;
	}
	return NULL;
}

/* --- 128-bit helpers over the big-endian value --------------------------- */

struct u128 {
	uint64_t hi, lo;
};

static uint64_t be64_load(const uint8_t *p)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 8; i++)
		x = (x << 8) | p[i];
	return x;
}

static void be64_store(uint8_t *p, uint64_t x)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (uint8_t)x;
		x >>= 8;
	}
}

static struct u128 v_get(const union ofp_value *v)
{
	struct u128 r = { be64_load(v->be), be64_load(v->be + 8) };

	return r;
}

static void v_put(union ofp_value *v, struct u128 x)
{
	be64_store(v->be, x.hi);
	be64_store(v->be + 8, x.lo);
}

static struct u128 u128_shr(struct u128 x, unsigned n)
{
	struct u128 r;

	if (n == 0)
		return x;
	if (n >= 128) {
		r.hi = r.lo = 0;
	} else if (n >= 64) {
		r.hi = 0;
		r.lo = x.hi >> (n - 64);
	} else {
		r.hi = x.hi >> n;
		r.lo = (x.lo >> n) | (x.hi << (64 - n));
	}
	return r;
}

static struct u128 u128_shl(struct u128 x, unsigned n)
{
	struct u128 r;

	if (n == 0)
		return x;
	if (n >= 128) {
		r.hi = r.lo = 0;
	} else if (n >= 64) {
		r.lo = 0;
		r.hi = x.lo << (n - 64);
	} else {
		r.lo = x.lo << n;
		r.hi = (x.hi << n) | (x.lo >> (64 - n));
	}
	return r;
}

static struct u128 u128_ones(unsigned n)
{
	struct u128 r;

	if (n >= 128) {
		r.hi = r.lo = UINT64_MAX;
	} else if (n >= 64) {
		r.lo = UINT64_MAX;
		r.hi = n == 64 ? 0 : UINT64_MAX >> (128 - n);
	} else {
		r.hi = 0;
		r.lo = n == 0 ? 0 : UINT64_MAX >> (64 - n);
	}
	return r;
}

static struct u128 u128_and(struct u128 a, struct u128 b)
{
	struct u128 r = { a.hi & b.hi, a.lo & b.lo };

	return r;
}

void ofp_value_ones(const struct ofp_field *f, union ofp_value *v)
{
	v_put(v, u128_ones(f->n_bits));
}

bool ofp_value_is_zero(const union ofp_value *v)
{
	return !v->u64[0] && !v->u64[1];
}

uint64_t ofp_value_u64(const union ofp_value *v)
{
	return be64_load(v->be + 8);
}

void ofp_value_from_u64(union ofp_value *v, uint64_t x)
{
	memset(v, 0, sizeof *v);
	be64_store(v->be + 8, x);
}

bool ofp_value_too_wide(const struct ofp_field *f, const union ofp_value *v)
{
	struct u128 x = v_get(v), o = u128_ones(f->n_bits);

	return (x.hi & ~o.hi) || (x.lo & ~o.lo);
}

void ofp_value_bits(union ofp_value *dst, const union ofp_value *v,
		    unsigned ofs, unsigned n)
{
	v_put(dst, u128_and(v_get(v), u128_shl(u128_ones(n), ofs)));
}

void ofp_value_set_bits(union ofp_value *dst, unsigned ofs, unsigned n)
{
	struct u128 x = v_get(dst), m = u128_shl(u128_ones(n), ofs);

	x.hi |= m.hi;
	x.lo |= m.lo;
	v_put(dst, x);
}

void ofp_value_shift(union ofp_value *dst, const union ofp_value *v, int left)
{
	struct u128 x = v_get(v);

	v_put(dst, left >= 0 ? u128_shl(x, (unsigned)left)
			     : u128_shr(x, (unsigned)-left));
}

/* --- storage ------------------------------------------------------------- */

/* The whole storage of 'f' as a big-endian integer. */
static struct u128 storage_load(const struct ofp_field *f,
				const struct ofp_flow *flow)
{
	const uint8_t *p = (const uint8_t *)flow + f->ofs;
	struct u128 r = { 0, 0 };
	unsigned i;

	switch (f->store) {
	case OFP_FS_BE:
		for (i = 0; i < f->size; i++)
			r = u128_shl(r, 8), r.lo |= p[i];
		break;
	case OFP_FS_HOST:
		switch (f->size) {
		case 1: r.lo = *p; break;
		case 2: { uint16_t x; memcpy(&x, p, 2); r.lo = x; break; }
		case 4: { uint32_t x; memcpy(&x, p, 4); r.lo = x; break; }
		default: memcpy(&r.lo, p, 8); break;
		}
		break;
	case OFP_FS_REGS:
		for (i = 0; i < f->n_bits / 32u; i++)
			r = u128_shl(r, 32), r.lo |= flow->regs[f->shift + i];
		break;
	case OFP_FS_LE128:
		for (i = 16; i-- > 0;)
			r = u128_shl(r, 8), r.lo |= p[i];
		break;
	}
	return r;
}

static void storage_store(const struct ofp_field *f, struct ofp_flow *flow,
			  struct u128 x)
{
	uint8_t *p = (uint8_t *)flow + f->ofs;
	unsigned i, n;

	switch (f->store) {
	case OFP_FS_BE:
		for (i = f->size; i-- > 0;)
			p[i] = (uint8_t)x.lo, x = u128_shr(x, 8);
		break;
	case OFP_FS_HOST:
		switch (f->size) {
		case 1: *p = (uint8_t)x.lo; break;
		case 2: { uint16_t y = (uint16_t)x.lo; memcpy(p, &y, 2); break; }
		case 4: { uint32_t y = (uint32_t)x.lo; memcpy(p, &y, 4); break; }
		default: memcpy(p, &x.lo, 8); break;
		}
		break;
	case OFP_FS_REGS:
		n = f->n_bits / 32u;
		for (i = n; i-- > 0;)
			flow->regs[f->shift + i] = (uint32_t)x.lo, x = u128_shr(x, 32);
		break;
	case OFP_FS_LE128:
		for (i = 0; i < 16; i++)
			p[i] = (uint8_t)x.lo, x = u128_shr(x, 8);
		break;
	}
}

static unsigned bit_shift(const struct ofp_field *f)
{
	return f->store == OFP_FS_REGS ? 0 : f->shift;
}

void ofp_field_get_value(const struct ofp_field *f, const struct ofp_flow *flow,
			 union ofp_value *v)
{
	struct u128 x = u128_shr(storage_load(f, flow), bit_shift(f));

	v_put(v, u128_and(x, u128_ones(f->n_bits)));
}

void ofp_field_set_masked(const struct ofp_field *f, struct ofp_flow *flow,
			  const union ofp_value *v, const union ofp_value *mask)
{
	unsigned sh = bit_shift(f);
	struct u128 ones = u128_ones(f->n_bits);
	struct u128 m = u128_shl(u128_and(v_get(mask), ones), sh);
	struct u128 x = u128_shl(u128_and(v_get(v), ones), sh);
	struct u128 s = storage_load(f, flow);

	s.hi = (s.hi & ~m.hi) | (x.hi & m.hi);
	s.lo = (s.lo & ~m.lo) | (x.lo & m.lo);
	storage_store(f, flow, s);
}

/* --- subfields ------------------------------------------------------------ */

static int parse_uint(const char *s, size_t len, unsigned *out)
{
	unsigned x = 0;
	size_t i;

	if (!len || len > 4)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (unsigned)(s[i] - '0');
	}
	*out = x;
	return 0;
}

int ofp_subfield_parse(const char *s, size_t len, struct ofp_subfield *sf,
		       struct dp_err *err)
{
	const char *br = memchr(s, '[', len);
	size_t nlen = br ? (size_t)(br - s) : len;
	const struct ofp_field *f = ofp_field_by_name(s, nlen);
	unsigned a, b;

	if (!f)
		return dp_err_set(err, EINVAL, "%.*s: unknown field `%.*s'",
				  (int)len, s, (int)nlen, s);
	sf->field = f;
	sf->ofs = 0;
	sf->n_bits = f->n_bits;
	if (!br)
		return 0;
	if (s[len - 1] != ']')
		return dp_err_set(err, EINVAL, "%.*s: missing `]'", (int)len, s);
	{
		const char *in = br + 1;
		size_t ilen = (size_t)(s + len - 1 - in);
		const char *dots = NULL;
		size_t i;

		if (ilen == 0)
			return 0;       /* FIELD[] */
		for (i = 0; i + 1 < ilen; i++)
			if (in[i] == '.' && in[i + 1] == '.')
				dots = in + i;
		if (dots) {
			if (parse_uint(in, (size_t)(dots - in), &a) ||
			    parse_uint(dots + 2, (size_t)(in + ilen - dots - 2), &b))
				goto bad;
		} else {
			if (parse_uint(in, ilen, &a))
				goto bad;
			b = a;
		}
	}
	if (a > b)
		return dp_err_set(err, EINVAL,
				  "%.*s: starting bit %u is after ending bit %u",
				  (int)len, s, a, b);
	if (b >= f->n_bits)
		return dp_err_set(err, EINVAL,
				  "%.*s: ending bit %u is not valid because field is only %u bits wide",
				  (int)len, s, b, f->n_bits);
	sf->ofs = (uint8_t)a;
	sf->n_bits = (uint8_t)(b - a + 1);
	return 0;
bad:
	return dp_err_set(err, EINVAL, "%.*s: bad bit range", (int)len, s);
}

bool ofp_subfield_is_whole(const struct ofp_subfield *sf)
{
	return sf->ofs == 0 && sf->n_bits == sf->field->n_bits;
}

void ofp_subfield_format(struct buf *out, const struct ofp_subfield *sf)
{
	const struct ofp_field *f = sf->field;

	buf_puts(out, f->nxm ? f->nxm : f->name);
	if (ofp_subfield_is_whole(sf))
		buf_puts(out, "[]");
	else if (sf->n_bits == 1)
		buf_printf(out, "[%u]", sf->ofs);
	else
		buf_printf(out, "[%u..%u]", sf->ofs, sf->ofs + sf->n_bits - 1);
}
