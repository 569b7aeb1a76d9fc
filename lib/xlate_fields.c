/*
 * xlate_fields.c - actions that change the flow: set_field and load, move,
 * the legacy mod_* actions, VLAN and MPLS push/pop, dec_ttl, the stack,
 * write_metadata.
 *
 * Each one changes the flow only (the datapath hears of it at the next
 * commit) and makes exact in the megaflow every bit it read and every bit
 * it wrote: the commit emits a rewrite only where the new value differs
 * from the packet's, so the actions depend on the old value of what was
 * written.  A field whose prerequisite the packet lacks (nw_src of an ARP
 * packet rewritten by mod_nw_src, tcp_dst of a UDP packet by set_field)
 * is left alone, as Open vSwitch does; deciding that reads the fields the
 * prerequisite names.
 */
#include "xlate_int.h"

#include <string.h>

#define VLAN_VID_MASK  0x0fff
#define VLAN_PCP_MASK  0xe000
#define MPLS_BOS       0x00000100u
#define MPLS_TTL_MASK  0x000000ffu

/* Whether the packet meets 'p' is ofp_match_prereq_ok() on the flow as
 * an exact match; what that reads beyond the ethertype (always exact)
 * goes into the megaflow. */
bool xl_prereq_ok(struct xctx *x, enum ofp_prereq p)
{
	struct ofp_match m;

	switch (p) {
	case OFP_P_NONE:
		return true;
	case OFP_P_L4:
	case OFP_P_TCP:
		XL_WC(x, key.nw_proto);
		break;
	case OFP_P_ND:
	case OFP_P_ND_SOLICIT:
	case OFP_P_ND_ADVERT:
		XL_WC(x, key.nw_proto);
		x->wc.key.tp_src |= HTONS(0xff);
		x->wc.key.tp_dst |= HTONS(0xff);
		break;
	case OFP_P_VLAN:
		x->wc.key.vlan.tci |= HTONS(DP_VLAN_CFI);
		break;
	case OFP_P_CT:
	case OFP_P_CT_IPV4:
	case OFP_P_CT_IPV6:
		XL_WC(x, key.ct_state);
		break;
	case OFP_P_CT_L4:
		XL_WC(x, key.ct_state);
		XL_WC(x, key.ct_orig_proto);
		break;
	default:
		break;
	}
	m.flow = x->flow;
	memset(&m.mask, 0xff, sizeof m.mask);
	return ofp_match_prereq_ok(&m, p);
}

static bool is_l3_field(const struct ofp_field *f)
{
	switch (f->prereq) {
	case OFP_P_ARP: case OFP_P_IPV4: case OFP_P_IPV6: case OFP_P_IP_ANY:
	case OFP_P_IPV4_ARP: case OFP_P_IP_ARP: case OFP_P_L4: case OFP_P_TCP:
	case OFP_P_ND: case OFP_P_ND_SOLICIT: case OFP_P_ND_ADVERT:
		return true;
	default:
		return false;
	}
}

static bool sf_is_l3(const struct ofpact_sf *sf)
{
	const struct ofp_field *f = ofp_field_get(sf->field);

	return f && is_l3_field(f);
}

bool xl_needs_l3(const struct ofpact *a)
{
	switch (a->type) {
	case OFPACT_RESUBMIT: case OFPACT_GOTO_TABLE:
	case OFPACT_SET_IPV4_SRC: case OFPACT_SET_IPV4_DST:
	case OFPACT_SET_IP_DSCP: case OFPACT_SET_IP_ECN: case OFPACT_SET_IP_TTL:
	case OFPACT_SET_L4_SRC_PORT: case OFPACT_SET_L4_DST_PORT:
	case OFPACT_DEC_TTL: case OFPACT_PUSH_MPLS: case OFPACT_CT:
	case OFPACT_CLONE: case OFPACT_CHECK_PKT_LARGER:
		return true;
	case OFPACT_SET_FIELD: {
		const struct ofp_field *f = ofp_field_get(
			OFPACT_CAST(ofpact_set_field, a)->field);

		return f && is_l3_field(f);
	}
	case OFPACT_REG_MOVE:
		return sf_is_l3(&OFPACT_CAST(ofpact_reg_move, a)->src) ||
		       sf_is_l3(&OFPACT_CAST(ofpact_reg_move, a)->dst);
	case OFPACT_STACK_PUSH:
	case OFPACT_STACK_POP:
		return sf_is_l3(&OFPACT_CAST(ofpact_stack, a)->sf);
	case OFPACT_OUTPUT_REG:
		return sf_is_l3(&OFPACT_CAST(ofpact_output_reg, a)->src);
	}
	return false;
}

