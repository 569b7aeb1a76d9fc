/*
 * ofp_actions_parse_more.c - the actions with arguments of their own:
 * ct(...) and nat(...), sample(...), fin_timeout(...), dec_ttl(...),
 * note:, set_tunnel, check_pkt_larger(...)->.
 */
#include "ofp_actions_parse.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

int ofpact_p_dec_ttl(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_dec_ttl *a;
	uint16_t ids[64];
	size_t n = 0, i;

	if (kv->delim == '(') {
		struct ofp_scan sc;
		struct ofp_kv it;
		uint64_t x;

		ofp_scan_init(&sc, kv->val, kv->vlen, ofpact_p_val_col(kv));
		while (ofp_scan_next(&sc, &it)) {
			if (n == 64 || ofp_parse_u64(it.key, it.klen, UINT16_MAX, &x))
				return ofpact_p_fail(p, kv, "bad controller id");
			ids[n++] = (uint16_t)x;
		}
		if (!n)
			return ofpact_p_fail(p, kv, "dec_ttl_cnt_ids: expected at least one controller id.");
	} else {
		ids[n++] = 0;
	}
	a = (struct ofpact_dec_ttl *)(void *)
		ofpact_put(p->out, OFPACT_DEC_TTL, sizeof *a + n * 2);
	if (a) {
		a->a.spelling = kv->delim == '(';
		a->n_ids = (uint16_t)n;
		for (i = 0; i < n; i++)
			a->ids[i] = ids[i];
	}
	return 0;
}

int ofpact_p_set_tunnel(struct ofpact_parser *p, const struct ofp_kv *kv,
			bool is64)
{
	struct ofpact_u64 *a;
	uint64_t x;

	if (ofpact_p_arg_u64(p, kv, UINT64_MAX, &x, "tunnel id"))
		return -EINVAL;
	a = (struct ofpact_u64 *)(void *)
		ofpact_put(p->out, OFPACT_SET_TUNNEL, sizeof *a);
	if (a) {
		a->a.spelling = is64;
		a->value = x;
	}
	return 0;
}

int ofpact_p_note(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct buf b = BUF_INIT;
	struct ofpact_note *a;
	size_t padded;

	if (ofp_parse_hex_bytes(kv->val, kv->vlen, &b)) {
		buf_free(&b);
		return ofpact_p_fail(p, kv, "bad hex digit in `note' argument");
	}
	/* The switch stores a note padded so that its 10-byte header and the
	 * data fill whole 8-byte units; ovs-ofctl shows the padding. */
	padded = ((10 + b.len + 7) / 8) * 8 - 10;
	a = (struct ofpact_note *)(void *)
		ofpact_put(p->out, OFPACT_NOTE, sizeof *a + padded);
	if (a) {
		a->len = (uint16_t)padded;
		if (b.len)
			memcpy(a->data, b.data, b.len);
	}
	buf_free(&b);
	return 0;
}

int ofpact_p_fin_timeout(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_fin_timeout *a;
	uint64_t idle = 0, hard = 0;
	struct ofp_scan sc;
	struct ofp_kv it;

	ofp_scan_init(&sc, kv->val, kv->vlen, ofpact_p_val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		uint64_t *dst = ofp_word_is(it.key, it.klen, "idle_timeout") ? &idle :
				ofp_word_is(it.key, it.klen, "hard_timeout") ? &hard :
				NULL;

		if (!dst)
			return ofpact_p_fail(p, kv, "invalid key '%.*s' in 'fin_timeout' argument",
				    (int)it.klen, it.key);
		if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, dst))
			return ofpact_p_fail(p, kv, "bad timeout");
	}
	a = (struct ofpact_fin_timeout *)(void *)
		ofpact_put(p->out, OFPACT_FIN_TIMEOUT, sizeof *a);
	if (a) {
		a->idle = (uint16_t)idle;
		a->hard = (uint16_t)hard;
	}
	return 0;
}

