/*
 * odp_text_nsh.c - Network Service Header text: the nsh(...) key, the
 * set(nsh(...)) masked set and push_nsh(...)/pop_nsh(), both directions.
 *
 * Internally an NSH key is 24 bytes: flags, ttl, mdtype, np, the be32 path
 * header (service path id << 8 | service index) and four be32 MD type 1
 * context words, i.e. OVS_NSH_KEY_ATTR_BASE followed by _MD1.
 */
#include "odp_text_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define NSH_LEN 24

static int nsh_child_len(uint16_t type)
{
	switch (type) {
	case OVS_NSH_KEY_ATTR_BASE: return 8;
	case OVS_NSH_KEY_ATTR_MD1: return 16;
	case OVS_NSH_KEY_ATTR_MD2: return OT_LEN_VAR;
	default: return OT_LEN_UNKNOWN;
	}
}

static void fmt_key(struct buf *b, const uint8_t *v)
{
	uint32_t path = ot_be32(v + 4);
	int i;

	buf_printf(b, "flags=%u,ttl=%u,mdtype=%u,np=%u,spi=0x%x,si=%u",
		   v[0], v[1], v[2], v[3], path >> 8, path & 0xff);
	if (v[2] == 1)
		for (i = 0; i < 4; i++)
			buf_printf(b, ",c%d=0x%x", i + 1, ot_be32(v + 8 + 4 * i));
}

static void u8_masked(struct buf *b, bool *first, const char *name,
		      uint8_t v, uint8_t m)
{
	if (!m)
		return;
	if (!*first)
		buf_putc(b, ',');
	if (m == 0xff)
		buf_printf(b, "%s=%u", name, v);
	else
		buf_printf(b, "%s=0x%02x/0x%02x", name, v, m);
	*first = false;
}

static void u32_masked(struct buf *b, bool *first, const char *name,
		       uint32_t v, uint32_t m)
{
	if (!m)
		return;
	if (!*first)
		buf_putc(b, ',');
	if (m == UINT32_MAX)
		buf_printf(b, "%s=0x%x", name, v);
	else
		buf_printf(b, "%s=0x%x/0x%08x", name, v, m);
	*first = false;
}

static void fmt_masked(struct buf *b, const uint8_t *v, const uint8_t *m)
{
	uint32_t path = ot_be32(v + 4), pm = ot_be32(m + 4);
	uint32_t spim = pm >> 8;
	static const char *const c[] = { "c1", "c2", "c3", "c4" };
	bool first = true;
	int i;

	if (spim == 0xffffff)
		spim = UINT32_MAX;
	u8_masked(b, &first, "flags", v[0], m[0]);
	u8_masked(b, &first, "ttl", v[1], m[1]);
	u8_masked(b, &first, "mdtype", v[2], m[2]);
	u8_masked(b, &first, "np", v[3], m[3]);
	u32_masked(b, &first, "spi", path >> 8, spim);
	u8_masked(b, &first, "si", (uint8_t)path, (uint8_t)pm);
	for (i = 0; i < 4; i++)
		u32_masked(b, &first, c[i], ot_be32(v + 8 + 4 * i),
			   ot_be32(m + 8 + 4 * i));
}

/* The key's BASE and MD1 children give the values.  Unlike Open vSwitch,
 * which only looks up the mask of children the key has (so a key without
 * MD1 shows c1..c4=0x0), the mask's children are read on their own, and a
 * child the mask lacks is wildcarded. */
