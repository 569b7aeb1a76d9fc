/*
 * ofp_match_parse.c - matches in ovs-ofctl syntax into struct ofp_match
 * (the printer is ofp_match_text.c; both are declared in ofp_match_text.h).
 */
#include "ofp_match_text.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>

static const struct {
	const char *name;
	uint16_t dl_type;
	uint8_t nw_proto;
} protocols[] = {
	{ "ip", OFP_ETH_IP, 0 }, { "ipv4", OFP_ETH_IP, 0 },
	{ "ip4", OFP_ETH_IP, 0 }, { "arp", OFP_ETH_ARP, 0 },
	{ "icmp", OFP_ETH_IP, 1 }, { "icmp4", OFP_ETH_IP, 1 },
	{ "tcp", OFP_ETH_IP, 6 }, { "tcp4", OFP_ETH_IP, 6 },
	{ "udp", OFP_ETH_IP, 17 }, { "udp4", OFP_ETH_IP, 17 },
	{ "sctp", OFP_ETH_IP, 132 }, { "sctp4", OFP_ETH_IP, 132 },
	{ "ipv6", OFP_ETH_IPV6, 0 }, { "ip6", OFP_ETH_IPV6, 0 },
	{ "icmp6", OFP_ETH_IPV6, 58 }, { "tcp6", OFP_ETH_IPV6, 6 },
	{ "udp6", OFP_ETH_IPV6, 17 }, { "sctp6", OFP_ETH_IPV6, 132 },
	{ "rarp", OFP_ETH_RARP, 0 }, { "mpls", OFP_ETH_MPLS, 0 },
	{ "mplsm", OFP_ETH_MPLSM, 0 },
};

const char *const ofp_tcp_flag_names[12] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
	"[200]", "[400]", "[800]",
};
const char *const ofp_ct_state_names[8] = {
	"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
};

void ofp_match_parser_init(struct ofp_match_parser *p, struct ofp_match *m,
			   const struct ofp_names *names)
{
	memset(p, 0, sizeof *p);
	p->m = m;
	p->names = names;
}

#define ERR(kv, ...) ofp_kv_err(err, kv, __VA_ARGS__)

/* "syn|ack": exactly these flags, the others clear. */
static int parse_flag_list(const char *s, size_t len, const char *const *names,
			   unsigned n, union ofp_value *v, union ofp_value *m)
{
	uint32_t val = 0;
	size_t p = 0;

	while (p <= len) {
		size_t q = p;
		unsigned i;

		while (q < len && s[q] != '|')
			q++;
		for (i = 0; i < n; i++)
			if (ofp_word_is(s + p, q - p, names[i]))
				break;
		if (i == n)
			return -EINVAL;
		val |= 1u << i;
		p = q + 1;
	}
	ofp_value_from_u64(v, val);
	ofp_value_from_u64(m, (1ull << n) - 1);
	return 0;
}

/* "+syn-ack" into value and mask. */
static int parse_flags(const char *s, size_t len, const char *const *names,
		       unsigned n, union ofp_value *v, union ofp_value *m)
{
	uint32_t val = 0, mask = 0;
	size_t p = 0;

	while (p < len) {
		char sign = s[p++];
		size_t q = p;
		unsigned i;

		if (sign != '+' && sign != '-')
			return -EINVAL;
		while (q < len && s[q] != '+' && s[q] != '-')
			q++;
		for (i = 0; i < n; i++)
			if (ofp_word_is(s + p, q - p, names[i]))
				break;
		if (i == n || (mask & (1u << i)))
			return -EINVAL;
		mask |= 1u << i;
		if (sign == '+')
			val |= 1u << i;
		p = q;
	}
	ofp_value_from_u64(v, val);
	ofp_value_from_u64(m, mask);
	return 0;
}

static int parse_frag(const char *s, size_t len, union ofp_value *v,
		      union ofp_value *m)
{
	static const struct { const char *name; uint8_t v, m; } frags[] = {
		{ "no", 0, OFP_FRAG_MASK },
		{ "yes", OFP_FRAG_ANY, OFP_FRAG_ANY },
		{ "first", OFP_FRAG_ANY, OFP_FRAG_MASK },
		{ "later", OFP_FRAG_MASK, OFP_FRAG_MASK },
		{ "not_later", 0, OFP_FRAG_LATER },
	};
	size_t i;

