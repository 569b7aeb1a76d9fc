/*
 * xlate_mask.c - the megaflow: marking consulted bits during the walk, and
 * turning them into a datapath mask the kernel accepts.
 *
 * At the end the consulted bits (over struct ofp_flow) become a mask over
 * struct dp_key, then:
 *  - what the datapath always keys on exactly is made exact, as Open
 *    vSwitch does: in_port, recirc_id, the ethertype, whether there is an
 *    Ethernet header, and for IP the fragment type;
 *  - registers and metadata go: they are not in the datapath, and they
 *    only ever hold constants, values copied from packet fields (which
 *    move/load made exact at the time) or, after recirculation, the frozen
 *    state the recirc_id names;
 *  - bits of fields the packet does not have are dropped: the kernel
 *    refuses a mask on a header outside the key's protocols (a VLAN mask
 *    on an untagged packet, TCP ports on UDP, L4 on a later fragment), and
 *    such bits were consulted only on values the pipeline itself wrote
 *    (pushed tags, labels);
 *  - the kernel's prerequisites are added: the presence bit and TPID of
 *    each VLAN tag the packet has, nw_proto under L4 fields, the ICMPv6
 *    type under neighbour discovery fields.
 */
#include "xlate_int.h"

#include <string.h>


#define L3_START offsetof(struct ofp_flow, key.l3)
#define L3_END   (L3_START + sizeof(((struct dp_key *)0)->l3))

static bool skip(const struct xctx *x, size_t ofs)
{
	return x->l3_synthetic && ofs >= L3_START && ofs < L3_END;
}

void xl_wc_or(struct xctx *x, size_t ofs, uint8_t bits)
{
	if (!skip(x, ofs))
		((uint8_t *)&x->wc)[ofs] |= bits;
}

void xl_wc_bytes(struct xctx *x, size_t ofs, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		xl_wc_or(x, ofs + i, 0xff);
}

void xl_wc_field(struct xctx *x, const struct ofp_field *f,
		 const union ofp_value *mask)
{
	if (skip(x, f->ofs))
		return;
	ofp_field_set_masked(f, &x->wc, mask, mask);
}

void xl_wc_whole(struct xctx *x, enum ofp_field_id id)
{
	const struct ofp_field *f = ofp_field_get(id);
	union ofp_value ones;

	if (!f)
		return;
	ofp_value_ones(f, &ones);
	xl_wc_field(x, f, &ones);
}

static bool nonzero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return true;
	return false;
}