int ofpact_p_sample(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_sample s, *a;
	struct ofp_scan sc;
	struct ofp_kv it;
	uint64_t x;

	memset(&s, 0, sizeof s);
	s.sampling_port = OFPP_NONE;
	ofp_scan_init(&sc, kv->val, kv->vlen, ofpact_p_val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		if (ofp_word_is(it.key, it.klen, "probability")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x) || !x)
				return ofpact_p_fail(p, kv, "invalid probability value \"%.*s\"",
					    (int)it.vlen, it.val);
			s.probability = (uint16_t)x;
		} else if (ofp_word_is(it.key, it.klen, "collector_set_id")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &x))
				return ofpact_p_fail(p, kv, "bad collector_set_id");
			s.collector_set_id = (uint32_t)x;
		} else if (ofp_word_is(it.key, it.klen, "obs_domain_id")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &x))
				return ofpact_p_fail(p, kv, "bad obs_domain_id");
			s.obs_domain_id = (uint32_t)x;
		} else if (ofp_word_is(it.key, it.klen, "obs_point_id")) {
			if (ofp_parse_u64(it.val, it.vlen, UINT32_MAX, &x))
				return ofpact_p_fail(p, kv, "bad obs_point_id");
			s.obs_point_id = (uint32_t)x;
		} else if (ofp_word_is(it.key, it.klen, "sampling_port")) {
			if (ofp_port_parse(it.val, it.vlen, p->names, &s.sampling_port))
				return ofpact_p_fail(p, kv, "%.*s: unknown port", (int)it.vlen,
					    it.val);
		} else if (ofp_word_is(it.key, it.klen, "ingress")) {
			s.direction = OFP_SAMPLE_INGRESS;
		} else if (ofp_word_is(it.key, it.klen, "egress")) {
			s.direction = OFP_SAMPLE_EGRESS;
		} else {
			return ofpact_p_fail(p, kv, "invalid key \"%.*s\" in \"sample\" argument",
				    (int)it.klen, it.key);
		}
	}
	if (!s.probability)
		return ofpact_p_fail(p, kv, "non-zero \"probability\" must be specified on sample");
	a = (struct ofpact_sample *)(void *)
		ofpact_put(p->out, OFPACT_SAMPLE, sizeof *a);
	if (a) {
		s.a = a->a;
		*a = s;
	}
	return 0;
}

/* --- conntrack ------------------------------------------------------------------ */

/* "10.0.0.1-10.0.0.9:1000-2000", "[fe80::1]-[fe80::9]:80", "fe80::1". */
static int parse_nat_range(struct ofpact_parser *p,
			   const struct ofp_kv *kv, const char *s, size_t len,
			   struct ofpact_nat *n)
{
	size_t i = 0, a0, a1;
	bool v6 = memchr(s, ':', len) && (s[0] == '[' || !memchr(s, '.', len));
	bool br = len && s[0] == '[';
	uint64_t port;

	/* The address part ends at the port colon: for IPv6 only after ']'. */
	if (v6 && !br) {
		if (ofp_parse_ipv6(s, ofpact_p_find(s, len, "-") < 0 ? len :
				   (size_t)ofpact_p_find(s, len, "-"), n->addr_min))
			goto bad;
		if (ofpact_p_find(s, len, "-") >= 0) {
			size_t d = (size_t)ofpact_p_find(s, len, "-");

			if (ofp_parse_ipv6(s + d + 1, len - d - 1, n->addr_max))
				goto bad;
		}
		n->af = AF_INET6;
		goto check;
	}
	for (a0 = 0; a0 < 2; a0++) {
		uint8_t *dst = a0 ? n->addr_max : n->addr_min;

		if (br) {
			if (i >= len || s[i] != '[')
				goto bad;
			a1 = ++i;
			while (i < len && s[i] != ']')
				i++;
			if (i >= len || ofp_parse_ipv6(s + a1, i - a1, dst))
				goto bad;
			i++;
		} else {
			uint32_t ip;

			a1 = i;
			while (i < len && (s[i] == '.' || (s[i] >= '0' && s[i] <= '9')))
				i++;
			if (ofp_parse_ipv4(s + a1, i - a1, &ip))
				goto bad;
			memcpy(dst, &ip, 4);
		}
		if (i < len && s[i] == '-' && a0 == 0) {
			i++;
			continue;
		}
		break;
	}
	n->af = br ? AF_INET6 : AF_INET;
	if (i < len && s[i] == ':') {
		size_t p0 = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (ofp_parse_u64(s + p0, i - p0, UINT16_MAX, &port))
			goto bad;
		n->port_min = (uint16_t)port;
		if (i < len && s[i] == '-') {
			p0 = ++i;
			while (i < len && s[i] >= '0' && s[i] <= '9')
				i++;
			if (ofp_parse_u64(s + p0, i - p0, UINT16_MAX, &port))
				goto bad;
			n->port_max = (uint16_t)port;
		}
	}
	if (i < len)
		return ofpact_p_fail(p, kv, "garbage (%.*s) after nat range \"%.*s\" (pos: %zu)",
			    (int)(len - i), s + i, (int)len, s, i);
check:
	if (memcmp(n->addr_max, (const uint8_t[16]){ 0 }, 16) &&
	    memcmp(n->addr_max, n->addr_min, n->af == AF_INET ? 4 : 16) < 0)
		return ofpact_p_fail(p, kv, "invalid nat range \"%.*s\"", (int)len, s);
	if (n->port_max && n->port_max < n->port_min)
		return ofpact_p_fail(p, kv, "invalid nat range \"%.*s\"", (int)len, s);
	return 0;
bad:
	return ofpact_p_fail(p, kv, "invalid nat range \"%.*s\"", (int)len, s);
}

