/*
 * dump-flows' filter=, as ovs-dpctl reads it: OpenFlow field names with
 * exact values ("in_port=1,tcp,tp_dst=80", or "in_port(1),eth_type(0x0800)"
 * since KEY(VALUE) is read as KEY=VALUE).  A flow passes when, for every
 * field of the filter, it either wildcards the field or matches the
 * filter's value: it may see packets the filter describes.  Values may
 * carry a /MASK, which ovs-dpctl refuses; nothing else differs.
 *
 * Each field becomes a term over the bytes of struct dp_key (key.h), in the
 * key's own byte order, so a match is a masked compare per term.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dpctl.h"
#include "odp_key.h"

#define MAX_TERMS 64

enum special { SP_NONE, SP_FRAG_YES, SP_FRAG_NOT_LATER };

struct term {
	uint16_t off;
	uint8_t len;
	uint8_t special;
	uint8_t val[16];
	uint8_t mask[16];
};

struct dpctl_filter {
	size_t n;
	struct term t[MAX_TERMS];
};

enum ftype {
	F_U8, F_BE16, F_BE32, F_H16, F_H32, F_MAC, F_IP4, F_IP6, F_PORT,
	F_ICMP, F_CT_STATE, F_FRAG, F_U128, F_VID, F_PCP, F_DSCP, F_ECN,
	F_LABEL, F_MPLS_LABEL, F_MPLS_TC, F_MPLS_BOS, F_MPLS_TTL, F_BE64,
	F_TCI,
};

#define K(f) offsetof(struct dp_key, f), sizeof(((struct dp_key *)0)->f)

static const struct field {
	const char *name;
	enum ftype type;
	size_t off, size;
} fields[] = {
	{ "in_port", F_PORT, K(in_port) },
	{ "recirc_id", F_H32, K(recirc_id) },
	{ "dp_hash", F_H32, K(dp_hash) },
	{ "skb_priority", F_H32, K(priority) },
	{ "pkt_mark", F_H32, K(skb_mark) },
	{ "skb_mark", F_H32, K(skb_mark) },
	{ "ct_state", F_CT_STATE, K(ct_state) },
	{ "ct_zone", F_H16, K(ct_zone) },
	{ "ct_mark", F_H32, K(ct_mark) },
	{ "ct_label", F_U128, K(ct_labels) },
	{ "eth_src", F_MAC, K(eth_src) },
	{ "dl_src", F_MAC, K(eth_src) },
	{ "eth_dst", F_MAC, K(eth_dst) },
	{ "dl_dst", F_MAC, K(eth_dst) },
	{ "eth_type", F_BE16, K(eth_type) },
	{ "dl_type", F_BE16, K(eth_type) },
	{ "vlan_tci", F_TCI, K(vlan.tci) },
	{ "dl_vlan", F_VID, K(vlan.tci) },
	{ "vlan_vid", F_VID, K(vlan.tci) },
	{ "dl_vlan_pcp", F_PCP, K(vlan.tci) },
	{ "vlan_pcp", F_PCP, K(vlan.tci) },
	{ "nw_proto", F_U8, K(nw_proto) },
	{ "ip_proto", F_U8, K(nw_proto) },
	{ "nw_tos", F_U8, K(nw_tos) },
	{ "ip_dscp", F_DSCP, K(nw_tos) },
	{ "nw_ecn", F_ECN, K(nw_tos) },
	{ "ip_ecn", F_ECN, K(nw_tos) },
	{ "nw_ttl", F_U8, K(nw_ttl) },
	{ "nw_frag", F_FRAG, K(nw_frag) },
	{ "ip_frag", F_FRAG, K(nw_frag) },
	{ "nw_src", F_IP4, K(l3.ipv4.src) },
	{ "ip_src", F_IP4, K(l3.ipv4.src) },
	{ "nw_dst", F_IP4, K(l3.ipv4.dst) },
	{ "ip_dst", F_IP4, K(l3.ipv4.dst) },
	{ "arp_spa", F_IP4, K(l3.ipv4.src) },
	{ "arp_tpa", F_IP4, K(l3.ipv4.dst) },
	{ "arp_sha", F_MAC, K(l3.ipv4.arp_sha) },
	{ "arp_tha", F_MAC, K(l3.ipv4.arp_tha) },
	{ "arp_op", F_U8, K(nw_proto) },
	{ "ipv6_src", F_IP6, K(l3.ipv6.src) },
	{ "ipv6_dst", F_IP6, K(l3.ipv6.dst) },
	{ "ipv6_label", F_LABEL, K(l3.ipv6.label) },
	{ "nd_target", F_IP6, K(l3.ipv6.nd_target) },
	{ "nd_sll", F_MAC, K(l3.ipv6.nd_sll) },
	{ "nd_tll", F_MAC, K(l3.ipv6.nd_tll) },
	{ "tp_src", F_BE16, K(tp_src) },
	{ "tp_dst", F_BE16, K(tp_dst) },
	{ "tcp_src", F_BE16, K(tp_src) },
	{ "tcp_dst", F_BE16, K(tp_dst) },
	{ "udp_src", F_BE16, K(tp_src) },
	{ "udp_dst", F_BE16, K(tp_dst) },
	{ "sctp_src", F_BE16, K(tp_src) },
	{ "sctp_dst", F_BE16, K(tp_dst) },
	{ "tcp_flags", F_BE16, K(tcp_flags) },
	{ "icmp_type", F_ICMP, K(tp_src) },
	{ "icmp_code", F_ICMP, K(tp_dst) },
	{ "icmpv6_type", F_ICMP, K(tp_src) },
	{ "icmpv6_code", F_ICMP, K(tp_dst) },
	{ "mpls_label", F_MPLS_LABEL, K(l3.mpls.lse[0]) },
	{ "mpls_tc", F_MPLS_TC, K(l3.mpls.lse[0]) },
	{ "mpls_bos", F_MPLS_BOS, K(l3.mpls.lse[0]) },
	{ "mpls_ttl", F_MPLS_TTL, K(l3.mpls.lse[0]) },
	{ "tun_id", F_BE64, K(tun.id) },
	{ "tunnel_id", F_BE64, K(tun.id) },
	{ "tun_src", F_IP4, K(tun.addr.v4.src) },
	{ "tun_dst", F_IP4, K(tun.addr.v4.dst) },
	{ "tun_ipv6_src", F_IP6, K(tun.addr.v6.src) },
	{ "tun_ipv6_dst", F_IP6, K(tun.addr.v6.dst) },
	{ "tun_tos", F_U8, K(tun.tos) },
	{ "tun_ttl", F_U8, K(tun.ttl) },
};

/* Protocol shorthands: eth_type and, if not 0, nw_proto. */
static const struct proto {
	const char *name;
	uint16_t eth_type;
	uint8_t nw_proto;
} protos[] = {
	{ "ip", 0x0800, 0 }, { "ipv6", 0x86dd, 0 }, { "icmp", 0x0800, 1 },
	{ "icmp6", 0x86dd, 58 }, { "tcp", 0x0800, 6 }, { "tcp6", 0x86dd, 6 },
	{ "udp", 0x0800, 17 }, { "udp6", 0x86dd, 17 }, { "sctp", 0x0800, 132 },
	{ "sctp6", 0x86dd, 132 }, { "igmp", 0x0800, 2 }, { "arp", 0x0806, 0 },
	{ "rarp", 0x8035, 0 }, { "mpls", 0x8847, 0 }, { "mplsm", 0x8848, 0 },
};

