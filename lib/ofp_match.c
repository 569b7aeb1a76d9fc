/*
 * ofp_match.c - matches over struct ofp_flow: set/get fields, coverage and
 * overlap (OpenFlow's non-strict selection), prerequisites, and the one
 * place where a datapath key becomes an OpenFlow flow and back.
 */
#include "ofp_match.h"

#include <string.h>
#include <arpa/inet.h>

/* Word views of a flow go through dp_key_word, which may alias it. */
static const dp_key_word *words(const struct ofp_flow *f)
{
	return (const dp_key_word *)(const void *)f;
}

void ofp_match_init_catchall(struct ofp_match *m)
{
	memset(m, 0, sizeof *m);
}

void ofp_match_normalize(struct ofp_match *m)
{
	dp_key_word *f = (dp_key_word *)(void *)&m->flow;
	const dp_key_word *k = words(&m->mask);
	size_t i;

	for (i = 0; i < OFP_FLOW_WORDS; i++)
		f[i] &= k[i];
}

void ofp_match_set_field(struct ofp_match *m, const struct ofp_field *f,
			 const union ofp_value *v, const union ofp_value *mask)
{
	union ofp_value ones, vm;
	size_t i;

	ofp_value_ones(f, &ones);
	for (i = 0; i < 16; i++)
		vm.be[i] = v->be[i] & mask->be[i];
	ofp_field_set_masked(f, &m->flow, &vm, &ones);
	ofp_field_set_masked(f, &m->mask, mask, &ones);

	/* Tunnel addresses share storage between families: a match on one
	 * family's address also matches the family. */
	if (f->id == OFP_F_TUN_SRC || f->id == OFP_F_TUN_DST ||
	    f->id == OFP_F_TUN_IPV6_SRC || f->id == OFP_F_TUN_IPV6_DST) {
		bool v4 = f->id == OFP_F_TUN_SRC || f->id == OFP_F_TUN_DST;

		if (!ofp_value_is_zero(mask)) {
			m->flow.key.tun_proto = v4 ? DP_TUN_IPV4 : DP_TUN_IPV6;
			m->mask.key.tun_proto = 0xff;
		}
	}
}

void ofp_match_get_field(const struct ofp_match *m, const struct ofp_field *f,
			 union ofp_value *v, union ofp_value *mask)
{
	ofp_field_get_value(f, &m->flow, v);
	ofp_field_get_value(f, &m->mask, mask);
}

bool ofp_match_matches(const struct ofp_match *m, const struct ofp_flow *flow)
{
	const dp_key_word *v = words(&m->flow), *k = words(&m->mask);
	const dp_key_word *p = words(flow);
	size_t i;

	for (i = 0; i < OFP_FLOW_WORDS; i++)
		if ((p[i] ^ v[i]) & k[i])
			return false;
	return true;
}

bool ofp_match_covers(const struct ofp_match *wide,
		      const struct ofp_match *narrow)
{
	const dp_key_word *wv = words(&wide->flow), *wm = words(&wide->mask);
	const dp_key_word *nv = words(&narrow->flow), *nm = words(&narrow->mask);
	size_t i;

	for (i = 0; i < OFP_FLOW_WORDS; i++) {
		if (wm[i] & ~nm[i])
			return false;           /* wide constrains a bit narrow does not */
		if ((wv[i] ^ nv[i]) & wm[i])
			return false;
	}
	return true;
}

bool ofp_match_overlaps(const struct ofp_match *a, const struct ofp_match *b)
{
	const dp_key_word *av = words(&a->flow), *am = words(&a->mask);
	const dp_key_word *bv = words(&b->flow), *bm = words(&b->mask);
	size_t i;

	for (i = 0; i < OFP_FLOW_WORDS; i++)
		if ((av[i] ^ bv[i]) & am[i] & bm[i])
			return false;
	return true;
}

/* --- prerequisites ---------------------------------------------------------- */

/* The exact eth_type of the match, or 0 if it has none. */
static uint16_t exact_dl_type(const struct ofp_match *m)
{
	return m->mask.key.eth_type == 0xffff ? ntohs(m->flow.key.eth_type) : 0;
}

