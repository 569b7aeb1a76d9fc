/*
 * odp_text_kparse.c - flow keys and masks from text: what ovs-dpctl
 * add-flow accepts, into OVS_KEY_ATTR_* key and mask streams.
 *
 * Open vSwitch's rules: attributes in any order, separated by commas or
 * blanks; fields inside an attribute in any order, a trailing comma
 * allowed; a field written without "/mask" matches exactly, a field not
 * written is wildcarded, an attribute not written gets no mask attribute at
 * all.  Unlike Open vSwitch, a number too large for its field is refused
 * (Open vSwitch silently keeps the low bits), and each refusal names the
 * offending token and its column.
 */
#include "odp_text_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

static uint16_t key_type(const char *s, size_t n)
{
	uint16_t t;

	for (t = 1; t <= OT_KEY_MAX; t++) {
		const char *name = ot_key_name(t);

		if (name && strlen(name) == n && !memcmp(name, s, n))
			return t;
	}
	return 0;
}

static int close_paren(struct olx *lx)
{
	if (olx_at(lx, ')')) {
		lx->p++;
		return 0;
	}
	return olx_expect(lx, ')');
}

static void put_h32(struct buf *key, struct buf *mask, uint16_t type,
		    uint64_t v, uint64_t m)
{
	na_put_u32(key, type, (uint32_t)v);
	na_put_u32(mask, type, (uint32_t)m);
}

/* A bit field of a 16- or 32-bit word: value [/mask], both must fit. */
static int bitfield(struct olx *lx, unsigned bits, unsigned shift,
		    uint32_t *k, uint32_t *m)
{
	uint64_t max = (1ull << bits) - 1, v, vm;
	uint32_t field = (uint32_t)max << shift;
	int r = olx_uint_masked(lx, max, &v, &vm);

	if (r)
		return r;
	*k = (*k & ~field) | (uint32_t)v << shift;
	*m = (*m & ~field) | (uint32_t)vm << shift;
	return 0;
}

static int parse_vlan(struct olx *lx, struct buf *key, struct buf *mask)
{
	uint32_t k = 0x1000, m = 0x1000;

	for (;;) {
		int r;

		if (olx_eat(lx, "vid="))
			r = bitfield(lx, 12, 0, &k, &m);
		else if (olx_eat(lx, "pcp="))
			r = bitfield(lx, 3, 13, &k, &m);
		else if (olx_eat(lx, "cfi="))
			r = bitfield(lx, 1, 12, &k, &m);
		else if (olx_at(lx, ')'))
			break;
		else
			return olx_fail(lx, lx->p, olx_toklen(lx, "=,)") + 1,
					"expected vid=, pcp= or cfi=");
		if (r)
			return r;
		if (!olx_eat(lx, ","))
			break;
	}
	if (close_paren(lx))
		return -EINVAL;
	na_put_u16(key, OVS_KEY_ATTR_VLAN, htons((uint16_t)k));
	na_put_u16(mask, OVS_KEY_ATTR_VLAN, htons((uint16_t)m));
	return 0;
}

/* mpls(label=,tc=,ttl=,bos=,label=,...): a field seen twice starts the
 * next label stack entry; at most three, as the kernel. */
static int parse_mpls(struct olx *lx, struct buf *key, struct buf *mask)
{
	static const struct { const char *name; unsigned bits, shift; } f[] = {
		{ "label=", 20, 12 }, { "tc=", 3, 9 }, { "ttl=", 8, 0 },
		{ "bos=", 1, 8 },
	};
	uint32_t k[3] = { 0, 0, 0 }, m[3] = { 0, 0, 0 };
	uint8_t kb[12], mb[12];
	unsigned seen = 0;
	int idx = 0, i;

	for (;;) {
		const char *tok = lx->p;

		for (i = 0; i < 4; i++)
			if (olx_eat(lx, f[i].name))
				break;
		if (i == 4) {
			if (olx_at(lx, ')'))
				break;
			return olx_fail(lx, tok, olx_toklen(lx, "=,)") + 1,
					"expected label=, tc=, ttl= or bos=");
		}
		if (seen & (1u << i)) {
			seen = 0;
			if (++idx == 3)
				return olx_fail(lx, tok, 1, "more than 3 MPLS "
						"label stack entries");
		}
		seen |= 1u << i;
		if (bitfield(lx, f[i].bits, f[i].shift, &k[idx], &m[idx]))
			return -EINVAL;
		if (!olx_eat(lx, ","))
			break;
	}
	if (close_paren(lx))
		return -EINVAL;
	for (i = 0; i <= idx; i++) {
		ot_put_be32(kb + 4 * i, k[i]);
		ot_put_be32(mb + 4 * i, m[i]);
	}
	na_put(key, OVS_KEY_ATTR_MPLS, kb, 4 * ((size_t)idx + 1));
	na_put(mask, OVS_KEY_ATTR_MPLS, mb, 4 * ((size_t)idx + 1));
	return 0;
}

