/*
 * odp_text_ct.c - the ct(...) action, both directions:
 *
 *   ct(commit,zone=5,mark=0x1/0xff,label=0x2/0xff,helper=ftp,
 *      nat(src=10.0.0.240-10.0.0.254:32768-65535,persistent,random))
 *
 * Printing follows Open vSwitch's format_odp_conntrack_action() and its
 * nat() error texts; reading accepts what it prints, options separated by
 * commas or blanks.  mark= is hexadecimal with or without "0x", as in
 * Open vSwitch.
 */
#include "odp_text_int.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

static bool at_delim_or_close(const struct olx *lx)
{
	return olx_done(lx) || strchr(OT_DELIMS ")", *lx->p);
}

static void fmt_nat_addr(struct buf *b, const uint8_t *a, size_t len,
			 bool bracket)
{
	if (len == 4) {
		ot_ipv4(b, a);
		return;
	}
	if (bracket)
		buf_putc(b, '[');
	ot_ipv6(b, a);
	if (bracket)
		buf_putc(b, ']');
}

static void fmt_nat(struct buf *b, const uint8_t *p, size_t len)
{
	static const int lens[] = { -1, 0, 0, -1, -1, 2, 2, 0, 0, 0 };
	const struct nlattr *tb[OVS_NAT_ATTR_MAX + 1];
	const uint8_t *min = NULL, *max = NULL;
	uint16_t pmin = 0, pmax = 0;
	size_t alen = 0;

	if (!ot_parse_nested(p, len, tb, OVS_NAT_ATTR_MAX, lens) ||
	    (tb[OVS_NAT_ATTR_IP_MIN] && na_len(tb[OVS_NAT_ATTR_IP_MIN]) != 4 &&
	     na_len(tb[OVS_NAT_ATTR_IP_MIN]) != 16) ||
	    (tb[OVS_NAT_ATTR_IP_MAX] && na_len(tb[OVS_NAT_ATTR_IP_MAX]) != 4 &&
	     na_len(tb[OVS_NAT_ATTR_IP_MAX]) != 16)) {
		buf_puts(b, "nat(error: nl_parse_nested() failed.)");
		return;
	}
	if (!tb[OVS_NAT_ATTR_SRC] && !tb[OVS_NAT_ATTR_DST] &&
	    (tb[OVS_NAT_ATTR_IP_MIN] || tb[OVS_NAT_ATTR_IP_MAX] ||
	     tb[OVS_NAT_ATTR_PROTO_MIN] || tb[OVS_NAT_ATTR_PROTO_MAX] ||
	     tb[OVS_NAT_ATTR_PERSISTENT] || tb[OVS_NAT_ATTR_PROTO_HASH] ||
	     tb[OVS_NAT_ATTR_PROTO_RANDOM])) {
		buf_puts(b, "nat(error: options allowed only with \"src\" or \"dst\")");
		return;
	}
	if (tb[OVS_NAT_ATTR_SRC] && tb[OVS_NAT_ATTR_DST]) {
		buf_puts(b, "nat(error: Only one of \"src\" or \"dst\" may be present.)");
		return;
	}
	if (!tb[OVS_NAT_ATTR_IP_MIN] && tb[OVS_NAT_ATTR_PROTO_MIN]) {
		buf_puts(b, "nat(error: proto but no IP.)");
		return;
	}
	if ((!tb[OVS_NAT_ATTR_IP_MIN] && tb[OVS_NAT_ATTR_IP_MAX]) ||
	    (!tb[OVS_NAT_ATTR_PROTO_MIN] && tb[OVS_NAT_ATTR_PROTO_MAX])) {
		buf_puts(b, "nat(error: range max without min.)");
		return;
	}
	if (tb[OVS_NAT_ATTR_IP_MIN] && tb[OVS_NAT_ATTR_IP_MAX] &&
	    na_len(tb[OVS_NAT_ATTR_IP_MIN]) != na_len(tb[OVS_NAT_ATTR_IP_MAX])) {
		buf_puts(b, "nat(error: IP address sizes do not match)");
		return;
	}
	if (tb[OVS_NAT_ATTR_IP_MIN]) {
		min = na_data(tb[OVS_NAT_ATTR_IP_MIN]);
		alen = na_len(tb[OVS_NAT_ATTR_IP_MIN]);
	}
	if (tb[OVS_NAT_ATTR_IP_MAX])
		max = na_data(tb[OVS_NAT_ATTR_IP_MAX]);
	if (max && ot_all(max, alen, 0))
		max = NULL;
	if (tb[OVS_NAT_ATTR_PROTO_MIN])
		pmin = na_get_u16(tb[OVS_NAT_ATTR_PROTO_MIN]);
	if (tb[OVS_NAT_ATTR_PROTO_MAX])
		pmax = na_get_u16(tb[OVS_NAT_ATTR_PROTO_MAX]);
	if ((max && memcmp(min, max, alen) > 0) || (pmax && pmin > pmax)) {
		buf_puts(b, "nat(range error)");
		return;
	}
	buf_puts(b, "nat");
	if (!tb[OVS_NAT_ATTR_SRC] && !tb[OVS_NAT_ATTR_DST])
		return;
	buf_puts(b, tb[OVS_NAT_ATTR_SRC] ? "(src" : "(dst");
	if (alen) {
		buf_putc(b, '=');
		fmt_nat_addr(b, min, alen, pmin);
		if (max && memcmp(min, max, alen)) {
			buf_putc(b, '-');
			fmt_nat_addr(b, max, alen, pmin);
		}
		if (pmin) {
			buf_printf(b, ":%u", pmin);
			if (pmax && pmax != pmin)
				buf_printf(b, "-%u", pmax);
		}
	}
	buf_putc(b, ',');
	if (tb[OVS_NAT_ATTR_PERSISTENT])
		buf_puts(b, "persistent,");
	if (tb[OVS_NAT_ATTR_PROTO_HASH])
		buf_puts(b, "hash,");
	if (tb[OVS_NAT_ATTR_PROTO_RANDOM])
		buf_puts(b, "random,");
	ot_chomp(b, ',');
	buf_putc(b, ')');
}