static struct term *add_term(struct dpctl_filter *f, size_t off, size_t len,
			     struct dp_err *err)
{
	struct term *t;

	if (f->n == MAX_TERMS) {
		dp_err_set(err, EINVAL, "too many fields");
		return NULL;
	}
	t = &f->t[f->n++];
	memset(t, 0, sizeof *t);
	t->off = (uint16_t)off;
	t->len = (uint8_t)len;
	return t;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end || *v > max ? -EINVAL : 0;
}

/* Store 'v' as a 'len'-byte field in host order (metadata). */
static void put_host(uint8_t *dst, size_t len, uint64_t v)
{
	uint32_t v32 = (uint32_t)v;
	uint16_t v16 = (uint16_t)v;

	if (len == 4)
		memcpy(dst, &v32, 4);
	else if (len == 2)
		memcpy(dst, &v16, 2);
	else
		dst[0] = (uint8_t)v;
}

/* Store 'v' as a 'len'-byte field; 'be': network order, else host. */
static void put_uint(uint8_t *dst, size_t len, uint64_t v, bool be)
{
	size_t i;

	if (!be && len > 1) {
		put_host(dst, len, v);
		return;
	}
	for (i = 0; i < len; i++) {
		size_t at = be ? len - 1 - i : i;

		dst[at] = (uint8_t)(v >> (8 * i));
	}
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	int n = 0, i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%n", &b[0], &b[1], &b[2], &b[3], &b[4],
		   &b[5], &n) != 6 || s[n])
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (b[i] > 255)
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

