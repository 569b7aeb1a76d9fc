/*
 * odp_key_put.c - flow keys and masks as the Linux openvswitch module
 * reports them (__ovs_nla_put_key).
 *
 * The kernel writes a key and a mask with one function that takes two
 * keys: the one that decides which attributes appear (the "structure":
 * the key itself, or for a mask the masked key) and the one whose values
 * are written (the key, or the mask).  So a mask has exactly the
 * attributes of its masked key, plus a few the kernel always writes for
 * masks: the tunnel nest, and in_port when the flow names none.  The
 * metadata attributes (recirc_id, dp_hash, skb_priority, skb_mark and
 * the conntrack ones) are always written, zero or not.
 *
 * The order is the kernel's: metadata, tunnel, in_port, skb_mark, ct_*,
 * eth, VLAN (ETHERTYPE, VLAN, ENCAP{...}), eth_type, L3, L4.
 */
#include "odp_key.h"

#include <string.h>

#include "odp_kernel.h"

#define HTONS(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define NTOHS(x) HTONS(x)

/* in_port as the kernel's u16: a key without one holds 0xffff. */
static uint16_t port16(uint32_t port)
{
	return port == DP_PORT_NONE ? 0xffff : (uint16_t)port;
}

static void put_ct(struct buf *b, const struct dp_key *sw,
		   const struct dp_key *out)
{
	na_put_u32(b, OVS_KEY_ATTR_CT_STATE, out->ct_state);
	na_put_u16(b, OVS_KEY_ATTR_CT_ZONE, out->ct_zone);
	na_put_u32(b, OVS_KEY_ATTR_CT_MARK, out->ct_mark);
	na_put(b, OVS_KEY_ATTR_CT_LABELS, out->ct_labels, 16);
	if (!sw->ct_orig_proto)
		return;
	if (sw->eth_type == HTONS(ODP_ETH_P_IP)) {
		struct ovs_key_ct_tuple_ipv4 t;

		memset(&t, 0, sizeof t);
		t.ipv4_src = out->ct_orig.v4.src;
		t.ipv4_dst = out->ct_orig.v4.dst;
		t.src_port = out->ct_orig_tp_src;
		t.dst_port = out->ct_orig_tp_dst;
		t.ipv4_proto = out->ct_orig_proto;
		na_put(b, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4, &t, sizeof t);
	} else if (sw->eth_type == HTONS(ODP_ETH_P_IPV6)) {
		struct ovs_key_ct_tuple_ipv6 t;

		memset(&t, 0, sizeof t);
		memcpy(t.ipv6_src, out->ct_orig.v6.src, 16);
		memcpy(t.ipv6_dst, out->ct_orig.v6.dst, 16);
		t.src_port = out->ct_orig_tp_src;
		t.dst_port = out->ct_orig_tp_dst;
		t.ipv6_proto = out->ct_orig_proto;
		na_put(b, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, &t, sizeof t);
	}
}

static void put_vlan(struct buf *b, const struct dp_vlan *v, bool is_mask)
{
	na_put_u16(b, OVS_KEY_ATTR_ETHERTYPE, is_mask ? 0xffff : v->tpid);
	na_put_u16(b, OVS_KEY_ATTR_VLAN, v->tci);
}

static void put_l3(struct buf *b, const struct dp_key *sw,
		   const struct dp_key *out)
{
	uint16_t et = sw->eth_type;

	if (et == HTONS(ODP_ETH_P_IP)) {
		struct ovs_key_ipv4 k;

		memset(&k, 0, sizeof k);
		k.ipv4_src = out->l3.ipv4.src;
		k.ipv4_dst = out->l3.ipv4.dst;
		k.ipv4_proto = out->nw_proto;
		k.ipv4_tos = out->nw_tos;
		k.ipv4_ttl = out->nw_ttl;
		k.ipv4_frag = out->nw_frag;
		na_put(b, OVS_KEY_ATTR_IPV4, &k, sizeof k);
	} else if (et == HTONS(ODP_ETH_P_IPV6)) {
		struct ovs_key_ipv6 k;
		struct ovs_key_ipv6_exthdrs x;

		memset(&k, 0, sizeof k);
		memcpy(k.ipv6_src, out->l3.ipv6.src, 16);
		memcpy(k.ipv6_dst, out->l3.ipv6.dst, 16);
		k.ipv6_label = out->l3.ipv6.label;
		k.ipv6_proto = out->nw_proto;
		k.ipv6_tclass = out->nw_tos;
		k.ipv6_hlimit = out->nw_ttl;
		k.ipv6_frag = out->nw_frag;
		na_put(b, OVS_KEY_ATTR_IPV6, &k, sizeof k);
		x.hdrs = out->ipv6_exthdrs;
		na_put(b, OVS_KEY_ATTR_IPV6_EXTHDRS, &x, sizeof x);
	} else if (et == HTONS(ODP_ETH_P_ARP) || et == HTONS(ODP_ETH_P_RARP)) {
		struct ovs_key_arp k;

		memset(&k, 0, sizeof k);
		k.arp_sip = out->l3.ipv4.src;
		k.arp_tip = out->l3.ipv4.dst;
		k.arp_op = HTONS(out->nw_proto);
		memcpy(k.arp_sha, out->l3.ipv4.arp_sha, 6);
		memcpy(k.arp_tha, out->l3.ipv4.arp_tha, 6);
		na_put(b, OVS_KEY_ATTR_ARP, &k, sizeof k);
	} else if (odp_eth_p_mpls(et)) {
		int n = __builtin_popcount(out->l3.mpls.num_labels_mask);

		if (n > DP_MPLS_DEPTH)
			n = DP_MPLS_DEPTH;
		na_put(b, OVS_KEY_ATTR_MPLS, out->l3.mpls.lse, (size_t)n * 4);
	}
}

