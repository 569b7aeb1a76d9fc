/* execute_set.c - set() and set_masked() actions: header rewrites with
 * incremental checksum updates, as net/openvswitch/actions.c does them. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "dp_csum.h"
#include "execute.h"
#include "nlattr.h"

/* dst = (dst & ~m) | (v & m), bytewise. */
static void apply(uint8_t *dst, const uint8_t *v, const uint8_t *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (uint8_t)((dst[i] & ~m[i]) | (v[i] & m[i]));
}

static uint32_t masked32(uint32_t old, uint32_t v, uint32_t m)
{
	return (old & ~m) | (v & m);
}

static int partial(const struct dp_packet *p)
{
	return !!(p->ol_flags & DP_OL_CSUM_PARTIAL);
}

/* The L4 checksum field of the packet's TCP/UDP/ICMPv6 header, if its
 * pseudo header covers the addresses and it is there; NULL otherwise.
 * *udp tells whether the zero-checksum rule applies. */
static uint8_t *l4_check(struct dp_packet *p, const struct dp_key *key, bool v6,
			 bool *udp)
{
	uint8_t *h;

	*udp = false;
	if (p->l4 == DP_OFS_NONE || key->nw_frag == OVS_FRAG_TYPE_LATER)
		return NULL;
	switch (key->nw_proto) {
	case 6:
		h = dp_packet_at(p, p->l4, 18);
		return h ? h + 16 : NULL;
	case 17:
		h = dp_packet_at(p, p->l4, 8);
		if (!h)
			return NULL;
		*udp = true;
		/* A zero UDP checksum means "none" (IPv4): keep it so. */
		if (!h[6] && !h[7] && !partial(p))
			return NULL;
		return h + 6;
	case 58:
		h = v6 ? dp_packet_at(p, p->l4, 4) : NULL;
		return h ? h + 2 : NULL;
	}
	return NULL;
}

static void fix_udp_zero(uint8_t *c, bool udp)
{
	if (udp && !c[0] && !c[1])
		c[0] = c[1] = 0xff;
}

/* Change a 32-bit word of an address in the pseudo header. */
static void addr_word(struct dp_packet *p, uint8_t *c, bool udp,
		      uint32_t from, uint32_t to)
{
	if (c && from != to) {
		dp_csum_replace32(c, from, to, partial(p));
		fix_udp_zero(c, udp);
	}
}

static int set_ipv4(struct dp_packet *p, const struct dp_key *key,
		    const struct ovs_key_ipv4 *v, const struct ovs_key_ipv4 *m)
{
	uint8_t *ip = p->l3 != DP_OFS_NONE ? dp_packet_at(p, p->l3, 20) : NULL;
	uint32_t old, new;
	uint16_t ow, nw;
	uint8_t *c;
	bool udp;

	if (!ip || ntohs(key->eth_type) != 0x0800 || (ip[0] >> 4) != 4)
		return -EINVAL;
	c = l4_check(p, key, false, &udp);
	if (m->ipv4_src) {
		memcpy(&old, ip + 12, 4);
		new = masked32(old, v->ipv4_src, m->ipv4_src);
		if (new != old) {
			addr_word(p, c, udp, old, new);
			dp_csum_replace32(ip + 10, old, new, 0);
			memcpy(ip + 12, &new, 4);
		}
	}
	if (m->ipv4_dst) {
		memcpy(&old, ip + 16, 4);
		new = masked32(old, v->ipv4_dst, m->ipv4_dst);
		if (new != old) {
			addr_word(p, c, udp, old, new);
			dp_csum_replace32(ip + 10, old, new, 0);
			memcpy(ip + 16, &new, 4);
		}
	}
	if (m->ipv4_tos) {
		memcpy(&ow, ip, 2);
		ip[1] = (uint8_t)((ip[1] & ~m->ipv4_tos) | (v->ipv4_tos & m->ipv4_tos));
		memcpy(&nw, ip, 2);
		dp_csum_replace16(ip + 10, ow, nw, 0);
	}
	if (m->ipv4_ttl) {
		memcpy(&ow, ip + 8, 2);
		ip[8] = (uint8_t)((ip[8] & ~m->ipv4_ttl) | (v->ipv4_ttl & m->ipv4_ttl));
		memcpy(&nw, ip + 8, 2);
		dp_csum_replace16(ip + 10, ow, nw, 0);
	}
	return 0;
}

static void set_ipv6_addr(struct dp_packet *p, uint8_t *addr, const uint8_t *v,
			  const uint8_t *m, uint8_t *c, bool udp)
{
	int i;

	for (i = 0; i < 16; i += 4) {
		uint32_t old, nv, nm;

		memcpy(&old, addr + i, 4);
		memcpy(&nv, v + i, 4);
		memcpy(&nm, m + i, 4);
		nv = masked32(old, nv, nm);
		addr_word(p, c, udp, old, nv);
		memcpy(addr + i, &nv, 4);
	}
}