static const uint8_t ct_bits[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80 };
static const char *const ct_names[] = {
	"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
};

static int parse_ct_state(const char *s, uint8_t *val, uint8_t *mask)
{
	uint64_t v;
	size_t i;

	if (isdigit((unsigned char)*s)) {
		if (parse_u64(s, 0xff, &v) < 0)
			return -EINVAL;
		*val = (uint8_t)v;
		*mask = 0xff;
		return 0;
	}
	*val = *mask = 0;
	while (*s) {
		char sign = *s++;
		size_t len = strcspn(s, "+-");

		if (sign != '+' && sign != '-')
			return -EINVAL;
		for (i = 0; i < 8; i++)
			if (strlen(ct_names[i]) == len && !strncmp(s, ct_names[i], len))
				break;
		if (i == 8)
			return -EINVAL;
		*mask |= ct_bits[i];
		if (sign == '+')
			*val |= ct_bits[i];
		s += len;
	}
	return 0;
}

/* One field's value (and optional /mask) into a term. */
static int field_term(struct dpctl_filter *f, const struct field *fd,
		      const char *value, const struct dpctl_ports *ports,
		      struct dp_err *err)
{
	char buf[128], *slash;
	const char *v = buf, *m;
	struct term *t;
	uint64_t x, y;
	int bad = 0;

