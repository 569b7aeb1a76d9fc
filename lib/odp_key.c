/*
 * odp_key.c - reading flow keys and masks as the Linux openvswitch module
 * reads OVS_FLOW_ATTR_KEY and OVS_FLOW_ATTR_MASK.
 *
 * The kernel reads a match in five steps, and so do we, in the same order,
 * so that the first problem found is the one the kernel would report:
 *
 *  1. scan the key's attributes into a table indexed by type (range,
 *     "not supported" types, duplicates, lengths, trailing bytes);
 *  2. peel VLAN headers: ETHERTYPE 0x8100/0x88a8 + VLAN + ENCAP, whose
 *     ENCAP's attributes are scanned into the same table, twice at most;
 *  3. read metadata, then the L2-L4 fields, refusing leftovers;
 *  4. the mask: the same three steps over OVS_FLOW_ATTR_MASK, where an
 *     all-zero attribute counts as absent, or, when there is no mask, over
 *     the key's own attributes with every value read as all-ones bits;
 *  5. check that the key has what its eth_type and ip proto imply and that
 *     the mask only covers what the key has.
 *
 * Two details of the kernel matter for byte-exact answers.  The key and the
 * mask share one attribute table: an attribute the mask leaves out (or
 * gives as zeros) is still looked up in the key's, and the VLAN checks of
 * the mask read it.  And the kernel's flow key keeps IPv4, ARP, IPv6, ND,
 * MPLS and the conntrack original tuple in one union: a key that carries
 * attributes of two of them keeps a mix.  We parse the L3 attributes into
 * a copy of that union (struct side.l3) and move the bytes into struct
 * dp_key's own fields at the end, which gives the same mix.
 */
#include "odp_key.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "odp_kernel.h"

/* Offsets in the kernel's L3 union (struct sw_flow_key: ipv4 / ipv6 /
 * mpls); see above. */
enum {
	K_V4_SRC = 0, K_V4_DST = 4, K_V4_CT = 8, K_ARP_SHA = 8, K_ARP_THA = 14,
	K_V6_SRC = 0, K_V6_DST = 16, K_V6_LABEL = 32, K_V6_EXTHDRS = 36,
	K_V6_CT = 40, K_ND_TARGET = 40, K_ND_SLL = 56, K_ND_TLL = 62,
	K_MPLS_MASK = 0, K_MPLS_LSE = 4,
	K_L3_SIZE = 72,
};

#define BIT(t)  (1ULL << (t))
#define HTONS(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define NTOHS(x) HTONS(x)

struct side {
	struct dp_key *k;
	uint8_t l3[K_L3_SIZE];
};

struct kp {
	/* Shared by key and mask, as the kernel's a[] is (see above). */
	const struct nlattr *a[OVS_KEY_ATTR_MAX + 1];
	uint64_t ones;          /* a[t] is an implied mask: reads all-ones */
	struct side s[2];       /* [0] the key, [1] the mask */
	struct dp_err *err;
};

/* The attribute's name, "mask " before it on the mask's side. */
static const char *where(char *buf, size_t n, unsigned type, bool is_mask)
{
	snprintf(buf, n, "%s%s", is_mask ? "mask " : "", odp_kattr_name(type));
	return buf;
}

