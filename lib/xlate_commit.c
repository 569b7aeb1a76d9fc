/*
 * xlate_commit.c - bring the datapath's copy of the packet (base) up to the
 * pipeline's (flow): set/set_masked for rewritten fields, pop_mpls and
 * push_mpls for the label stack, pop_vlan and push_vlan for VLAN tags.
 *
 * Called just before anything that lets the packet out or hands it on
 * (output, userspace, ct, recirc, a first MPLS push), so that a rewrite
 * shows up once, however many outputs follow, and not at all if nothing
 * follows it.  Within one key attribute only the fields that differ go
 * into the action, each with the mask of the bits that were consulted or
 * written (set_masked), or as a plain set when every field of the
 * attribute is written whole.  The order is Open vSwitch's: Ethernet,
 * MPLS pops, L3, L4, MPLS pushes, VLAN, packet mark.
 */
#include "xlate_int.h"

#include <string.h>

#include "odp_kernel.h"

/* One field of a key attribute: its bytes in struct ofp_flow and in the
 * attribute's payload. */
struct cfield {
	uint16_t flow_ofs;
	uint16_t attr_ofs;
	uint8_t len;
};

#define CF(member, attr_type, attr_member) \
	{ offsetof(struct ofp_flow, member), offsetof(attr_type, attr_member), \
	  sizeof(((attr_type *)0)->attr_member) }

static const struct cfield eth_fields[] = {
	CF(key.eth_src, struct ovs_key_ethernet, eth_src),
	CF(key.eth_dst, struct ovs_key_ethernet, eth_dst),
};
static const struct cfield ipv4_fields[] = {
	CF(key.l3.ipv4.src, struct ovs_key_ipv4, ipv4_src),
	CF(key.l3.ipv4.dst, struct ovs_key_ipv4, ipv4_dst),
	CF(key.nw_tos, struct ovs_key_ipv4, ipv4_tos),
	CF(key.nw_ttl, struct ovs_key_ipv4, ipv4_ttl),
};
static const struct cfield ipv6_fields[] = {
	CF(key.l3.ipv6.src, struct ovs_key_ipv6, ipv6_src),
	CF(key.l3.ipv6.dst, struct ovs_key_ipv6, ipv6_dst),
	CF(key.l3.ipv6.label, struct ovs_key_ipv6, ipv6_label),
	CF(key.nw_tos, struct ovs_key_ipv6, ipv6_tclass),
	CF(key.nw_ttl, struct ovs_key_ipv6, ipv6_hlimit),
};
static const struct cfield tp_fields[] = {
	CF(key.tp_src, struct ovs_key_tcp, tcp_src),
	CF(key.tp_dst, struct ovs_key_tcp, tcp_dst),
};
static const struct cfield mark_fields[] = {
	{ offsetof(struct ofp_flow, key.skb_mark), 0, 4 },
};
static const struct cfield mpls_fields[] = {
	{ offsetof(struct ofp_flow, key.l3.mpls.lse[0]), 0, 4 },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Does any field differ between flow and base?  (Not under a mask: a
 * changed bit is a changed bit, whoever forgot to mark it.) */
static bool differs(const struct xctx *x, const struct cfield *fs, size_t n)
{
	const uint8_t *f = (const uint8_t *)&x->flow, *b = (const uint8_t *)&x->base;
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(f + fs[i].flow_ofs, b + fs[i].flow_ofs, fs[i].len))
			return true;
	return false;
}

/* Emit set or set_masked of attribute 'type' ('size' bytes) for the
 * fields that differ, then update base. */
static void commit_attr(struct xctx *x, uint16_t type, size_t size,
			const struct cfield *fs, size_t n)
{
	uint8_t val[64], mask[64];
	uint8_t *f = (uint8_t *)&x->flow, *b = (uint8_t *)&x->base;
	const uint8_t *w = (const uint8_t *)&x->wc;
	bool full = true;
	size_t i, j, ofs;

	memset(val, 0, sizeof val);
	memset(mask, 0, sizeof mask);
	for (i = 0; i < n; i++) {
		const struct cfield *c = &fs[i];

		if (!memcmp(f + c->flow_ofs, b + c->flow_ofs, c->len)) {
			full = false;
			continue;
		}
		for (j = 0; j < c->len; j++) {
			uint8_t d = f[c->flow_ofs + j] ^ b[c->flow_ofs + j];
			uint8_t m = w[c->flow_ofs + j] | d;

			/* Bits that changed are exact in the megaflow too. */
			if (d)
				xl_wc_or(x, c->flow_ofs + j, d);
			mask[c->attr_ofs + j] = m;
			val[c->attr_ofs + j] = f[c->flow_ofs + j] & m;
			if (m != 0xff)
				full = false;
			b[c->flow_ofs + j] = (b[c->flow_ofs + j] & ~m) |
					     (f[c->flow_ofs + j] & m);
		}
	}
	for (i = 0, j = 0; i < n; i++)
		j += fs[i].len;
	if (j != size)
		full = false;           /* fields of the attribute never written */
	if (!xl_room(x))
		return;
	ofs = na_nest_start(x->odp, full ? OVS_ACTION_ATTR_SET
				       : OVS_ACTION_ATTR_SET_MASKED);
	if (full) {
		na_put(x->odp, type, val, size);
	} else {
		uint8_t *p = na_put_zero(x->odp, type, size * 2);

		if (p) {
			memcpy(p, val, size);
			memcpy(p + size, mask, size);
		}
	}
	na_nest_end(x->odp, ofs);
}