static void put_l4(struct buf *b, const struct dp_key *sw,
		   const struct dp_key *out)
{
	bool v4 = sw->eth_type == HTONS(ODP_ETH_P_IP);
	bool v6 = sw->eth_type == HTONS(ODP_ETH_P_IPV6);
	uint16_t ports[2] = { out->tp_src, out->tp_dst };

	if ((!v4 && !v6) || sw->nw_frag == OVS_FRAG_TYPE_LATER)
		return;
	if (sw->nw_proto == 6) {
		na_put(b, OVS_KEY_ATTR_TCP, ports, 4);
		na_put_u16(b, OVS_KEY_ATTR_TCP_FLAGS, out->tcp_flags);
	} else if (sw->nw_proto == 17) {
		na_put(b, OVS_KEY_ATTR_UDP, ports, 4);
	} else if (sw->nw_proto == 132) {
		na_put(b, OVS_KEY_ATTR_SCTP, ports, 4);
	} else if (v4 && sw->nw_proto == 1) {
		uint8_t tc[2] = { (uint8_t)NTOHS(out->tp_src),
				  (uint8_t)NTOHS(out->tp_dst) };

		na_put(b, OVS_KEY_ATTR_ICMP, tc, 2);
	} else if (v6 && sw->nw_proto == 58) {
		uint8_t tc[2] = { (uint8_t)NTOHS(out->tp_src),
				  (uint8_t)NTOHS(out->tp_dst) };

		na_put(b, OVS_KEY_ATTR_ICMPV6, tc, 2);
		if (sw->tp_src == HTONS(135) || sw->tp_src == HTONS(136)) {
			struct ovs_key_nd nd;

			memcpy(nd.nd_target, out->l3.ipv6.nd_target, 16);
			memcpy(nd.nd_sll, out->l3.ipv6.nd_sll, 6);
			memcpy(nd.nd_tll, out->l3.ipv6.nd_tll, 6);
			na_put(b, OVS_KEY_ATTR_ND, &nd, sizeof nd);
		}
	}
}

static void put_key(struct buf *b, const struct dp_key *sw,
		    const struct dp_key *out, bool is_mask)
{
	size_t encap = 0, in_encap = 0;
	bool has_encap = false, has_in_encap = false;
	uint16_t sw_port = port16(sw->in_port), out_port = port16(out->in_port);

	na_put_u32(b, OVS_KEY_ATTR_RECIRC_ID, out->recirc_id);
	na_put_u32(b, OVS_KEY_ATTR_DP_HASH, out->dp_hash);
	na_put_u32(b, OVS_KEY_ATTR_PRIORITY, out->priority);
	if (sw->tun_proto || is_mask)
		odp_tun_put(b, &out->tun, sw->tun_proto, sw->tun.opts_type,
			    sw->tun.opts_len, false);
	if (sw_port == 0xffff) {
		if (is_mask && out_port == 0xffff)
			na_put_u32(b, OVS_KEY_ATTR_IN_PORT, 0xffffffff);
	} else {
		na_put_u32(b, OVS_KEY_ATTR_IN_PORT,
			   (is_mask ? 0xffff0000u : 0) | out_port);
	}
	na_put_u32(b, OVS_KEY_ATTR_SKB_MARK, out->skb_mark);
	put_ct(b, sw, out);

	if (sw->mac_proto == DP_MAC_ETH) {
		struct ovs_key_ethernet e;

		memcpy(e.eth_src, out->eth_src, 6);
		memcpy(e.eth_dst, out->eth_dst, 6);
		na_put(b, OVS_KEY_ATTR_ETHERNET, &e, sizeof e);
		if (sw->vlan.tci || odp_eth_p_vlan(sw->eth_type)) {
			put_vlan(b, &out->vlan, is_mask);
			encap = odp_nest_start(b, OVS_KEY_ATTR_ENCAP);
			has_encap = true;
			if (!sw->vlan.tci)
				goto unencap;
			if (sw->cvlan.tci || odp_eth_p_vlan(sw->eth_type)) {
				put_vlan(b, &out->cvlan, is_mask);
				in_encap = odp_nest_start(b, OVS_KEY_ATTR_ENCAP);
				has_in_encap = true;
				if (!sw->cvlan.tci)
					goto unencap;
			}
		}
		/* 802.3 frames: no eth_type in the key; the mask says
		 * whether it is matched. */
		if (sw->eth_type == HTONS(DP_ETH_TYPE_802_2)) {
			if (is_mask && out->eth_type)
				na_put_u16(b, OVS_KEY_ATTR_ETHERTYPE, out->eth_type);
			goto unencap;
		}
	}
	na_put_u16(b, OVS_KEY_ATTR_ETHERTYPE, out->eth_type);
	/* A third VLAN tag: the kernel knows nothing past it. */
	if (odp_eth_p_vlan(sw->eth_type))
		goto unencap;
	put_l3(b, sw, out);
	put_l4(b, sw, out);
unencap:
	if (has_in_encap)
		na_nest_end(b, in_encap);
	if (has_encap)
		na_nest_end(b, encap);
}

void odp_key_to_attrs(struct buf *out, const struct dp_key *key)
{
	put_key(out, key, key, false);
}

void odp_mask_to_attrs(struct buf *out, const struct dp_key *key,
		       const struct dp_key *mask)
{
	struct dp_key sw;

	/* The kernel shapes a mask after the flow's masked key. */
	dp_key_apply_mask(&sw, key, mask);
	put_key(out, &sw, mask, true);
}
