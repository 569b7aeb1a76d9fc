/* dp_parse.c - flow key and header offsets of a packet; see dp_parse.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "dp_parse.h"

#define ETH_P_IP_     0x0800
#define ETH_P_ARP_    0x0806
#define ETH_P_RARP_   0x8035
#define ETH_P_IPV6_   0x86dd
#define ETH_P_8021Q_  0x8100
#define ETH_P_8021AD_ 0x88a8
#define ETH_P_MPLS_UC 0x8847
#define ETH_P_MPLS_MC 0x8848

static uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void copy_md(struct dp_key *key, const struct dp_packet *p)
{
	const struct dp_packet_md *md = &p->md;

	key->in_port = md->in_port;
	key->recirc_id = md->recirc_id;
	key->dp_hash = md->dp_hash;
	key->priority = md->priority;
	key->skb_mark = md->skb_mark;
	key->mac_proto = p->mac_proto;
	key->ct_state = md->ct_state;
	key->ct_orig_proto = md->ct_orig_proto;
	key->ct_zone = md->ct_zone;
	key->ct_mark = md->ct_mark;
	memcpy(key->ct_labels, md->ct_labels, sizeof key->ct_labels);
	if (md->tun && md->tun_proto) {
		key->tun = *md->tun;
		key->tun_proto = md->tun_proto;
	}
}

/* Transport ports, flags, ICMP type/code: from 'ofs' with 'proto'. */
static void parse_l4(struct dp_packet *p, struct dp_key *key, uint32_t ofs,
		     uint8_t proto, int v6)
{
	const uint8_t *h;

	p->l4 = (uint16_t)ofs;
	switch (proto) {
	case 6:                 /* TCP: needs a whole header */
		h = dp_packet_at(p, ofs, 20);
		if (h && (h[12] >> 4) >= 5 && dp_packet_at(p, ofs, (h[12] >> 4) * 4u)) {
			memcpy(&key->tp_src, h, 2);
			memcpy(&key->tp_dst, h + 2, 2);
			key->tcp_flags = htons(rd16(h + 12) & 0x0fff);
		}
		break;
	case 17:                /* UDP */
	case 132:               /* SCTP */
		h = dp_packet_at(p, ofs, proto == 17 ? 8 : 12);
		if (h) {
			memcpy(&key->tp_src, h, 2);
			memcpy(&key->tp_dst, h + 2, 2);
		}
		break;
	case 1:                 /* ICMP */
		h = v6 ? NULL : dp_packet_at(p, ofs, 4);
		if (h) {
			key->tp_src = htons(h[0]);
			key->tp_dst = htons(h[1]);
		}
		break;
	case 58:                /* ICMPv6, and neighbour discovery */
		h = v6 ? dp_packet_at(p, ofs, 4) : NULL;
		if (!h)
			break;
		key->tp_src = htons(h[0]);
		key->tp_dst = htons(h[1]);
		if ((h[0] == 135 || h[0] == 136) && h[1] == 0) {
			const uint8_t *t = dp_packet_at(p, ofs + 8, 16);
			uint32_t o = ofs + 24;

			if (!t)
				break;
			memcpy(key->l3.ipv6.nd_target, t, 16);
			while ((h = dp_packet_at(p, o, 8)) && h[1]) {
				uint32_t olen = h[1] * 8u;

				if (!dp_packet_at(p, o, olen))
					break;
				if (h[0] == 1 && olen == 8)
					memcpy(key->l3.ipv6.nd_sll, h + 2, 6);
				else if (h[0] == 2 && olen == 8)
					memcpy(key->l3.ipv6.nd_tll, h + 2, 6);
				o += olen;
			}
		}
		break;
	}
}

