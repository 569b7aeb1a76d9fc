/*
 * ofp_match_text_exact.c - parse-pcap text straight from the key (see
 * ofp_match_text_exact.h).  Each choice of format is the general
 * printer's (ofp_match_text.c), which the unit test checks.
 */
#include "ofp_match_text_exact.h"

#include <linux/openvswitch.h>
#include <string.h>

#include "text_put.h"

bool ofp_exact_key_to_text(struct buf *out, const struct dp_key *k)
{
	uint16_t et = HTONS(k->eth_type);
	bool v6 = et == 0x86dd, later = k->nw_frag == OVS_FRAG_TYPE_LATER;
	uint8_t proto = k->nw_proto;
	const char *name;
	size_t nlen;
	char *start, *p;
	enum { L4_NONE, L4_PORTS, L4_TCP, L4_ICMP } l4 = L4_NONE;

	if (k->recirc_id || k->dp_hash || k->priority || k->skb_mark ||
	    k->mac_proto != DP_MAC_ETH || k->tun_proto || k->ct_state ||
	    k->ct_orig_proto || k->ct_zone || k->ct_mark ||
	    !zero(k->ct_labels, sizeof k->ct_labels) ||
	    k->vlan.tci || k->vlan.tpid || k->cvlan.tci || k->cvlan.tpid ||
	    (et != 0x0800 && et != 0x86dd) ||
	    (k->in_port != DP_PORT_NONE && (!k->in_port ||
					     k->in_port >= 0xff00)) ||
	    k->nw_frag > OVS_FRAG_TYPE_LATER ||
	    (HTONS(k->tcp_flags) & 0xf000) ||
	    (v6 && __builtin_bswap32(k->l3.ipv6.label) > 0xfffff))
		return false;
	switch (proto) {
	case 6:
		name = v6 ? "tcp6" : "tcp";
		l4 = L4_TCP;
		break;
	case 17:
		name = v6 ? "udp6" : "udp";
		l4 = L4_PORTS;
		break;
	case 132:
		name = v6 ? "sctp6" : "sctp";
		l4 = L4_PORTS;
		break;
	case 1:
	case 58:
		/* ICMPv6 in IPv4 and ICMP in IPv6 are the general way's. */
		if (v6 != (proto == 58))
			return false;
		/* A later ICMPv6 fragment may still show ND fields: the
		 * general way's too. */
		if (later && v6)
			return false;
		name = v6 ? "icmp6" : "icmp";
		l4 = L4_ICMP;
		break;
	default:
		name = v6 ? "ipv6" : "ip";
		break;
	}
	if (later)
		l4 = L4_NONE;
	start = p = buf_reserve(out, MAX_TEXT);
	if (!p)
		return false;
	nlen = strlen(name);
	p = put_str(p, name, nlen);
	if (k->in_port == DP_PORT_NONE) {
		p = PUT(p, ",in_port=ANY");
	} else {
		p = PUT(p, ",in_port=");
		p = put_dec(p, k->in_port);
	}
	p = PUT(p, ",vlan_tci=0x0000,dl_src=");
	p = put_mac(p, k->eth_src);
	p = PUT(p, ",dl_dst=");
	p = put_mac(p, k->eth_dst);
	if (v6) {
		uint32_t label = __builtin_bswap32(k->l3.ipv6.label);
		int shift;

		p = PUT(p, ",ipv6_src=");
		p = put_ipv6(p, k->l3.ipv6.src);
		if (!p)
			return false;
		p = PUT(p, ",ipv6_dst=");
		p = put_ipv6(p, k->l3.ipv6.dst);
		if (!p)
			return false;
		p = PUT(p, ",ipv6_label=0x");
		for (shift = 16; shift >= 0; shift -= 4)
			*p++ = hexd[(label >> shift) & 0xf];
	} else {
		p = PUT(p, ",nw_src=");
		p = put_ipv4(p, k->l3.ipv4.src);
		p = PUT(p, ",nw_dst=");
		p = put_ipv4(p, k->l3.ipv4.dst);
	}
	if (name[0] == 'i' && name[1] == 'p') {
		p = PUT(p, ",nw_proto=");
		p = put_dec(p, proto);
	}
	p = PUT(p, ",nw_tos=");
	p = put_dec(p, k->nw_tos & 0xfc);
	p = PUT(p, ",nw_ecn=");
	p = put_dec(p, k->nw_tos & 3);
	p = PUT(p, ",nw_ttl=");
	p = put_dec(p, k->nw_ttl);
	p = PUT(p, ",nw_frag=");
	if (k->nw_frag == OVS_FRAG_TYPE_NONE)
		p = PUT(p, "no");
	else if (later)
		p = PUT(p, "later");
	else
		p = PUT(p, "first");
	switch (l4) {
	case L4_NONE:
		break;
	case L4_PORTS:
	case L4_TCP:
		p = PUT(p, ",tp_src=");
		p = put_dec(p, HTONS(k->tp_src));
		p = PUT(p, ",tp_dst=");
		p = put_dec(p, HTONS(k->tp_dst));
		if (l4 == L4_TCP) {
			p = PUT(p, ",tcp_flags=");
			p = put_tcp_flags(p, HTONS(k->tcp_flags));
		}
		break;
	case L4_ICMP:
		p = PUT(p, ",icmp_type=");
		p = put_dec(p, HTONS(k->tp_src));
		p = PUT(p, ",icmp_code=");
		p = put_dec(p, HTONS(k->tp_dst));
		if (v6 && !k->tp_dst && (HTONS(k->tp_src) == 135 ||
					 HTONS(k->tp_src) == 136)) {
			p = PUT(p, ",nd_target=");
			p = put_ipv6(p, k->l3.ipv6.nd_target);
			if (!p)
				return false;
			p = PUT(p, ",nd_sll=");
			p = put_mac(p, k->l3.ipv6.nd_sll);
			p = PUT(p, ",nd_tll=");
			p = put_mac(p, k->l3.ipv6.nd_tll);
		}
		break;
	}
	out->len += (size_t)(p - start);
	return true;
}
