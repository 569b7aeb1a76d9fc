/*
 * odp_key_tun.c - tunnel metadata (OVS_KEY_ATTR_TUNNEL) with the kernel's
 * semantics, read and written.
 *
 * One reader serves three callers, as ip_tun_from_nlattr() does in the
 * kernel: a flow key, a flow mask and the set(tunnel) action.  A key must
 * name a destination and a TTL; a mask may name anything; all three accept
 * at most one block of options (geneve TLVs, a vxlan GBP or erspan
 * metadata), and the tunnel nest itself is not checked for duplicates:
 * the last value of an attribute given twice wins.
 *
 * Options are kept from byte 0 of dp_tun.opts, where the kernel keeps them
 * at the end of its array; see place() for what that means for lengths
 * that differ.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "odp_kernel.h"

#define LEN_VAR (-2)

static const int tun_lens[OVS_TUNNEL_KEY_ATTR_MAX + 1] = {
	[OVS_TUNNEL_KEY_ATTR_ID] = 8,
	[OVS_TUNNEL_KEY_ATTR_IPV4_SRC] = 4,
	[OVS_TUNNEL_KEY_ATTR_IPV4_DST] = 4,
	[OVS_TUNNEL_KEY_ATTR_TOS] = 1,
	[OVS_TUNNEL_KEY_ATTR_TTL] = 1,
	[OVS_TUNNEL_KEY_ATTR_TP_SRC] = 2,
	[OVS_TUNNEL_KEY_ATTR_TP_DST] = 2,
	[OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS] = LEN_VAR,
	[OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS] = LEN_VAR,     /* a nest */
	[OVS_TUNNEL_KEY_ATTR_IPV6_SRC] = 16,
	[OVS_TUNNEL_KEY_ATTR_IPV6_DST] = 16,
	[OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS] = LEN_VAR,
	/* DONT_FRAGMENT, CSUM, OAM, PAD, IPV4_INFO_BRIDGE: flags, length 0. */
};

/* Copy 'len' payload bytes, or all-ones bits for an implied mask. */
static void take(void *dst, const struct nlattr *a, size_t len, bool ones)
{
	if (ones)
		memset(dst, 0xff, len);
	else
		memcpy(dst, na_data(a), len);
}

/*
 * The kernel keeps options right-aligned at the end of its array and reads
 * back the last 'window' bytes, 'window' being the key's option length
 * (for erspan always 12, whatever length was given).  We keep exactly
 * that window from byte 0: the given bytes right-aligned in it, cut on
 * the left when longer, zero-filled when shorter.  For a key of the given
 * length that is the bytes as given; for a mask of another length than
 * its key's, or an erspan block of another length than 12, it is what the
 * kernel matches and reports.
 */
static void place(uint8_t *opts, const uint8_t *data, size_t len, size_t window)
{
	memset(opts, 0, window);
	if (len >= window)
		memcpy(opts, data + len - window, window);
	else
		memcpy(opts + window - len, data, len);
}

/* Read one block of options into given[]; returns its length or -errno. */
static int geneve(const struct nlattr *a, bool is_mask, bool ones,
		  const struct dp_tun *key, uint8_t *given, struct dp_err *err)
{
	int len = (int)na_len(a);

	if (len > ODP_TUN_OPTS_KMAX)
		return odp_fail(err, EINVAL, "geneve",
				"Geneve option length err (len %d, max %zu).",
				len, (size_t)ODP_TUN_OPTS_KMAX);
	if (len % 4)
		return odp_fail(err, EINVAL, "geneve",
				"Geneve opt len %d is not a multiple of 4.", len);
	/* The length is part of the match (a packet with more options than
	 * the flow names must not match), so a mask must repeat it. */
	if (is_mask && key->opts_len != len)
		return odp_fail(err, EINVAL, "geneve",
				"Geneve option len %d != mask len %d",
				key->opts_len, len);
	take(given, a, (size_t)len, ones);
	return len;
}

static int vxlan(const struct nlattr *nest, bool ones, uint8_t *given,
		 struct dp_err *err)
{
	const struct nlattr *a;
	uint32_t gbp = 0;
	int rem;

	ODP_FOR_EACH(a, na_data(nest), na_len(nest), rem) {
		unsigned type = na_type(a);
		int want = type == OVS_VXLAN_EXT_GBP ? 4 : 0;

		if (type > OVS_VXLAN_EXT_MAX)
			return odp_fail(err, EINVAL, "vxlan",
					"VXLAN extension %d out of range max %d",
					(int)type, OVS_VXLAN_EXT_MAX);
		if ((int)na_len(a) != want)
			return odp_fail(err, EINVAL, "vxlan",
					"VXLAN extension %d has unexpected len %d expected %d",
					(int)type, (int)na_len(a), want);
		if (type != OVS_VXLAN_EXT_GBP)
			return odp_fail(err, EINVAL, "vxlan",
					"Unknown VXLAN extension attribute %d",
					(int)type);
		take(&gbp, a, 4, ones);
	}
	if (rem)
		return odp_fail(err, EINVAL, "vxlan",
				"VXLAN extension message has %d unknown bytes.",
				rem);
	memcpy(given, &gbp, 4);
	return 4;
}