static void commit_eth(struct xctx *x)
{
	if (x->base.key.mac_proto != DP_MAC_ETH ||
	    !differs(x, eth_fields, N(eth_fields)))
		return;
	commit_attr(x, OVS_KEY_ATTR_ETHERNET, sizeof(struct ovs_key_ethernet),
		    eth_fields, N(eth_fields));
}

/* The packet's L3 header, if the datapath can see it: the same IP
 * ethertype in flow and base, and a protocol (Open vSwitch's test that
 * the header is really there), which the decision reads. */
static bool l3_committable(struct xctx *x, uint16_t dl)
{
	if (xl_dl_type(&x->base) != dl || x->was_mpls)
		return false;
	XL_WC(x, key.nw_proto);
	return x->flow.key.nw_proto != 0;
}

static void commit_l3(struct xctx *x)
{
	uint16_t dl = xl_dl_type(&x->flow);

	if (dl == OFP_ETH_IP) {
		if (differs(x, ipv4_fields, N(ipv4_fields)) &&
		    l3_committable(x, dl))
			commit_attr(x, OVS_KEY_ATTR_IPV4, sizeof(struct ovs_key_ipv4),
				    ipv4_fields, N(ipv4_fields));
	} else if (dl == OFP_ETH_IPV6) {
		const struct dp_key *f = &x->flow.key, *b = &x->base.key;

		if (differs(x, ipv6_fields, N(ipv6_fields)) &&
		    l3_committable(x, dl))
			commit_attr(x, OVS_KEY_ATTR_IPV6, sizeof(struct ovs_key_ipv6),
				    ipv6_fields, N(ipv6_fields));
		if (xl_dl_type(&x->base) == dl &&
		    (memcmp(f->l3.ipv6.nd_target, b->l3.ipv6.nd_target, 16) ||
		     memcmp(f->l3.ipv6.nd_sll, b->l3.ipv6.nd_sll, 6) ||
		     memcmp(f->l3.ipv6.nd_tll, b->l3.ipv6.nd_tll, 6)))
			xl_error(x, XLATE_UNSUPPORTED,
				 "the datapath cannot rewrite neighbour discovery fields");
	} else if ((dl == OFP_ETH_ARP || dl == OFP_ETH_RARP) &&
		   dl == xl_dl_type(&x->base) &&
		   memcmp(&x->flow.key.l3.ipv4, &x->base.key.l3.ipv4,
			  sizeof x->flow.key.l3.ipv4)) {
		xl_error(x, XLATE_UNSUPPORTED,
			 "the datapath cannot rewrite ARP fields");
	}
}

static void commit_l4(struct xctx *x)
{
	const struct dp_key *k = &x->flow.key;
	uint16_t type;

	if (!xl_is_ip(&x->flow) || xl_dl_type(&x->base) != xl_dl_type(&x->flow) ||
	    x->was_mpls || !differs(x, tp_fields, N(tp_fields)))
		return;
	XL_WC(x, key.nw_proto);
	switch (k->nw_proto) {
	case 6: type = OVS_KEY_ATTR_TCP; break;
	case 17: type = OVS_KEY_ATTR_UDP; break;
	case 132: type = OVS_KEY_ATTR_SCTP; break;
	default:
		/* ICMP type and code: the kernel has no set() for them. */
		xl_error(x, XLATE_UNSUPPORTED,
			 "the datapath cannot rewrite ICMP type or code");
		return;
	}
	commit_attr(x, type, sizeof(struct ovs_key_tcp), tp_fields, N(tp_fields));
}

/* MPLS: pop what base has beyond the labels it shares with flow (or
 * rewrite its top label when that is all that differs), then push. */
