/*
 * odp_text_tun.c - tunnel(...) keys: OVS_KEY_ATTR_TUNNEL's nested
 * OVS_TUNNEL_KEY_ATTR_* attributes, both directions.
 *
 *   tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10,dst=20.20.20.20,ttl=64,
 *          vxlan(gbp(id=10,flags=0xb)),geneve({class=0,type=0,len=4,0xa}),
 *          erspan(ver=1,idx=0x7),gtpu(flags=0x30,msgtype=255),
 *          flags(-df+csum+key))
 *
 * The flag attributes (don't fragment, checksum, OAM) print together as
 * flags(...) after everything else, with "key" standing for the presence of
 * a tunnel id, as in Open vSwitch, whose FLOW_TNL_F_* bit order (oam, df,
 * csum, key) is the print order.
 */
#include "odp_text_int.h"

#include <errno.h>
#include <string.h>

#define TF_OAM  1
#define TF_DF   2
#define TF_CSUM 4
#define TF_KEY  8

static int tun_len(uint16_t type)
{
	switch (type) {
	case OVS_TUNNEL_KEY_ATTR_ID: return 8;
	case OVS_TUNNEL_KEY_ATTR_IPV4_SRC:
	case OVS_TUNNEL_KEY_ATTR_IPV4_DST: return 4;
	case OVS_TUNNEL_KEY_ATTR_TOS:
	case OVS_TUNNEL_KEY_ATTR_TTL: return 1;
	case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
	case OVS_TUNNEL_KEY_ATTR_CSUM:
	case OVS_TUNNEL_KEY_ATTR_OAM:
	case OVS_TUNNEL_KEY_ATTR_PAD:
	case OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE: return 0;
	case OVS_TUNNEL_KEY_ATTR_TP_SRC:
	case OVS_TUNNEL_KEY_ATTR_TP_DST: return 2;
	case OVS_TUNNEL_KEY_ATTR_IPV6_SRC:
	case OVS_TUNNEL_KEY_ATTR_IPV6_DST: return 16;
	case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS: return OT_LEN_NESTED;
	case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
	case OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS:
	case ODP_TUNNEL_KEY_ATTR_GTPU_OPTS: return OT_LEN_VAR;
	default: return OT_LEN_UNKNOWN;
	}
}

static const char *tun_name(uint16_t type)
{
	switch (type) {
	case OVS_TUNNEL_KEY_ATTR_ID: return "tun_id";
	case OVS_TUNNEL_KEY_ATTR_IPV4_SRC: return "src";
	case OVS_TUNNEL_KEY_ATTR_IPV4_DST: return "dst";
	case OVS_TUNNEL_KEY_ATTR_TOS: return "tos";
	case OVS_TUNNEL_KEY_ATTR_TTL: return "ttl";
	case OVS_TUNNEL_KEY_ATTR_TP_SRC: return "tp_src";
	case OVS_TUNNEL_KEY_ATTR_TP_DST: return "tp_dst";
	case OVS_TUNNEL_KEY_ATTR_IPV6_SRC: return "ipv6_src";
	case OVS_TUNNEL_KEY_ATTR_IPV6_DST: return "ipv6_dst";
	case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT: return "df";
	case OVS_TUNNEL_KEY_ATTR_CSUM: return "csum";
	case OVS_TUNNEL_KEY_ATTR_OAM: return "oam";
	case OVS_TUNNEL_KEY_ATTR_PAD: return "pad";
	default: return NULL;
	}
}

static void field(const struct ofmt *f, const char *name, int kind,
		  const uint8_t *k, const struct mslice *m)
{
	struct ot_field fd = { name, (uint8_t)kind, 0, false };

	ot_fmt_field(f, &fd, k, m->p || m->wild ? (m->p ? m->p : ot_zeros)
				: NULL);
}