static void parse_ipv4(struct dp_packet *p, struct dp_key *key, uint32_t ofs)
{
	const uint8_t *h = dp_packet_at(p, ofs, 20);
	uint32_t ihl;
	uint16_t frag;

	p->l3 = (uint16_t)ofs;
	if (!h || (h[0] & 0x0f) < 5 || !dp_packet_at(p, ofs, (h[0] & 0x0f) * 4u))
		return;
	ihl = (h[0] & 0x0f) * 4u;
	memcpy(&key->l3.ipv4.src, h + 12, 4);
	memcpy(&key->l3.ipv4.dst, h + 16, 4);
	key->nw_tos = h[1];
	key->nw_ttl = h[8];
	key->nw_proto = h[9];
	frag = rd16(h + 6);
	if (frag & 0x3fff) {
		key->nw_frag = frag & 0x1fff ? OVS_FRAG_TYPE_LATER : OVS_FRAG_TYPE_FIRST;
		if (frag & 0x1fff) {
			p->l4 = DP_OFS_NONE;
			return;
		}
	}
	parse_l4(p, key, ofs + ihl, key->nw_proto, 0);
}

static void parse_ipv6(struct dp_packet *p, struct dp_key *key, uint32_t ofs)
{
	const uint8_t *h = dp_packet_at(p, ofs, 40), *e;
	uint32_t vtc;
	uint8_t nh;
	int n;

	p->l3 = (uint16_t)ofs;
	if (!h)
		return;
	vtc = (uint32_t)h[0] << 24 | h[1] << 16 | h[2] << 8 | h[3];
	key->nw_tos = (uint8_t)(vtc >> 20);
	key->l3.ipv6.label = htonl(vtc & 0xfffff);
	key->nw_ttl = h[7];
	memcpy(key->l3.ipv6.src, h + 8, 16);
	memcpy(key->l3.ipv6.dst, h + 24, 16);
	nh = h[6];
	ofs += 40;
	/* Walk extension headers (bounded: a packet cannot loop us). */
	for (n = 0; n < 16; n++) {
		uint16_t bit;

		switch (nh) {
		case 0:  bit = DP_IPV6_EXT_HOP; break;
		case 43: bit = DP_IPV6_EXT_ROUTER; break;
		case 60: bit = DP_IPV6_EXT_DEST; break;
		case 44: bit = DP_IPV6_EXT_FRAG; break;
		case 51: bit = DP_IPV6_EXT_AUTH; break;
		case 50: key->ipv6_exthdrs |= DP_IPV6_EXT_ESP; goto l4;
		case 59: key->ipv6_exthdrs |= DP_IPV6_EXT_NONEXT; goto l4;
		default: goto l4;
		}
		if (key->ipv6_exthdrs & bit)
			key->ipv6_exthdrs |= DP_IPV6_EXT_UNREP;
		key->ipv6_exthdrs |= bit;
		e = dp_packet_at(p, ofs, 8);
		if (!e)
			return;
		if (nh == 44) {
			uint16_t fo = rd16(e + 2);

			key->nw_frag = fo & 0xfff8 ? OVS_FRAG_TYPE_LATER
						   : OVS_FRAG_TYPE_FIRST;
			nh = e[0];
			ofs += 8;
			if (fo & 0xfff8) {
				key->nw_proto = nh;
				return;
			}
			continue;
		}
		ofs += nh == 51 ? (e[1] + 2u) * 4 : (e[1] + 1u) * 8;
		nh = e[0];
	}
l4:
	key->nw_proto = nh;
	parse_l4(p, key, ofs, nh, 1);
}

static void parse_arp(struct dp_packet *p, struct dp_key *key, uint32_t ofs)
{
	const uint8_t *h = dp_packet_at(p, ofs, 28);

	p->l3 = (uint16_t)ofs;
	if (!h || rd16(h) != 1 || rd16(h + 2) != ETH_P_IP_ || h[4] != 6 || h[5] != 4)
		return;
	if (rd16(h + 6) <= 0xff)
		key->nw_proto = (uint8_t)rd16(h + 6);
	memcpy(key->l3.ipv4.arp_sha, h + 8, 6);
	memcpy(&key->l3.ipv4.src, h + 14, 4);
	memcpy(key->l3.ipv4.arp_tha, h + 18, 6);
	memcpy(&key->l3.ipv4.dst, h + 24, 4);
}

