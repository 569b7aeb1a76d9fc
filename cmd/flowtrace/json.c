/*
 * json.c - a flow key as JSON members, named after the ovs-dpctl key
 * attributes (eth, vlan, eth_type, ipv4, ipv6, arp, nd, mpls, tcp, udp,
 * sctp, icmp, icmpv6, tcp_flags) so that jq filters read like flows:
 *     jq 'select(.ipv4.proto == 6 and .tcp.dst == 80)'
 * Numbers are numbers, addresses are strings, flags are arrays of names.
 * A protocol's object is present when the datapath key has its attribute.
 */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "ofp_parse.h"
#include "output.h"

/* A decimal number, without printf. */
static void json_dec(struct buf *b, unsigned long v)
{
	char tmp[24], *t = tmp + sizeof tmp;

	do {
		*--t = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_put(b, t, (size_t)(tmp + sizeof tmp - t));
}

/* ,"name": (the comma if 'comma') */
static void put_name(struct buf *b, const char *name, bool comma)
{
	if (comma)
		buf_putc(b, ',');
	buf_putc(b, '"');
	buf_puts(b, name);
	buf_puts(b, "\":");
}

static void put_u(struct buf *b, const char *name, unsigned long v, bool comma)
{
	put_name(b, name, comma);
	json_dec(b, v);
}

static void put_mac(struct buf *b, const char *name, const uint8_t *m,
		    bool comma)
{
	put_name(b, name, comma);
	buf_putc(b, '"');
	ofp_format_mac(b, m);
	buf_putc(b, '"');
}

static void put_ip4(struct buf *b, const char *name, uint32_t a, bool comma)
{
	put_name(b, name, comma);
	buf_putc(b, '"');
	ofp_format_ipv4(b, a);
	buf_putc(b, '"');
}

static void put_ip6(struct buf *b, const char *name, const uint8_t *a,
		    bool comma)
{
	put_name(b, name, comma);
	buf_putc(b, '"');
	ofp_format_ipv6(b, a);
	buf_putc(b, '"');
}

static void put_names(struct buf *b, const char *const *names, int n,
		      unsigned int bits)
{
	bool first = true;
	int i;

	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		if (bits & (1u << i)) {
			if (!first)
				buf_putc(b, ',');
			buf_putc(b, '"');
			buf_puts(b, names[i]);
			buf_putc(b, '"');
			first = false;
		}
	}
	buf_putc(b, ']');
}

static const char *frag_name(uint8_t f)
{
	return f == OVS_FRAG_TYPE_FIRST ? "first" :
	       f == OVS_FRAG_TYPE_LATER ? "later" : "no";
}

static void put_vlan(struct buf *b, const char *name, const struct dp_vlan *v)
{
	unsigned int tci = ntohs(v->tci);

	buf_printf(b, ",\"%s\":{\"tpid\":\"0x%04x\",\"vid\":%u,\"pcp\":%u}",
		   name, ntohs(v->tpid), tci & 0x0fff, tci >> 13);
}

static void put_l4(struct buf *b, const struct dp_key *k, bool v6)
{
	static const char *const tcp_flags[12] = {
		"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
		"0x200", "0x400", "0x800",
	};
	const char *name = NULL;
	bool icmp = false;

	if (k->nw_frag == OVS_FRAG_TYPE_LATER)
		return;
	switch (k->nw_proto) {
	case 6: name = "tcp"; break;
	case 17: name = "udp"; break;
	case 132: name = "sctp"; break;
	case 1:
		if (!v6) {
			name = "icmp";
			icmp = true;
		}
		break;
	case 58:
		if (v6) {
			name = "icmpv6";
			icmp = true;
		}
		break;
	}
	if (!name)
		return;
	put_name(b, name, true);
	buf_puts(b, icmp ? "{\"type\":" : "{\"src\":");
	json_dec(b, ntohs(k->tp_src));
	buf_puts(b, icmp ? ",\"code\":" : ",\"dst\":");
	json_dec(b, ntohs(k->tp_dst));
	buf_putc(b, '}');
	if (k->nw_proto == 6) {
		buf_puts(b, ",\"tcp_flags\":");
		put_names(b, tcp_flags, 12, ntohs(k->tcp_flags));
	}
	if (v6 && icmp && k->tp_dst == 0 &&
	    (k->tp_src == htons(135) || k->tp_src == htons(136))) {
		put_ip6(b, "nd\":{\"target", k->l3.ipv6.nd_target, true);
		put_mac(b, "sll", k->l3.ipv6.nd_sll, true);
		put_mac(b, "tll", k->l3.ipv6.nd_tll, true);
		buf_putc(b, '}');
	}
}