static int fail(struct kp *p, unsigned type, bool is_mask, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(struct kp *p, unsigned type, bool is_mask, const char *fmt, ...)
{
	char text[DP_ERR_MSG_MAX], w[48];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return odp_fail(p->err, EINVAL, where(w, sizeof w, type, is_mask),
			"%s", text);
}

/* Read a[t]'s payload (its length already checked). */
static void rd(const struct kp *p, unsigned t, void *dst, size_t len)
{
	if (p->ones & BIT(t))
		memset(dst, 0xff, len);
	else
		memcpy(dst, na_data(p->a[t]), len);
}

static uint16_t rd16(const struct kp *p, unsigned t)
{
	uint16_t v;

	rd(p, t, &v, sizeof v);
	return v;
}

static uint32_t rd32(const struct kp *p, unsigned t)
{
	uint32_t v;

	rd(p, t, &v, sizeof v);
	return v;
}

static bool all_zero(const struct nlattr *a, bool ones)
{
	const uint8_t *d = na_data(a);
	size_t i, n = na_len(a);

	if (ones)
		return n == 0;
	for (i = 0; i < n; i++)
		if (d[i])
			return false;
	return true;
}

/* Step 1 (and the ENCAP part of step 2): index a stream into p->a,
 * adding to *attrs.  On the mask's side an all-zero attribute is skipped,
 * without even counting as seen for the duplicate check. */
static int scan(struct kp *p, const void *head, int len, uint64_t *attrs,
		bool is_mask, bool ones)
{
	const struct nlattr *a;
	uint64_t seen = *attrs;
	char w[48];
	int rem;

	ODP_FOR_EACH(a, head, len, rem) {
		unsigned t = na_type(a);
		int want;

		if (t > OVS_KEY_ATTR_MAX)
			return odp_fail(p->err, EINVAL, is_mask ? "mask" : "key",
					"Key type %d is out of range max %d",
					(int)t, OVS_KEY_ATTR_MAX);
		if (t == OVS_KEY_ATTR_PACKET_TYPE ||
		    t == OVS_KEY_ATTR_ND_EXTENSIONS ||
		    t == OVS_KEY_ATTR_TUNNEL_INFO)
			return odp_fail(p->err, EINVAL, where(w, sizeof w, t, is_mask),
					"Key type %d is not supported", (int)t);
		if (seen & BIT(t))
			return odp_fail(p->err, EINVAL, where(w, sizeof w, t, is_mask),
					"Duplicate key (type %d).", (int)t);
		want = odp_kattr_len(t);
		if (want >= 0 && (int)na_len(a) != want)
			return odp_fail(p->err, EINVAL, where(w, sizeof w, t, is_mask),
					"Key %d has unexpected len %d expected %d",
					(int)t, (int)na_len(a), want);
		if (!is_mask || !all_zero(a, ones)) {
			seen |= BIT(t);
			p->a[t] = a;
			if (ones)
				p->ones |= BIT(t);
			else
				p->ones &= ~BIT(t);
		}
	}
	if (rem)
		return odp_fail(p->err, EINVAL, is_mask ? "mask" : "key",
				"Message has %d unknown bytes.", rem);
	*attrs = seen;
	return 0;
}

/* Step 2, one VLAN header: 0 if there is none here, 1 if there is, or an
 * error.  Checks as validate_vlan_from_nlattrs / _mask_from_nlattrs. */
static int vlan_check(struct kp *p, uint64_t attrs, bool inner, bool is_mask)
{
	const char *what = inner ? "C-VLAN" : "VLAN";
	const struct dp_key *key = p->s[0].k;
	uint16_t tci, tpid;

	if (!is_mask) {
		if (!((attrs & BIT(OVS_KEY_ATTR_ETHERNET)) &&
		      (attrs & BIT(OVS_KEY_ATTR_ETHERTYPE)) &&
		      odp_eth_p_vlan(rd16(p, OVS_KEY_ATTR_ETHERTYPE))))
			return 0;
		if (!((attrs & BIT(OVS_KEY_ATTR_VLAN)) &&
		      (attrs & BIT(OVS_KEY_ATTR_ENCAP))))
			return fail(p, OVS_KEY_ATTR_VLAN, false,
				    "Invalid %s frame", what);
		tci = rd16(p, OVS_KEY_ATTR_VLAN);
		if (!(tci & HTONS(DP_VLAN_CFI))) {
			if (tci)
				return fail(p, OVS_KEY_ATTR_VLAN, false,
					    "%s TCI does not have VLAN_CFI_MASK bit set.",
					    what);
			if (na_len(p->a[OVS_KEY_ATTR_ENCAP]))
				return fail(p, OVS_KEY_ATTR_ENCAP, false,
					    "Truncated %s header has non-zero encap attribute.",
					    what);
		}
		return 1;
	}

	if (!(attrs & BIT(OVS_KEY_ATTR_ENCAP)))
		return 0;
	tci = inner ? key->cvlan.tci : key->vlan.tci;
	if (!(tci & HTONS(DP_VLAN_CFI)))
		return fail(p, OVS_KEY_ATTR_ENCAP, true,
			    "Encap mask attribute is set for non-%s frame.", what);
	tci = p->a[OVS_KEY_ATTR_VLAN] ? rd16(p, OVS_KEY_ATTR_VLAN) : 0;
	tpid = p->a[OVS_KEY_ATTR_ETHERTYPE] ? rd16(p, OVS_KEY_ATTR_ETHERTYPE) : 0;
	if (tpid != 0xffff)
		return fail(p, OVS_KEY_ATTR_ETHERTYPE, true,
			    "Must have an exact match on %s TPID (mask=%x).",
			    what, NTOHS(tpid));
	if (!(tci & HTONS(DP_VLAN_CFI)))
		return fail(p, OVS_KEY_ATTR_VLAN, true,
			    "%s TCI mask does not have exact match for VLAN_CFI_MASK bit.",
			    what);
	return 1;
}

static int vlan_one(struct kp *p, uint64_t *attrs, bool inner, bool is_mask)
{
	struct dp_key *t = p->s[is_mask].k;
	struct dp_vlan *v = inner ? &t->cvlan : &t->vlan;
	const struct nlattr *encap;
	bool ones;
	int r;

	r = vlan_check(p, *attrs, inner, is_mask);
	if (r <= 0)
		return r;
	v->tci = p->a[OVS_KEY_ATTR_VLAN] ? rd16(p, OVS_KEY_ATTR_VLAN) : 0;
	v->tpid = p->a[OVS_KEY_ATTR_ETHERTYPE] ?
		  rd16(p, OVS_KEY_ATTR_ETHERTYPE) : 0;
	*attrs &= ~(BIT(OVS_KEY_ATTR_ENCAP) | BIT(OVS_KEY_ATTR_VLAN) |
		    BIT(OVS_KEY_ATTR_ETHERTYPE));
	encap = p->a[OVS_KEY_ATTR_ENCAP];
	ones = p->ones & BIT(OVS_KEY_ATTR_ENCAP);
	return scan(p, na_data(encap), (int)na_len(encap), attrs, is_mask, ones);
}

static int vlans(struct kp *p, uint64_t *attrs, bool is_mask)
{
	int r = vlan_one(p, attrs, false, is_mask);

	if (r < 0)
		return r;
	/* The key decides whether there is an inner header, for both. */
	if (p->s[0].k->vlan.tci & HTONS(DP_VLAN_CFI)) {
		r = vlan_one(p, attrs, true, is_mask);
		if (r < 0)
			return r;
	}
	return 0;
}

static int eth_type(struct kp *p, uint64_t *attrs, bool is_mask)
{
	uint16_t t = rd16(p, OVS_KEY_ATTR_ETHERTYPE);

	if (is_mask)
		t = 0xffff;     /* the kernel always matches eth_type exactly */
	else if (NTOHS(t) < 0x600)
		return fail(p, OVS_KEY_ATTR_ETHERTYPE, false,
			    "EtherType %x is less than min %x", NTOHS(t), 0x600);
	p->s[is_mask].k->eth_type = t;
	*attrs &= ~BIT(OVS_KEY_ATTR_ETHERTYPE);
	return 0;
}

/* Step 3a: metadata_from_nlattrs. */
static int metadata(struct kp *p, uint64_t *attrs, bool is_mask)
{
	struct side *s = &p->s[is_mask];
	struct dp_key *t = s->k;
	uint8_t mac_proto = DP_MAC_ETH;

	if (*attrs & BIT(OVS_KEY_ATTR_DP_HASH)) {
		t->dp_hash = rd32(p, OVS_KEY_ATTR_DP_HASH);
		*attrs &= ~BIT(OVS_KEY_ATTR_DP_HASH);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_RECIRC_ID)) {
		t->recirc_id = rd32(p, OVS_KEY_ATTR_RECIRC_ID);
		*attrs &= ~BIT(OVS_KEY_ATTR_RECIRC_ID);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_PRIORITY)) {
		t->priority = rd32(p, OVS_KEY_ATTR_PRIORITY);
		*attrs &= ~BIT(OVS_KEY_ATTR_PRIORITY);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_IN_PORT)) {
		uint32_t port = rd32(p, OVS_KEY_ATTR_IN_PORT);

		if (is_mask)
			port = 0xffffffff;      /* in_port is always exact */
		else if (port >= ODP_KMAX_PORTS)
			return fail(p, OVS_KEY_ATTR_IN_PORT, false,
				    "Port %d exceeds max allowable %d",
				    (int)port, (int)ODP_KMAX_PORTS);
		t->in_port = port;
		*attrs &= ~BIT(OVS_KEY_ATTR_IN_PORT);
	} else if (!is_mask) {
		t->in_port = DP_PORT_NONE;
	}
	if (*attrs & BIT(OVS_KEY_ATTR_SKB_MARK)) {
		t->skb_mark = rd32(p, OVS_KEY_ATTR_SKB_MARK);
		*attrs &= ~BIT(OVS_KEY_ATTR_SKB_MARK);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_TUNNEL)) {
		bool bridge;

		if (odp_tun_parse(p->a[OVS_KEY_ATTR_TUNNEL], is_mask,
				  p->ones & BIT(OVS_KEY_ATTR_TUNNEL),
				  &p->s[0].k->tun, &t->tun,
				  &t->tun_proto, &bridge, p->err) < 0) {
			dp_err_prefix(p->err, is_mask ? "mask tunnel" : "tunnel");
			return -EINVAL;
		}
		*attrs &= ~BIT(OVS_KEY_ATTR_TUNNEL);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_CT_STATE)) {
		uint32_t st = rd32(p, OVS_KEY_ATTR_CT_STATE);

		/* The kernel's implied mask keeps only the supported bits. */
		if (p->ones & BIT(OVS_KEY_ATTR_CT_STATE))
			st = 0xff;
		if (st & ~0xffu)
			return fail(p, OVS_KEY_ATTR_CT_STATE, is_mask,
				    "ct_state flags %08x unsupported", st);
		t->ct_state = (uint8_t)st;
		*attrs &= ~BIT(OVS_KEY_ATTR_CT_STATE);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_CT_ZONE)) {
		t->ct_zone = rd16(p, OVS_KEY_ATTR_CT_ZONE);
		*attrs &= ~BIT(OVS_KEY_ATTR_CT_ZONE);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_CT_MARK)) {
		t->ct_mark = rd32(p, OVS_KEY_ATTR_CT_MARK);
		*attrs &= ~BIT(OVS_KEY_ATTR_CT_MARK);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_CT_LABELS)) {
		rd(p, OVS_KEY_ATTR_CT_LABELS, t->ct_labels, 16);
		*attrs &= ~BIT(OVS_KEY_ATTR_CT_LABELS);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4)) {
		struct ovs_key_ct_tuple_ipv4 ct;

		rd(p, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4, &ct, sizeof ct);
		memcpy(s->l3 + K_V4_CT, &ct.ipv4_src, 4);
		memcpy(s->l3 + K_V4_CT + 4, &ct.ipv4_dst, 4);
		t->ct_orig_tp_src = ct.src_port;
		t->ct_orig_tp_dst = ct.dst_port;
		t->ct_orig_proto = ct.ipv4_proto;
		*attrs &= ~BIT(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4);
	}
	if (*attrs & BIT(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6)) {
		struct ovs_key_ct_tuple_ipv6 ct;

		rd(p, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, &ct, sizeof ct);
		memcpy(s->l3 + K_V6_CT, ct.ipv6_src, 16);
		memcpy(s->l3 + K_V6_CT + 16, ct.ipv6_dst, 16);
		t->ct_orig_tp_src = ct.src_port;
		t->ct_orig_tp_dst = ct.dst_port;
		t->ct_orig_proto = ct.ipv6_proto;
		*attrs &= ~BIT(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6);
	}

	/* An L3 packet: eth_type without an Ethernet header. */
	if (!(*attrs & BIT(OVS_KEY_ATTR_ETHERNET)) &&
	    (*attrs & BIT(OVS_KEY_ATTR_ETHERTYPE)))
		mac_proto = DP_MAC_NONE;
	t->mac_proto = is_mask ? 0xff : mac_proto;
	if (mac_proto == DP_MAC_NONE)
		return eth_type(p, attrs, is_mask);
	return 0;
}

