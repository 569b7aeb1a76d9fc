/*
 * odp_ct.c - the ct() action as the Linux openvswitch module checks it
 * (ovs_ct_copy_action) and reports it back (ovs_ct_action_to_attr).
 *
 * The kernel does not keep the attributes it was given: it parses them
 * into a conntrack template and writes that back.  So the report differs
 * from the request: the zone is always there, a mark or labels with a
 * zero mask never are, a repeated attribute is reported once with its last
 * value, the NAT range loses an upper bound equal to its lower bound, and
 * everything comes in the kernel's order (commit, zone, mark, labels,
 * helper, eventmask, timeout, nat).  We parse into the same state and
 * write it the same way.
 *
 * Helpers are looked up by name, address family and IP protocol, as the
 * kernel's nf_conntrack_helper_try_module_get() does; the table below is
 * the helpers a Debian kernel ships (and their NAT halves, which ct(nat)
 * with a helper also needs).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "odp_kernel.h"

#define HTONS(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))

/* nf_nat_range flags. */
enum {
	RANGE_MAP_IPS = 1, RANGE_PROTO = 2, RANGE_RANDOM = 4,
	RANGE_PERSISTENT = 8, RANGE_RANDOM_FULLY = 16,
};
/* What the kernel's ovs_conntrack_info.nat holds. */
enum { NAT_ON = 1, NAT_SRC = 2, NAT_DST = 4 };

struct ct_info {
	bool commit, force, have_eventmask;
	uint16_t zone;
	uint32_t mark[2];               /* value, mask */
	uint8_t labels[32];             /* value, mask */
	const char *helper;
	char timeout[ODP_CT_TIMEOUT_MAX];
	uint32_t eventmask;
	uint8_t nat;
	uint32_t range;
	size_t ip_len;                  /* 4 or 16: the family of the NAT range */
	uint8_t ip_min[16], ip_max[16];
	uint16_t proto_min, proto_max;  /* host order, as the attributes */
};

struct helper {
	const char *name;
	uint8_t family;                 /* 4, 6, or 0 for both */
	uint8_t proto;
	bool nat;
};

static const struct helper helpers[] = {
	{ "ftp", 0, 6, true },
	{ "tftp", 0, 17, true },
	{ "sip", 0, 17, true },
	{ "sip", 0, 6, true },
	{ "irc", 4, 6, true },
	{ "amanda", 0, 17, true },
	{ "sane", 0, 6, false },
	{ "pptp", 4, 6, false },
	{ "netbios-ns", 4, 17, false },
	{ "snmp", 4, 17, false },
	{ "snmp_trap", 4, 17, false },
	{ "RAS", 0, 17, false },
	{ "Q.931", 0, 6, false },
	{ "H.245", 0, 17, false },
};

static const struct helper *helper_find(const char *name, int family,
					uint8_t proto)
{
	size_t i;

	for (i = 0; i < sizeof helpers / sizeof helpers[0]; i++)
		if (!strcmp(helpers[i].name, name) && helpers[i].proto == proto &&
		    (!helpers[i].family || helpers[i].family == family))
			return &helpers[i];
	return NULL;
}

static bool nonzero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return true;
	return false;
}

/* parse_nat: 'family' 4 or 6 (0 when only reporting an action already
 * checked: then the attribute's own length tells). */
static int parse_nat(const struct nlattr *nest, int family, struct ct_info *ci,
		     struct dp_err *err)
{
	bool have_ip_max = false, have_proto_max = false;
	const struct nlattr *a;
	int rem;