static void unknown(struct buf *b, uint16_t type, const uint8_t *k,
		    size_t klen, const struct mslice *m)
{
	buf_printf(b, "key%u(", type);
	ot_hex_spaced(b, k, klen);
	if (m->p && m->len == klen && !ot_all(m->p, klen, 0xff)) {
		buf_putc(b, '/');
		ot_hex_spaced(b, m->p, klen);
	}
	buf_puts(b, "),");
}

static void fmt_vxlan(const struct ofmt *f, const uint8_t *k, size_t klen,
		      const struct mslice *m)
{
	bool has_mask = m->p || m->wild;
	const struct nlattr *a;
	size_t rem;

	NA_FOR_EACH(a, k, klen, rem) {
		uint16_t type = na_type(a);
		const uint8_t *v = na_data(a);
		struct mslice cm = { NULL, 0, false };

		if (has_mask)
			cm = ot_mask_child(m, type, na_len(a));
		if (type != OVS_VXLAN_EXT_GBP) {
			unknown(f->out, type, v, na_len(a), &cm);
			continue;
		}
		if (na_len(a) != 4 || (cm.p && !cm.wild && cm.len != 4)) {
			ot_fmt_bad_len(f->out, "gbp", v, na_len(a), &cm, 4);
			buf_putc(f->out, ',');
			continue;
		}
		{
			uint32_t gbp = ot_h32(v), gm = cm.p ? ot_h32(cm.p) : 0;
			uint8_t id[2], idm[2], fl = (uint8_t)(gbp >> 16),
				flm = (uint8_t)(gm >> 16);
			struct mslice mi = { idm, 2, false }, mf = { &flm, 1, false };

			ot_put_be16(id, (uint16_t)gbp);
			ot_put_be16(idm, (uint16_t)gm);
			if (!has_mask)
				mi.p = mf.p = NULL;
			buf_puts(f->out, "gbp(");
			field(f, "id", OK_BE16, id, &mi);
			field(f, "flags", OK_U8X, &fl, &mf);
			ot_chomp(f->out, ',');
			buf_puts(f->out, "),");
		}
	}
	ot_chomp(f->out, ',');
}

static void fmt_geneve(const struct ofmt *f, const uint8_t *o, size_t len,
		       const struct mslice *m)
{
	struct buf *b = f->out;
	const uint8_t *mo = NULL;

	if (m->p && !m->wild && m->len != len) {
		buf_printf(b, "value len %zu different from mask len %zu",
			   len, m->len);
		return;
	}
	if (m->p || m->wild)
		mo = m->p ? m->p : ot_zeros;
	if (m->wild && !m->p)
		mo = NULL;      /* too long for the zero buffer: print exact */
	while (len > 0) {
		size_t dlen, olen;
		uint8_t dl, dlm = 0;
		struct mslice mc = { mo, 2, false }, mt = { mo ? mo + 2 : NULL, 1, false },
			ml = { &dlm, 1, false };

		if (len < 4) {
			buf_printf(b, "opt len %zu less than minimum 4", len);
			return;
		}
		dlen = (size_t)(o[3] & 0x1f) * 4;
		olen = 4 + dlen;
		if (olen > len) {
			buf_printf(b, "opt len %zu greater than remaining %zu",
				   olen, len);
			return;
		}
		dl = (uint8_t)dlen;
		if (mo)
			dlm = (mo[3] & 0x1f) == 0x1f ? 0xff : (mo[3] & 0x1f);
		else
			ml.p = NULL;
		buf_putc(b, '{');
		field(f, "class", OK_BE16X, o, &mc);
		field(f, "type", OK_U8X, o + 2, &mt);
		field(f, "len", OK_U8U, &dl, &ml);
		if (dlen && (ofmt_verbose(f) || !mo || !ot_all(mo + 4, dlen, 0))) {
			ot_hex_ovs(b, o + 4, dlen);
			if (mo && !ot_all(mo + 4, dlen, 0xff)) {
				buf_putc(b, '/');
				ot_hex_ovs(b, mo + 4, dlen);
			}
		} else {
			ot_chomp(b, ',');
		}
		buf_putc(b, '}');
		o += olen;
		if (mo)
			mo += olen;
		len -= olen;
	}
}