/* Step 3b: ovs_key_from_nlattrs after the metadata. */
static int fields(struct kp *p, uint64_t attrs, bool is_mask)
{
	struct side *s = &p->s[is_mask];
	struct dp_key *t = s->k;
	int r;

	r = metadata(p, &attrs, is_mask);
	if (r)
		return r;

	if (attrs & BIT(OVS_KEY_ATTR_ETHERNET)) {
		struct ovs_key_ethernet e;

		rd(p, OVS_KEY_ATTR_ETHERNET, &e, sizeof e);
		memcpy(t->eth_src, e.eth_src, 6);
		memcpy(t->eth_dst, e.eth_dst, 6);
		attrs &= ~BIT(OVS_KEY_ATTR_ETHERNET);
		/* VLANs were peeled in step 2; one left is one too many. */
		if (attrs & BIT(OVS_KEY_ATTR_VLAN))
			return fail(p, OVS_KEY_ATTR_VLAN, is_mask,
				    "VLAN attribute unexpected.");
		if (attrs & BIT(OVS_KEY_ATTR_ETHERTYPE)) {
			r = eth_type(p, &attrs, is_mask);
			if (r)
				return r;
		} else if (!is_mask) {
			t->eth_type = HTONS(DP_ETH_TYPE_802_2);
		}
	} else if (!p->s[0].k->eth_type) {
		return fail(p, OVS_KEY_ATTR_ETHERNET, is_mask,
			    "Either Ethernet header or EtherType is required.");
	}

	if (attrs & BIT(OVS_KEY_ATTR_IPV4)) {
		struct ovs_key_ipv4 v4;

		rd(p, OVS_KEY_ATTR_IPV4, &v4, sizeof v4);
		if (!is_mask && v4.ipv4_frag > OVS_FRAG_TYPE_MAX)
			return fail(p, OVS_KEY_ATTR_IPV4, false,
				    "IPv4 frag type %d is out of range max %d",
				    v4.ipv4_frag, OVS_FRAG_TYPE_MAX);
		t->nw_proto = v4.ipv4_proto;
		t->nw_tos = v4.ipv4_tos;
		t->nw_ttl = v4.ipv4_ttl;
		t->nw_frag = v4.ipv4_frag;
		memcpy(s->l3 + K_V4_SRC, &v4.ipv4_src, 4);
		memcpy(s->l3 + K_V4_DST, &v4.ipv4_dst, 4);
		attrs &= ~BIT(OVS_KEY_ATTR_IPV4);
	}
	if (attrs & BIT(OVS_KEY_ATTR_IPV6)) {
		struct ovs_key_ipv6 v6;

		rd(p, OVS_KEY_ATTR_IPV6, &v6, sizeof v6);
		if (!is_mask && v6.ipv6_frag > OVS_FRAG_TYPE_MAX)
			return fail(p, OVS_KEY_ATTR_IPV6, false,
				    "IPv6 frag type %d is out of range max %d",
				    v6.ipv6_frag, OVS_FRAG_TYPE_MAX);
		if (!is_mask && (v6.ipv6_label & __builtin_bswap32(0xfff00000u)))
			return fail(p, OVS_KEY_ATTR_IPV6, false,
				    "IPv6 flow label %x is out of range (max=%x)",
				    __builtin_bswap32(v6.ipv6_label), (1 << 20) - 1);
		memcpy(s->l3 + K_V6_LABEL, &v6.ipv6_label, 4);
		t->nw_proto = v6.ipv6_proto;
		t->nw_tos = v6.ipv6_tclass;
		t->nw_ttl = v6.ipv6_hlimit;
		t->nw_frag = v6.ipv6_frag;
		memcpy(s->l3 + K_V6_SRC, v6.ipv6_src, 16);
		memcpy(s->l3 + K_V6_DST, v6.ipv6_dst, 16);
		attrs &= ~BIT(OVS_KEY_ATTR_IPV6);
	}
	if (attrs & BIT(OVS_KEY_ATTR_IPV6_EXTHDRS)) {
		rd(p, OVS_KEY_ATTR_IPV6_EXTHDRS, s->l3 + K_V6_EXTHDRS, 2);
		attrs &= ~BIT(OVS_KEY_ATTR_IPV6_EXTHDRS);
	}
	if (attrs & BIT(OVS_KEY_ATTR_ARP)) {
		struct ovs_key_arp arp;

		rd(p, OVS_KEY_ATTR_ARP, &arp, sizeof arp);
		/* Printed as the kernel prints it: the raw big-endian value. */
		if (!is_mask && (arp.arp_op & HTONS(0xff00)))
			return fail(p, OVS_KEY_ATTR_ARP, false,
				    "Unknown ARP opcode (opcode=%d).", arp.arp_op);
		memcpy(s->l3 + K_V4_SRC, &arp.arp_sip, 4);
		memcpy(s->l3 + K_V4_DST, &arp.arp_tip, 4);
		t->nw_proto = (uint8_t)NTOHS(arp.arp_op);
		memcpy(s->l3 + K_ARP_SHA, arp.arp_sha, 6);
		memcpy(s->l3 + K_ARP_THA, arp.arp_tha, 6);
		attrs &= ~BIT(OVS_KEY_ATTR_ARP);
	}
	if (attrs & BIT(OVS_KEY_ATTR_NSH)) {
		const char *w = is_mask ? "mask nsh" : "nsh";

		if (odp_nsh_check(p->a[OVS_KEY_ATTR_NSH], is_mask, false, w, p->err))
			return -EINVAL;
		return odp_fail(p->err, EOPNOTSUPP, w,
				"NSH flow keys are not supported by dpkit");
	}
	if (attrs & BIT(OVS_KEY_ATTR_MPLS)) {
		size_t len = na_len(p->a[OVS_KEY_ATTR_MPLS]);
		size_t i, n = len / 4;
		uint32_t lse;

		/* The kernel refuses this without a log message. */
		if (n == 0 || n > DP_MPLS_DEPTH || len % 4)
			return fail(p, OVS_KEY_ATTR_MPLS, is_mask,
				    "%zu bytes is not a stack of 1 to %d labels",
				    len, DP_MPLS_DEPTH);
		for (i = 0; i < n; i++) {
			if (p->ones & BIT(OVS_KEY_ATTR_MPLS))
				lse = 0xffffffff;
			else
				memcpy(&lse, (const uint8_t *)na_data(p->a[OVS_KEY_ATTR_MPLS]) + 4 * i, 4);
			memcpy(s->l3 + K_MPLS_LSE + 4 * i, &lse, 4);
		}
		lse = (1u << n) - 1;
		memcpy(s->l3 + K_MPLS_MASK, &lse, 4);
		attrs &= ~BIT(OVS_KEY_ATTR_MPLS);
	}
	if (attrs & BIT(OVS_KEY_ATTR_TCP)) {
		struct ovs_key_tcp tcp;

		rd(p, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
		t->tp_src = tcp.tcp_src;
		t->tp_dst = tcp.tcp_dst;
		attrs &= ~BIT(OVS_KEY_ATTR_TCP);
	}
	if (attrs & BIT(OVS_KEY_ATTR_TCP_FLAGS)) {
		t->tcp_flags = rd16(p, OVS_KEY_ATTR_TCP_FLAGS);
		attrs &= ~BIT(OVS_KEY_ATTR_TCP_FLAGS);
	}
	if (attrs & BIT(OVS_KEY_ATTR_UDP)) {
		struct ovs_key_udp udp;

		rd(p, OVS_KEY_ATTR_UDP, &udp, sizeof udp);
		t->tp_src = udp.udp_src;
		t->tp_dst = udp.udp_dst;
		attrs &= ~BIT(OVS_KEY_ATTR_UDP);
	}
	if (attrs & BIT(OVS_KEY_ATTR_SCTP)) {
		struct ovs_key_sctp sctp;

		rd(p, OVS_KEY_ATTR_SCTP, &sctp, sizeof sctp);
		t->tp_src = sctp.sctp_src;
		t->tp_dst = sctp.sctp_dst;
		attrs &= ~BIT(OVS_KEY_ATTR_SCTP);
	}
	if (attrs & BIT(OVS_KEY_ATTR_ICMP)) {
		struct ovs_key_icmp icmp;

		rd(p, OVS_KEY_ATTR_ICMP, &icmp, sizeof icmp);
		t->tp_src = HTONS(icmp.icmp_type);
		t->tp_dst = HTONS(icmp.icmp_code);
		attrs &= ~BIT(OVS_KEY_ATTR_ICMP);
	}
	if (attrs & BIT(OVS_KEY_ATTR_ICMPV6)) {
		struct ovs_key_icmpv6 icmp;

		rd(p, OVS_KEY_ATTR_ICMPV6, &icmp, sizeof icmp);
		t->tp_src = HTONS(icmp.icmpv6_type);
		t->tp_dst = HTONS(icmp.icmpv6_code);
		attrs &= ~BIT(OVS_KEY_ATTR_ICMPV6);
	}
	if (attrs & BIT(OVS_KEY_ATTR_ND)) {
		struct ovs_key_nd nd;

		rd(p, OVS_KEY_ATTR_ND, &nd, sizeof nd);
		memcpy(s->l3 + K_ND_TARGET, nd.nd_target, 16);
		memcpy(s->l3 + K_ND_SLL, nd.nd_sll, 6);
		memcpy(s->l3 + K_ND_TLL, nd.nd_tll, 6);
		attrs &= ~BIT(OVS_KEY_ATTR_ND);
	}
	if (attrs)
		return odp_fail(p->err, EINVAL, is_mask ? "mask" : "key",
				"Unknown key attributes %llx",
				(unsigned long long)attrs);
	return 0;
}

static bool is_nd(const struct dp_key *k)
{
	return k->eth_type == HTONS(ODP_ETH_P_IPV6) &&
	       k->nw_frag != OVS_FRAG_TYPE_LATER && k->nw_proto == 58 &&
	       (k->tp_src == HTONS(135) || k->tp_src == HTONS(136));
}

/* Step 5: match_validate.  Names the first missing or unexpected
 * attribute before the kernel's own text. */
static int validate(struct kp *p, uint64_t key_attrs, uint64_t mask_attrs,
		    bool have_mask)
{
	const struct dp_key *k = p->s[0].k, *m = have_mask ? p->s[1].k : NULL;
	uint64_t expect = 0, allowed = key_attrs, bad;
	bool eth_exact = m && m->eth_type == 0xffff;
	bool proto_exact = m && m->nw_proto == 0xff;
	uint16_t et = k->eth_type;
	char w[48];

	allowed &= ~(BIT(OVS_KEY_ATTR_IPV4) | BIT(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4) |
		     BIT(OVS_KEY_ATTR_IPV6) | BIT(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6) |
		     BIT(OVS_KEY_ATTR_TCP) | BIT(OVS_KEY_ATTR_TCP_FLAGS) |
		     BIT(OVS_KEY_ATTR_UDP) | BIT(OVS_KEY_ATTR_SCTP) |
		     BIT(OVS_KEY_ATTR_ICMP) | BIT(OVS_KEY_ATTR_ICMPV6) |
		     BIT(OVS_KEY_ATTR_ARP) | BIT(OVS_KEY_ATTR_ND) |
		     BIT(OVS_KEY_ATTR_MPLS) | BIT(OVS_KEY_ATTR_NSH));
	allowed |= BIT(OVS_KEY_ATTR_TUNNEL) | BIT(OVS_KEY_ATTR_IN_PORT) |
		   BIT(OVS_KEY_ATTR_ETHERTYPE);

	if (et == HTONS(ODP_ETH_P_ARP) || et == HTONS(ODP_ETH_P_RARP)) {
		expect |= BIT(OVS_KEY_ATTR_ARP);
		if (eth_exact)
			allowed |= BIT(OVS_KEY_ATTR_ARP);
	}
	if (odp_eth_p_mpls(et)) {
		expect |= BIT(OVS_KEY_ATTR_MPLS);
		if (eth_exact)
			allowed |= BIT(OVS_KEY_ATTR_MPLS);
	}
	if (et == HTONS(ODP_ETH_P_IP) || et == HTONS(ODP_ETH_P_IPV6)) {
		bool v4 = et == HTONS(ODP_ETH_P_IP);

		expect |= BIT(v4 ? OVS_KEY_ATTR_IPV4 : OVS_KEY_ATTR_IPV6);
		if (eth_exact)
			allowed |= BIT(v4 ? OVS_KEY_ATTR_IPV4 : OVS_KEY_ATTR_IPV6) |
				   BIT(v4 ? OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4 :
					    OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6);
		if (k->nw_frag != OVS_FRAG_TYPE_LATER) {
			uint64_t l4 = 0;

			if (k->nw_proto == 17)
				l4 = BIT(OVS_KEY_ATTR_UDP);
			else if (k->nw_proto == 132)
				l4 = BIT(OVS_KEY_ATTR_SCTP);
			else if (k->nw_proto == 6)
				l4 = BIT(OVS_KEY_ATTR_TCP) | BIT(OVS_KEY_ATTR_TCP_FLAGS);
			else if (k->nw_proto == 1 && v4)
				l4 = BIT(OVS_KEY_ATTR_ICMP);
			else if (k->nw_proto == 58 && !v4)
				l4 = BIT(OVS_KEY_ATTR_ICMPV6);
			expect |= l4;
			if (proto_exact)
				allowed |= l4;
			if (is_nd(k)) {
				expect |= BIT(OVS_KEY_ATTR_ND);
				/* The original tuple and ND share the kernel's
				 * key: not both. */
				allowed &= ~BIT(OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6);
				if (m && m->tp_src == HTONS(0xff))
					allowed |= BIT(OVS_KEY_ATTR_ND);
			}
		}
	}
	if (et == HTONS(ODP_ETH_P_NSH)) {
		expect |= BIT(OVS_KEY_ATTR_NSH);
		if (eth_exact)
			allowed |= BIT(OVS_KEY_ATTR_NSH);
	}

	bad = expect & ~key_attrs;
	if (bad)
		return odp_fail(p->err, EINVAL,
				where(w, sizeof w, (unsigned)__builtin_ctzll(bad), false),
				"Missing key (keys=%llx, expected=%llx)",
				(unsigned long long)key_attrs,
				(unsigned long long)expect);
	bad = mask_attrs & ~allowed;
	if (bad)
		return odp_fail(p->err, EINVAL,
				where(w, sizeof w, (unsigned)__builtin_ctzll(bad), true),
				"Unexpected mask (mask=%llx, allowed=%llx)",
				(unsigned long long)mask_attrs,
				(unsigned long long)allowed);
	return 0;
}

/* Move the kernel-layout L3 bytes into dp_key's fields.  Which of the
 * union's members is live is the key's eth_type, for the mask too. */
static void finish_l3(const struct dp_key *key, struct side *s)
{
	struct dp_key *t = s->k;
	uint16_t et = key->eth_type;

	memset(&t->l3, 0, sizeof t->l3);
	memset(&t->ct_orig, 0, sizeof t->ct_orig);
	memcpy(&t->ipv6_exthdrs, s->l3 + K_V6_EXTHDRS, 2);
	if (et == HTONS(ODP_ETH_P_IP)) {
		memcpy(&t->l3.ipv4.src, s->l3 + K_V4_SRC, 4);
		memcpy(&t->l3.ipv4.dst, s->l3 + K_V4_DST, 4);
		memcpy(&t->ct_orig.v4, s->l3 + K_V4_CT, 8);
	} else if (et == HTONS(ODP_ETH_P_ARP) || et == HTONS(ODP_ETH_P_RARP)) {
		memcpy(&t->l3.ipv4.src, s->l3 + K_V4_SRC, 4);
		memcpy(&t->l3.ipv4.dst, s->l3 + K_V4_DST, 4);
		memcpy(t->l3.ipv4.arp_sha, s->l3 + K_ARP_SHA, 6);
		memcpy(t->l3.ipv4.arp_tha, s->l3 + K_ARP_THA, 6);
	} else if (et == HTONS(ODP_ETH_P_IPV6)) {
		memcpy(t->l3.ipv6.src, s->l3 + K_V6_SRC, 16);
		memcpy(t->l3.ipv6.dst, s->l3 + K_V6_DST, 16);
		memcpy(&t->l3.ipv6.label, s->l3 + K_V6_LABEL, 4);
		if (is_nd(key)) {
			memcpy(t->l3.ipv6.nd_target, s->l3 + K_ND_TARGET, 16);
			memcpy(t->l3.ipv6.nd_sll, s->l3 + K_ND_SLL, 6);
			memcpy(t->l3.ipv6.nd_tll, s->l3 + K_ND_TLL, 6);
			/* The kernel reports a tuple given with ND from the
			 * bytes they share; the mask cannot cover it. */
			if (t == key && key->ct_orig_proto)
				memcpy(&t->ct_orig.v6, s->l3 + K_V6_CT, 32);
		} else {
			memcpy(&t->ct_orig.v6, s->l3 + K_V6_CT, 32);
		}
	} else if (odp_eth_p_mpls(et)) {
		memcpy(t->l3.mpls.lse, s->l3 + K_MPLS_LSE, 12);
		memcpy(&t->l3.mpls.num_labels_mask, s->l3 + K_MPLS_MASK, 4);
	}
}

/* The whole of ovs_nla_get_match.  'mask' NULL: no mask at all (a key
 * alone); 'implied': a mask built from the key, as with no
 * OVS_FLOW_ATTR_MASK. */
static int get_match(const void *kattrs, size_t klen, const void *mattrs,
		     size_t mlen, bool implied, struct dp_key *key,
		     struct dp_key *mask, struct dp_err *err)
{
	uint64_t key_attrs = 0, mask_attrs = 0;
	struct kp p;
	int r;

	memset(&p, 0, sizeof p);
	p.err = err;
	p.s[0].k = key;
	p.s[1].k = mask;
	memset(key, 0, sizeof *key);
	if (mask)
		memset(mask, 0, sizeof *mask);

	r = scan(&p, kattrs, odp_len_int(klen), &key_attrs, false, false);
	if (!r)
		r = vlans(&p, &key_attrs, false);
	if (!r)
		r = fields(&p, key_attrs, false);
	if (r)
		return r;

	if (mask) {
		if (implied) {
			mattrs = kattrs;
			mlen = klen;
			/* Tunnel fields the key leaves out are exact too. */
			if (key->tun_proto) {
				memset(&mask->tun.id, 0xff, sizeof mask->tun.id);
				memset(&mask->tun.addr, 0xff, sizeof mask->tun.addr);
				mask->tun.tp_src = mask->tun.tp_dst = 0xffff;
				mask->tun.tos = mask->tun.ttl = 0xff;
			}
		}
		r = scan(&p, mattrs, odp_len_int(mlen), &mask_attrs, true, implied);
		if (r)
			return r;
		/* The kernel always matches the VLAN TCIs. */
		mask->vlan.tci = mask->cvlan.tci = 0xffff;
		r = vlans(&p, &mask_attrs, true);
		if (!r)
			r = fields(&p, mask_attrs, true);
		if (r)
			return r;
	}

	r = validate(&p, key_attrs, mask_attrs, mask != NULL);
	if (r)
		return r;
	finish_l3(key, &p.s[0]);
	if (mask)
		finish_l3(key, &p.s[1]);
	return 0;
}

int odp_match_from_attrs(const void *key_attrs, size_t key_len,
			 const void *mask_attrs, size_t mask_len,
			 struct dp_key *key, struct dp_key *mask,
			 struct dp_err *err)
{
	bool implied = !mask_attrs || !mask_len;

	return get_match(key_attrs, key_len, mask_attrs, mask_len, implied,
			 key, mask, err);
}

int odp_match_from_nlattrs(const struct nlattr *key_nest,
			   const struct nlattr *mask_nest, struct dp_key *key,
			   struct dp_key *mask, struct dp_err *err)
{
	return get_match(na_data(key_nest), na_len(key_nest),
			 mask_nest ? na_data(mask_nest) : NULL,
			 mask_nest ? na_len(mask_nest) : 0, !mask_nest,
			 key, mask, err);
}

int odp_key_from_attrs(const void *attrs, size_t len, struct dp_key *key,
		       struct dp_err *err)
{
	return get_match(attrs, len, NULL, 0, false, key, NULL, err);
}

int odp_key_metadata_from_attrs(const void *attrs, size_t len,
				struct dp_key *key, struct dp_err *err)
{
	uint64_t key_attrs = 0;
	struct kp p;
	int r;

	memset(&p, 0, sizeof p);
	p.err = err;
	p.s[0].k = key;
	dp_key_init(key);
	r = scan(&p, attrs, odp_len_int(len), &key_attrs, false, false);
	if (!r)
		r = metadata(&p, &key_attrs, false);
	if (r)
		return r;
	/* The packet's headers are not known yet: keep the tuple as given
	 * (the later one, as in the kernel, if both are). */
	if (p.a[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6])
		memcpy(&key->ct_orig.v6, p.s[0].l3 + K_V6_CT, 32);
	else if (p.a[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4])
		memcpy(&key->ct_orig.v4, p.s[0].l3 + K_V4_CT, 8);
	return 0;
}
