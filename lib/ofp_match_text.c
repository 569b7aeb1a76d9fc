/*
 * ofp_match_text.c - print matches in ovs-ofctl syntax (the parser is
 * ofp_match_parse.c).
 */
#include "ofp_match_text.h"

#include <string.h>
#include <arpa/inet.h>
#include <endian.h>

/* --- printing, in Open vSwitch's order ------------------------------------ */

void ofp_match_format_dp(struct buf *out, const struct dp_key *key,
			 const struct dp_key *mask,
			 const struct ofp_names *names)
{
	struct ofp_match m;
	struct ofp_flow f;

	ofp_flow_from_dp_key(&f, key);
	if (mask) {
		ofp_wc_from_dp_mask(&m.mask, mask);
		m.flow = f;
		ofp_match_normalize(&m);
	} else {
		ofp_match_init_exact(&m, &f);
		/* An L3 packet's ethertype is its packet type's, which
		 * says which L3 and L4 fields follow; the exact match
		 * leaves it unmasked (no "dl_type="), as Open vSwitch. */
		if (f.key.mac_proto == DP_MAC_NONE)
			m.flow.key.eth_type = f.key.eth_type;
	}
	ofp_match_format(out, &m, OFP_DEFAULT_PRIORITY, names);
}

/* name=VALUE, */
static void kv_dec(struct buf *out, const char *name, uint64_t v)
{
	buf_puts(out, name);
	buf_putc(out, '=');
	ofp_put_dec(out, v);
	buf_putc(out, ',');
}

static void fmt_u32_masked(struct buf *out, const char *name, uint32_t v,
			   uint32_t m)
{
	if (!m)
		return;
	buf_puts(out, name);
	buf_putc(out, '=');
	ofp_put_0x(out, v);
	if (m != UINT32_MAX) {
		buf_putc(out, '/');
		ofp_put_0x(out, m);
	}
	buf_putc(out, ',');
}

static void fmt_u64_masked(struct buf *out, const char *name, uint64_t v,
			   uint64_t m)
{
	if (!m)
		return;
	buf_puts(out, name);
	buf_putc(out, '=');
	ofp_put_0x(out, v);
	if (m != UINT64_MAX) {
		buf_putc(out, '/');
		ofp_put_0x(out, m);
	}
	buf_putc(out, ',');
}

static void fmt_u16_masked(struct buf *out, const char *name, uint16_t v,
			   uint16_t m)
{
	if (!m)
		return;
	if (m == UINT16_MAX) {
		kv_dec(out, name, v);
		return;
	}
	buf_puts(out, name);
	buf_puts(out, "=0x");
	ofp_put_hex(out, v, 1);
	buf_puts(out, "/0x");
	ofp_put_hex(out, m, 1);
	buf_putc(out, ',');
}

static void fmt_eth_masked(struct buf *out, const char *name,
			   const uint8_t *v, const uint8_t *m)
{
	static const uint8_t ones[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];

	if (!memcmp(m, zero, 6))
		return;
	buf_puts(out, name);
	buf_putc(out, '=');
	ofp_format_mac(out, v);
	if (memcmp(m, ones, 6)) {
		buf_putc(out, '/');
		ofp_format_mac(out, m);
	}
	buf_putc(out, ',');
}

static void fmt_ip_masked(struct buf *out, const char *name, uint32_t v,
			  uint32_t m)
{
	int bits;

	if (!m)
		return;
	buf_puts(out, name);
	buf_putc(out, '=');
	ofp_format_ipv4(out, v);
	if (m != UINT32_MAX) {
		bits = ofp_cidr_bits((const uint8_t *)&m, 4);
		if (bits >= 0) {
			buf_putc(out, '/');
			ofp_put_dec(out, (uint64_t)bits);
		} else {
			buf_putc(out, '/');
			ofp_format_ipv4(out, m);
		}
	}
	buf_putc(out, ',');
}

