/*
 * odp_text_exact.c - exact flows as ovs-dpctl text, straight from the key
 * (see odp_text_exact.h).  Every choice of format here (decimal or hex,
 * "0" rather than "0x0", which attributes appear) is the general
 * printer's, which the unit test checks.
 */
#include "odp_text_exact.h"

#include <linux/openvswitch.h>
#include <string.h>

#include "text_put.h"

static char *put_frag(char *p, uint8_t frag)
{
	switch (frag) {
	case OVS_FRAG_TYPE_NONE:
		return PUT(p, "no");
	case OVS_FRAG_TYPE_FIRST:
		return PUT(p, "first");
	default:
		return PUT(p, "later");
	}
}

/* "src=N,dst=N)" of a port pair. */
static char *put_ports(char *p, const struct dp_key *k)
{
	p = PUT(p, "src=");
	p = put_dec(p, HTONS(k->tp_src));
	p = PUT(p, ",dst=");
	p = put_dec(p, HTONS(k->tp_dst));
	*p++ = ')';
	return p;
}

/* The L4 attributes (put_l4() of odp_key_put.c), from ','. */
static char *put_l4(char *p, const struct dp_key *k, bool v6)
{
	if (k->nw_frag == OVS_FRAG_TYPE_LATER)
		return p;
	switch (k->nw_proto) {
	case 6:
		p = PUT(p, ",tcp(");
		p = put_ports(p, k);
		p = PUT(p, ",tcp_flags(");
		p = put_tcp_flags(p, HTONS(k->tcp_flags));
		*p++ = ')';
		return p;
	case 17:
		p = PUT(p, ",udp(");
		return put_ports(p, k);
	case 132:
		p = PUT(p, ",sctp(");
		return put_ports(p, k);
	case 1:
		if (v6)
			return p;
		p = PUT(p, ",icmp(type=");
		break;
	case 58:
		if (!v6)
			return p;
		p = PUT(p, ",icmpv6(type=");
		break;
	default:
		return p;
	}
	p = put_dec(p, HTONS(k->tp_src) & 0xff);
	p = PUT(p, ",code=");
	p = put_dec(p, HTONS(k->tp_dst) & 0xff);
	*p++ = ')';
	if (v6 && (HTONS(k->tp_src) == 135 || HTONS(k->tp_src) == 136)) {
		p = PUT(p, ",nd(target=");
		p = put_ipv6(p, k->l3.ipv6.nd_target);
		if (!p)
			return NULL;
		p = PUT(p, ",sll=");
		p = put_mac(p, k->l3.ipv6.nd_sll);
		p = PUT(p, ",tll=");
		p = put_mac(p, k->l3.ipv6.nd_tll);
		*p++ = ')';
	}
	return p;
}

/* A VLAN tag the general way prints plainly: none (if 'may_be_absent'),
 * or 802.1Q or 802.1ad with the "present" bit. */
static bool tag_ok(const struct dp_vlan *v, bool may_be_absent)
{
	uint16_t tpid = HTONS(v->tpid);

	if (!v->tci && !v->tpid)
		return may_be_absent;
	return (tpid == 0x8100 || tpid == 0x88a8) &&
	       (HTONS(v->tci) & DP_VLAN_CFI);
}

static char *put_tag(char *p, const struct dp_vlan *v)
{
	uint16_t tpid = HTONS(v->tpid), tci = HTONS(v->tci);

	p = PUT(p, "eth_type(0x");
	*p++ = hexd[tpid >> 12];
	*p++ = hexd[(tpid >> 8) & 0xf];
	*p++ = hexd[(tpid >> 4) & 0xf];
	*p++ = hexd[tpid & 0xf];
	p = PUT(p, "),vlan(vid=");
	p = put_dec(p, tci & 0xfff);
	p = PUT(p, ",pcp=");
	p = put_dec(p, tci >> 13);
	return PUT(p, "),encap(");
}