	if (strlen(value) >= sizeof buf)
		return dp_err_set(err, EINVAL, "%s: value too long", fd->name);
	strcpy(buf, value);
	slash = strchr(buf, '/');
	m = NULL;
	if (slash) {
		*slash = '\0';
		m = slash + 1;
	}
	t = add_term(f, fd->off, fd->size, err);
	if (!t)
		return -EINVAL;
	memset(t->mask, 0xff, t->len);
	switch (fd->type) {
	case F_U8: case F_BE16: case F_BE32: case F_H16: case F_H32: case F_BE64: {
		bool be = fd->type == F_BE16 || fd->type == F_BE32 || fd->type == F_BE64;
		uint64_t max = fd->size == 8 ? UINT64_MAX : (1ULL << (8 * fd->size)) - 1;

		bad = parse_u64(v, max, &x) < 0 || (m && parse_u64(m, max, &y) < 0);
		if (!bad) {
			put_uint(t->val, t->len, x, be);
			if (m)
				put_uint(t->mask, t->len, y, be);
		}
		break;
	}
	case F_PORT: {
		const struct dpctl_port *p = ports ? dpctl_port_by_name(ports, v) : NULL;

		if (p)
			x = p->no;
		else if (parse_u64(v, UINT32_MAX, &x) < 0)
			return dp_err_set(err, ENOENT, "in_port=%s: no such port",
					  value);
		put_uint(t->val, 4, x, false);
		m = NULL;
		break;
	}
	case F_MAC:
		bad = parse_mac(v, t->val) < 0 || (m && parse_mac(m, t->mask) < 0);
		break;
	case F_IP4:
		bad = inet_pton(AF_INET, v, t->val) != 1;
		if (!bad && m) {
			if (!strchr(m, '.') && !parse_u64(m, 32, &y)) {
				uint32_t bits = y ? htonl(~0u << (32 - y)) : 0;

				memcpy(t->mask, &bits, 4);
			} else {
				bad = inet_pton(AF_INET, m, t->mask) != 1;
			}
		}
		break;
	case F_IP6:
		bad = inet_pton(AF_INET6, v, t->val) != 1;
		if (!bad && m) {
			if (!strchr(m, ':') && !parse_u64(m, 128, &y)) {
				size_t i;

				memset(t->mask, 0, 16);
				for (i = 0; i < y; i++)
					t->mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
			} else {
				bad = inet_pton(AF_INET6, m, t->mask) != 1;
			}
		}
		break;
	case F_ICMP:
		bad = parse_u64(v, 255, &x) < 0;
		put_uint(t->val, 2, x, true);
		m = NULL;
		break;
	case F_CT_STATE:
		bad = parse_ct_state(v, t->val, t->mask) < 0;
		m = NULL;
		break;
	case F_FRAG:
		/* The key holds OVS_FRAG_TYPE_*; OpenFlow's words map onto it. */
		t->mask[0] = 0xff;
		if (!strcmp(v, "no"))
			t->val[0] = OVS_FRAG_TYPE_NONE;
		else if (!strcmp(v, "first"))
			t->val[0] = OVS_FRAG_TYPE_FIRST;
		else if (!strcmp(v, "later"))
			t->val[0] = OVS_FRAG_TYPE_LATER;
		else if (!strcmp(v, "yes"))
			t->special = SP_FRAG_YES;
		else if (!strcmp(v, "not_later"))
			t->special = SP_FRAG_NOT_LATER;
		else
			bad = 1;
		m = NULL;
		break;
	case F_U128: {
		size_t len = strlen(v), i;

		if (!strncmp(v, "0x", 2)) {
			v += 2;
			len -= 2;
		}
		bad = !len || len > 32 || strspn(v, "0123456789abcdefABCDEF") != len;
		for (i = 0; !bad && i < len; i++) {
			char c = v[len - 1 - i];
			int d = isdigit((unsigned char)c) ? c - '0' :
				tolower((unsigned char)c) - 'a' + 10;

			t->val[15 - i / 2] |= (uint8_t)(d << (4 * (i % 2)));
		}
		m = NULL;
		break;
	}
	case F_TCI:
		bad = parse_u64(v, 0xffff, &x) < 0 || (m && parse_u64(m, 0xffff, &y) < 0);
		put_uint(t->val, 2, x, true);
		if (m)
			put_uint(t->mask, 2, y, true);
		break;
	case F_VID:
		/* 0xffff: no VLAN header at all. */
		bad = parse_u64(v, 0xffff, &x) < 0 || (x > 0xfff && x != 0xffff);
		if (!bad && x == 0xffff) {
			put_uint(t->val, 2, 0, true);
			put_uint(t->mask, 2, 0xffff, true);
		} else {
			put_uint(t->val, 2, x | 0x1000, true);
			put_uint(t->mask, 2, 0x1fff, true);
		}
		m = NULL;
		break;
	case F_PCP:
		bad = parse_u64(v, 7, &x) < 0;
		put_uint(t->val, 2, x << 13 | 0x1000, true);
		put_uint(t->mask, 2, 0xf000, true);
		m = NULL;
		break;
	case F_DSCP:
		bad = parse_u64(v, 63, &x) < 0;
		t->val[0] = (uint8_t)(x << 2);
		t->mask[0] = 0xfc;
		m = NULL;
		break;
	case F_ECN:
		bad = parse_u64(v, 3, &x) < 0;
		t->val[0] = (uint8_t)x;
		t->mask[0] = 0x03;
		m = NULL;
		break;
	case F_LABEL:
		bad = parse_u64(v, 0xfffff, &x) < 0;
		put_uint(t->val, 4, x, true);
		put_uint(t->mask, 4, 0xfffff, true);
		m = NULL;
		break;
	case F_MPLS_LABEL: case F_MPLS_TC: case F_MPLS_BOS: case F_MPLS_TTL: {
		static const struct { uint64_t max; int shift; } sh[] = {
			{ 0xfffff, 12 }, { 7, 9 }, { 1, 8 }, { 255, 0 },
		};
		int k = fd->type - F_MPLS_LABEL;

		bad = parse_u64(v, sh[k].max, &x) < 0;
		put_uint(t->val, 4, x << sh[k].shift, true);
		put_uint(t->mask, 4, sh[k].max << sh[k].shift, true);
		m = NULL;
		break;
	}
	}
	if (bad)
		return dp_err_set(err, EINVAL, "%s=%s: bad value", fd->name, value);
	if (m && fd->type == F_PORT)
		return dp_err_set(err, EINVAL, "%s: masks are not allowed", fd->name);
	return 0;
}

