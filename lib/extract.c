/*
 * extract.c - packet bytes to flow key (see extract.h).
 *
 * The rules are the kernel's (net/openvswitch/flow.c), restated here for a
 * flat buffer instead of an skb.  Where they surprise, the comment says so:
 * those are the places where Open vSwitch's userspace flow_extract() gives a
 * different key, and the kernel's answer is the one we keep.
 *
 * Speed matters: this runs once per packet in dpd.  Header fields stay in
 * network byte order (the key's convention), so the common path only copies
 * and compares against constants swapped at compile time; nothing is
 * byte-swapped at run time except lengths and offsets.
 */
#include "extract.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif
#include <linux/openvswitch.h>

/* Constants in network byte order, swapped at compile time. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BE16(x) ((uint16_t)(x))
#define BE32(x) ((uint32_t)(x))
#else
#define BE16(x) ((uint16_t)((((x) & 0xffu) << 8) | (((x) >> 8) & 0xffu)))
#define BE32(x) ((uint32_t)((((x) & 0xffu) << 24) | (((x) & 0xff00u) << 8) | \
			    (((x) >> 8) & 0xff00u) | (((x) >> 24) & 0xffu)))
#endif

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

enum {
	ETH_HDR = 14,
	ETHT_IP = 0x0800, ETHT_ARP = 0x0806, ETHT_RARP = 0x8035,
	ETHT_IPV6 = 0x86dd, ETHT_VLAN = 0x8100, ETHT_QINQ = 0x88a8,
	ETHT_MPLS = 0x8847, ETHT_MPLS_MC = 0x8848, ETHT_MIN = 0x0600,
	P_HOP = 0, P_ICMP = 1, P_TCP = 6, P_UDP = 17, P_ROUTING = 43,
	P_FRAGMENT = 44, P_AUTH = 51, P_ICMPV6 = 58, P_NONE = 59,
	P_DEST = 60, P_SCTP = 132,
	ND_NS = 135, ND_NA = 136, ND_OPT_SLL = 1, ND_OPT_TLL = 2,
};

#define HDR_NONE ((size_t)DP_HDR_NONE)

/* Unaligned loads, no byte swap: the value stays in network order. */
static inline uint16_t ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint32_t ld32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

/* Host-order value of a 16-bit big-endian field (lengths, opcodes). */
static inline unsigned int rd16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static inline int is_vlan(uint16_t be_type)
{
	return be_type == BE16(ETHT_VLAN) || be_type == BE16(ETHT_QINQ);
}