	ODP_FOR_EACH(a, na_data(nest), na_len(nest), rem) {
		unsigned type = na_type(a);
		int len = (int)na_len(a), want;

		if (type > OVS_NAT_ATTR_MAX)
			return odp_fail(err, EINVAL, "ct nat",
					"Unknown NAT attribute (type=%d, max=%d)",
					(int)type, OVS_NAT_ATTR_MAX);
		switch (type) {
		case OVS_NAT_ATTR_IP_MIN:
		case OVS_NAT_ATTR_IP_MAX:
			want = family == 6 ? 16 : family == 4 ? 4 :
			       (len == 16 ? 16 : 4);
			break;
		case OVS_NAT_ATTR_PROTO_MIN:
		case OVS_NAT_ATTR_PROTO_MAX:
			want = 2;
			break;
		default:
			want = 0;
		}
		if (len != want)
			return odp_fail(err, EINVAL, "ct nat",
					"NAT attribute type %d has unexpected length (%d != %d)",
					(int)type, len, want);
		switch (type) {
		case OVS_NAT_ATTR_SRC:
		case OVS_NAT_ATTR_DST:
			if (ci->nat)
				return odp_fail(err, ERANGE, "ct nat",
						"Only one type of NAT may be specified");
			ci->nat |= NAT_ON;
			ci->nat |= type == OVS_NAT_ATTR_SRC ? NAT_SRC : NAT_DST;
			break;
		case OVS_NAT_ATTR_IP_MIN:
			memset(ci->ip_min, 0, 16);
			memcpy(ci->ip_min, na_data(a), (size_t)len);
			ci->ip_len = (size_t)len;
			ci->range |= RANGE_MAP_IPS;
			break;
		case OVS_NAT_ATTR_IP_MAX:
			have_ip_max = true;
			memset(ci->ip_max, 0, 16);
			memcpy(ci->ip_max, na_data(a), (size_t)len);
			ci->ip_len = (size_t)len;
			ci->range |= RANGE_MAP_IPS;
			break;
		case OVS_NAT_ATTR_PROTO_MIN:
			ci->proto_min = na_get_u16(a);
			ci->range |= RANGE_PROTO;
			break;
		case OVS_NAT_ATTR_PROTO_MAX:
			have_proto_max = true;
			ci->proto_max = na_get_u16(a);
			ci->range |= RANGE_PROTO;
			break;
		case OVS_NAT_ATTR_PERSISTENT:
			ci->range |= RANGE_PERSISTENT;
			break;
		case OVS_NAT_ATTR_PROTO_HASH:
			ci->range |= RANGE_RANDOM;
			break;
		case OVS_NAT_ATTR_PROTO_RANDOM:
			ci->range |= RANGE_RANDOM_FULLY;
			break;
		default:
			return odp_fail(err, EINVAL, "ct nat",
					"Unknown nat attribute (%d)", (int)type);
		}
	}
	if (rem > 0)
		return odp_fail(err, EINVAL, "ct nat",
				"NAT attribute has %d unknown bytes", rem);
	if (!ci->nat) {
		if (ci->range)
			return odp_fail(err, EINVAL, "ct nat",
					"NAT flags may be given only when NAT range (SRC or DST) is also specified.");
		ci->nat = NAT_ON;       /* NAT the connection as it is */
	} else if (!ci->commit) {
		return odp_fail(err, EINVAL, "ct nat",
				"NAT attributes may be specified only when CT COMMIT flag is also specified.");
	}
	if ((ci->range & RANGE_MAP_IPS) && !have_ip_max)
		memcpy(ci->ip_max, ci->ip_min, 16);
	if ((ci->range & RANGE_PROTO) && !have_proto_max)
		ci->proto_max = ci->proto_min;
	return 0;
}

static int parse_ct(const struct nlattr *ct, int family, struct ct_info *ci,
		    struct dp_err *err)
{
	static const int minlen[OVS_CT_ATTR_MAX + 1] = {
		[OVS_CT_ATTR_ZONE] = 2, [OVS_CT_ATTR_MARK] = 8,
		[OVS_CT_ATTR_LABELS] = 32, [OVS_CT_ATTR_HELPER] = 1,
		[OVS_CT_ATTR_EVENTMASK] = 4, [OVS_CT_ATTR_TIMEOUT] = 1,
	};
	static const int maxlen[OVS_CT_ATTR_MAX + 1] = {
		[OVS_CT_ATTR_ZONE] = 2, [OVS_CT_ATTR_MARK] = 8,
		[OVS_CT_ATTR_LABELS] = 32,
		[OVS_CT_ATTR_HELPER] = ODP_CT_HELPER_MAX,
		[OVS_CT_ATTR_NAT] = 0x7fffffff,
		[OVS_CT_ATTR_EVENTMASK] = 4,
		[OVS_CT_ATTR_TIMEOUT] = ODP_CT_TIMEOUT_MAX,
	};
	const struct nlattr *a;
	int rem, r;