/* The attribute holds the label as a host-order 128-bit number. */
static void u128_to_host(uint8_t *out, const uint8_t *be)
{
	uint64_t hi = 0, lo = 0;
	int i;

	for (i = 0; i < 8; i++) {
		hi = hi << 8 | be[i];
		lo = lo << 8 | be[8 + i];
	}
	memcpy(out, &lo, 8);
	memcpy(out + 8, &hi, 8);
}

static int parse_label(struct olx *lx, struct buf *key, struct buf *mask)
{
	uint8_t be[16], k[16], m[16];

	if (olx_bigint(lx, be, 16))
		return -EINVAL;
	u128_to_host(k, be);
	memset(m, 0xff, 16);
	if (olx_at(lx, '/')) {
		if (!lx->masks_ok)
			return olx_fail(lx, lx->p, 1,
					"a mask ('/') is not allowed here");
		lx->p++;
		if (olx_bigint(lx, be, 16))
			return -EINVAL;
		u128_to_host(m, be);
	}
	if (close_paren(lx))
		return -EINVAL;
	na_put(key, OVS_KEY_ATTR_CT_LABELS, k, 16);
	na_put(mask, OVS_KEY_ATTR_CT_LABELS, m, 16);
	return 0;
}

static int parse_encap(struct olx *lx, struct buf *key, struct buf *mask)
{
	size_t ko, mo;

	if (lx->depth + 1 >= OT_MAX_DEPTH)
		return olx_fail(lx, lx->p, 1, "encap() nested more than %d deep",
				OT_MAX_DEPTH - 1);
	lx->depth++;
	ko = na_nest_start(key, OVS_KEY_ATTR_ENCAP);
	mo = na_nest_start(mask, OVS_KEY_ATTR_ENCAP);
	for (;;) {
		olx_skip(lx, OT_DELIMS);
		if (olx_done(lx))
			return olx_fail(lx, lx->p, 0, "missing ')'");
		if (olx_at(lx, ')'))
			break;
		if (ot_parse_key_attr(lx, key, mask))
			return -EINVAL;
	}
	lx->p++;
	na_nest_end(key, ko);
	na_nest_end(mask, mo);
	lx->depth--;
	return 0;
}

static int parse_value(struct olx *lx, uint16_t type, struct buf *key,
		       struct buf *mask)
{
	uint64_t v, m;
	uint32_t f, fm;
	const char *tok = lx->p;

	switch (type) {
	case OVS_KEY_ATTR_PRIORITY:
	case OVS_KEY_ATTR_SKB_MARK:
	case OVS_KEY_ATTR_DP_HASH:
	case OVS_KEY_ATTR_CT_MARK:
		if (olx_uint_masked(lx, UINT32_MAX, &v, &m))
			return -EINVAL;
		put_h32(key, mask, type, v, m);
		break;
	case OVS_KEY_ATTR_RECIRC_ID:
		if (olx_uint(lx, UINT32_MAX, &v))
			return -EINVAL;
		if (olx_at(lx, '/'))
			return olx_fail(lx, lx->p, 1, "recirc_id cannot be masked");
		put_h32(key, mask, type, v, UINT32_MAX);
		break;
	case OVS_KEY_ATTR_CT_ZONE:
	case OVS_KEY_ATTR_IPV6_EXTHDRS:
		if (olx_uint_masked(lx, 0xffff, &v, &m))
			return -EINVAL;
		na_put_u16(key, type, (uint16_t)v);
		na_put_u16(mask, type, (uint16_t)m);
		break;
	case OVS_KEY_ATTR_IN_PORT:
		if (olx_port(lx, &f, ")/"))
			return -EINVAL;
		m = UINT32_MAX;
		if (olx_at(lx, '/')) {
			if (!lx->masks_ok)
				return olx_fail(lx, lx->p, 1,
						"a mask ('/') is not allowed here");
			lx->p++;
			if (olx_uint(lx, UINT32_MAX, &m))
				return -EINVAL;
		}
		put_h32(key, mask, type, f, m);
		break;
	case OVS_KEY_ATTR_ETHERTYPE:
		if (olx_uint_masked(lx, 0xffff, &v, &m))
			return -EINVAL;
		/* "eth_type(0/0xffff)" is how a key without an ethertype but
		 * a mask with one prints (the kernel's 802.2 convention):
		 * read it back the same way. */
		if (v || !memchr(tok, '/', (size_t)(lx->p - tok)))
			na_put_u16(key, type, htons((uint16_t)v));
		na_put_u16(mask, type, htons((uint16_t)m));
		break;
	case OVS_KEY_ATTR_CT_STATE:
		if (olx_flags(lx, ot_ct_state_name, 0xff, ')', '|', &f, &fm))
			return -EINVAL;
		put_h32(key, mask, type, f, fm);
		break;
	case OVS_KEY_ATTR_TCP_FLAGS:
		if (olx_flags(lx, ot_tcp_flag_name, 0x0fff, ')', '|', &f, &fm))
			return -EINVAL;
		na_put_u16(key, type, htons((uint16_t)f));
		na_put_u16(mask, type, htons((uint16_t)fm));
		break;
	default:
		return olx_fail(lx, tok, 1, "internal error");
	}
	return close_paren(lx);
}