static int exact_proto(const struct ofp_match *m)
{
	return m->mask.key.nw_proto == 0xff ? m->flow.key.nw_proto : -1;
}

static bool is_nd(const struct ofp_match *m, int type)
{
	uint16_t t = ntohs(m->flow.key.tp_src), c = ntohs(m->flow.key.tp_dst);

	if (exact_dl_type(m) != OFP_ETH_IPV6 || exact_proto(m) != 58)
		return false;
	if (m->mask.key.tp_src != 0xffff || c != 0)
		return false;
	return type ? t == type : (t == 135 || t == 136);
}

/* A match on a connection's state that implies the connection exists. */
static bool ct_valid(const struct ofp_match *m)
{
	uint8_t v = m->flow.key.ct_state, k = m->mask.key.ct_state;

	if (v & (OFP_CS_NEW | OFP_CS_EST | OFP_CS_REL | OFP_CS_RPL |
		 OFP_CS_SNAT | OFP_CS_DNAT))
		return true;
	return (v & OFP_CS_TRK) && (k & OFP_CS_INV) && !(v & OFP_CS_INV);
}

bool ofp_match_prereq_ok(const struct ofp_match *m, enum ofp_prereq p)
{
	uint16_t dl = exact_dl_type(m);
	int proto = exact_proto(m);
	bool ip = dl == OFP_ETH_IP, ip6 = dl == OFP_ETH_IPV6;
	bool arp = dl == OFP_ETH_ARP || dl == OFP_ETH_RARP;

	switch (p) {
	case OFP_P_NONE:
		return true;
	case OFP_P_ARP:
		return arp;
	case OFP_P_IPV4:
		return ip;
	case OFP_P_IPV6:
		return ip6;
	case OFP_P_IP_ANY:
		return ip || ip6;
	case OFP_P_IPV4_ARP:
		return ip || arp;
	case OFP_P_IP_ARP:
		return ip || ip6 || arp;
	case OFP_P_L4:
		if (ip)
			return proto == 6 || proto == 17 || proto == 132 ||
			       proto == 1;
		if (ip6)
			return proto == 6 || proto == 17 || proto == 132 ||
			       proto == 58;
		return false;
	case OFP_P_TCP:
		return (ip || ip6) && proto == 6;
	case OFP_P_ND:
		return is_nd(m, 0);
	case OFP_P_ND_SOLICIT:
		return is_nd(m, 135);
	case OFP_P_ND_ADVERT:
		return is_nd(m, 136);
	case OFP_P_MPLS:
		return dl == OFP_ETH_MPLS || dl == OFP_ETH_MPLSM;
	case OFP_P_VLAN:
		return (m->mask.key.vlan.tci & htons(DP_VLAN_CFI)) &&
		       (m->flow.key.vlan.tci & htons(DP_VLAN_CFI));
	case OFP_P_CT:
		return ct_valid(m);
	case OFP_P_CT_IPV4:
		return ct_valid(m) && ip;
	case OFP_P_CT_IPV6:
		return ct_valid(m) && ip6;
	case OFP_P_CT_L4: {
		uint8_t cp = m->flow.key.ct_orig_proto;

		return ct_valid(m) && m->mask.key.ct_orig_proto == 0xff &&
		       (cp == 6 || cp == 17 || cp == 132 || cp == 1 || cp == 58);
	}
	}
	return false;
}