	for (i = 0; i < sizeof frags / sizeof frags[0]; i++) {
		if (ofp_word_is(s, len, frags[i].name)) {
			ofp_value_from_u64(v, frags[i].v);
			ofp_value_from_u64(m, frags[i].m);
			return 0;
		}
	}
	return -EINVAL;
}

/* Parse 'f''s value (and optional "/mask") from s[0..len).  On failure
 * *why says what was wrong. */
int ofp_field_parse_value(const struct ofp_field *f, const char *s, size_t len,
			  const struct ofp_names *names, union ofp_value *v,
			  union ofp_value *m, const char **why)
{
	const char *slash = memchr(s, '/', len);
	size_t vl = slash ? (size_t)(slash - s) : len;
	const char *ms = slash ? slash + 1 : NULL;
	size_t ml = slash ? len - vl - 1 : 0;
	uint16_t port;

	memset(v, 0, sizeof *v);
	ofp_value_ones(f, m);
	*why = "bad value";
	switch (f->fmt) {
	case OFP_FF_PORT:
		if (slash || ofp_port_parse(s, len, names, &port)) {
			*why = "not a valid OpenFlow port";
			return -EINVAL;
		}
		ofp_value_from_u64(v, port);
		return 0;
	case OFP_FF_FRAG:
		if (parse_frag(s, len, v, m)) {
			*why = "unknown fragment type (valid types are \"no\", \"yes\", \"first\", \"later\", \"not_later\")";
			return -EINVAL;
		}
		return 0;
	case OFP_FF_TCP_FLAGS:
	case OFP_FF_CT_STATE: {
		bool tcp = f->fmt == OFP_FF_TCP_FLAGS;
		const char *const *fl = tcp ? ofp_tcp_flag_names : ofp_ct_state_names;
		unsigned n = tcp ? 12 : 8;

		if (len && (s[0] == '+' || s[0] == '-')) {
			if (parse_flags(s, len, fl, n, v, m)) {
				*why = "bad flags (write +flag-flag...)";
				return -EINVAL;
			}
			return 0;
		}
		if (len && ((s[0] >= 'a' && s[0] <= 'z') || s[0] == '[')) {
			if (parse_flag_list(s, len, fl, n, v, m)) {
				*why = "bad flags (write flag|flag...)";
				return -EINVAL;
			}
			return 0;
		}
		break;
	}
	case OFP_FF_MAC:
		if (ofp_parse_mac(s, vl, v->be + 10) ||
		    (ms && ofp_parse_mac(ms, ml, m->be + 10))) {
			*why = "invalid Ethernet address";
			return -EINVAL;
		}
		return 0;
	case OFP_FF_IPV4: {
		uint32_t a, k;
		uint64_t plen;

		if (ofp_parse_ipv4(s, vl, &a)) {
			*why = "invalid IP address";
			return -EINVAL;
		}
		memcpy(v->be + 12, &a, 4);
		if (!ms)
			return 0;
		if (memchr(ms, '.', ml)) {
			if (ofp_parse_ipv4(ms, ml, &k)) {
				*why = "invalid IP mask";
				return -EINVAL;
			}
		} else {
			if (ofp_parse_u64(ms, ml, 32, &plen)) {
				*why = "invalid IP prefix length";
				return -EINVAL;
			}
			k = plen ? htonl(UINT32_MAX << (32 - plen)) : 0;
		}
		memset(m, 0, sizeof *m);
		memcpy(m->be + 12, &k, 4);
		return 0;
	}
	case OFP_FF_IPV6: {
		uint64_t plen;

		if (ofp_parse_ipv6(s, vl, v->be)) {
			*why = "invalid IPv6 address";
			return -EINVAL;
		}
		if (!ms)
			return 0;
		memset(m, 0, sizeof *m);
		if (memchr(ms, ':', ml)) {
			if (ofp_parse_ipv6(ms, ml, m->be)) {
				*why = "invalid IPv6 mask";
				return -EINVAL;
			}
		} else {
			if (ofp_parse_u64(ms, ml, 128, &plen)) {
				*why = "invalid IPv6 prefix length";
				return -EINVAL;
			}
			ofp_value_set_bits(m, (unsigned)(128 - plen), (unsigned)plen);
		}
		return 0;
	}
	default:
		break;
	}
	if (ofp_parse_be128(s, vl, v->be) ||
	    (ms && ofp_parse_be128(ms, ml, m->be))) {
		*why = "cannot parse integer value";
		return -EINVAL;
	}
	if (ofp_value_too_wide(f, v) || ofp_value_too_wide(f, m)) {
		*why = "value too large for the field";
		return -ERANGE;
	}
	return 0;
}