static void fmt_ipv6_masked(struct buf *out, const char *name,
			    const uint8_t *v, const uint8_t *m)
{
	static const uint8_t zero[16];
	int bits;

	if (!memcmp(m, zero, 16))
		return;
	buf_puts(out, name);
	buf_putc(out, '=');
	ofp_format_ipv6(out, v);
	bits = ofp_cidr_bits(m, 16);
	if (bits != 128) {
		if (bits >= 0) {
			buf_putc(out, '/');
			ofp_put_dec(out, (uint64_t)bits);
		} else {
			buf_putc(out, '/');
			ofp_format_ipv6(out, m);
		}
	}
	buf_putc(out, ',');
}

static void fmt_flags(struct buf *out, const char *const *names, unsigned n,
		      uint32_t v, uint32_t m, uint32_t max)
{
	unsigned i;

	if (m == max) {
		bool any = false;

		if (!v) {
			buf_putc(out, '0');
			return;
		}
		for (i = 0; i < n; i++) {
			if (v & (1u << i)) {
				if (any)
					buf_putc(out, '|');
				buf_puts(out, names[i]);
				any = true;
			}
		}
		return;
	}
	if (!m) {
		buf_puts(out, "0/0");
		return;
	}
	for (i = 0; i < n; i++) {
		if (m & (1u << i)) {
			buf_putc(out, v & (1u << i) ? '+' : '-');
			buf_puts(out, names[i]);
		}
	}
}

static void fmt_ct_label(struct buf *out, const struct ofp_match *m)
{
	static const uint8_t zero[16];
	const uint8_t *v = m->flow.key.ct_labels, *k = m->mask.key.ct_labels;
	uint8_t bv[16], bk[16];
	bool full = true;
	int i;

	if (!memcmp(k, zero, 16))
		return;
	for (i = 0; i < 16; i++) {      /* little-endian storage to printing order */
		bv[i] = v[15 - i];
		bk[i] = k[15 - i];
		full = full && bk[i] == 0xff;
	}
	buf_puts(out, "ct_label=");
	ofp_format_hexnum(out, bv, 16);
	if (!full) {
		buf_putc(out, '/');
		ofp_format_hexnum(out, bk, 16);
	}
	buf_putc(out, ',');
}

static const char *shorthand(const struct ofp_match *m, bool *skip_proto)
{
	uint16_t dl = ntohs(m->flow.key.eth_type);
	uint8_t proto = m->flow.key.nw_proto;
	bool pm = m->mask.key.nw_proto != 0;

	*skip_proto = false;
	if (dl == OFP_ETH_IP || dl == OFP_ETH_IPV6) {
		bool v6 = dl == OFP_ETH_IPV6;
		const char *s = NULL;

		if (pm) {
			if (proto == 1 && !v6)
				s = "icmp";
			else if (proto == 58 && v6)
				s = "icmp6";
			else if (proto == 6)
				s = v6 ? "tcp6" : "tcp";
			else if (proto == 17)
				s = v6 ? "udp6" : "udp";
			else if (proto == 132)
				s = v6 ? "sctp6" : "sctp";
		}
		if (s) {
			*skip_proto = true;
			return s;
		}
		return v6 ? "ipv6" : "ip";
	}
	switch (dl) {
	case OFP_ETH_ARP: return "arp";
	case OFP_ETH_RARP: return "rarp";
	case OFP_ETH_MPLS: return "mpls";
	case OFP_ETH_MPLSM: return "mplsm";
	}
	return NULL;
}