static int set_ipv6(struct dp_packet *p, const struct dp_key *key,
		    const struct ovs_key_ipv6 *v, const struct ovs_key_ipv6 *m)
{
	uint8_t *ip = p->l3 != DP_OFS_NONE ? dp_packet_at(p, p->l3, 40) : NULL;
	static const uint8_t zero16[16];
	uint32_t w, tc, label, ml;
	uint8_t *c;
	bool udp;

	if (!ip || ntohs(key->eth_type) != 0x86dd || (ip[0] >> 4) != 6)
		return -EINVAL;
	c = l4_check(p, key, true, &udp);
	if (memcmp(m->ipv6_src, zero16, 16))
		set_ipv6_addr(p, ip + 8, (const uint8_t *)v->ipv6_src,
			      (const uint8_t *)m->ipv6_src, c, udp);
	/* With a routing header the pseudo header holds the final
	 * destination, not this one: leave the checksum alone. */
	if (memcmp(m->ipv6_dst, zero16, 16))
		set_ipv6_addr(p, ip + 24, (const uint8_t *)v->ipv6_dst,
			      (const uint8_t *)m->ipv6_dst,
			      key->ipv6_exthdrs & DP_IPV6_EXT_ROUTER ? NULL : c, udp);
	memcpy(&w, ip, 4);
	w = ntohl(w);
	tc = (w >> 20) & 0xff;
	tc = (tc & ~(uint32_t)m->ipv6_tclass) | (v->ipv6_tclass & m->ipv6_tclass);
	ml = ntohl(m->ipv6_label) & 0xfffff;
	label = masked32(w & 0xfffff, ntohl(v->ipv6_label), ml);
	w = htonl((w & 0xf0000000u) | tc << 20 | label);
	memcpy(ip, &w, 4);
	ip[7] = (uint8_t)((ip[7] & ~m->ipv6_hlimit) | (v->ipv6_hlimit & m->ipv6_hlimit));
	return 0;
}

/* TCP/UDP/SCTP ports, ICMP type/code: 'v'/'m' are 4 (ports) or 2 bytes. */
static int set_l4(struct dp_packet *p, const struct dp_key *key, uint16_t type,
		  const uint8_t *v, const uint8_t *m)
{
	static const uint8_t proto_of[] = {
		[OVS_KEY_ATTR_TCP] = 6, [OVS_KEY_ATTR_UDP] = 17,
		[OVS_KEY_ATTR_SCTP] = 132, [OVS_KEY_ATTR_ICMP] = 1,
		[OVS_KEY_ATTR_ICMPV6] = 58,
	};
	size_t n = type == OVS_KEY_ATTR_ICMP || type == OVS_KEY_ATTR_ICMPV6 ? 2 : 4;
	uint16_t old[2], new[2];
	uint8_t *h;
	unsigned i;

	if (key->nw_proto != proto_of[type] || key->nw_frag == OVS_FRAG_TYPE_LATER ||
	    p->l4 == DP_OFS_NONE)
		return -EINVAL;
	if ((type == OVS_KEY_ATTR_ICMP) != (ntohs(key->eth_type) == 0x0800) &&
	    (type == OVS_KEY_ATTR_ICMP || type == OVS_KEY_ATTR_ICMPV6))
		return -EINVAL;
	h = dp_packet_at(p, p->l4, type == OVS_KEY_ATTR_TCP ? 18 :
			 type == OVS_KEY_ATTR_SCTP ? 12 : type == OVS_KEY_ATTR_UDP ? 8 : 4);
	if (!h)
		return -EINVAL;
	memcpy(old, h, n);
	if (type == OVS_KEY_ATTR_SCTP) {
		int64_t before = dp_csum_sctp(p), after;
		uint32_t field;

		apply(h, v, m, 4);
		after = dp_csum_sctp(p);
		if (before < 0 || after < 0)
			return -EINVAL;
		/* Keep a wrong checksum wrong, as the kernel does. */
		field = (uint32_t)h[8] | (uint32_t)h[9] << 8 |
			(uint32_t)h[10] << 16 | (uint32_t)h[11] << 24;
		field ^= (uint32_t)before ^ (uint32_t)after;
		h[8] = (uint8_t)field;
		h[9] = (uint8_t)(field >> 8);
		h[10] = (uint8_t)(field >> 16);
		h[11] = (uint8_t)(field >> 24);
		return 0;
	}
	apply(h, v, m, n);
	memcpy(new, h, n);
	switch (type) {
	case OVS_KEY_ATTR_TCP:
		if (!partial(p))
			for (i = 0; i < 2; i++)
				dp_csum_replace16(h + 16, old[i], new[i], 0);
		break;
	case OVS_KEY_ATTR_UDP:
		if ((h[6] || h[7]) && !partial(p)) {
			for (i = 0; i < 2; i++)
				dp_csum_replace16(h + 6, old[i], new[i], 0);
			fix_udp_zero(h + 6, true);
		}
		break;
	default:                /* ICMP, ICMPv6: type and code */
		dp_csum_replace16(h + 2, old[0], new[0], 0);
		break;
	}
	return 0;
}