void json_key_fields(struct buf *b, const struct dp_key *k)
{
	static const char *const exthdrs[9] = {
		"nonext", "esp", "auth", "dest", "frag", "router", "hop",
		"unrep", "unseq",
	};
	static const char *const ct_states[8] = {
		"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
	};
	unsigned int type = ntohs(k->eth_type);
	int i;

	/* Metadata where set; eth_type always (so there is a first member). */
	buf_puts(b, "\"eth_type\":\"0x");
	buf_put_hex(b, &k->eth_type, 2);
	buf_putc(b, '"');
	if (k->in_port != DP_PORT_NONE)
		put_u(b, "in_port", k->in_port, true);
	if (k->recirc_id)
		put_u(b, "recirc_id", k->recirc_id, true);
	if (k->dp_hash)
		put_u(b, "dp_hash", k->dp_hash, true);
	if (k->priority)
		put_u(b, "skb_priority", k->priority, true);
	if (k->skb_mark)
		put_u(b, "skb_mark", k->skb_mark, true);
	if (k->ct_state) {
		buf_puts(b, ",\"ct_state\":");
		put_names(b, ct_states, 8, k->ct_state);
	}
	if (k->ct_zone)
		put_u(b, "ct_zone", k->ct_zone, true);
	if (k->ct_mark)
		put_u(b, "ct_mark", k->ct_mark, true);

	if (k->mac_proto == DP_MAC_ETH) {
		put_mac(b, "eth\":{\"src", k->eth_src, true);
		put_mac(b, "dst", k->eth_dst, true);
		buf_putc(b, '}');
	}
	if (k->vlan.tci)
		put_vlan(b, "vlan", &k->vlan);
	if (k->cvlan.tci)
		put_vlan(b, "cvlan", &k->cvlan);

	switch (type) {
	case 0x0800:
		put_ip4(b, "ipv4\":{\"src", k->l3.ipv4.src, true);
		put_ip4(b, "dst", k->l3.ipv4.dst, true);
		put_u(b, "proto", k->nw_proto, true);
		put_u(b, "tos", k->nw_tos, true);
		put_u(b, "ttl", k->nw_ttl, true);
		buf_puts(b, ",\"frag\":\"");
		buf_puts(b, frag_name(k->nw_frag));
		buf_puts(b, "\"}");
		put_l4(b, k, false);
		break;
	case 0x86dd:
		put_ip6(b, "ipv6\":{\"src", k->l3.ipv6.src, true);
		put_ip6(b, "dst", k->l3.ipv6.dst, true);
		buf_printf(b, ",\"label\":%u,\"proto\":%u,\"tclass\":%u,"
			   "\"hlimit\":%u,\"frag\":\"%s\"}",
			   ntohl(k->l3.ipv6.label), k->nw_proto, k->nw_tos,
			   k->nw_ttl, frag_name(k->nw_frag));
		if (k->ipv6_exthdrs) {
			buf_puts(b, ",\"ipv6_exthdrs\":");
			put_names(b, exthdrs, 9, k->ipv6_exthdrs);
		}
		put_l4(b, k, true);
		break;
	case 0x0806:
	case 0x8035:
		put_ip4(b, "arp\":{\"sip", k->l3.ipv4.src, true);
		put_ip4(b, "tip", k->l3.ipv4.dst, true);
		put_u(b, "op", k->nw_proto, true);
		put_mac(b, "sha", k->l3.ipv4.arp_sha, true);
		put_mac(b, "tha", k->l3.ipv4.arp_tha, true);
		buf_putc(b, '}');
		break;
	case 0x8847:
	case 0x8848:
		buf_puts(b, ",\"mpls\":[");
		for (i = 0; i < DP_MPLS_DEPTH; i++) {
			uint32_t lse = ntohl(k->l3.mpls.lse[i]);

			if (!(k->l3.mpls.num_labels_mask & (1u << i)))
				break;
			buf_printf(b, "%s{\"label\":%u,\"tc\":%u,\"ttl\":%u,"
				   "\"bos\":%u}", i ? "," : "", lse >> 12,
				   (lse >> 9) & 7, lse & 0xff, (lse >> 8) & 1);
		}
		buf_putc(b, ']');
		break;
	}
}