static void fmt_vlan(struct buf *out, const struct ofp_match *m)
{
	const struct dp_vlan *v[2] = { &m->flow.key.vlan, &m->flow.key.cvlan };
	const struct dp_vlan *vm[2] = { &m->mask.key.vlan, &m->mask.key.cvlan };
	int i;

	/* The inner tag of a QinQ packet prints with a "1" suffix. */
	for (i = 0; i < 2; i++) {
		uint16_t tci = ntohs(v[i]->tci), k = ntohs(vm[i]->tci);
		uint16_t vid = k & 0x0fff, pcp = k & 0xe000;

		if (!k)
			break;
		if ((k & DP_VLAN_CFI) && (tci & DP_VLAN_CFI) &&
		    (!vid || vid == 0x0fff) && (!pcp || pcp == 0xe000) &&
		    (vid || pcp)) {
			if (vid)
				kv_dec(out, i ? "dl_vlan1" : "dl_vlan", tci & 0x0fff);
			if (pcp)
				kv_dec(out, i ? "dl_vlan_pcp1" : "dl_vlan_pcp", tci >> 13);
		} else {
			buf_puts(out, i ? "vlan_tci1=0x" : "vlan_tci=0x");
			ofp_put_hex(out, tci, 4);
			if (k != 0xffff) {
				buf_puts(out, "/0x");
				ofp_put_hex(out, k, 4);
			}
			buf_putc(out, ',');
		}
	}
}

static void fmt_frag(struct buf *out, uint8_t v, uint8_t k)
{
	const char *s = NULL;

	switch (k & OFP_FRAG_MASK) {
	case OFP_FRAG_MASK:
		s = v & OFP_FRAG_ANY ? (v & OFP_FRAG_LATER ? "later" : "first")
				     : (v & OFP_FRAG_LATER ? "<error>" : "no");
		break;
	case OFP_FRAG_ANY:
		s = v & OFP_FRAG_ANY ? "yes" : "no";
		break;
	case OFP_FRAG_LATER:
		s = v & OFP_FRAG_LATER ? "later" : "not_later";
		break;
	}
	if (s) {
		buf_puts(out, "nw_frag=");
		buf_puts(out, s);
		buf_putc(out, ',');
	}
}

