/*
 * odp_actions.c - checking action lists as the Linux openvswitch module
 * does when it installs a flow (__ovs_nla_copy_actions).
 *
 * The kernel walks the list once, left to right, carrying what the packet
 * will look like at each point: its eth_type (changed by MPLS pushes and
 * pops), its outer VLAN TCI (push_vlan/pop_vlan), its number of MPLS
 * labels and whether it has an Ethernet header.  Each action is checked
 * against that state and against the flow's masked key (set(ipv4) must
 * keep the flow's proto and frag, ct() needs an IP eth_type, a helper the
 * flow's protocol...).  Nested lists (sample, clone, check_pkt_len,
 * dec_ttl) start from a copy of the state, except for the Ethernet header,
 * which they take afresh from the key; what happens inside does not leak
 * out.  Sixteen levels of nesting at most.
 *
 * Most of these refusals the kernel does not log; our messages say which
 * action (by position, nested positions joined with '>') and why.
 */
#include "odp_key.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "odp_kernel.h"
#include "odp_text.h"

#define HTONS(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))
#define NTOHS(x) HTONS(x)
#define NTOHL(x) __builtin_bswap32(x)
#define ALEN_VAR (-1)

static const int action_lens[OVS_ACTION_ATTR_MAX + 1] = {
	[OVS_ACTION_ATTR_OUTPUT] = 4,
	[OVS_ACTION_ATTR_RECIRC] = 4,
	[OVS_ACTION_ATTR_USERSPACE] = ALEN_VAR,
	[OVS_ACTION_ATTR_PUSH_MPLS] = sizeof(struct ovs_action_push_mpls),
	[OVS_ACTION_ATTR_POP_MPLS] = 2,
	[OVS_ACTION_ATTR_PUSH_VLAN] = sizeof(struct ovs_action_push_vlan),
	[OVS_ACTION_ATTR_POP_VLAN] = 0,
	[OVS_ACTION_ATTR_SET] = ALEN_VAR,
	[OVS_ACTION_ATTR_SET_MASKED] = ALEN_VAR,
	[OVS_ACTION_ATTR_SAMPLE] = ALEN_VAR,
	[OVS_ACTION_ATTR_HASH] = sizeof(struct ovs_action_hash),
	[OVS_ACTION_ATTR_CT] = ALEN_VAR,
	[OVS_ACTION_ATTR_CT_CLEAR] = 0,
	[OVS_ACTION_ATTR_TRUNC] = sizeof(struct ovs_action_trunc),
	[OVS_ACTION_ATTR_PUSH_ETH] = sizeof(struct ovs_action_push_eth),
	[OVS_ACTION_ATTR_POP_ETH] = 0,
	[OVS_ACTION_ATTR_PUSH_NSH] = ALEN_VAR,
	[OVS_ACTION_ATTR_POP_NSH] = 0,
	[OVS_ACTION_ATTR_METER] = 4,
	[OVS_ACTION_ATTR_CLONE] = ALEN_VAR,
	[OVS_ACTION_ATTR_CHECK_PKT_LEN] = ALEN_VAR,
	[OVS_ACTION_ATTR_ADD_MPLS] = sizeof(struct ovs_action_add_mpls),
	[OVS_ACTION_ATTR_DEC_TTL] = ALEN_VAR,
};


/* What the packet looks like at this point of the list. */
struct state {
	uint16_t eth_type;      /* be16 */
	uint16_t vlan_tci;      /* be16 */
	uint32_t mpls_labels;   /* wraps below zero, as the kernel's u32 */
	uint8_t mac_proto;
};

struct actx {
	const struct dp_key *key;       /* the flow's masked key */
	struct dp_err *err;
};

static int walk(const struct actx *x, const void *head, int len,
		struct state st, unsigned depth, const char *path);