/* Keep the L3 and L4 masks that the packet's protocols give a meaning. */
static void l3_l4(const struct dp_key *k, struct dp_key *m)
{
	struct dp_key s = *m;
	uint16_t dl = NTOHS(k->eth_type);
	bool v4 = dl == OFP_ETH_IP, v6 = dl == OFP_ETH_IPV6;
	int i, n;

	memset(&m->l3, 0, sizeof m->l3);
	m->nw_proto = m->nw_tos = m->nw_ttl = m->nw_frag = 0;
	m->tp_src = m->tp_dst = m->tcp_flags = 0;
	m->ipv6_exthdrs = 0;
	if (v4 || v6) {
		if (v4) {
			m->l3.ipv4.src = s.l3.ipv4.src;
			m->l3.ipv4.dst = s.l3.ipv4.dst;
		} else {
			memcpy(m->l3.ipv6.src, s.l3.ipv6.src, 16);
			memcpy(m->l3.ipv6.dst, s.l3.ipv6.dst, 16);
			m->l3.ipv6.label = s.l3.ipv6.label & HTONL(0x000fffff);
		}
		m->nw_proto = s.nw_proto;
		m->nw_tos = s.nw_tos;
		m->nw_ttl = s.nw_ttl;
		m->nw_frag = 0xff;
		if (k->nw_frag == 2)            /* OVS_FRAG_TYPE_LATER: no L4 */
			return;
		switch (k->nw_proto) {
		case 6:
			m->tcp_flags = s.tcp_flags & HTONS(0x0fff);
			/* fall through */
		case 17:
		case 132:
			m->tp_src = s.tp_src;
			m->tp_dst = s.tp_dst;
			break;
		case 1:
		case 58:
			if ((k->nw_proto == 1) != v4)
				break;
			/* ICMP type and code are 8 bits in the datapath. */
			m->tp_src = s.tp_src & HTONS(0xff);
			m->tp_dst = s.tp_dst & HTONS(0xff);
			if (v6 && !k->tp_dst && (k->tp_src == HTONS(135) ||
						 k->tp_src == HTONS(136))) {
				memcpy(m->l3.ipv6.nd_target, s.l3.ipv6.nd_target, 16);
				memcpy(m->l3.ipv6.nd_sll, s.l3.ipv6.nd_sll, 6);
				memcpy(m->l3.ipv6.nd_tll, s.l3.ipv6.nd_tll, 6);
				if (nonzero(m->l3.ipv6.nd_target, 28))
					m->tp_src = HTONS(0xff);
			}
			break;
		default:
			break;
		}
		if (m->tp_src || m->tp_dst || m->tcp_flags)
			m->nw_proto = 0xff;
	} else if (dl == OFP_ETH_ARP || dl == OFP_ETH_RARP) {
		m->l3.ipv4.src = s.l3.ipv4.src;
		m->l3.ipv4.dst = s.l3.ipv4.dst;
		memcpy(m->l3.ipv4.arp_sha, s.l3.ipv4.arp_sha, 6);
		memcpy(m->l3.ipv4.arp_tha, s.l3.ipv4.arp_tha, 6);
		m->nw_proto = s.nw_proto;
	} else if (dl == OFP_ETH_MPLS || dl == OFP_ETH_MPLSM) {
		n = __builtin_popcount(k->l3.mpls.num_labels_mask &
				       ((1u << DP_MPLS_DEPTH) - 1));
		for (i = 0; i < n; i++)
			m->l3.mpls.lse[i] = s.l3.mpls.lse[i];
		m->l3.mpls.num_labels_mask = k->l3.mpls.num_labels_mask;
	}
}

void xl_finish_mask(struct xctx *x)
{
	const struct dp_key *k = x->in->key;
	struct dp_key *m = &x->out->mask;
	struct ofp_flow wc = x->wc;
	uint16_t dl = NTOHS(k->eth_type);

	wc.metadata = 0;
	memset(wc.regs, 0, sizeof wc.regs);
	wc.key.in_port = 0xffff;
	ofp_wc_to_dp_mask(&wc, m);
	m->recirc_id = UINT32_MAX;
	m->eth_type = 0xffff;
	m->mac_proto = 0xff;
	m->pad0 = 0;
	m->pad1 = 0;

	if (k->mac_proto != DP_MAC_ETH) {
		memset(m->eth_src, 0, 6);
		memset(m->eth_dst, 0, 6);
		memset(&m->vlan, 0, sizeof m->vlan);
		memset(&m->cvlan, 0, sizeof m->cvlan);
	} else if (!(k->vlan.tci & HTONS(DP_VLAN_CFI))) {
		memset(&m->vlan, 0, sizeof m->vlan);
		memset(&m->cvlan, 0, sizeof m->cvlan);
	} else {
		/* The kernel reads past a tag only if its presence and TPID
		 * are exact. */
		m->vlan.tpid = 0xffff;
		m->vlan.tci |= HTONS(DP_VLAN_CFI);
		if (k->cvlan.tci & HTONS(DP_VLAN_CFI)) {
			m->cvlan.tpid = 0xffff;
			m->cvlan.tci |= HTONS(DP_VLAN_CFI);
		} else {
			memset(&m->cvlan, 0, sizeof m->cvlan);
		}
	}
	l3_l4(k, m);
	if (!k->ct_orig_proto || (dl != OFP_ETH_IP && dl != OFP_ETH_IPV6)) {
		m->ct_orig_proto = 0;
		memset(&m->ct_orig, 0, sizeof m->ct_orig);
		m->ct_orig_tp_src = m->ct_orig_tp_dst = 0;
	} else if (dl == OFP_ETH_IP) {
		memset((uint8_t *)&m->ct_orig + 8, 0, sizeof m->ct_orig - 8);
	}
}