static void note_item(struct ofp_match_parser *p, const struct ofp_field *f,
		      const struct ofp_kv *kv)
{
	p->set[f->id].tok = kv->key;
	p->set[f->id].len = (size_t)(kv->val + kv->vlen - kv->key);
	p->set[f->id].col = kv->col;
}

static int apply_field(struct ofp_match_parser *p, const struct ofp_field *f,
		       const struct ofp_kv *kv, struct dp_err *err)
{
	struct ofp_match *m = p->m;
	union ofp_value v, k, ones;
	const char *why;
	uint64_t x;

	if (!kv->vlen) {
		/* A field without a value matches anything (ovs-ofctl's "0/0"). */
		note_item(p, f, kv);
		return 1;
	}
	if (f->id == OFP_F_DL_VLAN &&
	    !ofp_parse_u64(kv->val, kv->vlen, 0xffff, &x) && x == 0xffff) {
		/* OFP_VLAN_NONE: no VLAN header at all. */
		note_item(p, f, kv);
		ofp_value_from_u64(&v, 0);
		ofp_value_from_u64(&k, 0xffff);
		ofp_match_set_field(m, ofp_field_get(OFP_F_VLAN_TCI), &v, &k);
		return 1;
	}
	if (f->id == OFP_F_ICMP_TYPE || f->id == OFP_F_ICMPV6_TYPE ||
	    f->id == OFP_F_ICMP_CODE || f->id == OFP_F_ICMPV6_CODE) {
		/* The ICMP type and code are the transport ports, whole 16-bit
		 * words in the key; a packet's have a zero high byte.  Taking
		 * the port field keeps whatever dump-flows prints of them
		 * (icmp_type=0x8/0xf0) parseable. */
		f = ofp_field_get(f->id == OFP_F_ICMP_TYPE ||
				  f->id == OFP_F_ICMPV6_TYPE ? OFP_F_TCP_SRC
							     : OFP_F_TCP_DST);
	}
	if (ofp_field_parse_value(f, kv->val, kv->vlen, p->names, &v, &k, &why))
		return ERR(kv, "%s", why);
	ofp_value_ones(f, &ones);
	if (!f->maskable && memcmp(&k, &ones, sizeof k) && !ofp_value_is_zero(&k))
		return ERR(kv, "invalid mask for field %s", f->name);
	note_item(p, f, kv);

	x = ofp_value_u64(&v);
	switch (f->id) {
	case OFP_F_DL_VLAN: {
		const struct ofp_field *tci = ofp_field_get(OFP_F_VLAN_TCI);
		union ofp_value tv, tm;

		if (x > 4095) {
			return ERR(kv, "%llu: not a valid VLAN VID",
				   (unsigned long long)x);
		} else {
			ofp_match_get_field(m, tci, &tv, &tm);
			ofp_value_from_u64(&tv, (ofp_value_u64(&tv) & 0xe000) |
					   DP_VLAN_CFI | x);
			ofp_value_from_u64(&tm, ofp_value_u64(&tm) | 0x1fff);
		}
		ofp_match_set_field(m, tci, &tv, &tm);
		return 1;
	}
	case OFP_F_DL_VLAN_PCP:
	case OFP_F_VLAN_PCP: {
		const struct ofp_field *tci = ofp_field_get(OFP_F_VLAN_TCI);
		union ofp_value tv, tm;

		if (x > 7)
			return ERR(kv, "%llu: not a valid VLAN PCP",
				   (unsigned long long)x);
		ofp_match_get_field(m, tci, &tv, &tm);
		ofp_value_from_u64(&tv, (ofp_value_u64(&tv) & 0x0fff) |
				   DP_VLAN_CFI | (x << 13));
		ofp_value_from_u64(&tm, ofp_value_u64(&tm) | 0xf000);
		ofp_match_set_field(m, tci, &tv, &tm);
		return 1;
	}
	case OFP_F_IPV6_LABEL:
		/* An exact label is an exact 32-bit word, as Open vSwitch keeps
		 * (and prints) it. */
		ofp_match_set_field(m, f, &v, &k);
		if (!memcmp(&k, &ones, sizeof k))
			m->mask.key.l3.ipv6.label = UINT32_MAX;
		return 1;
	case OFP_F_NW_TOS:
		if (x & 3)
			return ERR(kv, "%llu is not a valid value for field nw_tos (the low 2 bits are ECN)",
				   (unsigned long long)x);
		ofp_value_from_u64(&k, 0xfc);
		break;
	default:
		break;
	}
	ofp_match_set_field(m, f, &v, &k);
	return 1;
}