static int bad(const struct actx *x, int code, const char *where,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int bad(const struct actx *x, int code, const char *where,
	       const char *fmt, ...)
{
	char text[DP_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	return odp_fail(x->err, code, where, "%s", text);
}

static bool is_ip(uint16_t et)
{
	return et == HTONS(ODP_ETH_P_IP) || et == HTONS(ODP_ETH_P_IPV6);
}

/* Bits set in the value that its mask does not cover? */
static bool masked_ok(const uint8_t *v, size_t len)
{
	const uint8_t *m = v + len;

	while (len--)
		if (*v++ & ~*m++)
			return false;
	return true;
}

/* The geneve options of set(tunnel) must be whole TLVs. */
static bool geneve_tlvs_ok(const uint8_t *p, int len)
{
	while (len > 0) {
		int n;

		if (len < 4)
			return false;
		n = 4 + (p[3] & 0x1f) * 4;
		if (n > len)
			return false;
		p += n;
		len -= n;
	}
	return true;
}

static int set_tunnel(const struct actx *x, const struct nlattr *k,
		      const char *w)
{
	struct dp_tun tun;
	uint8_t proto;
	bool bridge;
	int r;

	memset(&tun, 0, sizeof tun);
	r = odp_tun_parse(k, false, false, NULL, &tun, &proto, &bridge, x->err);
	if (r < 0) {
		dp_err_prefix(x->err, "%s: tunnel", w);
		return r;
	}
	if (r == OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS && tun.opts_len &&
	    !geneve_tlvs_ok(tun.opts, tun.opts_len))
		return bad(x, EINVAL, w, "geneve options are not whole TLVs");
	return 0;
}

/* validate_set: one key attribute, of a type that may be set on this
 * flow, of the right length; for set_masked, no value bit outside the
 * mask and no mask on what cannot be written. */
static int check_set(const struct actx *x, const struct nlattr *a,
		     const struct state *st, bool masked, const char *w)
{
	const struct dp_key *key = x->key;
	const struct nlattr *k = na_data(a);
	int outer = (int)na_len(a), want;
	unsigned type;
	size_t len;

	if (!odp_attr_fits(k, outer) || (int)NA_ALIGN(k->nla_len) != outer)
		return bad(x, EINVAL, w, "must hold exactly one key attribute");
	type = na_type(k);
	len = na_len(k);
	if (masked)
		len /= 2;
	if (type > OVS_KEY_ATTR_MAX)
		return bad(x, EINVAL, w, "key type %u is out of range max %d",
			   type, OVS_KEY_ATTR_MAX);
	want = odp_kattr_len(type);
	if (want >= 0 && (size_t)want != len)
		return bad(x, EINVAL, w, "%s has length %zu, expected %d",
			   odp_kattr_name(type), len, want);
	if (masked && !masked_ok(na_data(k), len))
		return bad(x, EINVAL, w, "%s value has bits outside its mask",
			   odp_kattr_name(type));

	switch (type) {
	case OVS_KEY_ATTR_PRIORITY:
	case OVS_KEY_ATTR_SKB_MARK:
	case OVS_KEY_ATTR_CT_MARK:
	case OVS_KEY_ATTR_CT_LABELS:
		return 0;
	case OVS_KEY_ATTR_ETHERNET:
		if (st->mac_proto != DP_MAC_ETH)
			return bad(x, EINVAL, w, "eth on a packet without an Ethernet header");
		return 0;
	case OVS_KEY_ATTR_TUNNEL:
		if (masked)
			return bad(x, EINVAL, w, "a tunnel cannot be set with a mask");
		return set_tunnel(x, k, w);
	case OVS_KEY_ATTR_IPV4: {
		struct ovs_key_ipv4 v[2];

		if (st->eth_type != HTONS(ODP_ETH_P_IP))
			return bad(x, EINVAL, w, "ipv4 on a packet that is not IPv4 here");
		memcpy(v, na_data(k), sizeof v[0] * (masked ? 2 : 1));
		if (masked && (v[1].ipv4_proto || v[1].ipv4_frag))
			return bad(x, EINVAL, w, "ipv4 proto and frag cannot be written");
		if (!masked && (v[0].ipv4_proto != key->nw_proto ||
				v[0].ipv4_frag != key->nw_frag))
			return bad(x, EINVAL, w,
				   "ipv4 proto and frag must be the flow's (proto=%u, frag=%u)",
				   key->nw_proto, key->nw_frag);
		return 0;
	}
	case OVS_KEY_ATTR_IPV6: {
		struct ovs_key_ipv6 v[2];

		if (st->eth_type != HTONS(ODP_ETH_P_IPV6))
			return bad(x, EINVAL, w, "ipv6 on a packet that is not IPv6 here");
		memcpy(v, na_data(k), sizeof v[0] * (masked ? 2 : 1));
		if (masked) {
			if (v[1].ipv6_proto || v[1].ipv6_frag)
				return bad(x, EINVAL, w, "ipv6 proto and frag cannot be written");
			if (NTOHL(v[1].ipv6_label) & 0xfff00000u)
				return bad(x, EINVAL, w, "ipv6 label mask has bits above 20");
		} else if (v[0].ipv6_proto != key->nw_proto ||
			   v[0].ipv6_frag != key->nw_frag) {
			return bad(x, EINVAL, w,
				   "ipv6 proto and frag must be the flow's (proto=%u, frag=%u)",
				   key->nw_proto, key->nw_frag);
		}
		if (NTOHL(v[0].ipv6_label) & 0xfff00000u)
			return bad(x, EINVAL, w, "ipv6 label has bits above 20");
		return 0;
	}
	case OVS_KEY_ATTR_TCP:
	case OVS_KEY_ATTR_UDP:
	case OVS_KEY_ATTR_SCTP: {
		uint8_t proto = type == OVS_KEY_ATTR_TCP ? 6 :
				type == OVS_KEY_ATTR_UDP ? 17 : 132;

		if (!is_ip(st->eth_type) || key->nw_proto != proto)
			return bad(x, EINVAL, w, "%s on a flow that is not %s",
				   odp_kattr_name(type), odp_kattr_name(type));
		return 0;
	}
	case OVS_KEY_ATTR_MPLS:
		if (!odp_eth_p_mpls(st->eth_type))
			return bad(x, EINVAL, w, "mpls on a packet that is not MPLS here");
		return 0;
	case OVS_KEY_ATTR_NSH:
		return bad(x, EINVAL, w, "nsh on a packet that is not NSH here");
	default:
		return bad(x, EINVAL, w, "%s cannot be set", odp_kattr_name(type));
	}
}

/*
 * The kernel reads the arguments of userspace() and check_pkt_len() with
 * its generic policy parser: userspace() leniently (attribute 0 and types
 * above the maximum skipped, bytes left over only warned about), and
 * check_pkt_len() in "deprecated strict" mode, where those are -EINVAL.
 * In both a u16/u32 or nest shorter than its type is -ERANGE, a longer
 * one only warned about, and a repeated attribute replaces the earlier.
 */
enum pol { P_ANY, P_U16, P_U32, P_NEST };

static int policy_parse(const struct actx *x, const struct nlattr *nest,
			const enum pol *pol, unsigned max, bool strict,
			const struct nlattr **tb, const char *w)
{
	const struct nlattr *a;
	int rem;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	ODP_FOR_EACH(a, na_data(nest), na_len(nest), rem) {
		unsigned type = na_type(a);
		size_t len = na_len(a);

		if (!type || type > max) {
			if (strict)
				return bad(x, EINVAL, w, "unknown attribute type %u (max %u)",
					   type, max);
			continue;
		}
		if ((pol[type] == P_U16 && len < 2) ||
		    (pol[type] == P_U32 && len < 4) ||
		    (pol[type] == P_NEST && len && len < NA_HDRLEN))
			return bad(x, ERANGE, w, "attribute type %u is too short (%zu bytes)",
				   type, len);
		tb[type] = a;
	}
	/* The kernel's parser's own warning, without its process name. */
	if (rem > 0 && strict)
		return bad(x, EINVAL, w, "%d bytes leftover after parsing attributes",
			   rem);
	return 0;
}

static int check_userspace(const struct actx *x, const struct nlattr *a,
			   const char *w)
{
	static const enum pol pol[OVS_USERSPACE_ATTR_MAX + 1] = {
		[OVS_USERSPACE_ATTR_PID] = P_U32,
		[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] = P_U32,
	};
	const struct nlattr *tb[OVS_USERSPACE_ATTR_MAX + 1];
	int r = policy_parse(x, a, pol, OVS_USERSPACE_ATTR_MAX, false, tb, w);

	if (r)
		return r;
	if (!tb[OVS_USERSPACE_ATTR_PID] || !na_get_u32(tb[OVS_USERSPACE_ATTR_PID]))
		return bad(x, EINVAL, w, "needs a non-zero netlink pid");
	return 0;
}

/* "path>N (name)" for the messages of a nested list's actions. */
static void sub_path(char *buf, size_t n, const char *path, int i,
		     unsigned type)
{
	const char *name = type == OVS_ACTION_ATTR_SET_MASKED ? "set_masked" :
			   type <= 0xffff ? odp_action_name((uint16_t)type) : NULL;

	snprintf(buf, n, "%s%saction %d (%s)", path, *path ? " > " : "", i,
		 name ? name : "unknown");
}

static int check_sample(const struct actx *x, const struct nlattr *a,
			struct state st, unsigned depth, const char *w)
{
	const struct nlattr *tb[OVS_SAMPLE_ATTR_MAX + 1], *s, *acts;
	int rem;

	memset(tb, 0, sizeof tb);
	ODP_FOR_EACH(s, na_data(a), na_len(a), rem) {
		unsigned type = na_type(s);

		if (!type || type > OVS_SAMPLE_ATTR_MAX || tb[type])
			return bad(x, EINVAL, w, "attribute type %u is unknown or repeated",
				   type);
		tb[type] = s;
	}
	if (rem)
		return bad(x, EINVAL, w, "%d bytes left over", rem);
	if (!tb[OVS_SAMPLE_ATTR_PROBABILITY] ||
	    na_len(tb[OVS_SAMPLE_ATTR_PROBABILITY]) != 4)
		return bad(x, EINVAL, w, "needs a 32-bit probability");
	acts = tb[OVS_SAMPLE_ATTR_ACTIONS];
	if (!acts || (na_len(acts) && na_len(acts) < NA_HDRLEN))
		return bad(x, EINVAL, w, "needs a list of actions");
	return walk(x, na_data(acts), (int)na_len(acts), st, depth + 1, w);
}

static int check_cpl(const struct actx *x, const struct nlattr *a,
		     struct state st, unsigned depth, const char *w)
{
	static const enum pol pol[OVS_CHECK_PKT_LEN_ATTR_MAX + 1] = {
		[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] = P_U16,
		[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] = P_NEST,
		[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL] = P_NEST,
	};
	const struct nlattr *tb[OVS_CHECK_PKT_LEN_ATTR_MAX + 1], *le, *gt;
	int r = policy_parse(x, a, pol, OVS_CHECK_PKT_LEN_ATTR_MAX, true, tb, w);

	if (r)
		return r;
	if (!tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] ||
	    !na_get_u16(tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN]))
		return bad(x, EINVAL, w, "needs a non-zero packet length");
	le = tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL];
	gt = tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER];
	if (!le || !gt)
		return bad(x, EINVAL, w, "needs both lists of actions");
	r = walk(x, na_data(le), (int)na_len(le), st, depth + 1, w);
	if (r)
		return r;
	return walk(x, na_data(gt), (int)na_len(gt), st, depth + 1, w);
}