static int proto_terms(struct dpctl_filter *f, const struct proto *p,
		       struct dp_err *err)
{
	struct term *t = add_term(f, offsetof(struct dp_key, eth_type), 2, err);

	if (!t)
		return -EINVAL;
	put_uint(t->val, 2, p->eth_type, true);
	memset(t->mask, 0xff, 2);
	if (!p->nw_proto)
		return 0;
	t = add_term(f, offsetof(struct dp_key, nw_proto), 1, err);
	if (!t)
		return -EINVAL;
	t->val[0] = p->nw_proto;
	t->mask[0] = 0xff;
	return 0;
}

/* Split "key=value" / "key(value)" / "key:value" / "key". */
static void split_kv(char *tok, char **key, char **value)
{
	size_t n = strcspn(tok, "=:(");

	*key = tok;
	*value = NULL;
	if (!tok[n])
		return;
	if (tok[n] == '(') {
		size_t len = strlen(tok);

		if (len && tok[len - 1] == ')')
			tok[len - 1] = '\0';
	}
	tok[n] = '\0';
	*value = tok + n + 1;
}

int dpctl_filter_parse(const char *s, const struct dpctl_ports *ports,
		       struct dpctl_filter **fp, struct dp_err *err)
{
	struct dpctl_filter *f = calloc(1, sizeof *f);
	char *copy = strdup(s), *p, *tok, *key, *value;
	int error = 0;

	*fp = NULL;
	if (!f || !copy) {
		free(f);
		free(copy);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	for (p = copy; *p && !error; ) {
		int depth = 0;
		size_t i;

		tok = p;
		while (*p && (*p != ',' || depth)) {
			depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
			p++;
		}
		if (*p)
			*p++ = '\0';
		tok += strspn(tok, " \t");
		if (!*tok)
			continue;
		split_kv(tok, &key, &value);
		for (i = 0; i < sizeof protos / sizeof protos[0]; i++)
			if (!strcmp(key, protos[i].name))
				break;
		if (i < sizeof protos / sizeof protos[0]) {
			if (value)
				error = dp_err_set(err, EINVAL, "%s takes no value",
						   key);
			else
				error = proto_terms(f, &protos[i], err);
			continue;
		}
		for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (!strcmp(key, fields[i].name))
				break;
		if (i == sizeof fields / sizeof fields[0])
			error = dp_err_set(err, EINVAL, "unknown field '%s'", key);
		else if (!value || !*value)
			error = dp_err_set(err, EINVAL, "%s needs a value", key);
		else
			error = field_term(f, &fields[i], value, ports, err);
	}
	free(copy);
	if (error) {
		free(f);
		return error;
	}
	*fp = f;
	return 0;
}

void dpctl_filter_free(struct dpctl_filter *f)
{
	free(f);
}

int dpctl_filter_match(const struct dpctl_filter *f, const struct dpif_flow *flow)
{
	struct dp_key key, mask;
	const uint8_t *k, *fm;
	size_t i, j;

	if (odp_match_from_attrs(flow->key, flow->key_len, flow->mask,
				 flow->mask ? flow->mask_len : 0, &key, &mask,
				 NULL) < 0)
		return -EINVAL;
	k = (const uint8_t *)&key;
	fm = (const uint8_t *)&mask;
	/* As ovs-dpctl: a field the flow wildcards does not exclude it (the
	 * flow may still see packets with the filter's value), so only bits
	 * that both the flow and the filter match on are compared. */
	for (i = 0; i < f->n; i++) {
		const struct term *t = &f->t[i];

		if (t->special && mask.nw_frag) {
			if (t->special == SP_FRAG_YES &&
			    key.nw_frag == OVS_FRAG_TYPE_NONE)
				return 0;
			if (t->special == SP_FRAG_NOT_LATER &&
			    key.nw_frag == OVS_FRAG_TYPE_LATER)
				return 0;
			continue;
		}
		for (j = 0; j < t->len; j++) {
			uint8_t m = t->mask[j] & fm[t->off + j];

			if ((k[t->off + j] & m) != (t->val[j] & m))
				return 0;
		}
	}
	return 1;
}