static int erspan(const struct nlattr *a, bool ones, uint8_t *given,
		  struct dp_err *err)
{
	size_t len = na_len(a);

	if (len > ODP_TUN_OPTS_KMAX)
		return odp_fail(err, EINVAL, "erspan",
				"ERSPAN option length err (len %d, max %zu).",
				(int)len, (size_t)ODP_TUN_OPTS_KMAX);
	take(given, a, len, ones);
	return (int)len;
}

/* One block of options, stored as the kernel reads it back. */
static int options(const struct nlattr *a, bool is_mask, bool ones,
		   const struct dp_tun *key, struct dp_tun *t, struct dp_err *err)
{
	uint8_t given[ODP_TUN_OPTS_KMAX + 1];
	unsigned type = na_type(a);
	uint8_t dp_type;
	int len;

	if (type == OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS) {
		len = geneve(a, is_mask, ones, key, given, err);
		dp_type = DP_TUN_OPTS_GENEVE;
	} else if (type == OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS) {
		len = vxlan(a, ones, given, err);
		dp_type = DP_TUN_OPTS_VXLAN;
	} else {
		len = erspan(a, ones, given, err);
		dp_type = DP_TUN_OPTS_ERSPAN;
	}
	if (len < 0)
		return len;
	if (!is_mask) {
		t->opts_len = dp_type == DP_TUN_OPTS_ERSPAN ?
			      ODP_ERSPAN_MD_LEN : (uint8_t)len;
		t->opts_type = dp_type;
		place(t->opts, given, (size_t)len, t->opts_len);
	} else {
		/* The mask covers the length and the type whole; it names
		 * its own type only when that is not the key's, which the
		 * kernel allows and reports with the mask's type. */
		t->opts_len = 0xff;
		t->opts_type = dp_type == key->opts_type ? 0xff : dp_type;
		place(t->opts, given, (size_t)len, key->opts_len);
	}
	return 0;
}

static bool zero16(const uint8_t *p)
{
	static const uint8_t z[16];

	return !memcmp(p, z, 16);
}

int odp_tun_parse(const struct nlattr *nest, bool is_mask, bool ones,
		  const struct dp_tun *key, struct dp_tun *t, uint8_t *tun_proto,
		  bool *bridge, struct dp_err *err)
{
	bool ttl = false, v4 = false, v6 = false;
	uint16_t flags = 0;
	int opts = 0, rem, r;
	const struct nlattr *a;

	*bridge = false;
	ODP_FOR_EACH(a, na_data(nest), na_len(nest), rem) {
		unsigned type = na_type(a);
		int want;

		if (type > OVS_TUNNEL_KEY_ATTR_MAX)
			return odp_fail(err, EINVAL, NULL,
					"Tunnel attr %d out of range max %d",
					(int)type, OVS_TUNNEL_KEY_ATTR_MAX);
		want = tun_lens[type];
		if (want != LEN_VAR && (int)na_len(a) != want)
			return odp_fail(err, EINVAL, NULL,
					"Tunnel attr %d has unexpected len %d expected %d",
					(int)type, (int)na_len(a), want);
		switch (type) {
		case OVS_TUNNEL_KEY_ATTR_ID:
			take(&t->id, a, 8, ones);
			flags |= DP_TUN_F_KEY;
			break;
		case OVS_TUNNEL_KEY_ATTR_IPV4_SRC:
			take(&t->addr.v4.src, a, 4, ones);
			v4 = true;
			break;
		case OVS_TUNNEL_KEY_ATTR_IPV4_DST:
			take(&t->addr.v4.dst, a, 4, ones);
			v4 = true;
			break;
		case OVS_TUNNEL_KEY_ATTR_IPV6_SRC:
			take(t->addr.v6.src, a, 16, ones);
			v6 = true;
			break;
		case OVS_TUNNEL_KEY_ATTR_IPV6_DST:
			take(t->addr.v6.dst, a, 16, ones);
			v6 = true;
			break;
		case OVS_TUNNEL_KEY_ATTR_TOS:
			take(&t->tos, a, 1, ones);
			break;
		case OVS_TUNNEL_KEY_ATTR_TTL:
			take(&t->ttl, a, 1, ones);
			ttl = true;
			break;
		case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
			flags |= DP_TUN_F_DF;
			break;
		case OVS_TUNNEL_KEY_ATTR_CSUM:
			flags |= DP_TUN_F_CSUM;
			break;
		case OVS_TUNNEL_KEY_ATTR_OAM:
			flags |= DP_TUN_F_OAM;
			break;
		case OVS_TUNNEL_KEY_ATTR_TP_SRC:
			take(&t->tp_src, a, 2, ones);
			break;
		case OVS_TUNNEL_KEY_ATTR_TP_DST:
			take(&t->tp_dst, a, 2, ones);
			break;
		case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
		case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
		case OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS:
			if (opts)
				return odp_fail(err, EINVAL, NULL,
						"Multiple metadata blocks provided");
			r = options(a, is_mask, ones, key, t, err);
			if (r)
				return r;
			opts = (int)type;
			break;
		case OVS_TUNNEL_KEY_ATTR_PAD:
			break;
		case OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE:
			*bridge = true;
			v4 = true;
			break;
		}
	}

	t->flags = flags;
	*tun_proto = is_mask ? 0xff : (v6 ? DP_TUN_IPV6 : DP_TUN_IPV4);
	if (rem > 0)
		return odp_fail(err, EINVAL, NULL,
				"IP tunnel attribute has %d unknown bytes.", rem);
	if (v4 && v6)
		return odp_fail(err, EINVAL, NULL,
				"Mixed IPv4 and IPv6 tunnel attributes");
	if (is_mask)
		return opts;

	if (!v4 && !v6)
		return odp_fail(err, EINVAL, NULL,
				"IP tunnel dst address not specified");
	if (v4) {
		if (*bridge) {
			if (t->addr.v4.src || t->addr.v4.dst || t->tp_src ||
			    t->tp_dst || t->ttl || t->tos ||
			    (flags & ~DP_TUN_F_KEY) || opts)
				return odp_fail(err, EINVAL, NULL,
						"IPv4 tun info is not correct");
		} else if (!t->addr.v4.dst) {
			return odp_fail(err, EINVAL, NULL,
					"IPv4 tunnel dst address is zero");
		}
	}
	if (v6 && zero16(t->addr.v6.dst))
		return odp_fail(err, EINVAL, NULL,
				"IPv6 tunnel dst address is zero");
	if (!ttl && !*bridge)
		return odp_fail(err, EINVAL, NULL, "IP tunnel TTL not specified.");
	return opts;
}