static int check_dec_ttl(const struct actx *x, const struct nlattr *a,
			 struct state st, unsigned depth, const char *w)
{
	const struct nlattr *tb[OVS_DEC_TTL_ATTR_MAX + 1], *s, *acts;
	int rem;

	memset(tb, 0, sizeof tb);
	ODP_FOR_EACH(s, na_data(a), na_len(a), rem) {
		unsigned type = na_type(s);

		if (type > OVS_DEC_TTL_ATTR_MAX)
			continue;       /* ignored, for future attributes */
		if (!type || tb[type])
			return bad(x, EINVAL, w, "Duplicate or invalid key (type %u).",
				   type);
		tb[type] = s;
	}
	if (rem)
		return bad(x, EINVAL, w, "Message has %d unknown bytes.", rem);
	acts = tb[OVS_DEC_TTL_ATTR_ACTION];
	if (!acts || (na_len(acts) && na_len(acts) < NA_HDRLEN))
		return bad(x, EINVAL, w, "Missing valid actions attribute.");
	return walk(x, na_data(acts), (int)na_len(acts), st, depth + 1, w);
}

/* push_nsh's argument: one OVS_KEY_ATTR_NSH nest of a base header and
 * MD1 or MD2 context. */
static int check_push_nsh(const struct actx *x, const struct nlattr *a,
			  const char *w)
{
	const struct nlattr *nsh = na_data(a);

	/* The kernel reads the nest header without checking that it is
	 * there; we refuse what it would read out of bounds. */
	if (!odp_attr_fits(nsh, (int)na_len(a)))
		return bad(x, EINVAL, w, "needs an nsh attribute");
	return odp_nsh_check(nsh, false, true, w, x->err);
}