/* A VLAN field was written: a tag with the CFI bit is present and needs a
 * TPID; one without is absent. */
static void fix_vlan(struct ofp_flow *f)
{
	if (f->key.vlan.tci & HTONS(DP_VLAN_CFI)) {
		if (!f->key.vlan.tpid)
			f->key.vlan.tpid = HTONS(0x8100);
	} else {
		f->key.vlan.tpid = 0;
	}
}

static void subfield_mask(const struct ofpact_sf *sf, union ofp_value *m)
{
	memset(m, 0, sizeof *m);
	ofp_value_set_bits(m, sf->ofs, sf->n_bits);
}

static bool write_field(struct xctx *x, const struct ofp_field *f,
			const union ofp_value *v, const union ofp_value *mask)
{
	xl_wc_field(x, f, mask);
	ofp_field_set_masked(f, &x->flow, v, mask);
	switch (f->id) {
	case OFP_F_DL_VLAN:
	case OFP_F_DL_VLAN_PCP:
		/* OpenFlow 1.0 semantics: writing these pushes a tag. */
		x->flow.key.vlan.tci |= HTONS(DP_VLAN_CFI);
		fix_vlan(&x->flow);
		break;
	case OFP_F_VLAN_TCI:
	case OFP_F_VLAN_VID:
	case OFP_F_VLAN_PCP:
		fix_vlan(&x->flow);
		break;
	default:
		break;
	}
	return true;
}

static void set_field(struct xctx *x, const struct ofpact_set_field *sf)
{
	const struct ofp_field *f = ofp_field_get(sf->field);

	if (!f)
		return;
	if (!xl_prereq_ok(x, f->prereq)) {
		XT(x, TRACE_WARN, "unmet prerequisites for %s, set_field ignored",
		   f->name);
		return;
	}
	write_field(x, f, &sf->value, &sf->mask);
}

static void reg_move(struct xctx *x, const struct ofpact_reg_move *m)
{
	const struct ofp_field *src = ofp_field_get(m->src.field);
	const struct ofp_field *dst = ofp_field_get(m->dst.field);
	union ofp_value v, smask, dmask, bits;

	if (!src || !dst)
		return;
	if (!xl_prereq_ok(x, src->prereq) || !xl_prereq_ok(x, dst->prereq)) {
		XT(x, TRACE_WARN, "unmet prerequisites for move, ignored");
		return;
	}
	subfield_mask(&m->src, &smask);
	subfield_mask(&m->dst, &dmask);
	xl_wc_field(x, src, &smask);
	ofp_field_get_value(src, &x->flow, &v);
	ofp_value_bits(&bits, &v, m->src.ofs, m->src.n_bits);
	ofp_value_shift(&v, &bits, (int)m->dst.ofs - (int)m->src.ofs);
	write_field(x, dst, &v, &dmask);
}

static void stack_push(struct xctx *x, const struct ofpact_stack *s)
{
	const struct ofp_field *f = ofp_field_get(s->sf.field);
	union ofp_value v, mask, bits;

	if (!f)
		return;
	if (x->out->s.stack.len + sizeof v > XLATE_MAX_STACK) {
		xl_error(x, XLATE_STACK_OVERFLOW, "resubmits yielded over 64 kB of stack");
		return;
	}
	subfield_mask(&s->sf, &mask);
	if (xl_prereq_ok(x, f->prereq))
		xl_wc_field(x, f, &mask);
	ofp_field_get_value(f, &x->flow, &v);
	ofp_value_bits(&bits, &v, s->sf.ofs, s->sf.n_bits);
	ofp_value_shift(&v, &bits, -(int)s->sf.ofs);
	buf_put(&x->out->s.stack, &v, sizeof v);
}