void ot_fmt_nsh(const struct ofmt *f, const uint8_t *k, size_t klen,
		const struct mslice *m)
{
	bool has_mask = m->p || m->wild;
	uint8_t v[NSH_LEN], vm[NSH_LEN];
	const struct nlattr *a;
	size_t rem;

	memset(v, 0, sizeof v);
	memset(vm, 0, sizeof vm);
	NA_FOR_EACH(a, k, klen, rem) {
		uint16_t type = na_type(a);
		int expect = nsh_child_len(type);

		if (expect == OT_LEN_UNKNOWN ||
		    (expect >= 0 && na_len(a) != (size_t)expect)) {
			struct mslice none = { NULL, 0, false };
			char name[16];

			snprintf(name, sizeof name, "key%u", type);
			ot_fmt_bad_len(f->out, name, na_data(a), na_len(a),
				       &none, expect);
			buf_putc(f->out, ',');
			continue;
		}
		if (type == OVS_NSH_KEY_ATTR_BASE)
			memcpy(v, na_data(a), 8);
		else if (type == OVS_NSH_KEY_ATTR_MD1)
			memcpy(v + 8, na_data(a), 16);
	}
	if (m->p && !m->wild) {
		NA_FOR_EACH(a, m->p, m->len, rem) {
			if (na_type(a) == OVS_NSH_KEY_ATTR_BASE &&
			    na_len(a) == 8)
				memcpy(vm, na_data(a), 8);
			else if (na_type(a) == OVS_NSH_KEY_ATTR_MD1 &&
				 na_len(a) == 16)
				memcpy(vm + 8, na_data(a), 16);
		}
	}
	if (has_mask)
		fmt_masked(f->out, v, vm);
	else
		fmt_key(f->out, v);
}

void ot_fmt_set_nsh(const struct ofmt *f, const uint8_t *p, size_t len)
{
	uint8_t v[NSH_LEN], vm[NSH_LEN];
	const struct nlattr *a;
	size_t rem;

	/* A child the action lacks sets nothing (Open vSwitch shows it as
	 * set to zero). */
	memset(v, 0, sizeof v);
	memset(vm, 0, sizeof vm);
	NA_FOR_EACH(a, p, len, rem) {
		uint16_t type = na_type(a);
		int expect = nsh_child_len(type);

		if (expect < 0 || na_len(a) != 2 * (size_t)expect) {
			buf_puts(f->out, "set(nsh(bad: ");
			ot_hex_spaced(f->out, p, len);
			buf_puts(f->out, "))");
			return;
		}
		if (type == OVS_NSH_KEY_ATTR_BASE) {
			memcpy(v, na_data(a), 8);
			memcpy(vm, (const uint8_t *)na_data(a) + 8, 8);
		} else if (type == OVS_NSH_KEY_ATTR_MD1) {
			memcpy(v + 8, na_data(a), 16);
			memcpy(vm + 8, (const uint8_t *)na_data(a) + 16, 16);
		}
	}
	buf_puts(f->out, "set(nsh(");
	fmt_masked(f->out, v, vm);
	buf_puts(f->out, "))");
}

/* push_nsh's payload is one nested OVS_KEY_ATTR_NSH.  Printed as the header
 * it pushes: flags are 2 bits and ttl 6 bits there. */
void ot_fmt_push_nsh(const struct ofmt *f, const uint8_t *p, size_t len)
{
	struct buf *b = f->out;
	const struct nlattr *nsh = (const void *)p, *a;
	uint8_t flags = 0, ttl = 63, mdtype = 0, np = 0, ctx[16];
	const uint8_t *md2 = NULL;
	size_t md2len = 0, rem;
	uint32_t path = 0;
	int i;

	memset(ctx, 0, sizeof ctx);
	if (na_ok(nsh, len)) {
		NA_FOR_EACH_NESTED(a, nsh, rem) {
			const uint8_t *d = na_data(a);

			if (na_type(a) == OVS_NSH_KEY_ATTR_BASE &&
			    na_len(a) == 8) {
				flags = d[0];
				ttl = d[1];
				mdtype = d[2];
				np = d[3];
				path = ot_be32(d + 4);
			} else if (na_type(a) == OVS_NSH_KEY_ATTR_MD1 &&
				   na_len(a) == 16) {
				memcpy(ctx, d, 16);
			} else if (na_type(a) == OVS_NSH_KEY_ATTR_MD2) {
				md2 = d;
				md2len = na_len(a) & ~(size_t)3;
				if (md2len > 244)
					md2len = 244;
			}
		}
	}
	buf_printf(b, "push_nsh(flags=%u,ttl=%u,mdtype=%u,np=%u,spi=0x%x,si=%u",
		   flags & 3, ttl & 0x3f, mdtype, np, path >> 8, path & 0xff);
	if (mdtype == 1) {
		for (i = 0; i < 4; i++)
			buf_printf(b, ",c%d=0x%x", i + 1, ot_be32(ctx + 4 * i));
	} else if (mdtype == 2) {
		buf_puts(b, ",md2=");
		ot_hex_ovs(b, md2 ? md2 : ot_zeros, md2 ? md2len : 0);
	} else {
		buf_puts(b, ",<error: unknown mdtype>");
	}
	buf_putc(b, ')');
}