/* Push MPLS only onto packets whose headers the kernel knows the order of. */
static bool mpls_pushable(const struct state *st)
{
	uint16_t et = st->eth_type;

	return !(st->vlan_tci & HTONS(DP_VLAN_CFI)) &&
	       (is_ip(et) || et == HTONS(ODP_ETH_P_ARP) ||
		et == HTONS(ODP_ETH_P_RARP) || odp_eth_p_mpls(et));
}

static int check_one(const struct actx *x, const struct nlattr *a,
		     struct state *st, unsigned depth, const char *w)
{
	unsigned type = na_type(a);

	switch (type) {
	case OVS_ACTION_ATTR_UNSPEC:
		return bad(x, EINVAL, w, "action type 0 is not an action");
	case OVS_ACTION_ATTR_USERSPACE:
		return check_userspace(x, a, w);
	case OVS_ACTION_ATTR_OUTPUT:
		if (na_get_u32(a) >= ODP_KMAX_PORTS)
			return bad(x, EINVAL, w, "Port %u exceeds max allowable %u",
				   na_get_u32(a), ODP_KMAX_PORTS);
		return 0;
	case OVS_ACTION_ATTR_TRUNC:
		if (na_get_u32(a) < 14)
			return bad(x, EINVAL, w, "max_len %u is shorter than an Ethernet header",
				   na_get_u32(a));
		return 0;
	case OVS_ACTION_ATTR_HASH:
		if (na_get_u32(a) != OVS_HASH_ALG_L4)
			return bad(x, EINVAL, w, "unknown hash algorithm %u", na_get_u32(a));
		return 0;
	case OVS_ACTION_ATTR_POP_VLAN:
		if (st->mac_proto != DP_MAC_ETH)
			return bad(x, EINVAL, w, "no Ethernet header here");
		st->vlan_tci = 0;
		return 0;
	case OVS_ACTION_ATTR_PUSH_VLAN: {
		struct ovs_action_push_vlan v;

		memcpy(&v, na_data(a), sizeof v);
		if (st->mac_proto != DP_MAC_ETH)
			return bad(x, EINVAL, w, "no Ethernet header here");
		if (!odp_eth_p_vlan(v.vlan_tpid))
			return bad(x, EINVAL, w, "tpid 0x%04x is not 0x8100 or 0x88a8",
				   NTOHS(v.vlan_tpid));
		if (!(v.vlan_tci & HTONS(DP_VLAN_CFI)))
			return bad(x, EINVAL, w, "tci 0x%04x lacks the CFI bit",
				   NTOHS(v.vlan_tci));
		st->vlan_tci = v.vlan_tci;
		return 0;
	}
	case OVS_ACTION_ATTR_RECIRC:
	case OVS_ACTION_ATTR_CT_CLEAR:
	case OVS_ACTION_ATTR_METER:     /* a missing meter is ignored */
		return 0;
	case OVS_ACTION_ATTR_ADD_MPLS: {
		struct ovs_action_add_mpls m;

		memcpy(&m, na_data(a), sizeof m);
		if (!odp_eth_p_mpls(m.mpls_ethertype))
			return bad(x, EINVAL, w, "ethertype 0x%04x is not MPLS",
				   NTOHS(m.mpls_ethertype));
		if (m.tun_flags & OVS_MPLS_L3_TUNNEL_FLAG_MASK) {
			if (!mpls_pushable(st))
				return bad(x, EINVAL, w, "not after a VLAN or onto this eth_type");
			st->mpls_labels++;
		} else if (st->mac_proto == DP_MAC_ETH) {
			st->mpls_labels = 1;
			st->mac_proto = DP_MAC_NONE;
		} else {
			st->mpls_labels++;
		}
		st->eth_type = m.mpls_ethertype;
		return 0;
	}
	case OVS_ACTION_ATTR_PUSH_MPLS: {
		struct ovs_action_push_mpls m;

		memcpy(&m, na_data(a), sizeof m);
		if (!odp_eth_p_mpls(m.mpls_ethertype))
			return bad(x, EINVAL, w, "ethertype 0x%04x is not MPLS",
				   NTOHS(m.mpls_ethertype));
		if (!mpls_pushable(st))
			return bad(x, EINVAL, w, "not after a VLAN or onto this eth_type");
		st->eth_type = m.mpls_ethertype;
		st->mpls_labels++;
		return 0;
	}
	case OVS_ACTION_ATTR_POP_MPLS: {
		uint16_t proto = na_get_u16(a);

		if ((st->vlan_tci & HTONS(DP_VLAN_CFI)) ||
		    !odp_eth_p_mpls(st->eth_type))
			return bad(x, EINVAL, w, "no MPLS label to pop here");
		if (proto == HTONS(ODP_ETH_P_TEB) && st->mac_proto != DP_MAC_NONE)
			return bad(x, EINVAL, w, "Ethernet inside MPLS needs a packet without Ethernet header");
		/* After the last label the eth_type is unknown: no L3 set()
		 * or pop_mpls may follow. */
		st->mpls_labels--;
		st->eth_type = odp_eth_p_mpls(proto) && st->mpls_labels ? proto : 0;
		return 0;
	}
	case OVS_ACTION_ATTR_SET:
		return check_set(x, a, st, false, w);
	case OVS_ACTION_ATTR_SET_MASKED:
		return check_set(x, a, st, true, w);
	case OVS_ACTION_ATTR_SAMPLE:
		return check_sample(x, a, *st, depth, w);
	case OVS_ACTION_ATTR_CT: {
		int r = odp_ct_check(a, x->key, x->err);

		if (r)
			dp_err_prefix(x->err, "%s", w);
		return r;
	}
	case OVS_ACTION_ATTR_PUSH_ETH:
		if (st->mac_proto != DP_MAC_NONE)
			return bad(x, EINVAL, w, "the packet has an Ethernet header already");
		st->mac_proto = DP_MAC_ETH;
		return 0;
	case OVS_ACTION_ATTR_POP_ETH:
		if (st->mac_proto != DP_MAC_ETH || (st->vlan_tci & HTONS(DP_VLAN_CFI)))
			return bad(x, EINVAL, w, "no Ethernet header, or a VLAN, here");
		st->mac_proto = DP_MAC_NONE;
		return 0;
	case OVS_ACTION_ATTR_PUSH_NSH: {
		uint16_t et = st->eth_type;

		if (st->mac_proto != DP_MAC_ETH &&
		    !(is_ip(et) || et == HTONS(ODP_ETH_P_TEB) ||
		      et == HTONS(ODP_ETH_P_NSH) || et == HTONS(ODP_ETH_P_MPLS_UC)))
			return bad(x, EINVAL, w, "no NSH next protocol for eth_type 0x%04x",
				   NTOHS(et));
		st->mac_proto = DP_MAC_NONE;
		return check_push_nsh(x, a, w);
	}
	case OVS_ACTION_ATTR_POP_NSH:
		return bad(x, EINVAL, w, "no NSH header to pop (dpkit has no NSH flows)");
	case OVS_ACTION_ATTR_CLONE:
		if (na_len(a) && na_len(a) < NA_HDRLEN)
			return bad(x, EINVAL, w, "needs a list of actions");
		return walk(x, na_data(a), (int)na_len(a), *st, depth + 1, w);
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
		return check_cpl(x, a, *st, depth, w);
	case OVS_ACTION_ATTR_DEC_TTL:
		return check_dec_ttl(x, a, *st, depth, w);
	}
	return bad(x, EINVAL, w, "unknown action type %u", type);
}