const char *ofp_prereq_name(enum ofp_prereq p)
{
	switch (p) {
	case OFP_P_NONE: return "nothing";
	case OFP_P_ARP: return "arp or rarp";
	case OFP_P_IPV4: return "ip";
	case OFP_P_IPV6: return "ipv6";
	case OFP_P_IP_ANY: return "ip or ipv6";
	case OFP_P_IPV4_ARP: return "ip, arp or rarp";
	case OFP_P_IP_ARP: return "ip, ipv6, arp or rarp";
	case OFP_P_L4: return "tcp, udp, sctp, icmp (or their IPv6 forms)";
	case OFP_P_TCP: return "tcp or tcp6";
	case OFP_P_ND: return "icmp6 with icmp_type=135 or 136";
	case OFP_P_ND_SOLICIT: return "icmp6 with icmp_type=135";
	case OFP_P_ND_ADVERT: return "icmp6 with icmp_type=136";
	case OFP_P_MPLS: return "mpls or mplsm";
	case OFP_P_VLAN: return "a VLAN header (match dl_vlan or push one)";
	case OFP_P_CT: return "a valid connection (ct_state=+trk-inv, +new, +est...)";
	case OFP_P_CT_IPV4: return "ip and a valid connection (ct_state=+trk-inv, +est...)";
	case OFP_P_CT_IPV6: return "ipv6 and a valid connection (ct_state=+trk-inv, +est...)";
	case OFP_P_CT_L4: return "a valid connection and ct_nw_proto (tcp, udp, sctp, icmp)";
	}
	return "?";
}

/* --- exact matches for packets -------------------------------------------- */

#define MASK_FIELD(m, member) \
	memset(&(m)->mask.member, 0xff, sizeof (m)->mask.member)

void ofp_match_init_exact(struct ofp_match *m, const struct ofp_flow *flow)
{
	const struct dp_key *k = &flow->key;
	uint16_t dl = ntohs(k->eth_type);
	int i;

	memset(&m->mask, 0, sizeof m->mask);
	m->flow = *flow;

	if (k->tun_proto) {
		MASK_FIELD(m, key.tun.id);
		MASK_FIELD(m, key.tun_proto);
		if (k->tun_proto == DP_TUN_IPV4) {
			MASK_FIELD(m, key.tun.addr.v4);
		} else {
			MASK_FIELD(m, key.tun.addr.v6);
		}
	} else if (k->tun.id) {
		MASK_FIELD(m, key.tun.id);
	}
	/* Metadata that is zero is left out, as a packet-in shows it. */
	if (k->skb_mark)
		MASK_FIELD(m, key.skb_mark);
	if (k->ct_state)
		MASK_FIELD(m, key.ct_state);
	if (k->ct_zone)
		MASK_FIELD(m, key.ct_zone);
	if (k->ct_mark)
		MASK_FIELD(m, key.ct_mark);
	for (i = 0; i < 16; i++)
		if (k->ct_labels[i])
			MASK_FIELD(m, key.ct_labels);
	if (k->recirc_id)
		MASK_FIELD(m, key.recirc_id);
	if (k->dp_hash)
		MASK_FIELD(m, key.dp_hash);
	if (k->priority)
		MASK_FIELD(m, key.priority);
	m->mask.key.in_port = 0xffff;
	m->mask.key.mac_proto = 0xff;
	if (k->mac_proto == DP_MAC_ETH) {
		MASK_FIELD(m, key.eth_src);
		MASK_FIELD(m, key.eth_dst);
		MASK_FIELD(m, key.eth_type);
		/* The outer tag always (a zero one says "no VLAN"), the inner
		 * one under an outer one. */
		MASK_FIELD(m, key.vlan.tci);
		if (k->vlan.tci)
			MASK_FIELD(m, key.cvlan.tci);
	}

	if (k->ct_orig_proto && (dl == OFP_ETH_IP || dl == OFP_ETH_IPV6)) {
		MASK_FIELD(m, key.ct_orig_proto);
		MASK_FIELD(m, key.ct_orig_tp_src);
		MASK_FIELD(m, key.ct_orig_tp_dst);
		if (dl == OFP_ETH_IP)
			MASK_FIELD(m, key.ct_orig.v4);
		else
			MASK_FIELD(m, key.ct_orig.v6);
	}
	if (dl == OFP_ETH_IP) {
		MASK_FIELD(m, key.l3.ipv4.src);
		MASK_FIELD(m, key.l3.ipv4.dst);
	} else if (dl == OFP_ETH_IPV6) {
		MASK_FIELD(m, key.l3.ipv6.src);
		MASK_FIELD(m, key.l3.ipv6.dst);
		MASK_FIELD(m, key.l3.ipv6.label);
		if (k->nw_proto == 58 && !k->tp_dst &&
		    (ntohs(k->tp_src) == 135 || ntohs(k->tp_src) == 136)) {
			MASK_FIELD(m, key.l3.ipv6.nd_target);
			MASK_FIELD(m, key.l3.ipv6.nd_sll);
			MASK_FIELD(m, key.l3.ipv6.nd_tll);
		}
	} else if (dl == OFP_ETH_ARP || dl == OFP_ETH_RARP) {
		MASK_FIELD(m, key.l3.ipv4);
		MASK_FIELD(m, key.nw_proto);
		goto out;
	} else if (dl == OFP_ETH_MPLS || dl == OFP_ETH_MPLSM) {
		for (i = 0; i < DP_MPLS_DEPTH; i++) {
			MASK_FIELD(m, key.l3.mpls.lse[i]);
			if (k->l3.mpls.lse[i] & htonl(0x100))   /* bottom of stack */
				break;
		}
		goto out;
	} else {
		goto out;
	}
	m->mask.key.nw_frag = OFP_FRAG_MASK;
	MASK_FIELD(m, key.nw_tos);
	MASK_FIELD(m, key.nw_ttl);
	MASK_FIELD(m, key.nw_proto);
	if (!(k->nw_frag & OFP_FRAG_LATER) &&
	    (k->nw_proto == 1 || k->nw_proto == 58 || k->nw_proto == 6 ||
	     k->nw_proto == 17 || k->nw_proto == 132)) {
		MASK_FIELD(m, key.tp_src);
		MASK_FIELD(m, key.tp_dst);
		if (k->nw_proto == 6)
			m->mask.key.tcp_flags = htons(0x0fff);
	}
out:
	ofp_match_normalize(m);
}