static void parse_mpls(struct dp_packet *p, struct dp_key *key, uint32_t ofs)
{
	const uint8_t *h;
	int i;

	p->l2_5 = (uint16_t)ofs;
	for (i = 0; (h = dp_packet_at(p, ofs, 4)); i++) {
		if (i < DP_MPLS_DEPTH) {
			memcpy(&key->l3.mpls.lse[i], h, 4);
			key->l3.mpls.num_labels_mask |= 1u << i;
		}
		ofs += 4;
		if (h[2] & 1) {          /* bottom of stack */
			p->l3 = (uint16_t)ofs;
			break;
		}
	}
}

static int parse(struct dp_packet *p, struct dp_key *key);

int dp_parse(struct dp_packet *p, struct dp_key *key)
{
	memset(key, 0, sizeof *key);
	return parse(p, key);
}

int dp_parse_reuse(struct dp_packet *p, struct dp_key *key)
{
	if (key->tun_proto)
		memset(key, 0, sizeof *key);
	else
		memset(key, 0, DP_KEY_OFS_TUN);
	return parse(p, key);
}

/* Fill a key that is all zero. */
static int parse(struct dp_packet *p, struct dp_key *key)
{
	uint32_t ofs = 0;
	uint16_t type;
	const uint8_t *h;

	copy_md(key, p);
	p->l2_5 = p->l3 = p->l4 = DP_OFS_NONE;

	if (p->mac_proto == DP_MAC_ETH) {
		h = dp_packet_at(p, 0, 14);
		if (!h)
			return -EINVAL;
		memcpy(key->eth_dst, h, 6);
		memcpy(key->eth_src, h + 6, 6);
		ofs = 12;
		type = rd16(h + 12);
		if ((type == ETH_P_8021Q_ || type == ETH_P_8021AD_) &&
		    (h = dp_packet_at(p, ofs, 6))) {
			memcpy(&key->vlan.tpid, h, 2);
			key->vlan.tci = htons(rd16(h + 2) | DP_VLAN_CFI);
			ofs += 4;
			type = rd16(h + 4);
			if ((type == ETH_P_8021Q_ || type == ETH_P_8021AD_) &&
			    (h = dp_packet_at(p, ofs, 6))) {
				memcpy(&key->cvlan.tpid, h, 2);
				key->cvlan.tci = htons(rd16(h + 2) | DP_VLAN_CFI);
				ofs += 4;
				type = rd16(h + 4);
			}
		}
		ofs += 2;
		if (type < 0x600) {
			/* 802.3 length: SNAP carries an ethertype. */
			h = dp_packet_at(p, ofs, 8);
			if (h && h[0] == 0xaa && h[1] == 0xaa && h[2] == 3 &&
			    !h[3] && !h[4] && !h[5] && rd16(h + 6) >= 0x600) {
				type = rd16(h + 6);
				ofs += 8;
			} else {
				type = DP_ETH_TYPE_802_2;
			}
		}
	} else {
		/* L3 packet: the ethertype comes from the IP version. */
		h = dp_packet_at(p, 0, 1);
		if (!h)
			return -EINVAL;
		type = (h[0] >> 4) == 6 ? ETH_P_IPV6_ : ETH_P_IP_;
	}
	key->eth_type = htons(type);

	switch (type) {
	case ETH_P_IP_:
		parse_ipv4(p, key, ofs);
		break;
	case ETH_P_IPV6_:
		parse_ipv6(p, key, ofs);
		break;
	case ETH_P_ARP_:
	case ETH_P_RARP_:
		parse_arp(p, key, ofs);
		break;
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
		parse_mpls(p, key, ofs);
		break;
	default:
		p->l3 = (uint16_t)ofs;
		break;
	}
	return 0;
}