static int parse_nat(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_nat n, *a;
	struct ofp_scan sc;
	struct ofp_kv it;

	memset(&n, 0, sizeof n);
	ofp_scan_init(&sc, kv->val, kv->vlen, ofpact_p_val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		bool src = ofp_word_is(it.key, it.klen, "src");

		if (src || ofp_word_is(it.key, it.klen, "dst")) {
			if (n.flags & (OFP_NAT_SRC | OFP_NAT_DST))
				return ofpact_p_fail(p, kv, "May only specify one of \"src\" or \"dst\".");
			n.flags |= src ? OFP_NAT_SRC : OFP_NAT_DST;
			if (it.vlen && parse_nat_range(p, kv, it.val, it.vlen, &n))
				return -EINVAL;
		} else if (ofp_word_is(it.key, it.klen, "persistent")) {
			n.flags |= OFP_NAT_PERSISTENT;
		} else if (ofp_word_is(it.key, it.klen, "hash")) {
			n.flags |= OFP_NAT_HASH;
		} else if (ofp_word_is(it.key, it.klen, "random")) {
			n.flags |= OFP_NAT_RANDOM;
		} else {
			return ofpact_p_fail(p, kv, "invalid key \"%.*s\" in \"nat\" argument",
				    (int)it.klen, it.key);
		}
	}
	if (n.flags && !(n.flags & (OFP_NAT_SRC | OFP_NAT_DST)))
		return ofpact_p_fail(p, kv, "Flags allowed only with \"src\" or \"dst\".");
	if ((n.flags & OFP_NAT_HASH) && (n.flags & OFP_NAT_RANDOM))
		return ofpact_p_fail(p, kv, "Both \"hash\" and \"random\" are not allowed.");
	a = (struct ofpact_nat *)(void *)ofpact_put(p->out, OFPACT_NAT, sizeof *a);
	if (a) {
		n.a = a->a;
		*a = n;
	}
	return 0;
}