void odp_tun_put(struct buf *b, const struct dp_tun *out, uint8_t tun_proto,
		 uint8_t opts_type, uint8_t opts_len, bool bridge)
{
	size_t nest = odp_nest_start(b, OVS_KEY_ATTR_TUNNEL);

	if (out->flags & DP_TUN_F_KEY)
		na_put(b, OVS_TUNNEL_KEY_ATTR_ID, &out->id, 8);
	if (bridge) {
		na_put_flag(b, OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE);
		na_nest_end(b, nest);
		return;
	}
	if (tun_proto == DP_TUN_IPV4) {
		if (out->addr.v4.src)
			na_put(b, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, &out->addr.v4.src, 4);
		if (out->addr.v4.dst)
			na_put(b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, &out->addr.v4.dst, 4);
	} else if (tun_proto == DP_TUN_IPV6) {
		if (!zero16(out->addr.v6.src))
			na_put(b, OVS_TUNNEL_KEY_ATTR_IPV6_SRC, out->addr.v6.src, 16);
		if (!zero16(out->addr.v6.dst))
			na_put(b, OVS_TUNNEL_KEY_ATTR_IPV6_DST, out->addr.v6.dst, 16);
	}
	if (out->tos)
		na_put_u8(b, OVS_TUNNEL_KEY_ATTR_TOS, out->tos);
	na_put_u8(b, OVS_TUNNEL_KEY_ATTR_TTL, out->ttl);
	if (out->flags & DP_TUN_F_DF)
		na_put_flag(b, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
	if (out->flags & DP_TUN_F_CSUM)
		na_put_flag(b, OVS_TUNNEL_KEY_ATTR_CSUM);
	if (out->tp_src)
		na_put(b, OVS_TUNNEL_KEY_ATTR_TP_SRC, &out->tp_src, 2);
	if (out->tp_dst)
		na_put(b, OVS_TUNNEL_KEY_ATTR_TP_DST, &out->tp_dst, 2);
	if (out->flags & DP_TUN_F_OAM)
		na_put_flag(b, OVS_TUNNEL_KEY_ATTR_OAM);
	if (opts_len && out->opts_type) {
		/* A mask may name another type than its key's (see above). */
		if (out->opts_type != 0xff)
			opts_type = out->opts_type;
		if (opts_type == DP_TUN_OPTS_GENEVE) {
			na_put(b, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, out->opts, opts_len);
		} else if (opts_type == DP_TUN_OPTS_VXLAN) {
			size_t vx = odp_nest_start(b, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
			uint32_t gbp;

			memcpy(&gbp, out->opts, 4);
			na_put_u32(b, OVS_VXLAN_EXT_GBP, gbp);
			na_nest_end(b, vx);
		} else if (opts_type == DP_TUN_OPTS_ERSPAN) {
			na_put(b, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, out->opts,
			       opts_len);
		}
	}
	na_nest_end(b, nest);
}