	memset(ci, 0, sizeof *ci);
	ODP_FOR_EACH(a, na_data(ct), na_len(ct), rem) {
		unsigned type = na_type(a);
		int len = (int)na_len(a);

		if (type > OVS_CT_ATTR_MAX)
			return odp_fail(err, EINVAL, "ct",
					"Unknown conntrack attr (type=%d, max=%d)",
					(int)type, OVS_CT_ATTR_MAX);
		if (len < minlen[type] || len > maxlen[type])
			return odp_fail(err, EINVAL, "ct",
					"Conntrack attr type has unexpected length (type=%d, length=%d, expected=%d)",
					(int)type, len, maxlen[type]);
		switch (type) {
		case OVS_CT_ATTR_FORCE_COMMIT:
			ci->force = true;
			ci->commit = true;
			break;
		case OVS_CT_ATTR_COMMIT:
			ci->commit = true;
			break;
		case OVS_CT_ATTR_ZONE:
			ci->zone = na_get_u16(a);
			break;
		case OVS_CT_ATTR_MARK:
			memcpy(ci->mark, na_data(a), 8);
			if (!ci->mark[1])
				return odp_fail(err, EINVAL, "ct",
						"ct_mark mask cannot be 0");
			break;
		case OVS_CT_ATTR_LABELS:
			if (!nonzero((const uint8_t *)na_data(a) + 16, 16))
				return odp_fail(err, EINVAL, "ct",
						"ct_labels mask cannot be 0");
			memcpy(ci->labels, na_data(a), 32);
			break;
		case OVS_CT_ATTR_HELPER:
			ci->helper = na_data(a);
			if (!memchr(ci->helper, 0, (size_t)len))
				return odp_fail(err, EINVAL, "ct",
						"Invalid conntrack helper");
			break;
		case OVS_CT_ATTR_NAT:
			r = parse_nat(a, family, ci, err);
			if (r)
				return r;
			break;
		case OVS_CT_ATTR_EVENTMASK:
			ci->have_eventmask = true;
			ci->eventmask = na_get_u32(a);
			break;
		case OVS_CT_ATTR_TIMEOUT:
			memset(ci->timeout, 0, sizeof ci->timeout);
			memcpy(ci->timeout, na_data(a), (size_t)len);
			if (!memchr(ci->timeout, 0, (size_t)len))
				return odp_fail(err, EINVAL, "ct",
						"Invalid conntrack timeout");
			break;
		default:
			return odp_fail(err, EINVAL, "ct",
					"Unknown conntrack attr (%d)", (int)type);
		}
	}
	if (!ci->commit && ci->mark[1])
		return odp_fail(err, EINVAL, "ct",
				"Setting conntrack mark requires 'commit' flag.");
	if (!ci->commit && nonzero(ci->labels + 16, 16))
		return odp_fail(err, EINVAL, "ct",
				"Setting conntrack labels requires 'commit' flag.");
	if (rem > 0)
		return odp_fail(err, EINVAL, "ct",
				"Conntrack attr has %d unknown bytes", rem);
	return 0;
}

/* A helper name as the kernel's log (/dev/kmsg) shows it: bytes outside
 * printable ASCII, and the backslash, as \xNN. */
static const char *printable(const char *s, char *buf, size_t n)
{
	size_t o = 0;

	for (; *s && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != 0x5c)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, n - o, "\\x%02x", c);
	}
	buf[o] = '\0';
	return buf;
}

int odp_ct_check(const struct nlattr *ct, const struct dp_key *key,
		 struct dp_err *err)
{
	char name[4 * ODP_CT_HELPER_MAX + 1];
	const struct helper *h;
	struct ct_info ci;
	int family, r;