int ofpact_p_ct(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_ct ct, *a;
	struct ofp_scan sc;
	struct ofp_kv it;
	size_t ofs = ofpact_nest_start(p->out, OFPACT_CT, sizeof ct);
	struct buf exec = BUF_INIT;
	bool have_nat = false;
	uint64_t x;
	int r = 0;

	memset(&ct, 0, sizeof ct);
	ct.table = OFP_CT_NO_TABLE;
	ofp_scan_init(&sc, kv->val, kv->vlen, ofpact_p_val_col(kv));
	while (ofp_scan_next(&sc, &it)) {
		if (ofp_word_is(it.key, it.klen, "commit")) {
			ct.flags |= OFP_CT_COMMIT;
		} else if (ofp_word_is(it.key, it.klen, "force")) {
			ct.flags |= OFP_CT_FORCE;
		} else if (ofp_word_is(it.key, it.klen, "table")) {
			if (ofp_parse_u64(it.val, it.vlen, 255, &x)) {
				r = ofpact_p_fail(p, kv, "unknown table %.*s", (int)it.vlen, it.val);
				goto out;
			}
			if (x == 255) {
				r = ofpact_p_fail(p, kv, "invalid table 0xff");
				goto out;
			}
			ct.table = (uint8_t)x;
		} else if (ofp_word_is(it.key, it.klen, "zone")) {
			if (it.vlen && it.val[0] >= '0' && it.val[0] <= '9') {
				if (ofp_parse_u64(it.val, it.vlen, UINT16_MAX, &x)) {
					r = ofpact_p_fail(p, kv, "bad zone %.*s", (int)it.vlen, it.val);
					goto out;
				}
				ct.zone_imm = (uint16_t)x;
			} else if (ofpact_p_sf(p, kv, it.val, it.vlen, &ct.zone_src)) {
				r = -EINVAL;
				goto out;
			} else if (ct.zone_src.n_bits != 16) {
				r = ofpact_p_fail(p, kv, "zone needs a 16-bit field");
				goto out;
			}
		} else if (ofp_word_is(it.key, it.klen, "alg")) {
			if (ofp_word_is(it.val, it.vlen, "ftp")) {
				ct.alg = 21;
			} else if (ofp_word_is(it.val, it.vlen, "tftp")) {
				ct.alg = 69;
			} else {
				r = ofpact_p_fail(p, kv, "invalid conntrack helper \"%.*s\"",
					 (int)it.vlen, it.val);
				goto out;
			}
		} else if (ofp_word_is(it.key, it.klen, "nat")) {
			if (have_nat) {
				r = ofpact_p_fail(p, kv, "only one nat is allowed in ct");
				goto out;
			}
			have_nat = true;
			if ((r = parse_nat(p, &it)))
				goto out;
		} else if (ofp_word_is(it.key, it.klen, "exec")) {
			struct buf *save = p->out;

			p->out = &exec;
			r = ofpact_p_list(p, it.val, it.vlen, ofpact_p_val_col(&it));
			p->out = save;
			if (r)
				goto out;
		} else {
			r = ofpact_p_fail(p, kv, "invalid argument to \"ct\" action: `%.*s'",
				 (int)it.klen, it.key);
			goto out;
		}
	}
	if ((ct.flags & OFP_CT_FORCE) && !(ct.flags & OFP_CT_COMMIT)) {
		r = ofpact_p_fail(p, kv, "\"force\" flag requires \"commit\" flag.");
		goto out;
	}
	buf_put(p->out, exec.data, exec.len);
	ofpact_nest_end(p->out, ofs);
	if (buf_ok(p->out)) {
		a = (struct ofpact_ct *)(void *)(p->out->data + ofs);
		ct.a = a->a;
		*a = ct;
	}
out:
	buf_free(&exec);
	return r;
}

int ofpact_p_check_pkt_larger(struct ofpact_parser *p, const struct ofp_kv *kv)
{
	struct ofpact_check_pkt_larger *a;
	int i = ofpact_p_find(kv->val, kv->vlen, ")->");
	struct ofpact_sf sf = { 0, 0, 0, 0 };
	uint64_t n;

	if (kv->delim != '(' || i < 0)
		return ofpact_p_fail(p, kv, "syntax is check_pkt_larger(LEN)->FIELD[BIT]");
	if (ofp_parse_u64(kv->val, (size_t)i, UINT16_MAX, &n))
		return ofpact_p_fail(p, kv, "bad packet length");
	if (ofpact_p_sf(p, kv, kv->val + i + 3, kv->vlen - (size_t)i - 3, &sf))
		return -EINVAL;
	if (sf.n_bits != 1)
		return ofpact_p_fail(p, kv, "Only 1-bit destination field is allowed");
	a = (struct ofpact_check_pkt_larger *)(void *)
		ofpact_put(p->out, OFPACT_CHECK_PKT_LARGER, sizeof *a);
	if (a) {
		a->pkt_len = (uint16_t)n;
		a->dst = sf;
	}
	return 0;
}