int dp_exec_set(struct dp_packet *p, struct dp_key *key, bool *key_ok,
		const void *nested, size_t len, bool masked,
		const void **egress_tun, size_t *egress_tun_len)
{
	static const uint8_t ones[64] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	const struct nlattr *a = nested;
	uint8_t v[64], m[64];
	size_t n;
	uint16_t type;
	uint32_t u;
	uint8_t *h;
	int err;

	if (!na_ok(a, len))
		return -EINVAL;
	type = na_type(a);
	n = na_len(a);
	if (type == OVS_KEY_ATTR_TUNNEL) {
		if (masked)
			return -EINVAL;
		/* Metadata for a tunnel port's output; dpd has no tunnel
		 * ports yet, so it only travels to userspace() upcalls. */
		*egress_tun = na_data(a);
		*egress_tun_len = n;
		return 0;
	}
	if (masked) {
		if (n % 2 || n / 2 > sizeof v)
			return -EINVAL;
		n /= 2;
		memcpy(m, (const uint8_t *)na_data(a) + n, n);
	} else {
		if (n > sizeof v)
			return -EINVAL;
		memcpy(m, ones, n);
	}
	memcpy(v, na_data(a), n);
	if (!*key_ok) {
		dp_packet_extract_reuse(p, key);
		*key_ok = true;
	}

	switch (type) {
	case OVS_KEY_ATTR_PRIORITY:
	case OVS_KEY_ATTR_SKB_MARK: {
		uint32_t *md = type == OVS_KEY_ATTR_PRIORITY ? &p->md.priority
							     : &p->md.skb_mark;
		uint32_t vv, mm;

		if (n != 4)
			return -EINVAL;
		memcpy(&vv, v, 4);
		memcpy(&mm, m, 4);
		*md = masked32(*md, vv, mm);
		if (type == OVS_KEY_ATTR_PRIORITY)
			key->priority = *md;
		else
			key->skb_mark = *md;
		return 0;
	}
	case OVS_KEY_ATTR_ETHERNET: {
		const struct ovs_key_ethernet *ve = (const void *)v, *me = (const void *)m;

		if (n != sizeof *ve || p->mac_proto != DP_MAC_ETH ||
		    !(h = dp_packet_at(p, 0, 12)))
			return -EINVAL;
		apply(h, ve->eth_dst, me->eth_dst, 6);
		apply(h + 6, ve->eth_src, me->eth_src, 6);
		apply(key->eth_dst, ve->eth_dst, me->eth_dst, 6);
		apply(key->eth_src, ve->eth_src, me->eth_src, 6);
		return 0;
	}
	case OVS_KEY_ATTR_IPV4: {
		struct ovs_key_ipv4 vi, mi;

		if (n != sizeof vi)
			return -EINVAL;
		memcpy(&vi, v, n);
		memcpy(&mi, m, n);
		err = set_ipv4(p, key, &vi, &mi);
		break;
	}
	case OVS_KEY_ATTR_IPV6: {
		struct ovs_key_ipv6 vi, mi;

		if (n != sizeof vi)
			return -EINVAL;
		memcpy(&vi, v, n);
		memcpy(&mi, m, n);
		err = set_ipv6(p, key, &vi, &mi);
		break;
	}
	case OVS_KEY_ATTR_TCP:
	case OVS_KEY_ATTR_UDP:
	case OVS_KEY_ATTR_SCTP:
		if (n != 4)
			return -EINVAL;
		err = set_l4(p, key, type, v, m);
		break;
	case OVS_KEY_ATTR_ICMP:
	case OVS_KEY_ATTR_ICMPV6:
		if (n != 2)
			return -EINVAL;
		err = set_l4(p, key, type, v, m);
		break;
	case OVS_KEY_ATTR_MPLS:
		if (n != 4 || p->l2_5 == DP_OFS_NONE ||
		    !(h = dp_packet_at(p, p->l2_5, 4)))
			return -EINVAL;
		memcpy(&u, h, 4);
		{
			uint32_t vv, mm;

			memcpy(&vv, v, 4);
			memcpy(&mm, m, 4);
			u = masked32(u, vv, mm);
		}
		memcpy(h, &u, 4);
		err = 0;
		break;
	default:
		return -EINVAL;
	}
	/* The header changed under the key: re-read it when next needed. */
	*key_ok = false;
	return err;
}