static inline int mac_is_zero(const uint8_t *m)
{
	return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

/* The kernel's ipv6_ext_hdr(): what its IPv6 walks step over.  ESP is not
 * in the list (its payload is opaque), NONE is, as a terminator. */
static inline int ipv6_is_ext(unsigned int nh)
{
	return nh == P_HOP || nh == P_ROUTING || nh == P_FRAGMENT ||
	       nh == P_AUTH || nh == P_NONE || nh == P_DEST;
}

/*
 * OVS_KEY_ATTR_IPV6_EXTHDRS: which extension headers the packet has and
 * whether they repeat or break the RFC 8200 order.  This is a second walk,
 * separate from the one that finds the upper layer, because the kernel's
 * rules for it differ: every header's length is taken as (len + 1) * 8
 * (AH and fragment headers included), the walk reads only two bytes per
 * header and goes on past fragments, and ESP is never seen.
 */
static uint16_t ipv6_exthdr_bits(const uint8_t *p, size_t len, size_t ofs,
				 unsigned int nh)
{
	const uint16_t ordered = DP_IPV6_EXT_HOP | DP_IPV6_EXT_DEST |
				 DP_IPV6_EXT_ROUTER | DP_IPV6_EXT_UNREP;
	unsigned int n_dest = 0;
	uint16_t bits = 0;

	while (ipv6_is_ext(nh)) {
		switch (nh) {
		case P_NONE:
			return bits | DP_IPV6_EXT_NONEXT;
		case P_AUTH:
			if (bits & DP_IPV6_EXT_AUTH)
				bits |= DP_IPV6_EXT_UNREP;
			if ((bits & ~(ordered | DP_IPV6_EXT_FRAG)) || n_dest >= 2)
				bits |= DP_IPV6_EXT_UNSEQ;
			bits |= DP_IPV6_EXT_AUTH;
			break;
		case P_DEST:
			if (n_dest == 0) {
				if (bits & ~(DP_IPV6_EXT_HOP | DP_IPV6_EXT_UNREP))
					bits |= DP_IPV6_EXT_UNSEQ;
				bits |= DP_IPV6_EXT_DEST;
			} else if (n_dest == 1) {
				/* The second one may close the chain. */
				if (bits & ~(ordered | DP_IPV6_EXT_FRAG |
					     DP_IPV6_EXT_AUTH | DP_IPV6_EXT_ESP))
					bits |= DP_IPV6_EXT_UNSEQ;
			} else {
				bits |= DP_IPV6_EXT_UNREP;
			}
			n_dest++;
			break;
		case P_FRAGMENT:
			if (bits & DP_IPV6_EXT_FRAG)
				bits |= DP_IPV6_EXT_UNREP;
			if ((bits & ~ordered) || n_dest >= 2)
				bits |= DP_IPV6_EXT_UNSEQ;
			bits |= DP_IPV6_EXT_FRAG;
			break;
		case P_ROUTING:
			if (bits & DP_IPV6_EXT_ROUTER)
				bits |= DP_IPV6_EXT_UNREP;
			if ((bits & ~(DP_IPV6_EXT_HOP | DP_IPV6_EXT_DEST |
				      DP_IPV6_EXT_UNREP)) || n_dest >= 2)
				bits |= DP_IPV6_EXT_UNSEQ;
			bits |= DP_IPV6_EXT_ROUTER;
			break;
		default: /* P_HOP: only first in line counts as present */
			if (bits & DP_IPV6_EXT_HOP)
				bits |= DP_IPV6_EXT_UNREP;
			if (bits == 0)
				bits |= DP_IPV6_EXT_HOP;
			else
				bits |= DP_IPV6_EXT_UNSEQ;
			break;
		}
		if (ofs > len || len - ofs < 2)
			break;
		nh = p[ofs];
		ofs += ((size_t)p[ofs + 1] + 1) * 8;
	}
	return bits;
}

/*
 * Find the upper-layer header after the IPv6 header at p[ofs] (the kernel's
 * ipv6_find_hdr() with no target).  Returns its protocol and sets *l4, or
 * returns -1 for a chain it cannot follow.  *frag is set from the first
 * fragment header met: OVS_FRAG_TYPE_FIRST, or _LATER for a non-zero
 * offset (which ends the walk: the rest is not in this packet).
 *
 * Kernel rules kept on purpose:
 *  - an extension header needs only its first 2 bytes (4 for routing and
 *    fragment headers) to be stepped over; its length is not checked
 *    against the packet, so the upper layer may lie past the end (and its
 *    own check then fails);
 *  - an atomic fragment (offset 0, M clear) is a FIRST fragment;
 *  - a later fragment whose next header is itself an extension header
 *    cannot be followed: -1 with *frag FIRST (the offset is not recorded).
 */
static int ipv6_upper(const uint8_t *p, size_t len, size_t ofs,
		      size_t *l4, uint8_t *frag)
{
	unsigned int nh = p[ofs + 6];
	size_t at = ofs + 40;

	for (;;) {
		size_t hlen;

		if (!ipv6_is_ext(nh) || nh == P_NONE)
			break;
		if (at > len || len - at < 2)
			return -1;
		if (nh == P_FRAGMENT) {
			*frag = OVS_FRAG_TYPE_FIRST;
			if (len - at < 4)
				return -1;
			if (ld16(p + at + 2) & BE16(0xfff8)) {
				unsigned int next = p[at];

				if (ipv6_is_ext(next) && next != P_NONE)
					return -1;
				*frag = OVS_FRAG_TYPE_LATER;
				return (int)next;
			}
			hlen = 8;
		} else if (nh == P_AUTH) {
			hlen = ((size_t)p[at + 1] + 2) * 4;
		} else {
			if (nh == P_ROUTING && len - at < 4)
				return -1;
			hlen = ((size_t)p[at + 1] + 1) * 8;
		}
		nh = p[at];
		at += hlen;
	}
	*l4 = at;
	return (int)nh;
}

/* Neighbour discovery: target and link-layer address options.  'at' is the
 * ICMPv6 header, known to have its 8 bytes. */
static void extract_nd(const uint8_t *p, size_t len, size_t at,
		       struct dp_key *key)
{
	size_t rem = len - at;

	if (rem < 24)
		return;
	memcpy(key->l3.ipv6.nd_target, p + at + 8, 16);
	at += 24;
	rem -= 24;
	while (rem >= 8) {
		size_t olen = (size_t)p[at + 1] * 8;
		uint8_t *ll = NULL;

		if (!olen || olen > rem)
			return;         /* keep what was found so far */
		if (olen == 8 && p[at] == ND_OPT_SLL)
			ll = key->l3.ipv6.nd_sll;
		else if (olen == 8 && p[at] == ND_OPT_TLL)
			ll = key->l3.ipv6.nd_tll;
		if (ll) {
			if (!mac_is_zero(ll))
				goto invalid;   /* the same option twice */
			memcpy(ll, p + at + 2, 6);
		}
		at += olen;
		rem -= olen;
	}
	return;
invalid:
	memset(key->l3.ipv6.nd_target, 0, 16);
	memset(key->l3.ipv6.nd_sll, 0, 6);
	memset(key->l3.ipv6.nd_tll, 0, 6);
}

/* TCP, UDP, SCTP, ICMP (not ICMPv6) header at h, with rem bytes from there
 * to the end of the packet: ports or type/code.  A header that does not fit
 * leaves them zero. */
static inline void extract_l4(const uint8_t *h, size_t rem, unsigned int proto,
			      struct dp_key *key)
{
	if (likely(proto == P_TCP)) {
		size_t doff;

		if (unlikely(rem < 20))
			return;
		/* 20 <= data offset <= rem, in one unsigned compare */
		doff = (size_t)(h[12] >> 4) * 4;
		if (unlikely(doff - 20 > rem - 20))
			return;
		key->tp_src = ld16(h);
		key->tp_dst = ld16(h + 2);
		key->tcp_flags = ld16(h + 12) & BE16(0x0fff);
	} else if (proto == P_UDP) {
		if (rem >= 8) {
			key->tp_src = ld16(h);
			key->tp_dst = ld16(h + 2);
		}
	} else if (proto == P_SCTP) {
		if (rem >= 12) {
			key->tp_src = ld16(h);
			key->tp_dst = ld16(h + 2);
		}
	} else if (proto == P_ICMP) {
		if (rem >= 8) {
			/* type and code as 16-bit network-order values */
			key->tp_src = BE16(h[0]);
			key->tp_dst = BE16(h[1]);
		}
	}
}

/* IPv6 at p[ofs].  Returns the offset of the transport header, or
 * HDR_NONE where there is none (a later fragment, a chain that cannot be
 * followed, a header past the end). */
static size_t extract_ipv6(const uint8_t *p, size_t len, size_t ofs,
			   struct dp_key *key)
{
	size_t l4 = 0;
	int proto;

	if (len - ofs < 40)
		return HDR_NONE;
	key->ipv6_exthdrs = ipv6_exthdr_bits(p, len, ofs + 40, p[ofs + 6]);
	key->nw_tos = (uint8_t)(p[ofs] << 4 | p[ofs + 1] >> 4);
	key->nw_ttl = p[ofs + 7];
	key->l3.ipv6.label = ld32(p + ofs) & BE32(0x000fffff);
	memcpy(key->l3.ipv6.src, p + ofs + 8, 16);
	memcpy(key->l3.ipv6.dst, p + ofs + 24, 16);

	proto = ipv6_upper(p, len, ofs, &l4, &key->nw_frag);
	if (key->nw_frag == OVS_FRAG_TYPE_LATER) {
		key->nw_proto = P_FRAGMENT;
		return HDR_NONE;
	}
	if (proto < 0) {
		key->nw_proto = P_NONE;
		return HDR_NONE;
	}
	key->nw_proto = (uint8_t)proto;
	if (l4 > len)
		return HDR_NONE;
	if (proto == P_ICMPV6) {
		if (len - l4 >= 8) {
			key->tp_src = BE16(p[l4]);
			key->tp_dst = BE16(p[l4 + 1]);
			if (p[l4 + 1] == 0 && (p[l4] == ND_NS || p[l4] == ND_NA))
				extract_nd(p, len, l4, key);
		}
	} else if (proto != P_ICMP) {   /* no ICMP (v4) in IPv6 */
		extract_l4(p + l4, len - l4, (unsigned int)proto, key);
	}
	return l4;
}

static void extract_arp(const uint8_t *p, size_t len, size_t ofs,
			struct dp_key *key)
{
	unsigned int op;

	if (len - ofs < 28 || ld16(p + ofs) != BE16(1) ||
	    ld16(p + ofs + 2) != BE16(ETHT_IP) || p[ofs + 4] != 6 ||
	    p[ofs + 5] != 4)
		return;
	op = rd16(p + ofs + 6);
	key->nw_proto = op <= 0xff ? (uint8_t)op : 0;   /* low 8 bits only */
	memcpy(key->l3.ipv4.arp_sha, p + ofs + 8, 6);
	memcpy(&key->l3.ipv4.src, p + ofs + 14, 4);
	memcpy(key->l3.ipv4.arp_tha, p + ofs + 18, 6);
	memcpy(&key->l3.ipv4.dst, p + ofs + 24, 4);
}

/* MPLS: the first DP_MPLS_DEPTH label stack entries.  The kernel walks to
 * the bottom of the stack; if the packet ends first, the entries read so
 * far stay but num_labels_mask stays 0.  Returns the offset after the
 * bottom of the stack, or HDR_NONE. */
static size_t extract_mpls(const uint8_t *p, size_t len, size_t ofs,
			   struct dp_key *key)
{
	size_t n = 0;

	for (;;) {
		uint32_t lse;

		if (len - ofs < 4)
			return HDR_NONE;
		lse = ld32(p + ofs);
		if (n < DP_MPLS_DEPTH)
			key->l3.mpls.lse[n] = lse;
		n++;
		ofs += 4;
		if (lse & BE32(0x100))
			break;
	}
	if (n > DP_MPLS_DEPTH)
		n = DP_MPLS_DEPTH;
	key->l3.mpls.num_labels_mask = (1u << n) - 1;
	return ofs;
}

/* Zero the L2-L4 region.  Explicit word stores, which the compiler merges
 * into a few vector stores, where memset() of this size becomes a "rep
 * stos" with a start-up cost larger than the whole TCP/IPv4 path. */
typedef uint64_t __attribute__((may_alias)) u64_alias;
typedef uint32_t __attribute__((may_alias)) u32_alias;

static inline void zero_l2l4(struct dp_key *key)
{
	u64_alias *w = (u64_alias *)(void *)((char *)key + DP_KEY_OFS_L2);

	_Static_assert(DP_KEY_OFS_L2 % 8 == 0, "L2 region is word aligned");
	_Static_assert(DP_KEY_OFS_L2_END - DP_KEY_OFS_L2 == 12 * 8 + 4,
		       "zero_l2l4() covers the L2-L4 region");
	w[0] = 0; w[1] = 0; w[2] = 0; w[3] = 0; w[4] = 0; w[5] = 0;
	w[6] = 0; w[7] = 0; w[8] = 0; w[9] = 0; w[10] = 0; w[11] = 0;
	*(u32_alias *)(void *)&w[12] = 0;
}

/* The Ethernet type after the MAC addresses, for anything but a plain
 * IPv4 frame: VLAN tags and 802.3 lengths.  Sets key->eth_type and returns
 * the offset of the L3 header. */
static size_t eth_type_slow(const uint8_t *p, size_t len, struct dp_key *key)
{
	size_t ofs = 12;
	uint16_t t = ld16(p + ofs);

	/* A tag counts only if the 2 bytes after it are there. */
	if (is_vlan(t) && len - ofs >= 6) {
		key->vlan.tpid = t;
		key->vlan.tci = ld16(p + ofs + 2) | BE16(DP_VLAN_CFI);
		ofs += 4;
		t = ld16(p + ofs);
		if (is_vlan(t) && len - ofs >= 6) {
			key->cvlan.tpid = t;
			key->cvlan.tci = ld16(p + ofs + 2) | BE16(DP_VLAN_CFI);
			ofs += 4;
			t = ld16(p + ofs);
		}
	}
	ofs += 2;
	/* Below 0x0600 (first byte below 6) it is an 802.3 length: 802.2 LLC,
	 * unless a SNAP header with OUI 0 names an ethertype.  The kernel
	 * does not check the LLC control byte (userspace OVS does, and says
	 * 0x05ff where we say 802.2). */
	if (p[ofs - 2] < (ETHT_MIN >> 8)) {
		t = BE16(DP_ETH_TYPE_802_2);
		if (len - ofs >= 8 && p[ofs] == 0xaa && p[ofs + 1] == 0xaa &&
		    !(p[ofs + 3] | p[ofs + 4] | p[ofs + 5]) &&
		    p[ofs + 6] >= (ETHT_MIN >> 8)) {
			t = ld16(p + ofs + 6);
			ofs += 8;
		}
	}
	key->eth_type = t;
	return ofs;
}

/* Header offsets, when the caller wants them; with h NULL (dp_extract())
 * the compiler drops every store to it. */
static inline void set_hdr(uint16_t *field, size_t ofs)
{
	*field = ofs < HDR_NONE ? (uint16_t)ofs : DP_HDR_NONE;
}

static inline __attribute__((always_inline)) int
extract(const uint8_t *p, size_t len, struct dp_key *key, struct dp_hdrs *h)
{
	uint16_t type;
	size_t ofs;

	if (h)
		h->l2_5 = h->l3 = h->l4 = DP_HDR_NONE;
	if (likely(key->mac_proto == DP_MAC_ETH)) {
		zero_l2l4(key);
		if (unlikely(len < ETH_HDR))
			return -EINVAL;
		memcpy(key->eth_dst, p, 6);
		memcpy(key->eth_src, p + 6, 6);
		type = ld16(p + 12);
		ofs = ETH_HDR;
		if (unlikely(type != BE16(ETHT_IP))) {
			ofs = eth_type_slow(p, len, key);
			type = key->eth_type;
		}
	} else {
		type = key->eth_type;
		zero_l2l4(key);
		if (unlikely(is_vlan(type)))
			return -EINVAL;
		ofs = 0;
	}
	key->eth_type = type;
	if (h && type != BE16(ETHT_MPLS) && type != BE16(ETHT_MPLS_MC))
		set_hdr(&h->l3, ofs);

	if (likely(type == BE16(ETHT_IP))) {
		size_t ihl;
		uint16_t fo;

		if (unlikely(len - ofs < 20))
			return 0;
		/* 20 <= header length <= what is left, in one compare */
		ihl = (size_t)(p[ofs] & 0x0f) * 4;
		if (unlikely(ihl - 20 > len - ofs - 20))
			return 0;
		key->l3.ipv4.src = ld32(p + ofs + 12);
		key->l3.ipv4.dst = ld32(p + ofs + 16);
		key->nw_proto = p[ofs + 9];
		key->nw_tos = p[ofs + 1];
		key->nw_ttl = p[ofs + 8];
		fo = ld16(p + ofs + 6);
		if (unlikely(fo & BE16(0x3fff))) {
			if (fo & BE16(0x1fff)) {
				key->nw_frag = OVS_FRAG_TYPE_LATER;
				return 0;
			}
			key->nw_frag = OVS_FRAG_TYPE_FIRST;
		}
		if (h)
			set_hdr(&h->l4, ofs + ihl);
		extract_l4(p + ofs + ihl, len - ofs - ihl, key->nw_proto, key);
	} else if (type == BE16(ETHT_IPV6)) {
		size_t l4 = extract_ipv6(p, len, ofs, key);

		if (h)
			set_hdr(&h->l4, l4);
	} else if (type == BE16(ETHT_ARP) || type == BE16(ETHT_RARP)) {
		extract_arp(p, len, ofs, key);
	} else if (type == BE16(ETHT_MPLS) || type == BE16(ETHT_MPLS_MC)) {
		size_t l3 = extract_mpls(p, len, ofs, key);

		if (h) {
			set_hdr(&h->l2_5, ofs);
			set_hdr(&h->l3, l3);
		}
	}
	return 0;
}

int dp_extract(const void *pkt, size_t len, struct dp_key *key)
{
	return extract(pkt, len, key, NULL);
}

int dp_extract_hdrs(const void *pkt, size_t len, struct dp_key *key,
		    struct dp_hdrs *hdrs)
{
	return extract(pkt, len, key, hdrs);
}
