/*
 * ofp_match_text.c - parse and print matches in ovs-ofctl syntax.
 */
#include "ofp_match_text.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <endian.h>
#include <stdarg.h>
#include <stdio.h>

#define ETH_TYPE_IP     0x0800
#define ETH_TYPE_ARP    0x0806
#define ETH_TYPE_RARP   0x8035
#define ETH_TYPE_IPV6   0x86dd
#define ETH_TYPE_MPLS   0x8847
#define ETH_TYPE_MPLSM  0x8848

static const struct {
	const char *name;
	uint16_t dl_type;
	uint8_t nw_proto;
} protocols[] = {
	{ "ip", ETH_TYPE_IP, 0 }, { "ipv4", ETH_TYPE_IP, 0 },
	{ "ip4", ETH_TYPE_IP, 0 }, { "arp", ETH_TYPE_ARP, 0 },
	{ "icmp", ETH_TYPE_IP, 1 }, { "icmp4", ETH_TYPE_IP, 1 },
	{ "tcp", ETH_TYPE_IP, 6 }, { "tcp4", ETH_TYPE_IP, 6 },
	{ "udp", ETH_TYPE_IP, 17 }, { "udp4", ETH_TYPE_IP, 17 },
	{ "sctp", ETH_TYPE_IP, 132 }, { "sctp4", ETH_TYPE_IP, 132 },
	{ "ipv6", ETH_TYPE_IPV6, 0 }, { "ip6", ETH_TYPE_IPV6, 0 },
	{ "icmp6", ETH_TYPE_IPV6, 58 }, { "tcp6", ETH_TYPE_IPV6, 6 },
	{ "udp6", ETH_TYPE_IPV6, 17 }, { "sctp6", ETH_TYPE_IPV6, 132 },
	{ "rarp", ETH_TYPE_RARP, 0 }, { "mpls", ETH_TYPE_MPLS, 0 },
	{ "mplsm", ETH_TYPE_MPLSM, 0 },
};

static const char *const tcp_flag_names[12] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
	"[200]", "[400]", "[800]",
};
static const char *const ct_state_names[8] = {
	"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
};

void ofp_match_parser_init(struct ofp_match_parser *p, struct ofp_match *m,
			   const struct ofp_names *names)
{
	memset(p, 0, sizeof *p);
	p->m = m;
	p->names = names;
}

#define ERR(kv, ...) item_err(err, kv, __VA_ARGS__)

static int item_err(struct dp_err *err, const struct ofp_kv *kv,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int item_err(struct dp_err *err, const struct ofp_kv *kv,
		    const char *fmt, ...)
{
	char msg[DP_ERR_MSG_MAX];
	size_t end = kv->tlen;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return dp_err_set(err, EINVAL, "column %zu: %.*s: %s", kv->col,
			  (int)end, kv->key, msg);
}

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
		const char *const *fl = tcp ? tcp_flag_names : ct_state_names;
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
	if ((f->id == OFP_F_ICMP_TYPE || f->id == OFP_F_ICMPV6_TYPE ||
	     f->id == OFP_F_ICMP_CODE || f->id == OFP_F_ICMPV6_CODE) &&
	    memchr(kv->val, '/', kv->vlen)) {
		/* A masked ICMP type or code is a masked transport port, as
		 * dump-flows prints it (icmp_type=0x8/0xf0). */
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
	case OFP_F_ICMP_TYPE:
	case OFP_F_ICMPV6_TYPE:
	case OFP_F_ICMP_CODE:
	case OFP_F_ICMPV6_CODE:
		/* The ICMP type and code live in the transport ports, whole. */
		f = ofp_field_get(f->id == OFP_F_ICMP_TYPE ||
				  f->id == OFP_F_ICMPV6_TYPE ? OFP_F_TCP_SRC
							     : OFP_F_TCP_DST);
		ofp_value_ones(f, &k);
		break;
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
	if (dl == ETH_TYPE_IP || dl == ETH_TYPE_IPV6) {
		bool v6 = dl == ETH_TYPE_IPV6;
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
	case ETH_TYPE_ARP: return "arp";
	case ETH_TYPE_RARP: return "rarp";
	case ETH_TYPE_MPLS: return "mpls";
	case ETH_TYPE_MPLSM: return "mplsm";
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
	bool skip_proto = false, arp = dl == ETH_TYPE_ARP || dl == ETH_TYPE_RARP;
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
		fmt_flags(out, ct_state_names, 8, f->ct_state, k->ct_state, 0xff);
		buf_putc(out, ',');
	}
	fmt_u16_masked(out, "ct_zone", f->ct_zone, k->ct_zone);
	fmt_u32_masked(out, "ct_mark", f->ct_mark, k->ct_mark);
	fmt_ct_label(out, m);
	if (dl != ETH_TYPE_IPV6) {
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
	if (dl == ETH_TYPE_IPV6) {
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
	} else if (dl != ETH_TYPE_MPLS && dl != ETH_TYPE_MPLSM) {
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
	if (dl == ETH_TYPE_MPLS || dl == ETH_TYPE_MPLSM) {
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
	if (dl == ETH_TYPE_IP && f->nw_proto == 1) {
		fmt_u16_masked(out, "icmp_type", ntohs(f->tp_src), ntohs(k->tp_src));
		fmt_u16_masked(out, "icmp_code", ntohs(f->tp_dst), ntohs(k->tp_dst));
	} else if (dl == ETH_TYPE_IP && f->nw_proto == 2) {
		fmt_u16_masked(out, "igmp_type", ntohs(f->tp_src), ntohs(k->tp_src));
		fmt_u16_masked(out, "igmp_code", ntohs(f->tp_dst), ntohs(k->tp_dst));
	} else if (dl == ETH_TYPE_IPV6 && f->nw_proto == 58) {
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
	if ((dl == ETH_TYPE_IP || dl == ETH_TYPE_IPV6) && f->nw_proto == 6 &&
	    k->tcp_flags) {
		buf_puts(out, "tcp_flags=");
		fmt_flags(out, tcp_flag_names, 12, ntohs(f->tcp_flags),
			  ntohs(k->tcp_flags) & 0x0fff, 0x0fff);
		buf_putc(out, ',');
	}
	if (out->len > start && out->data[out->len - 1] == ',')
		buf_truncate(out, out->len - 1);
}