static bool is_string(const struct nlattr *a, size_t max)
{
	size_t n = na_len(a);

	return n >= 1 && n <= max && !((const char *)na_data(a))[n - 1];
}

void ot_fmt_ct(struct buf *b, const uint8_t *p, size_t len)
{
	static const int lens[] = { -1, 0, 2, 8, 32, -1, -1, 0, 4, -1 };
	const struct nlattr *tb[OVS_CT_ATTR_MAX + 1];
	const struct nlattr *helper, *timeout;

	if (!ot_parse_nested(p, len, tb, OVS_CT_ATTR_MAX, lens) ||
	    ((helper = tb[OVS_CT_ATTR_HELPER]) && !is_string(helper, 16)) ||
	    ((timeout = tb[OVS_CT_ATTR_TIMEOUT]) && !is_string(timeout, 32))) {
		buf_puts(b, "ct(error)");
		return;
	}
	buf_puts(b, "ct");
	if (!tb[OVS_CT_ATTR_COMMIT] && !tb[OVS_CT_ATTR_FORCE_COMMIT] &&
	    !(tb[OVS_CT_ATTR_ZONE] && na_get_u16(tb[OVS_CT_ATTR_ZONE])) &&
	    !tb[OVS_CT_ATTR_MARK] && !tb[OVS_CT_ATTR_LABELS] && !helper &&
	    !timeout && !tb[OVS_CT_ATTR_NAT])
		return;
	buf_putc(b, '(');
	if (tb[OVS_CT_ATTR_COMMIT])
		buf_puts(b, "commit,");
	if (tb[OVS_CT_ATTR_FORCE_COMMIT])
		buf_puts(b, "force_commit,");
	if (tb[OVS_CT_ATTR_ZONE] && na_get_u16(tb[OVS_CT_ATTR_ZONE]))
		buf_printf(b, "zone=%u,", na_get_u16(tb[OVS_CT_ATTR_ZONE]));
	if (tb[OVS_CT_ATTR_MARK]) {
		const uint8_t *m = na_data(tb[OVS_CT_ATTR_MARK]);

		buf_printf(b, "mark=%#x/%#x,", ot_h32(m), ot_h32(m + 4));
	}
	if (tb[OVS_CT_ATTR_LABELS]) {
		const uint8_t *l = na_data(tb[OVS_CT_ATTR_LABELS]);

		buf_puts(b, "label=");
		ot_fmt_u128(b, l, l + 16, true);
		buf_putc(b, ',');
	}
	if (helper)
		buf_printf(b, "helper=%s,", (const char *)na_data(helper));
	/* Open vSwitch omits the comma after the timeout name, which makes a
	 * following nat() unreadable; dpkit writes it. */
	if (timeout)
		buf_printf(b, "timeout=%s,", (const char *)na_data(timeout));
	if (tb[OVS_CT_ATTR_NAT])
		fmt_nat(b, na_data(tb[OVS_CT_ATTR_NAT]),
			na_len(tb[OVS_CT_ATTR_NAT]));
	ot_chomp(b, ',');
	buf_putc(b, ')');
}

/* --- ct ----------------------------------------------------------------------- */