/* "reg3[4..7]=5": bits of a field. */
static int apply_subfield(struct ofp_match_parser *p, const struct ofp_kv *kv,
			  struct dp_err *err)
{
	struct ofp_subfield sf;
	union ofp_value v, cur, cm, nv, nm;
	struct dp_err sub;
	size_t i;

	if (ofp_subfield_parse(kv->key, kv->klen, &sf, &sub))
		return dp_err_set(err, EINVAL, "column %zu: %s", kv->col, sub.msg);
	if (ofp_parse_be128(kv->val, kv->vlen, v.be))
		return ERR(kv, "cannot parse integer value");
	{
		union ofp_value w;

		ofp_value_bits(&w, &v, 0, sf.n_bits);
		if (memcmp(&w, &v, sizeof v))
			return ERR(kv, "value does not fit into %u bits", sf.n_bits);
	}
	ofp_match_get_field(p->m, sf.field, &cur, &cm);
	ofp_value_shift(&v, &v, sf.ofs);
	memset(&nm, 0, sizeof nm);
	ofp_value_set_bits(&nm, sf.ofs, sf.n_bits);
	for (i = 0; i < 16; i++) {
		nv.be[i] = (uint8_t)((cur.be[i] & ~nm.be[i]) | v.be[i]);
		nm.be[i] |= cm.be[i];
	}
	note_item(p, sf.field, kv);
	ofp_match_set_field(p->m, sf.field, &nv, &nm);
	return 1;
}

int ofp_match_parse_item(struct ofp_match_parser *p, const struct ofp_kv *kv,
			 struct dp_err *err)
{
	const struct ofp_field *f;
	size_t i;

	if (!kv->vlen && !kv->delim) {
		for (i = 0; i < sizeof protocols / sizeof protocols[0]; i++) {
			if (ofp_word_is(kv->key, kv->klen, protocols[i].name)) {
				struct ofp_match *m = p->m;

				m->flow.key.eth_type = htons(protocols[i].dl_type);
				m->mask.key.eth_type = 0xffff;
				if (protocols[i].nw_proto) {
					m->flow.key.nw_proto = protocols[i].nw_proto;
					m->mask.key.nw_proto = 0xff;
				}
				return 1;
			}
		}
	}
	if (memchr(kv->key, '[', kv->klen))
		return apply_subfield(p, kv, err);
	f = ofp_field_by_name(kv->key, kv->klen);
	if (!f)
		return 0;
	if (f->id == OFP_F_IN_PORT && kv->delim != '=' && kv->delim != ':' &&
	    kv->delim)
		return 0;
	return apply_field(p, f, kv, err);
}

int ofp_match_parse_finish(struct ofp_match_parser *p, struct dp_err *err)
{
	size_t i;

	for (i = 0; i < OFP_F_N_FIELDS; i++) {
		const struct ofp_field *f = ofp_field_get((enum ofp_field_id)i);
		union ofp_value v, k;

		if (!p->set[i].tok || f->prereq == OFP_P_NONE ||
		    f->prereq == OFP_P_VLAN)
			continue;
		ofp_match_get_field(p->m, f, &v, &k);
		if (ofp_value_is_zero(&k))
			continue;
		if (!ofp_match_prereq_ok(p->m, f->prereq))
			return dp_err_set(err, EINVAL,
					  "column %zu: %.*s: field %s needs %s in the match",
					  p->set[i].col, (int)p->set[i].len,
					  p->set[i].tok, f->name,
					  ofp_prereq_name(f->prereq));
	}
	return 0;
}

int ofp_match_from_text(const char *s, size_t len, size_t col0,
			struct ofp_match *m, const struct ofp_names *names,
			struct dp_err *err)
{
	struct ofp_match_parser p;
	struct ofp_scan sc;
	struct ofp_kv kv;
	int r;

	ofp_match_init_catchall(m);
	ofp_match_parser_init(&p, m, names);
	ofp_scan_init(&sc, s, len, col0);
	while (ofp_scan_next(&sc, &kv)) {
		r = ofp_match_parse_item(&p, &kv, err);
		if (r < 0)
			return r;
		if (r == 0)
			return dp_err_set(err, EINVAL, "column %zu: %.*s: unknown field",
					  kv.col, (int)kv.klen, kv.key);
	}
	return ofp_match_parse_finish(&p, err);
}