/* --- parsing ---------------------------------------------------------------- */

void ot_put_nsh(struct buf *b, uint16_t type, const uint8_t *v,
		const uint8_t *m, bool with_md1, bool interleave)
{
	size_t ofs = na_nest_start(b, type);
	uint8_t both[32];

	if (interleave) {
		memcpy(both, v, 8);
		memcpy(both + 8, m, 8);
		na_put(b, OVS_NSH_KEY_ATTR_BASE, both, 16);
		if (with_md1) {
			memcpy(both, v + 8, 16);
			memcpy(both + 16, m + 8, 16);
			na_put(b, OVS_NSH_KEY_ATTR_MD1, both, 32);
		}
	} else {
		na_put(b, OVS_NSH_KEY_ATTR_BASE, v, 8);
		if (with_md1)
			na_put(b, OVS_NSH_KEY_ATTR_MD1, v + 8, 16);
	}
	na_nest_end(b, ofs);
}

/* After "nsh(": fields to ')' (consumed). */
int ot_parse_nsh(struct olx *lx, uint8_t *v, uint8_t *m, bool *md1)
{
	static const char *const u8s[] = { "flags=", "ttl=", "mdtype=", "np=" };
	static const char *const ctx[] = { "c1=", "c2=", "c3=", "c4=" };
	uint64_t spi = 0, spim = 0, si = 0, sim = 0, x, xm;
	bool any_ctx = false;

	memset(v, 0, NSH_LEN);
	memset(m, 0, NSH_LEN);
	for (;;) {
		const char *tok = lx->p;
		int i, r = 1;

		if (olx_at(lx, ')'))
			break;
		for (i = 0; i < 4 && r == 1; i++) {
			if (olx_eat(lx, u8s[i])) {
				r = olx_uint_masked(lx, 0xff, &x, &xm);
				v[i] = (uint8_t)x;
				m[i] = (uint8_t)xm;
			}
		}
		for (i = 0; i < 4 && r == 1; i++) {
			if (olx_eat(lx, ctx[i])) {
				r = olx_uint_masked(lx, UINT32_MAX, &x, &xm);
				ot_put_be32(v + 8 + 4 * i, (uint32_t)x);
				ot_put_be32(m + 8 + 4 * i, (uint32_t)xm);
				any_ctx = true;
			}
		}
		if (r == 1 && olx_eat(lx, "spi="))
			r = olx_uint_masked(lx, 0xffffff, &spi, &spim);
		if (r == 1 && olx_eat(lx, "si="))
			r = olx_uint_masked(lx, 0xff, &si, &sim);
		if (r == 1) {
			size_t n = olx_toklen(lx, "=,)");

			return olx_fail(lx, tok, n ? n : 1,
					"unknown nsh field '%.*s'", (int)n, tok);
		}
		if (r)
			return -EINVAL;
		if (!olx_eat(lx, ","))
			break;
	}
	if (olx_expect(lx, ')'))
		return -EINVAL;
	ot_put_be32(v + 4, (uint32_t)(spi << 8 | si));
	ot_put_be32(m + 4, (uint32_t)(spim << 8 | sim));
	*md1 = v[2] == 1 || any_ctx;
	return 0;
}

/* "0x" and hex digits, most significant first; an odd count is read as
 * if it had a leading zero, so what ot_fmt_push_nsh() prints reads back.
 * The length is padded to a multiple of 4 with zero bytes. */