/* struct erspan_metadata: int version (host order), then for version 1 a
 * be32 index, for version 2 a timestamp, sgt and a byte with hwid (high 4
 * bits) and dir (bit 3). */
static void fmt_erspan(const struct ofmt *f, const uint8_t *o, size_t len,
		       const struct mslice *m)
{
	const uint8_t *mo = m->p ? m->p : (m->wild ? ot_zeros : NULL);
	int ver, vm = 0;
	uint8_t v8, vm8, d, dm = 0, h, hm = 0;
	struct mslice ms = { &vm8, 1, false };

	if (len < 4 || (mo && m->len < len && !m->wild)) {
		buf_puts(f->out, "(bad length)");
		ot_hex_spaced(f->out, o, len);
		return;
	}
	memcpy(&ver, o, 4);
	if (mo)
		memcpy(&vm, mo, 4);
	else
		ms.p = NULL;
	v8 = (uint8_t)ver;
	vm8 = (uint8_t)vm;
	field(f, "ver", OK_U8U, &v8, &ms);
	if (ver == 1 && len >= 8) {
		if (mo)
			buf_printf(f->out, "idx=%#x/%#x,", ot_be32(o + 4),
				   ot_be32(mo + 4));
		else
			buf_printf(f->out, "idx=%#x,", ot_be32(o + 4));
	} else if (ver == 2 && len >= 12) {
		struct mslice md = { &dm, 1, false }, mh = { &hm, 1, false };

		d = (o[11] >> 3) & 1;
		h = o[11] >> 4;
		if (mo) {
			dm = (mo[11] >> 3) & 1;
			hm = mo[11] >> 4;
		} else {
			md.p = mh.p = NULL;
		}
		field(f, "dir", OK_U8U, &d, &md);
		field(f, "hwid", OK_U8X, &h, &mh);
	}
	ot_chomp(f->out, ',');
}

static void fmt_gtpu(const struct ofmt *f, const uint8_t *o, size_t len,
		     const struct mslice *m)
{
	struct mslice m0 = { NULL, 1, false }, m1 = { NULL, 1, false };

	if (len < 2) {
		buf_puts(f->out, "(bad length)");
		return;
	}
	if (m->p && m->len >= 2) {
		m0.p = m->p;
		m1.p = m->p + 1;
	} else if (m->wild) {
		m0.p = m1.p = ot_zeros;
	}
	field(f, "flags", OK_U8X, o, &m0);
	field(f, "msgtype", OK_U8U, o + 1, &m1);
	ot_chomp(f->out, ',');
}