struct nat {
	bool src, dst, persistent, hash, random;
	size_t alen;
	uint8_t min[16], max[16];
	uint64_t pmin, pmax;
};

/* Digits and dots up to ':', '-', ',' or ')': an IPv4 address. */
static bool looks_ipv4(const struct olx *lx)
{
	const char *p = lx->p;

	while (p < lx->end && ((*p >= '0' && *p <= '9') || *p == '.'))
		p++;
	return p > lx->p && (p == lx->end || strchr(":-,) \t\r\n", *p));
}

static int nat_addr(struct olx *lx, uint8_t *a, size_t *alen)
{
	const char *save = lx->p;
	bool bracket = olx_eat(lx, "[");

	if (!bracket && looks_ipv4(lx) && !olx_ipv4(lx, a)) {
		if (*alen == 16)
			return olx_fail(lx, save, 1, "IPv4 and IPv6 mixed");
		*alen = 4;
		return 0;
	}
	lx->p = save + bracket;
	if (olx_ipv6(lx, a))
		return -EINVAL;
	if (bracket && olx_expect(lx, ']'))
		return -EINVAL;
	if (*alen == 4)
		return olx_fail(lx, save, 1, "IPv4 and IPv6 mixed");
	*alen = 16;
	return 0;
}

static int parse_nat(struct olx *lx, struct nat *n)
{
	memset(n, 0, sizeof *n);
	if (!olx_eat(lx, "("))
		return 0;
	for (;;) {
		const char *tok;

		olx_skip(lx, OT_DELIMS);
		tok = lx->p;
		if (olx_at(lx, ')'))
			break;
		if (olx_eat(lx, "src") || olx_eat(lx, "dst")) {
			if (tok[0] == 's')
				n->src = true;
			else
				n->dst = true;
			if (!olx_eat(lx, "="))
				continue;
			if (nat_addr(lx, n->min, &n->alen))
				return -EINVAL;
			if (olx_eat(lx, "-") && nat_addr(lx, n->max, &n->alen))
				return -EINVAL;
			if (olx_eat(lx, ":")) {
				if (olx_uint(lx, 0xffff, &n->pmin))
					return -EINVAL;
				if (olx_eat(lx, "-") &&
				    olx_uint(lx, 0xffff, &n->pmax))
					return -EINVAL;
			}
		} else if (olx_eat(lx, "persistent")) {
			n->persistent = true;
		} else if (olx_eat(lx, "hash")) {
			n->hash = true;
		} else if (olx_eat(lx, "random")) {
			n->random = true;
		} else {
			size_t l = olx_toklen(lx, OT_DELIMS ")");

			return olx_fail(lx, tok, l ? l : 1,
					"unknown nat option '%.*s'", (int)l, tok);
		}
		if (!at_delim_or_close(lx))
			return olx_fail(lx, lx->p, 1, "expected ',' or ')'");
	}
	lx->p++;
	if (n->src && n->dst)
		return olx_fail(lx, lx->p - 1, 1, "nat: only one of src and dst");
	if ((n->alen && !ot_all(n->max, n->alen, 0) &&
	     memcmp(n->max, n->min, n->alen) < 0) ||
	    (n->pmax && n->pmax < n->pmin))
		return olx_fail(lx, lx->p - 1, 1, "nat: range maximum below "
				"its minimum");
	if (n->hash && n->random)
		return olx_fail(lx, lx->p - 1, 1, "nat: only one of hash and "
				"random");
	return 0;
}

static void put_nat(struct buf *acts, const struct nat *n)
{
	size_t ofs = na_nest_start(acts, OVS_CT_ATTR_NAT);

	if (n->src)
		na_put_flag(acts, OVS_NAT_ATTR_SRC);
	else if (n->dst)
		na_put_flag(acts, OVS_NAT_ATTR_DST);
	if (n->alen) {
		na_put(acts, OVS_NAT_ATTR_IP_MIN, n->min, n->alen);
		if (memcmp(n->max, n->min, n->alen) > 0)
			na_put(acts, OVS_NAT_ATTR_IP_MAX, n->max, n->alen);
		if (n->pmin) {
			na_put_u16(acts, OVS_NAT_ATTR_PROTO_MIN, (uint16_t)n->pmin);
			if (n->pmax > n->pmin)
				na_put_u16(acts, OVS_NAT_ATTR_PROTO_MAX,
					   (uint16_t)n->pmax);
		}
	}
	if (n->src || n->dst) {
		if (n->persistent)
			na_put_flag(acts, OVS_NAT_ATTR_PERSISTENT);
		if (n->hash)
			na_put_flag(acts, OVS_NAT_ATTR_PROTO_HASH);
		if (n->random)
			na_put_flag(acts, OVS_NAT_ATTR_PROTO_RANDOM);
	}
	na_nest_end(acts, ofs);
}