bool odp_exact_key_to_text(struct buf *out, const struct dp_key *k)
{
	uint16_t et = HTONS(k->eth_type);
	char *start, *p;
	int nest = 0;

	/* Metadata all zero (but in_port), no tunnel, no conntrack, an
	 * Ethernet frame of IPv4 or IPv6 (in at most two well-formed VLAN
	 * tags) with flags the kernel knows. */
	if (k->recirc_id || k->dp_hash || k->priority || k->skb_mark ||
	    k->mac_proto != DP_MAC_ETH || k->tun_proto || k->ct_state ||
	    k->ct_orig_proto || k->ct_zone || k->ct_mark ||
	    !zero(k->ct_labels, sizeof k->ct_labels) ||
	    !tag_ok(&k->vlan, true) || !tag_ok(&k->cvlan, true) ||
	    (et != 0x0800 && et != 0x86dd) ||
	    (k->in_port != DP_PORT_NONE && k->in_port >= 0xffff) ||
	    k->nw_frag > OVS_FRAG_TYPE_LATER ||
	    (HTONS(k->tcp_flags) & 0xf000) ||
	    (et == 0x86dd && __builtin_bswap32(k->l3.ipv6.label) > 0xfffff))
		return false;
	start = p = buf_reserve(out, MAX_TEXT);
	if (!p)
		return false;
	p = PUT(p, "recirc_id(0),dp_hash(0),skb_priority(0),");
	if (k->in_port != DP_PORT_NONE) {
		p = PUT(p, "in_port(");
		p = put_dec(p, k->in_port);
		p = PUT(p, "),");
	}
	p = PUT(p, "skb_mark(0),ct_state(-new-est-rel-rpl-inv-trk-snat-dnat),"
		"ct_zone(0),ct_mark(0),ct_label(0),eth(src=");
	p = put_mac(p, k->eth_src);
	p = PUT(p, ",dst=");
	p = put_mac(p, k->eth_dst);
	p = PUT(p, "),");
	if (k->vlan.tci) {
		p = put_tag(p, &k->vlan);
		nest++;
		if (k->cvlan.tci) {
			p = put_tag(p, &k->cvlan);
			nest++;
		}
	}
	if (et == 0x0800) {
		p = PUT(p, "eth_type(0x0800),ipv4(src=");
		p = put_ipv4(p, k->l3.ipv4.src);
		p = PUT(p, ",dst=");
		p = put_ipv4(p, k->l3.ipv4.dst);
		p = PUT(p, ",proto=");
		p = put_dec(p, k->nw_proto);
		p = PUT(p, ",tos=");
		p = put_hex0(p, k->nw_tos);
		p = PUT(p, ",ttl=");
		p = put_dec(p, k->nw_ttl);
		p = PUT(p, ",frag=");
		p = put_frag(p, k->nw_frag);
		*p++ = ')';
		p = put_l4(p, k, false);
	} else {
		p = PUT(p, "eth_type(0x86dd),ipv6(src=");
		p = put_ipv6(p, k->l3.ipv6.src);
		if (!p)
			return false;
		p = PUT(p, ",dst=");
		p = put_ipv6(p, k->l3.ipv6.dst);
		if (!p)
			return false;
		p = PUT(p, ",label=");
		p = put_hex0(p, (uint32_t)__builtin_bswap32(k->l3.ipv6.label));
		p = PUT(p, ",proto=");
		p = put_dec(p, k->nw_proto);
		p = PUT(p, ",tclass=");
		p = put_hex0(p, k->nw_tos);
		p = PUT(p, ",hlimit=");
		p = put_dec(p, k->nw_ttl);
		p = PUT(p, ",frag=");
		p = put_frag(p, k->nw_frag);
		p = PUT(p, "),ipv6_exthdrs(");
		p = put_hex0(p, k->ipv6_exthdrs);
		*p++ = ')';
		p = put_l4(p, k, true);
	}
	if (!p)
		return false;
	while (nest--)
		*p++ = ')';
	out->len += (size_t)(p - start);
	return true;
}