void ot_fmt_tunnel(const struct ofmt *f, const uint8_t *k, size_t klen,
		   const struct mslice *m)
{
	struct buf *b = f->out;
	bool has_mask = m->p || m->wild;
	uint32_t flags = 0, mflags = 0;
	const struct nlattr *a;
	size_t rem;

	NA_FOR_EACH(a, k, klen, rem) {
		uint16_t type = na_type(a);
		const uint8_t *v = na_data(a);
		size_t len = na_len(a);
		int expect = tun_len(type);
		struct mslice cm = { NULL, 0, false };

		if (has_mask)
			cm = ot_mask_child(m, type, len);
		if (expect == OT_LEN_UNKNOWN) {
			unknown(b, type, v, len, &cm);
			continue;
		}
		if (expect >= 0 && (len != (size_t)expect ||
				    (cm.p && !cm.wild && cm.len != (size_t)expect))) {
			ot_fmt_bad_len(b, tun_name(type) ? tun_name(type) : "key",
				       v, len, &cm, expect);
			buf_putc(b, ',');
			continue;
		}
		switch (type) {
		case OVS_TUNNEL_KEY_ATTR_ID: {
			const uint8_t *mp = cm.p ? cm.p : (cm.wild ? ot_zeros : NULL);

			flags |= TF_KEY;
			if (has_mask)
				mflags |= TF_KEY;
			if (ofmt_verbose(f) || !mp || !ot_all(mp, 8, 0)) {
				buf_printf(b, "tun_id=0x%llx",
					   (unsigned long long)ot_be64(v));
				if (mp && !ot_all(mp, 8, 0xff))
					buf_printf(b, "/%#llx",
						   (unsigned long long)ot_be64(mp));
				buf_putc(b, ',');
			}
			break;
		}
		case OVS_TUNNEL_KEY_ATTR_IPV4_SRC:
		case OVS_TUNNEL_KEY_ATTR_IPV4_DST:
			field(f, tun_name(type), OK_IPV4, v, &cm);
			break;
		case OVS_TUNNEL_KEY_ATTR_IPV6_SRC:
		case OVS_TUNNEL_KEY_ATTR_IPV6_DST:
			field(f, tun_name(type), OK_IPV6, v, &cm);
			break;
		case OVS_TUNNEL_KEY_ATTR_TOS:
			field(f, "tos", OK_U8X, v, &cm);
			break;
		case OVS_TUNNEL_KEY_ATTR_TTL:
			field(f, "ttl", OK_U8U, v, &cm);
			break;
		case OVS_TUNNEL_KEY_ATTR_TP_SRC:
		case OVS_TUNNEL_KEY_ATTR_TP_DST:
			field(f, tun_name(type), OK_BE16, v, &cm);
			break;
		case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
			flags |= TF_DF;
			break;
		case OVS_TUNNEL_KEY_ATTR_CSUM:
			flags |= TF_CSUM;
			break;
		case OVS_TUNNEL_KEY_ATTR_OAM:
			flags |= TF_OAM;
			break;
		case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
			buf_puts(b, "vxlan(");
			fmt_vxlan(f, v, len, &cm);
			buf_puts(b, "),");
			break;
		case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
			buf_puts(b, "geneve(");
			fmt_geneve(f, v, len, &cm);
			buf_puts(b, "),");
			break;
		case OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS:
			buf_puts(b, "erspan(");
			fmt_erspan(f, v, len, &cm);
			buf_puts(b, "),");
			break;
		case ODP_TUNNEL_KEY_ATTR_GTPU_OPTS:
			buf_puts(b, "gtpu(");
			fmt_gtpu(f, v, len, &cm);
			buf_puts(b, "),");
			break;
		case OVS_TUNNEL_KEY_ATTR_PAD:
			break;
		default:
			unknown(b, type, v, len, &cm);
			break;
		}
	}
	/* A flag can be matched (as absent) without being in the key. */
	if (m->wild) {
		mflags |= flags & (TF_DF | TF_CSUM | TF_OAM);
	} else if (m->p) {
		NA_FOR_EACH(a, m->p, m->len, rem) {
			if (na_type(a) == OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT)
				mflags |= TF_DF;
			else if (na_type(a) == OVS_TUNNEL_KEY_ATTR_CSUM)
				mflags |= TF_CSUM;
			else if (na_type(a) == OVS_TUNNEL_KEY_ATTR_OAM)
				mflags |= TF_OAM;
		}
	}
	if (ofmt_verbose(f) || !has_mask || mflags) {
		buf_puts(b, "flags(");
		if (has_mask)
			ot_flags_masked(b, ot_tun_flag_name, flags, mflags, 0xf);
		else
			ot_flags(b, ot_tun_flag_name, flags, '|');
		buf_puts(b, "),");
	}
	ot_chomp(b, ',');
}

/* --- parsing ---------------------------------------------------------------- */

static void put2(struct buf *key, struct buf *mask, uint16_t type,
		 const void *k, const void *m, size_t len)
{
	na_put(key, type, k, len);
	na_put(mask, type, m, len);
}