int ot_parse_key_attr(struct olx *lx, struct buf *key, struct buf *mask)
{
	const char *start = lx->p, *saved = lx->attr;
	size_t n = olx_word(lx);
	const struct ot_struct *st;
	uint16_t type;
	int r;

	lx->attr = start;
	type = n ? key_type(start, n) : 0;
	if (!type) {
		lx->attr = NULL;
		if (olx_done(lx))
			return olx_fail(lx, start, 0, "expected a key attribute, "
					"found the end");
		if (!n)
			return olx_fail(lx, start, 1, "expected a key attribute, "
					"found '%c'", *start);
		return olx_fail(lx, start, n, "unknown key attribute '%.*s'",
				(int)n, start);
	}
	lx->p += n;
	if (olx_expect(lx, '('))
		return -EINVAL;
	st = ot_struct_for(type);
	if (st) {
		uint8_t k[64], m[64];

		memset(k, 0, sizeof k);
		memset(m, 0, sizeof m);
		r = olx_struct(lx, st, k, m);
		if (!r) {
			na_put(key, type, k, st->len);
			na_put(mask, type, m, st->len);
		}
	} else {
		switch (type) {
		case OVS_KEY_ATTR_VLAN:
			r = parse_vlan(lx, key, mask);
			break;
		case OVS_KEY_ATTR_MPLS:
			r = parse_mpls(lx, key, mask);
			break;
		case OVS_KEY_ATTR_CT_LABELS:
			r = parse_label(lx, key, mask);
			break;
		case OVS_KEY_ATTR_ENCAP:
			r = parse_encap(lx, key, mask);
			break;
		case OVS_KEY_ATTR_TUNNEL: {
			size_t ko = na_nest_start(key, type);
			size_t mo = na_nest_start(mask, type);

			r = ot_parse_tunnel(lx, key, mask);
			na_nest_end(key, ko);
			na_nest_end(mask, mo);
			break;
		}
		case OVS_KEY_ATTR_NSH: {
			uint8_t v[24], m[24];
			bool md1;

			r = ot_parse_nsh(lx, v, m, &md1);
			if (!r) {
				ot_put_nsh(key, type, v, NULL, md1, false);
				ot_put_nsh(mask, type, m, NULL, true, false);
			}
			break;
		}
		default:
			r = parse_value(lx, type, key, mask);
			break;
		}
	}
	lx->attr = saved;
	return r ? -EINVAL : 0;
}

int odp_key_from_text(const char *s, size_t len, struct buf *key,
		      struct buf *mask, const struct odp_names *names,
		      struct dp_err *err)
{
	struct olx lx = { s, s, s + len, NULL, err, names, mask != NULL, 0 };
	struct buf scratch = BUF_INIT, *mb = mask ? mask : &scratch;
	size_t k0 = key->len, m0 = mb->len;
	int koom = key->oom, moom = mb->oom, r = 0;

	for (;;) {
		olx_skip(&lx, OT_DELIMS);
		if (olx_done(&lx))
			break;
		r = ot_parse_key_attr(&lx, key, mb);
		if (r)
			break;
	}
	if (!r && (!buf_ok(key) || !buf_ok(mb)))
		r = dp_err_set(err, ENOMEM, "flow key too long or out of memory");
	if (r) {
		buf_truncate(key, k0);
		buf_truncate(mb, m0);
		key->oom = koom;
		mb->oom = moom;
	}
	buf_free(&scratch);
	return r;
}