static void stack_pop(struct xctx *x, const struct ofpact_stack *s)
{
	const struct ofp_field *f = ofp_field_get(s->sf.field);
	struct buf *st = &x->out->s.stack;
	union ofp_value v, mask, bits;

	if (!f)
		return;
	if (st->len < sizeof v) {
		XT(x, TRACE_WARN, "stack underflow");
		return;
	}
	memcpy(&v, st->data + st->len - sizeof v, sizeof v);
	buf_truncate(st, st->len - sizeof v);
	if (!xl_prereq_ok(x, f->prereq))
		return;
	subfield_mask(&s->sf, &mask);
	ofp_value_shift(&bits, &v, (int)s->sf.ofs);
	write_field(x, f, &bits, &mask);
}

/* --- VLAN ---------------------------------------------------------------------- */

static bool has_vlan(const struct ofp_flow *f)
{
	return (f->key.vlan.tci & HTONS(DP_VLAN_CFI)) != 0;
}

static void push_vlan(struct xctx *x, uint16_t tpid)
{
	struct dp_key *k = &x->flow.key;

	/* The tags already there move inward: make them exact rather than
	 * follow them. */
	if (has_vlan(&x->flow)) {
		XL_WC(x, key.vlan);
		if (k->cvlan.tci & HTONS(DP_VLAN_CFI))
			XL_WC(x, key.cvlan);
	}
	k->cvlan = k->vlan;
	k->vlan.tpid = HTONS(tpid);
	k->vlan.tci = HTONS(DP_VLAN_CFI);
}

static void pop_vlan(struct xctx *x)
{
	struct dp_key *k = &x->flow.key;

	if (k->cvlan.tci & HTONS(DP_VLAN_CFI))
		XL_WC(x, key.cvlan);
	k->vlan = k->cvlan;
	memset(&k->cvlan, 0, sizeof k->cvlan);
}

static void set_vlan_bits(struct xctx *x, uint16_t mask, uint16_t bits)
{
	struct dp_key *k = &x->flow.key;

	x->wc.key.vlan.tci |= HTONS(mask | DP_VLAN_CFI);
	if (!k->vlan.tpid || !has_vlan(&x->flow))
		k->vlan.tpid = HTONS(0x8100);
	k->vlan.tci = (k->vlan.tci & ~HTONS(mask)) | HTONS(bits | DP_VLAN_CFI);
}

/* --- MPLS ----------------------------------------------------------------------- */

static void push_mpls(struct xctx *x, uint16_t ethertype)
{
	struct dp_key *k = &x->flow.key;
	int n = xl_mpls_count(&x->flow), i;
	uint32_t lse;

	if (n >= DP_MPLS_DEPTH) {
		xl_error(x, XLATE_TOO_MANY_MPLS_LABELS,
			 "dropping packet on which an MPLS push action can't be performed as it would have more MPLS LSEs than the 3 supported.");
		return;
	}
	if (!n) {
		unsigned label = xl_dl_type(&x->flow) == OFP_ETH_IPV6 ? 2 : 0;
		unsigned tc = 0, ttl = 64;

		/* Rewrites of the L3 header must reach the packet before the
		 * label hides it. */
		xl_commit(x);
		if (xl_is_ip(&x->flow)) {
			x->wc.key.nw_tos |= 0xfc;
			XL_WC(x, key.nw_ttl);
			tc = ((k->nw_tos & 0xfcu) >> 2) & 7;
			if (k->nw_ttl)
				ttl = k->nw_ttl;
		}
		lse = label << 12 | tc << 9 | MPLS_BOS | ttl;
		memset(&k->l3, 0, sizeof k->l3);
		k->nw_proto = k->nw_tos = k->nw_ttl = k->nw_frag = 0;
		k->tp_src = k->tp_dst = k->tcp_flags = 0;
		k->ipv6_exthdrs = 0;
		k->l3.mpls.lse[0] = HTONL(lse);
		k->l3.mpls.num_labels_mask = 1;
		x->l3_synthetic = true;
	} else {
		for (i = 0; i < n; i++)
			XL_WC(x, key.l3.mpls.lse[i]);
		for (i = n; i > 0; i--)
			k->l3.mpls.lse[i] = k->l3.mpls.lse[i - 1];
		k->l3.mpls.lse[0] &= ~HTONL(MPLS_BOS);
		k->l3.mpls.num_labels_mask = (k->l3.mpls.num_labels_mask << 1) | 1;
	}
	k->eth_type = HTONS(ethertype);
}