	if (key->eth_type == HTONS(ODP_ETH_P_IP))
		family = 4;
	else if (key->eth_type == HTONS(ODP_ETH_P_IPV6))
		family = 6;
	else
		return odp_fail(err, EINVAL, "ct", "ct family unspecified");
	r = parse_ct(ct, family, &ci, err);
	if (r)
		return r;
	/* A timeout policy that does not exist is only logged. */
	if (ci.helper) {
		h = helper_find(ci.helper, family, key->nw_proto);
		if (!h)
			return odp_fail(err, EINVAL, "ct", "Unknown helper \"%s\"",
					printable(ci.helper, name, sizeof name));
		if (ci.nat && !h->nat)
			return odp_fail(err, ENOENT, "ct",
					"Failed to load \"%s\" NAT helper, error: %d",
					h->name, -ENOENT);
	}
	return 0;
}

static void put_nat(struct buf *b, const struct ct_info *ci)
{
	size_t nest = odp_nest_start(b, OVS_CT_ATTR_NAT);

	if (ci->nat & NAT_SRC) {
		na_put_flag(b, OVS_NAT_ATTR_SRC);
	} else if (ci->nat & NAT_DST) {
		na_put_flag(b, OVS_NAT_ATTR_DST);
	} else {
		na_nest_end(b, nest);
		return;
	}
	if (ci->range & RANGE_MAP_IPS) {
		size_t n = ci->ip_len == 16 ? 16 : 4;

		na_put(b, OVS_NAT_ATTR_IP_MIN, ci->ip_min, n);
		if (memcmp(ci->ip_min, ci->ip_max, n))
			na_put(b, OVS_NAT_ATTR_IP_MAX, ci->ip_max, n);
	}
	if (ci->range & RANGE_PROTO) {
		na_put_u16(b, OVS_NAT_ATTR_PROTO_MIN, ci->proto_min);
		if (ci->proto_max != ci->proto_min)
			na_put_u16(b, OVS_NAT_ATTR_PROTO_MAX, ci->proto_max);
	}
	if (ci->range & RANGE_PERSISTENT)
		na_put_flag(b, OVS_NAT_ATTR_PERSISTENT);
	if (ci->range & RANGE_RANDOM)
		na_put_flag(b, OVS_NAT_ATTR_PROTO_HASH);
	if (ci->range & RANGE_RANDOM_FULLY)
		na_put_flag(b, OVS_NAT_ATTR_PROTO_RANDOM);
	na_nest_end(b, nest);
}

void odp_ct_put(struct buf *b, const struct nlattr *ct)
{
	struct ct_info ci;
	size_t nest;

	/* Unchecked input: never read past it (a helper or timeout name may
	 * then lack its NUL); report an empty ct() instead. */
	if (parse_ct(ct, 0, &ci, NULL))
		memset(&ci, 0, sizeof ci);
	nest = odp_nest_start(b, OVS_ACTION_ATTR_CT);
	if (ci.commit)
		na_put_flag(b, ci.force ? OVS_CT_ATTR_FORCE_COMMIT :
					  OVS_CT_ATTR_COMMIT);
	na_put_u16(b, OVS_CT_ATTR_ZONE, ci.zone);
	if (ci.mark[1])
		na_put(b, OVS_CT_ATTR_MARK, ci.mark, 8);
	if (nonzero(ci.labels + 16, 16))
		na_put(b, OVS_CT_ATTR_LABELS, ci.labels, 32);
	if (ci.helper)
		na_put_str(b, OVS_CT_ATTR_HELPER, ci.helper);
	if (ci.have_eventmask)
		na_put_u32(b, OVS_CT_ATTR_EVENTMASK, ci.eventmask);
	if (ci.timeout[0])
		na_put_str(b, OVS_CT_ATTR_TIMEOUT, ci.timeout);
	if (ci.nat)
		put_nat(b, &ci);
	na_nest_end(b, nest);
}