/* A name up to a delimiter: helper=, timeout=. */
static int ct_name(struct olx *lx, size_t max, const char **s, size_t *n)
{
	*s = lx->p;
	*n = olx_toklen(lx, OT_DELIMS ")");
	if (!*n || *n > max)
		return olx_fail(lx, *s, *n ? *n : 1,
				"expected a name of 1 to %zu characters", max);
	lx->p += *n;
	return 0;
}

int ot_parse_ct(struct olx *lx, struct buf *acts)
{
	const char *helper = NULL, *timeout = NULL, *open = lx->p;
	size_t hlen = 0, tlen = 0, ofs;
	bool commit = false, force = false, have_nat = false;
	uint64_t zone = 0, mark = 0, markm = 0;
	uint8_t label[32], be[16];
	struct nat nat;

	memset(label, 0, sizeof label);
	if (olx_eat(lx, "(")) {
		for (;;) {
			const char *tok;

			olx_skip(lx, OT_DELIMS);
			tok = lx->p;
			if (olx_at(lx, ')'))
				break;
			if (olx_eat(lx, "commit")) {
				commit = true;
			} else if (olx_eat(lx, "force_commit")) {
				force = true;
			} else if (olx_eat(lx, "zone=")) {
				if (olx_uint(lx, 0xffff, &zone))
					return -EINVAL;
			} else if (olx_eat(lx, "mark=")) {
				markm = UINT32_MAX;
				if (ot_hex_u64(lx, UINT32_MAX, &mark) ||
				    (olx_eat(lx, "/") &&
				     ot_hex_u64(lx, UINT32_MAX, &markm)))
					return -EINVAL;
			} else if (olx_eat(lx, "label=")) {
				uint8_t *v = label, *m = label + 16;
				uint64_t lo, hi;
				int i;

				memset(m, 0xff, 16);
				for (i = 0; i < 2; i++) {
					uint8_t *dst = i ? m : v;

					if (i && !olx_eat(lx, "/"))
						break;
					if (olx_bigint(lx, be, 16))
						return -EINVAL;
					memcpy(&hi, be, 8);
					memcpy(&lo, be + 8, 8);
					hi = be64toh(hi);
					lo = be64toh(lo);
					memcpy(dst, &lo, 8);
					memcpy(dst + 8, &hi, 8);
				}
			} else if (olx_eat(lx, "helper=")) {
				if (ct_name(lx, 15, &helper, &hlen))
					return -EINVAL;
			} else if (olx_eat(lx, "timeout=")) {
				if (ct_name(lx, 31, &timeout, &tlen))
					return -EINVAL;
			} else if (olx_eat(lx, "nat")) {
				if (parse_nat(lx, &nat))
					return -EINVAL;
				have_nat = true;
			} else {
				size_t l = olx_toklen(lx, OT_DELIMS "=()");

				return olx_fail(lx, tok, l ? l : 1,
						"unknown ct option '%.*s'",
						(int)l, tok);
			}
			if (!at_delim_or_close(lx))
				return olx_fail(lx, lx->p, 1,
						"expected ',' or ')'");
		}
		lx->p++;
	}
	if (commit && force)
		return olx_fail(lx, open, 1, "commit and force_commit exclude "
				"each other");
	ofs = na_nest_start(acts, OVS_ACTION_ATTR_CT);
	if (commit)
		na_put_flag(acts, OVS_CT_ATTR_COMMIT);
	else if (force)
		na_put_flag(acts, OVS_CT_ATTR_FORCE_COMMIT);
	if (zone)
		na_put_u16(acts, OVS_CT_ATTR_ZONE, (uint16_t)zone);
	if (markm) {
		uint32_t mm[2] = { (uint32_t)mark, (uint32_t)markm };

		na_put(acts, OVS_CT_ATTR_MARK, mm, 8);
	}
	if (!ot_all(label + 16, 16, 0))
		na_put(acts, OVS_CT_ATTR_LABELS, label, 32);
	if (helper) {
		char *p = na_put(acts, OVS_CT_ATTR_HELPER, NULL, hlen + 1);

		if (p)
			memcpy(p, helper, hlen);
	}
	if (timeout) {
		char *p = na_put(acts, OVS_CT_ATTR_TIMEOUT, NULL, tlen + 1);

		if (p)
			memcpy(p, timeout, tlen);
	}
	if (have_nat)
		put_nat(acts, &nat);
	na_nest_end(acts, ofs);
	return 0;
}