static void pop_mpls(struct xctx *x, uint16_t ethertype)
{
	struct dp_key *k = &x->flow.key;
	int n = xl_mpls_count(&x->flow), i;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		x->wc.key.l3.mpls.lse[i] |= HTONL(MPLS_BOS);
	for (i = 1; i < DP_MPLS_DEPTH; i++)
		XL_WC(x, key.l3.mpls.lse[i]);
	for (i = 1; i < n; i++)
		k->l3.mpls.lse[i - 1] = k->l3.mpls.lse[i];
	k->l3.mpls.lse[n - 1] = 0;
	k->l3.mpls.num_labels_mask >>= 1;
	k->eth_type = HTONS(ethertype);
	if (n == 1 && ethertype != OFP_ETH_MPLS && ethertype != OFP_ETH_MPLSM) {
		/* The datapath must parse the payload before anyone can look
		 * at it: until then the L3 fields are unknown. */
		memset(&k->l3, 0, sizeof k->l3);
		x->was_mpls = true;
	}
}

static void set_mpls_bits(struct xctx *x, uint32_t mask, uint32_t bits)
{
	struct dp_key *k = &x->flow.key;

	if (!xl_is_mpls(&x->flow))
		return;
	x->wc.key.l3.mpls.lse[0] |= x->l3_synthetic ? 0 : HTONL(mask);
	k->l3.mpls.lse[0] = (k->l3.mpls.lse[0] & ~HTONL(mask)) | HTONL(bits & mask);
}

/* --- TTL ---------------------------------------------------------------------------- */

static bool dec_ttl(struct xctx *x, const struct ofpact_dec_ttl *d)
{
	struct dp_key *k = &x->flow.key;
	uint16_t i;

	if (!xl_is_ip(&x->flow))
		return false;
	XL_WC(x, key.nw_ttl);
	if (k->nw_ttl > 1) {
		k->nw_ttl--;
		return false;
	}
	if (!d->n_ids) {
		xl_controller(x, OFPR_INVALID_TTL, UINT16_MAX, 0);
	} else {
		for (i = 0; i < d->n_ids && !x->error; i++)
			xl_controller(x, OFPR_INVALID_TTL, UINT16_MAX, d->ids[i]);
	}
	XT(x, TRACE_WARN, "%s decrement TTL exception",
	   xl_dl_type(&x->flow) == OFP_ETH_IP ? "IPv4" : "IPv6");
	return true;
}

static bool dec_mpls_ttl(struct xctx *x)
{
	uint32_t lse = NTOHL(x->flow.key.l3.mpls.lse[0]);

	if (!xl_is_mpls(&x->flow))
		return false;
	if (!x->l3_synthetic)
		x->wc.key.l3.mpls.lse[0] |= HTONL(MPLS_TTL_MASK);
	if ((lse & MPLS_TTL_MASK) > 1) {
		x->flow.key.l3.mpls.lse[0] = HTONL(lse - 1);
		return false;
	}
	xl_controller(x, OFPR_INVALID_TTL, UINT16_MAX, 0);
	XT(x, TRACE_WARN, "MPLS decrement TTL exception");
	return true;
}

/* --- dispatch ----------------------------------------------------------------------- */