static int walk(const struct actx *x, const void *head, int len,
		struct state st, unsigned depth, const char *path)
{
	const struct nlattr *a;
	char w[256];
	int rem, i = 0, r;

	if (depth > ODP_COPY_ACTIONS_MAX_DEPTH)
		return bad(x, EOVERFLOW, path, "actions nested more than %d deep",
			   ODP_COPY_ACTIONS_MAX_DEPTH);
	/* Each nested list sees the Ethernet header the flow has. */
	st.mac_proto = x->key->mac_proto;
	ODP_FOR_EACH(a, head, len, rem) {
		unsigned type = na_type(a);

		sub_path(w, sizeof w, path, ++i, type);
		if (type > OVS_ACTION_ATTR_MAX)
			return bad(x, EINVAL, w, "unknown action type %u", type);
		if (action_lens[type] != ALEN_VAR &&
		    action_lens[type] != (int)na_len(a))
			return bad(x, EINVAL, w, "argument of %zu bytes, expected %d",
				   na_len(a), action_lens[type]);
		r = check_one(x, a, &st, depth, w);
		if (r)
			return r;
	}
	if (rem > 0)
		return bad(x, EINVAL, path[0] ? path : "actions",
			   "%d bytes left over", rem);
	return 0;
}

int odp_actions_check(const void *acts, size_t len, const struct dp_key *key,
		      const struct dp_key *mask, struct dp_err *err)
{
	struct dp_key masked;
	struct actx x;
	struct state st;

	if (mask) {
		dp_key_apply_mask(&masked, key, mask);
		key = &masked;
	}
	x.key = key;
	x.err = err;
	st.eth_type = key->eth_type;
	st.vlan_tci = key->vlan.tci;
	st.mac_proto = key->mac_proto;
	st.mpls_labels = 0;
	if (odp_eth_p_mpls(key->eth_type))
		st.mpls_labels = (uint32_t)__builtin_popcount(key->l3.mpls.num_labels_mask);
	return walk(&x, acts, odp_len_int(len), st, 0, "");
}