static void commit_mpls(struct xctx *x)
{
	struct dp_key *b = &x->base.key, *f = &x->flow.key;
	int bn = xl_mpls_count(&x->base), fn = xl_mpls_count(&x->flow), common = 0;

	while (common < bn && common < fn &&
	       b->l3.mpls.lse[bn - 1 - common] == f->l3.mpls.lse[fn - 1 - common])
		common++;
	if ((bn > common || fn > bn) && (b->vlan.tci & HTONS(DP_VLAN_CFI))) {
		xl_error(x, XLATE_UNSUPPORTED,
			 "the kernel datapath cannot push or pop MPLS under a VLAN tag");
		return;
	}
	while (bn > common) {
		if (bn - 1 == common && fn > common) {
			/* One label left to change: rewrite it in place
			 * (the flow's label at the depth of base's top). */
			uint32_t top = f->l3.mpls.lse[0];

			f->l3.mpls.lse[0] = f->l3.mpls.lse[fn - bn];
			commit_attr(x, OVS_KEY_ATTR_MPLS, 4, mpls_fields, 1);
			f->l3.mpls.lse[0] = top;
			common++;
		} else {
			uint16_t et = f->eth_type;
			int i;

			if (!xl_is_mpls(&x->flow) && bn > 1)
				et = HTONS(OFP_ETH_MPLS);
			if (!xl_room(x))
				return;
			na_put_u16(x->odp, OVS_ACTION_ATTR_POP_MPLS, et);
			for (i = 1; i < bn; i++)
				b->l3.mpls.lse[i - 1] = b->l3.mpls.lse[i];
			b->l3.mpls.lse[bn - 1] = 0;
			b->l3.mpls.num_labels_mask >>= 1;
			bn--;
			if (!bn) {
				b->eth_type = f->eth_type;
				memset(&b->l3, 0, sizeof b->l3);
			}
		}
	}
	while (bn < fn) {
		struct ovs_action_push_mpls pm;
		int i;

		pm.mpls_lse = f->l3.mpls.lse[fn - bn - 1];
		pm.mpls_ethertype = f->eth_type;
		if (!xl_room(x))
			return;
		na_put(x->odp, OVS_ACTION_ATTR_PUSH_MPLS, &pm, sizeof pm);
		if (!bn)
			memset(&b->l3, 0, sizeof b->l3);
		for (i = bn; i > 0; i--)
			b->l3.mpls.lse[i] = b->l3.mpls.lse[i - 1];
		b->l3.mpls.lse[0] = pm.mpls_lse;
		b->l3.mpls.num_labels_mask = (b->l3.mpls.num_labels_mask << 1) | 1;
		b->eth_type = f->eth_type;
		bn++;
	}
}

/* VLAN tags as present/absent by their CFI bit: outermost first. */
static int n_tags(const struct dp_key *k)
{
	if (!(k->vlan.tci & HTONS(DP_VLAN_CFI)))
		return 0;
	return k->cvlan.tci & HTONS(DP_VLAN_CFI) ? 2 : 1;
}

static const struct dp_vlan *tag(const struct dp_key *k, int i)
{
	return i ? &k->cvlan : &k->vlan;
}

static void commit_vlan(struct xctx *x)
{
	struct dp_key *b = &x->base.key;
	const struct dp_key *f = &x->flow.key;
	int bn = n_tags(b) - 1, fn = n_tags(f) - 1;

	/* Tags the two share from the inside need not move. */
	while (bn >= 0 && fn >= 0 && !memcmp(tag(b, bn), tag(f, fn),
					     sizeof(struct dp_vlan))) {
		bn--;
		fn--;
	}
	for (; bn >= 0; bn--) {
		if (!xl_room(x))
			return;
		na_put_flag(x->odp, OVS_ACTION_ATTR_POP_VLAN);
		/* Popped because it differs: what it was matters. */
		if (bn)
			XL_WC(x, key.cvlan);
		else
			XL_WC(x, key.vlan);
	}
	for (; fn >= 0; fn--) {
		struct ovs_action_push_vlan pv;

		pv.vlan_tpid = tag(f, fn)->tpid;
		pv.vlan_tci = tag(f, fn)->tci;
		if (!xl_room(x))
			return;
		na_put(x->odp, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	}
	b->vlan = f->vlan;
	b->cvlan = f->cvlan;
}

void xl_commit(struct xctx *x)
{
	bool mpls_done = false;

	if (x->error)
		return;
	commit_eth(x);
	if (xl_is_mpls(&x->base) && !xl_is_mpls(&x->flow)) {
		commit_mpls(x);
		mpls_done = true;
	}
	commit_l3(x);
	commit_l4(x);
	if (!mpls_done)
		commit_mpls(x);
	commit_vlan(x);
	if (differs(x, mark_fields, N(mark_fields)))
		commit_attr(x, OVS_KEY_ATTR_SKB_MARK, 4, mark_fields, 1);
	/* What commit does not cover (registers, metadata, tunnel, ct) is
	 * the pipeline's own: base follows flow there. */
	x->base.metadata = x->flow.metadata;
	memcpy(x->base.regs, x->flow.regs, sizeof x->base.regs);
}