bool xl_field_action(struct xctx *x, const struct ofpact *a, bool *stop)
{
	const struct ofpact_u32 *u = OFPACT_CAST(ofpact_u32, a);
	struct dp_key *k = &x->flow.key;
	bool ip = xl_is_ip(&x->flow);

	switch (a->type) {
	case OFPACT_SET_FIELD:
		set_field(x, OFPACT_CAST(ofpact_set_field, a));
		return true;
	case OFPACT_REG_MOVE:
		reg_move(x, OFPACT_CAST(ofpact_reg_move, a));
		return true;
	case OFPACT_STACK_PUSH:
		stack_push(x, OFPACT_CAST(ofpact_stack, a));
		return true;
	case OFPACT_STACK_POP:
		stack_pop(x, OFPACT_CAST(ofpact_stack, a));
		return true;
	case OFPACT_SET_VLAN_VID:
		set_vlan_bits(x, VLAN_VID_MASK, (uint16_t)(u->value & VLAN_VID_MASK));
		return true;
	case OFPACT_SET_VLAN_PCP:
		set_vlan_bits(x, VLAN_PCP_MASK, (uint16_t)((u->value & 7) << 13));
		return true;
	case OFPACT_STRIP_VLAN:
		pop_vlan(x);
		return true;
	case OFPACT_PUSH_VLAN:
		push_vlan(x, (uint16_t)u->value);
		return true;
	case OFPACT_SET_ETH_SRC:
	case OFPACT_SET_ETH_DST:
		if (k->mac_proto == DP_MAC_ETH) {
			const uint8_t *mac = OFPACT_CAST(ofpact_mac, a)->mac;

			if (a->type == OFPACT_SET_ETH_SRC) {
				XL_WC(x, key.eth_src);
				memcpy(k->eth_src, mac, 6);
			} else {
				XL_WC(x, key.eth_dst);
				memcpy(k->eth_dst, mac, 6);
			}
		}
		return true;
	case OFPACT_SET_IPV4_SRC:
	case OFPACT_SET_IPV4_DST:
		if (xl_dl_type(&x->flow) == OFP_ETH_IP) {
			if (a->type == OFPACT_SET_IPV4_SRC) {
				XL_WC(x, key.l3.ipv4.src);
				k->l3.ipv4.src = u->value;
			} else {
				XL_WC(x, key.l3.ipv4.dst);
				k->l3.ipv4.dst = u->value;
			}
		}
		return true;
	case OFPACT_SET_IP_DSCP:
		if (ip) {
			x->wc.key.nw_tos |= 0xfc;
			k->nw_tos = (uint8_t)((k->nw_tos & 0x03) | (u->value & 0xfc));
		}
		return true;
	case OFPACT_SET_IP_ECN:
		if (ip) {
			x->wc.key.nw_tos |= 0x03;
			k->nw_tos = (uint8_t)((k->nw_tos & 0xfc) | (u->value & 0x03));
		}
		return true;
	case OFPACT_SET_IP_TTL:
		if (ip) {
			XL_WC(x, key.nw_ttl);
			k->nw_ttl = (uint8_t)u->value;
		}
		return true;
	case OFPACT_SET_L4_SRC_PORT:
	case OFPACT_SET_L4_DST_PORT:
		if (ip && !(k->nw_frag & OFP_FRAG_LATER)) {
			XL_WC(x, key.nw_proto);
			if (k->nw_proto != 6 && k->nw_proto != 17 &&
			    k->nw_proto != 132) {
				XT(x, TRACE_WARN, "no TCP, UDP or SCTP header, ignored");
				return true;
			}
			if (a->type == OFPACT_SET_L4_SRC_PORT) {
				XL_WC(x, key.tp_src);
				k->tp_src = HTONS(u->value);
			} else {
				XL_WC(x, key.tp_dst);
				k->tp_dst = HTONS(u->value);
			}
		}
		return true;
	case OFPACT_PUSH_MPLS:
		push_mpls(x, (uint16_t)u->value);
		return true;
	case OFPACT_POP_MPLS:
		pop_mpls(x, (uint16_t)u->value);
		return true;
	case OFPACT_SET_MPLS_LABEL:
		set_mpls_bits(x, 0xfffff000u, u->value << 12);
		return true;
	case OFPACT_SET_MPLS_TC:
		set_mpls_bits(x, 0x00000e00u, (u->value & 7) << 9);
		return true;
	case OFPACT_SET_MPLS_TTL:
		set_mpls_bits(x, MPLS_TTL_MASK, u->value & 0xff);
		return true;
	case OFPACT_DEC_MPLS_TTL:
		*stop = dec_mpls_ttl(x);
		return true;
	case OFPACT_DEC_TTL:
		*stop = dec_ttl(x, OFPACT_CAST(ofpact_dec_ttl, a));
		return true;
	case OFPACT_SET_TUNNEL:
		k->tun.id = __builtin_bswap64(OFPACT_CAST(ofpact_u64, a)->value);
		return true;
	case OFPACT_WRITE_METADATA: {
		const struct ofpact_write_metadata *w =
			OFPACT_CAST(ofpact_write_metadata, a);

		x->flow.metadata = (x->flow.metadata & ~w->mask) |
				   (w->metadata & w->mask);
		return true;
	}
	}
	return false;
}