void ofp_match_format(struct buf *out, const struct ofp_match *m,
		      int priority, const struct ofp_names *names)
{
	const struct dp_key *f = &m->flow.key, *k = &m->mask.key;
	uint16_t dl = ntohs(f->eth_type);
	size_t start = out->len;
	bool skip_proto = false, arp = dl == OFP_ETH_ARP || dl == OFP_ETH_RARP;
	const char *sh = k->eth_type ? shorthand(m, &skip_proto) : NULL;
	uint32_t lse = ntohl(f->l3.mpls.lse[0]), lsek = ntohl(k->l3.mpls.lse[0]);
	int i;

	if (priority != OFP_DEFAULT_PRIORITY)
		buf_printf(out, "priority=%d,", priority);
	fmt_u32_masked(out, "pkt_mark", f->skb_mark, k->skb_mark);
	/* Datapath metadata: only megaflows have it. */
	fmt_u32_masked(out, "recirc_id", f->recirc_id, k->recirc_id);
	fmt_u32_masked(out, "dp_hash", f->dp_hash, k->dp_hash);
	if (k->priority)
		buf_printf(out, f->priority ? "skb_priority=%#x," : "skb_priority=%x,",
			   f->priority);
	if (k->ct_state) {
		buf_puts(out, "ct_state=");
		fmt_flags(out, ofp_ct_state_names, 8, f->ct_state, k->ct_state, 0xff);
		buf_putc(out, ',');
	}
	fmt_u16_masked(out, "ct_zone", f->ct_zone, k->ct_zone);
	fmt_u32_masked(out, "ct_mark", f->ct_mark, k->ct_mark);
	fmt_ct_label(out, m);
	if (dl != OFP_ETH_IPV6) {
		fmt_ip_masked(out, "ct_nw_src", f->ct_orig.v4.src,
			      k->ct_orig.v4.src);
		fmt_ip_masked(out, "ct_nw_dst", f->ct_orig.v4.dst,
			      k->ct_orig.v4.dst);
	} else {
		fmt_ipv6_masked(out, "ct_ipv6_src", f->ct_orig.v6.src,
				k->ct_orig.v6.src);
		fmt_ipv6_masked(out, "ct_ipv6_dst", f->ct_orig.v6.dst,
				k->ct_orig.v6.dst);
	}
	if (k->ct_orig_proto)
		buf_printf(out, "ct_nw_proto=%u,", f->ct_orig_proto);
	fmt_u16_masked(out, "ct_tp_src", ntohs(f->ct_orig_tp_src),
		       ntohs(k->ct_orig_tp_src));
	fmt_u16_masked(out, "ct_tp_dst", ntohs(f->ct_orig_tp_dst),
		       ntohs(k->ct_orig_tp_dst));
	if (k->mac_proto && f->mac_proto == DP_MAC_NONE)
		buf_printf(out, "packet_type=(1,0x%x),", dl);
	if (sh) {
		buf_puts(out, sh);
		buf_putc(out, ',');
	}
	for (i = 0; i < OFP_N_REGS; i++)
		fmt_u32_masked(out, ofp_field_get(OFP_F_REG0 + i)->name,
			       m->flow.regs[i], m->mask.regs[i]);
	fmt_u64_masked(out, "tun_id", be64toh(f->tun.id), be64toh(k->tun.id));
	if (f->tun_proto != DP_TUN_IPV6) {
		fmt_ip_masked(out, "tun_src", f->tun.addr.v4.src, k->tun.addr.v4.src);
		fmt_ip_masked(out, "tun_dst", f->tun.addr.v4.dst, k->tun.addr.v4.dst);
	} else {
		fmt_ipv6_masked(out, "tun_ipv6_src", f->tun.addr.v6.src,
				k->tun.addr.v6.src);
		fmt_ipv6_masked(out, "tun_ipv6_dst", f->tun.addr.v6.dst,
				k->tun.addr.v6.dst);
	}
	fmt_u64_masked(out, "metadata", m->flow.metadata, m->mask.metadata);
	if (k->in_port) {
		buf_puts(out, "in_port=");
		ofp_port_format(out, (uint16_t)f->in_port, names);
		buf_putc(out, ',');
	}
	fmt_vlan(out, m);
	fmt_eth_masked(out, "dl_src", f->eth_src, k->eth_src);
	fmt_eth_masked(out, "dl_dst", f->eth_dst, k->eth_dst);
	if (!sh && k->eth_type) {
		buf_puts(out, "dl_type=0x");
		ofp_put_hex(out, dl, 4);
		buf_putc(out, ',');
	}
	if (dl == OFP_ETH_IPV6) {
		fmt_ipv6_masked(out, "ipv6_src", f->l3.ipv6.src, k->l3.ipv6.src);
		fmt_ipv6_masked(out, "ipv6_dst", f->l3.ipv6.dst, k->l3.ipv6.dst);
		if (k->l3.ipv6.label) {
			if (k->l3.ipv6.label == UINT32_MAX)
				buf_printf(out, "ipv6_label=0x%05x,",
					   ntohl(f->l3.ipv6.label));
			else
				buf_printf(out, "ipv6_label=0x%05x/0x%05x,",
					   ntohl(f->l3.ipv6.label),
					   ntohl(k->l3.ipv6.label));
		}
	} else if (arp) {
		fmt_ip_masked(out, "arp_spa", f->l3.ipv4.src, k->l3.ipv4.src);
		fmt_ip_masked(out, "arp_tpa", f->l3.ipv4.dst, k->l3.ipv4.dst);
	} else if (dl != OFP_ETH_MPLS && dl != OFP_ETH_MPLSM) {
		fmt_ip_masked(out, "nw_src", f->l3.ipv4.src, k->l3.ipv4.src);
		fmt_ip_masked(out, "nw_dst", f->l3.ipv4.dst, k->l3.ipv4.dst);
	}
	if (!skip_proto && k->nw_proto)
		kv_dec(out, arp ? "arp_op" : "nw_proto", f->nw_proto);
	if (arp) {
		fmt_eth_masked(out, "arp_sha", f->l3.ipv4.arp_sha,
			       k->l3.ipv4.arp_sha);
		fmt_eth_masked(out, "arp_tha", f->l3.ipv4.arp_tha,
			       k->l3.ipv4.arp_tha);
	}
	if (k->nw_tos & 0xfc)
		kv_dec(out, "nw_tos", f->nw_tos & 0xfc);
	if (k->nw_tos & 0x03)
		kv_dec(out, "nw_ecn", f->nw_tos & 0x03);
	if (k->nw_ttl)
		kv_dec(out, "nw_ttl", f->nw_ttl);
	if (dl == OFP_ETH_MPLS || dl == OFP_ETH_MPLSM) {
		if (lsek & 0xfffff000)
			kv_dec(out, "mpls_label", lse >> 12);
		if (lsek & 0x00000e00)
			kv_dec(out, "mpls_tc", (lse >> 9) & 7);
		if (lsek & 0x000000ff)
			kv_dec(out, "mpls_ttl", lse & 0xff);
		if (lsek & 0x00000100)
			kv_dec(out, "mpls_bos", (lse >> 8) & 1);
		for (i = 1; i < DP_MPLS_DEPTH; i++) {
			uint32_t v = ntohl(f->l3.mpls.lse[i]);
			uint32_t km = ntohl(k->l3.mpls.lse[i]);

			if (km == UINT32_MAX)
				buf_printf(out, "mpls_lse%d=%u,", i, v);
			else if (km)
				buf_printf(out, "mpls_lse%d=0x%x/0x%x,", i, v, km);
		}
	}
	fmt_frag(out, f->nw_frag, k->nw_frag);
	if (dl == OFP_ETH_IP && f->nw_proto == 1) {
		fmt_u16_masked(out, "icmp_type", ntohs(f->tp_src), ntohs(k->tp_src));
		fmt_u16_masked(out, "icmp_code", ntohs(f->tp_dst), ntohs(k->tp_dst));
	} else if (dl == OFP_ETH_IP && f->nw_proto == 2) {
		fmt_u16_masked(out, "igmp_type", ntohs(f->tp_src), ntohs(k->tp_src));
		fmt_u16_masked(out, "igmp_code", ntohs(f->tp_dst), ntohs(k->tp_dst));
	} else if (dl == OFP_ETH_IPV6 && f->nw_proto == 58) {
		fmt_u16_masked(out, "icmp_type", ntohs(f->tp_src), ntohs(k->tp_src));
		fmt_u16_masked(out, "icmp_code", ntohs(f->tp_dst), ntohs(k->tp_dst));
		fmt_ipv6_masked(out, "nd_target", f->l3.ipv6.nd_target,
				k->l3.ipv6.nd_target);
		fmt_eth_masked(out, "nd_sll", f->l3.ipv6.nd_sll, k->l3.ipv6.nd_sll);
		fmt_eth_masked(out, "nd_tll", f->l3.ipv6.nd_tll, k->l3.ipv6.nd_tll);
	} else {
		fmt_u16_masked(out, "tp_src", ntohs(f->tp_src), ntohs(k->tp_src));
		fmt_u16_masked(out, "tp_dst", ntohs(f->tp_dst), ntohs(k->tp_dst));
	}
	if ((dl == OFP_ETH_IP || dl == OFP_ETH_IPV6) && f->nw_proto == 6 &&
	    k->tcp_flags) {
		buf_puts(out, "tcp_flags=");
		fmt_flags(out, ofp_tcp_flag_names, 12, ntohs(f->tcp_flags),
			  ntohs(k->tcp_flags) & 0x0fff, 0x0fff);
		buf_putc(out, ',');
	}
	if (out->len > start && out->data[out->len - 1] == ',')
		buf_truncate(out, out->len - 1);
}