static int parse_md2(struct olx *lx, uint8_t *out, size_t cap, size_t *len)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, OT_DELIMS ")"), nb;

	if (n < 3 || tok[0] != '0' || (tok[1] != 'x' && tok[1] != 'X'))
		return olx_fail(lx, tok, n ? n : 1,
				"md2 must be 0x and hex digits");
	nb = (n - 2 + 1) / 2;
	if (nb > cap - 3)
		return olx_fail(lx, tok, n, "md2 longer than %zu bytes", cap - 3);
	memset(out, 0, cap);
	if (olx_bigint(lx, out, nb))
		return -EINVAL;
	*len = (nb + 3) & ~(size_t)3;
	return 0;
}

/* After "push_nsh(": fields to ')' (consumed).  Defaults as Open vSwitch:
 * ttl 63, MD type 1, next protocol Ethernet (3), service index 255. */
int ot_parse_push_nsh(struct olx *lx, struct buf *acts)
{
	uint8_t base[8] = { 0, 63, 1, 3, 0, 0, 0, 0 }, ctx[16], md2[248];
	uint64_t x, spi = 0, si = 255;
	size_t md2len = 0, ofs, nofs;

	memset(ctx, 0, sizeof ctx);
	for (;;) {
		const char *tok;
		int r = 1, i;

		olx_skip(lx, OT_DELIMS);
		tok = lx->p;
		if (olx_at(lx, ')'))
			break;
		if (olx_eat(lx, "flags=")) {
			r = olx_uint(lx, 0xff, &x);
			base[0] = (uint8_t)x;
		} else if (olx_eat(lx, "ttl=")) {
			r = olx_uint(lx, 0xff, &x);
			base[1] = (uint8_t)x;
		} else if (olx_eat(lx, "mdtype=")) {
			r = olx_uint(lx, 0xff, &x);
			if (!r && x != 1 && x != 2)
				return olx_fail(lx, tok + 7, (size_t)(lx->p - tok - 7),
						"mdtype must be 1 or 2");
			base[2] = (uint8_t)x;
			md2len = 0;
		} else if (olx_eat(lx, "np=")) {
			r = olx_uint(lx, 0xff, &x);
			base[3] = (uint8_t)x;
		} else if (olx_eat(lx, "spi=")) {
			r = olx_uint(lx, 0xffffff, &spi);
		} else if (olx_eat(lx, "si=")) {
			r = olx_uint(lx, 0xff, &si);
		} else if (base[2] == 2 && olx_eat(lx, "md2=")) {
			r = parse_md2(lx, md2, sizeof md2, &md2len);
		} else if (base[2] == 1) {
			for (i = 0; i < 4 && r == 1; i++) {
				char name[4] = { 'c', (char)('1' + i), '=', 0 };

				if (olx_eat(lx, name)) {
					r = olx_uint(lx, UINT32_MAX, &x);
					ot_put_be32(ctx + 4 * i, (uint32_t)x);
				}
			}
		}
		if (r == 1) {
			size_t n = olx_toklen(lx, "=,)");

			return olx_fail(lx, tok, n ? n : 1,
					"unknown push_nsh field '%.*s'", (int)n,
					tok);
		}
		if (r)
			return -EINVAL;
	}
	lx->p++;
	ot_put_be32(base + 4, (uint32_t)(spi << 8 | si));
	ofs = na_nest_start(acts, OVS_ACTION_ATTR_PUSH_NSH);
	nofs = na_nest_start(acts, OVS_KEY_ATTR_NSH);
	na_put(acts, OVS_NSH_KEY_ATTR_BASE, base, 8);
	if (base[2] == 1)
		na_put(acts, OVS_NSH_KEY_ATTR_MD1, ctx, 16);
	else if (md2len)
		na_put(acts, OVS_NSH_KEY_ATTR_MD2, md2, md2len);
	na_nest_end(acts, nofs);
	na_nest_end(acts, ofs);
	return 0;
}