static int parse_vxlan(struct olx *lx, struct buf *key, struct buf *mask)
{
	uint64_t id = 0, idm = 0, fl = 0, flm = 0;
	uint32_t k, m;
	size_t ko, mo;

	if (olx_eat(lx, "id=") && olx_uint_masked(lx, 0xffff, &id, &idm))
		return -EINVAL;
	olx_eat(lx, ",");
	if (olx_eat(lx, "flags=") && olx_uint_masked(lx, 0xff, &fl, &flm))
		return -EINVAL;
	if (!olx_eat(lx, "))"))
		return olx_expect(lx, ')') ? -EINVAL : olx_expect(lx, ')');
	k = (uint32_t)(fl << 16 | id);
	m = (uint32_t)(flm << 16 | idm);
	ko = na_nest_start(key, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	mo = na_nest_start(mask, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	put2(key, mask, OVS_VXLAN_EXT_GBP, &k, &m, 4);
	na_nest_end(key, ko);
	na_nest_end(mask, mo);
	return 0;
}

static int parse_erspan(struct olx *lx, struct buf *key, struct buf *mask)
{
	uint8_t k[12], m[12];
	uint64_t ver = 0, verm = 0, idx = 0, idxm = 0, dir = 0, dirm = 0,
		 hw = 0, hwm = 0;
	int32_t v, vm;

	for (;;) {
		int r = 0;

		if (olx_eat(lx, "ver="))
			r = olx_uint_masked(lx, 0xff, &ver, &verm);
		else if (olx_eat(lx, "idx="))
			r = olx_uint_masked(lx, UINT32_MAX, &idx, &idxm);
		else if (olx_eat(lx, "dir="))
			r = olx_uint_masked(lx, 1, &dir, &dirm);
		else if (olx_eat(lx, "hwid="))
			r = olx_uint_masked(lx, 0xf, &hw, &hwm);
		else if (olx_at(lx, ')'))
			break;
		else
			return olx_fail(lx, lx->p, olx_toklen(lx, "=,)"),
					"expected ver=, idx=, dir= or hwid=");
		if (r)
			return r;
		if (!olx_eat(lx, ","))
			break;
	}
	if (olx_expect(lx, ')'))
		return -EINVAL;
	/* The short form leaves out a wildcarded ver=; the fields written
	 * tell which version they belong to. */
	if (!ver && !verm)
		ver = idxm || idx ? 1 : (dirm || hwm || dir || hw) ? 2 : 0;
	memset(k, 0, sizeof k);
	memset(m, 0, sizeof m);
	v = (int32_t)ver;
	vm = (int32_t)verm;
	memcpy(k, &v, 4);
	memcpy(m, &vm, 4);
	if (ver == 1) {
		ot_put_be32(k + 4, (uint32_t)idx);
		ot_put_be32(m + 4, (uint32_t)idxm);
	} else if (ver == 2) {
		k[11] = (uint8_t)(hw << 4 | dir << 3);
		m[11] = (uint8_t)(hwm << 4 | dirm << 3);
	}
	put2(key, mask, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, k, m, 12);
	return 0;
}

/* Option data of unknown length ("len=" not written, as the short form
 * prints a wildcarded one): as many bytes as the hex digits need, rounded
 * up to whole 4-byte words. */
static size_t data_len_of(const struct olx *lx)
{
	size_t n = olx_toklen(lx, "/,}) "), digits;

	if (n > 2 && lx->p[0] == '0' && (lx->p[1] == 'x' || lx->p[1] == 'X'))
		digits = n - 2;
	else
		digits = 16;    /* a decimal number: up to 8 bytes */
	return ((digits + 1) / 2 + 3) & ~(size_t)3;
}

static int parse_geneve(struct olx *lx, struct buf *key, struct buf *mask)
{
	uint8_t k[252], m[252];
	size_t len = 0;

	while (olx_at(lx, '{')) {
		uint8_t *o = k + len, *mo = m + len;
		bool have_len = false, have_data = false;
		uint64_t v, vm;
		size_t dlen = 0;

		lx->p++;
		if (len + 4 > sizeof k)
			return olx_fail(lx, lx->p, 1,
					"geneve options longer than 252 bytes");
		memset(o, 0, 4);
		memset(mo, 0, 4);
		while (!olx_at(lx, '}') && !have_data) {
			const char *tok = lx->p;

			if (olx_eat(lx, "class=")) {
				if (olx_uint_masked(lx, 0xffff, &v, &vm))
					return -EINVAL;
				ot_put_be16(o, (uint16_t)v);
				ot_put_be16(mo, (uint16_t)vm);
			} else if (olx_eat(lx, "type=")) {
				if (olx_uint_masked(lx, 0xff, &v, &vm))
					return -EINVAL;
				o[2] = (uint8_t)v;
				mo[2] = (uint8_t)vm;
			} else if (olx_eat(lx, "len=")) {
				if (olx_uint_masked(lx, 0xff, &v, &vm))
					return -EINVAL;
				dlen = v;
				have_len = true;
				mo[3] = (uint8_t)(vm & 0x1f);
			} else {
				/* The data, last: "0x..." [/mask]. */
				if (!have_len)
					dlen = data_len_of(lx);
				have_data = true;
			}
			if (dlen > 124 || dlen % 4 || len + 4 + dlen > sizeof k)
				return olx_fail(lx, tok, (size_t)(lx->p - tok),
						"bad geneve option length %zu "
						"(a multiple of 4, at most 124)",
						dlen);
			o[3] = (uint8_t)(dlen / 4);
			if (have_data) {
				/* Data not written is wildcarded, like any
				 * field (Open vSwitch matches it exactly). */
				memset(mo + 4, 0xff, dlen);
				if (olx_bigint(lx, o + 4, dlen))
					return -EINVAL;
				if (olx_at(lx, '/')) {
					if (!lx->masks_ok)
						return olx_fail(lx, lx->p, 1,
								"a mask ('/') is not allowed here");
					lx->p++;
					lx->saw_mask = true;
					if (olx_bigint(lx, mo + 4, dlen))
						return -EINVAL;
				}
			} else {
				memset(o + 4, 0, dlen);
				memset(mo + 4, 0, dlen);
			}
			if (!olx_eat(lx, ","))
				break;
		}
		if (olx_expect(lx, '}'))
			return -EINVAL;
		len += 4 + dlen;
	}
	if (olx_expect(lx, ')'))
		return -EINVAL;
	put2(key, mask, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, k, m, len);
	return 0;
}

static int parse_gtpu(struct olx *lx, struct buf *key, struct buf *mask)
{
	uint8_t k[2] = { 0, 0 }, m[2] = { 0, 0 };
	uint64_t v, vm;

	for (;;) {
		int i;

		if (olx_eat(lx, "flags="))
			i = 0;
		else if (olx_eat(lx, "msgtype="))
			i = 1;
		else
			break;
		if (olx_uint_masked(lx, 0xff, &v, &vm))
			return -EINVAL;
		k[i] = (uint8_t)v;
		m[i] = (uint8_t)vm;
		if (!olx_eat(lx, ","))
			break;
	}
	if (olx_expect(lx, ')'))
		return -EINVAL;
	put2(key, mask, ODP_TUNNEL_KEY_ATTR_GTPU_OPTS, k, m, 2);
	return 0;
}

static int parse_tun_flags(struct olx *lx, struct buf *key, struct buf *mask,
			   bool *has_key)
{
	static const struct { uint32_t bit; uint16_t type; } map[] = {
		{ TF_DF, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT },
		{ TF_CSUM, OVS_TUNNEL_KEY_ATTR_CSUM },
		{ TF_OAM, OVS_TUNNEL_KEY_ATTR_OAM },
	};
	uint32_t fl, fm;
	size_t i;

	if (olx_flags(lx, ot_tun_flag_name, 0xf, ')', '|', &fl, &fm) ||
	    olx_expect(lx, ')'))
		return -EINVAL;
	*has_key = fl & TF_KEY;
	for (i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (fl & map[i].bit)
			na_put_flag(key, map[i].type);
		if (fm & map[i].bit)
			na_put_flag(mask, map[i].type);
	}
	return 0;
}

/* After "tunnel(": fields to ')' (consumed).  The "key" flag stands for
 * a tunnel id: written without tun_id= (as the short form prints a
 * wildcarded one), it means an id of 0 with a wildcard mask, as in Open
 * vSwitch's flow semantics. */
int ot_parse_tunnel(struct olx *lx, struct buf *key, struct buf *mask)
{
	bool has_id = false, key_flag = false;
	static const struct {
		const char *name; uint16_t type; int kind; size_t len;
	} simple[] = {
		{ "src=", OVS_TUNNEL_KEY_ATTR_IPV4_SRC, OK_IPV4, 4 },
		{ "dst=", OVS_TUNNEL_KEY_ATTR_IPV4_DST, OK_IPV4, 4 },
		{ "ipv6_src=", OVS_TUNNEL_KEY_ATTR_IPV6_SRC, OK_IPV6, 16 },
		{ "ipv6_dst=", OVS_TUNNEL_KEY_ATTR_IPV6_DST, OK_IPV6, 16 },
		{ "tos=", OVS_TUNNEL_KEY_ATTR_TOS, OK_U8X, 1 },
		{ "ttl=", OVS_TUNNEL_KEY_ATTR_TTL, OK_U8U, 1 },
		{ "tp_src=", OVS_TUNNEL_KEY_ATTR_TP_SRC, OK_BE16, 2 },
		{ "tp_dst=", OVS_TUNNEL_KEY_ATTR_TP_DST, OK_BE16, 2 },
	};

	for (;;) {
		int r = -1;
		size_t i;

		if (olx_at(lx, ')')) {
			static const uint8_t zero[8];

			lx->p++;
			if (key_flag && !has_id)
				put2(key, mask, OVS_TUNNEL_KEY_ATTR_ID, zero,
				     zero, 8);
			return 0;
		}
		if (olx_eat(lx, "tun_id=")) {
			uint64_t v, vm;
			uint8_t k[8], m[8];

			r = olx_uint_masked(lx, UINT64_MAX, &v, &vm);
			if (!r) {
				ot_put_be32(k, (uint32_t)(v >> 32));
				ot_put_be32(k + 4, (uint32_t)v);
				ot_put_be32(m, (uint32_t)(vm >> 32));
				ot_put_be32(m + 4, (uint32_t)vm);
				put2(key, mask, OVS_TUNNEL_KEY_ATTR_ID, k, m, 8);
				has_id = true;
			}
		} else if (olx_eat(lx, "vxlan(gbp(")) {
			r = parse_vxlan(lx, key, mask);
		} else if (olx_eat(lx, "geneve(")) {
			r = parse_geneve(lx, key, mask);
		} else if (olx_eat(lx, "erspan(")) {
			r = parse_erspan(lx, key, mask);
		} else if (olx_eat(lx, "gtpu(")) {
			r = parse_gtpu(lx, key, mask);
		} else if (olx_eat(lx, "flags(")) {
			r = parse_tun_flags(lx, key, mask, &key_flag);
		} else {
			for (i = 0; i < sizeof simple / sizeof simple[0]; i++) {
				struct ot_field fd = { simple[i].name,
						       (uint8_t)simple[i].kind,
						       0, false };
				uint8_t k[16], m[16];

				if (!olx_eat(lx, simple[i].name))
					continue;
				r = olx_field(lx, &fd, k, m);
				if (!r)
					put2(key, mask, simple[i].type, k, m,
					     simple[i].len);
				break;
			}
			if (r == -1) {
				size_t n = olx_toklen(lx, "=(,)");

				return olx_fail(lx, lx->p, n ? n : 1,
						"unknown tunnel field '%.*s'",
						(int)n, lx->p);
			}
		}
		if (r)
			return -EINVAL;
		if (olx_at(lx, ','))
			lx->p++;
		else if (!olx_at(lx, ')'))
			return olx_expect(lx, ')');
	}
}