/* --- the datapath boundary ------------------------------------------------ */

/* OVS_FRAG_TYPE_*: none, first, later. */
static uint8_t frag_from_dp(uint8_t t)
{
	return t == 1 ? OFP_FRAG_ANY : t == 2 ? OFP_FRAG_MASK : 0;
}

static uint8_t frag_to_dp(uint8_t bits)
{
	if (!(bits & OFP_FRAG_ANY))
		return 0;
	return bits & OFP_FRAG_LATER ? 2 : 1;
}

#define ETH_TYPE_NOT_ETH2 0x05ff  /* OpenFlow's "802.3 frame" */

void ofp_flow_from_dp_key(struct ofp_flow *flow, const struct dp_key *key)
{
	memset(flow, 0, sizeof *flow);
	flow->key = *key;
	flow->key.in_port = ofp_port_from_dp(key->in_port);
	flow->key.nw_frag = frag_from_dp(key->nw_frag);
	if (key->eth_type == htons(DP_ETH_TYPE_802_2))
		flow->key.eth_type = htons(ETH_TYPE_NOT_ETH2);
}

void ofp_wc_from_dp_mask(struct ofp_flow *wc, const struct dp_key *mask)
{
	memset(wc, 0, sizeof *wc);
	wc->key = *mask;
	wc->key.in_port = mask->in_port ? 0xffff : 0;
	wc->key.nw_frag = mask->nw_frag & ~OFP_FRAG_MASK ? OFP_FRAG_MASK
							 : mask->nw_frag;
}

void ofp_flow_to_dp_key(const struct ofp_flow *flow, struct dp_key *key)
{
	*key = flow->key;
	key->in_port = ofp_port_to_dp((uint16_t)flow->key.in_port);
	key->nw_frag = frag_to_dp(flow->key.nw_frag);
	if (flow->key.eth_type == htons(ETH_TYPE_NOT_ETH2))
		key->eth_type = htons(DP_ETH_TYPE_802_2);
}

void ofp_wc_to_dp_mask(const struct ofp_flow *wc, struct dp_key *mask)
{
	*mask = wc->key;
	mask->in_port = wc->key.in_port ? 0xffffffffu : 0;
	mask->nw_frag = wc->key.nw_frag ? 0xff : 0;
}
