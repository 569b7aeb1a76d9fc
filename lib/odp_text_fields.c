/*
 * odp_text_fields.c - struct-shaped key attributes (eth, ipv4, tcp, arp...)
 * described once, as tables of fields, and read and written from them.
 *
 * Each field prints the way Open vSwitch's format_u8u()/format_be16()/...
 * do: "name=value" plus "/mask" when the mask is partial; in the short form
 * a field whose mask is all zero is left out.  The table order is the print
 * order, which for some attributes is not the struct order (ct_tuple4 prints
 * proto before the ports it stores first).
 */
#include "odp_text_int.h"

#include <errno.h>
#include <string.h>

#define F(n, k, o) { n, k, o, false }
#define ALIAS(n, k, o) { n, k, o, true }
#define END { NULL, 0, 0, false }

static const struct ot_field eth_f[] = {
	F("src", OK_ETH, 0), F("dst", OK_ETH, 6), END
};
static const struct ot_field ipv4_f[] = {
	F("src", OK_IPV4, 0), F("dst", OK_IPV4, 4), F("proto", OK_U8U, 8),
	F("tos", OK_U8X, 9), F("ttl", OK_U8U, 10), F("frag", OK_FRAG, 11), END
};
static const struct ot_field ipv6_f[] = {
	F("src", OK_IPV6, 0), F("dst", OK_IPV6, 16), F("label", OK_LABEL, 32),
	F("proto", OK_U8U, 36), F("tclass", OK_U8X, 37),
	F("hlimit", OK_U8U, 38), F("frag", OK_FRAG, 39), END
};
static const struct ot_field ports_f[] = {
	F("src", OK_BE16, 0), F("dst", OK_BE16, 2), END
};
static const struct ot_field icmp_f[] = {
	F("type", OK_U8U, 0), F("code", OK_U8U, 1), END
};
static const struct ot_field arp_f[] = {
	F("sip", OK_IPV4, 0), F("tip", OK_IPV4, 4), F("op", OK_BE16, 8),
	F("sha", OK_ETH, 10), F("tha", OK_ETH, 16), END
};
static const struct ot_field nd_f[] = {
	F("target", OK_IPV6, 0), F("sll", OK_ETH, 16), F("tll", OK_ETH, 22),
	END
};
static const struct ot_field nd_ext_f[] = {
	F("nd_reserved", OK_NDRES, 0), F("nd_options_type", OK_U8U, 4), END
};
/* Open vSwitch prints tp_src/tp_dst for IPv4 tuples and src_port/dst_port
 * for IPv6 ones, but parses only tp_src/tp_dst: both spellings are read. */
static const struct ot_field tuple4_f[] = {
	F("src", OK_IPV4, 0), F("dst", OK_IPV4, 4), F("proto", OK_U8U, 12),
	F("tp_src", OK_BE16, 8), F("tp_dst", OK_BE16, 10),
	ALIAS("src_port", OK_BE16, 8), ALIAS("dst_port", OK_BE16, 10), END
};
static const struct ot_field tuple6_f[] = {
	F("src", OK_IPV6, 0), F("dst", OK_IPV6, 16), F("proto", OK_U8U, 36),
	F("src_port", OK_BE16, 32), F("dst_port", OK_BE16, 34),
	ALIAS("tp_src", OK_BE16, 32), ALIAS("tp_dst", OK_BE16, 34), END
};
static const struct ot_field packet_type_f[] = {
	F("ns", OK_BE16, 0), F("id", OK_BE16X, 2), END
};

static const struct ot_struct structs[] = {
	{ OVS_KEY_ATTR_ETHERNET, 12, 12, eth_f },
	{ OVS_KEY_ATTR_IPV4, 12, 12, ipv4_f },
	{ OVS_KEY_ATTR_IPV6, 40, 40, ipv6_f },
	{ OVS_KEY_ATTR_TCP, 4, 4, ports_f },
	{ OVS_KEY_ATTR_UDP, 4, 4, ports_f },
	{ OVS_KEY_ATTR_SCTP, 4, 4, ports_f },
	{ OVS_KEY_ATTR_ICMP, 2, 2, icmp_f },
	{ OVS_KEY_ATTR_ICMPV6, 2, 2, icmp_f },
	{ OVS_KEY_ATTR_ARP, 24, 22, arp_f },
	{ OVS_KEY_ATTR_ND, 28, 28, nd_f },
	{ OVS_KEY_ATTR_ND_EXTENSIONS, 8, 8, nd_ext_f },
	{ OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4, 16, 13, tuple4_f },
	{ OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, 40, 37, tuple6_f },
	{ OVS_KEY_ATTR_PACKET_TYPE, 4, 4, packet_type_f },
};

const struct ot_struct *ot_struct_for(uint16_t type)
{
	switch (type) {
	case OVS_KEY_ATTR_ETHERNET: return &structs[0];
	case OVS_KEY_ATTR_IPV4: return &structs[1];
	case OVS_KEY_ATTR_IPV6: return &structs[2];
	case OVS_KEY_ATTR_TCP: return &structs[3];
	case OVS_KEY_ATTR_UDP: return &structs[4];
	case OVS_KEY_ATTR_SCTP: return &structs[5];
	case OVS_KEY_ATTR_ICMP: return &structs[6];
	case OVS_KEY_ATTR_ICMPV6: return &structs[7];
	case OVS_KEY_ATTR_ARP: return &structs[8];
	case OVS_KEY_ATTR_ND: return &structs[9];
	case OVS_KEY_ATTR_ND_EXTENSIONS: return &structs[10];
	case OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4: return &structs[11];
	case OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6: return &structs[12];
	case OVS_KEY_ATTR_PACKET_TYPE: return &structs[13];
	default: return NULL;
	}
}

static size_t kind_len(int kind)
{
	switch (kind) {
	case OK_U8U: case OK_U8X: case OK_FRAG:
		return 1;
	case OK_BE16: case OK_BE16X:
		return 2;
	case OK_IPV4: case OK_LABEL: case OK_NDRES:
		return 4;
	case OK_ETH:
		return 6;
	default:
		return 16;
	}
}

static const char *frag_name(uint8_t v)
{
	switch (v) {
	case OVS_FRAG_TYPE_NONE: return "no";
	case OVS_FRAG_TYPE_FIRST: return "first";
	case OVS_FRAG_TYPE_LATER: return "later";
	default: return "<error>";
	}
}

/* One value of a field, without the name. */
static void put_value(struct buf *b, int kind, const uint8_t *v, bool mask)
{
	switch (kind) {
	case OK_U8U:
		if (mask)
			ot_hex(b, v[0]);
		else
			ot_dec(b, v[0]);
		break;
	case OK_U8X:
		ot_hex(b, v[0]);
		break;
	case OK_BE16:
		if (mask)
			ot_hex(b, ot_be16(v));
		else
			ot_dec(b, ot_be16(v));
		break;
	case OK_BE16X:
		ot_hex(b, ot_be16(v));
		break;
	case OK_IPV4:
		ot_ipv4(b, v);
		break;
	case OK_IPV6:
		ot_ipv6(b, v);
		break;
	case OK_ETH:
		ot_eth(b, v);
		break;
	case OK_LABEL:
		ot_hex(b, ot_be32(v));
		break;
	case OK_NDRES:
		ot_hexw(b, ot_be32(v), 1);
		break;
	}
}

void ot_fmt_field(const struct ofmt *f, const struct ot_field *fd,
		  const uint8_t *key, const uint8_t *mask)
{
	struct buf *b = f->out;
	size_t n = kind_len(fd->kind);
	const uint8_t *k = key + fd->ofs;
	const uint8_t *m = mask ? mask + fd->ofs : NULL;
	bool empty = m && ot_all(m, n, 0);
	bool full = !m || ot_all(m, n, 0xff);

	if (fd->kind == OK_LABEL && m)
		full = (ot_be32(m) & 0xfffff) == 0xfffff;
	if (fd->kind == OK_FRAG) {
		if (!empty && !full)
			buf_printf(b, "error: partial mask not supported for "
				   "frag (%#x),", m[0]);
		else if (!empty)
			buf_printf(b, "%s=%s,", fd->name, frag_name(k[0]));
		return;
	}
	if (fd->kind == OK_NDRES) {
		buf_printf(b, "%s=", fd->name);
		put_value(b, fd->kind, k, false);
		buf_putc(b, ',');
		return;
	}
	if (!ofmt_verbose(f) && empty)
		return;
	buf_puts(b, fd->name);
	buf_putc(b, '=');
	put_value(b, fd->kind, k, false);
	if (!full) {
		buf_putc(b, '/');
		put_value(b, fd->kind, m, true);
	}
	buf_putc(b, ',');
}

static int parse_frag(struct olx *lx, uint8_t *v)
{
	static const char *const names[] = { "no", "first", "later" };
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, ",)/ \t\r\n");
	size_t i;

	for (i = 0; i < 3; i++) {
		if (strlen(names[i]) == n && !strncasecmp(tok, names[i], n)) {
			*v = (uint8_t)i;
			lx->p += n;
			return 0;
		}
	}
	return olx_fail(lx, tok, n ? n : 1,
			"bad frag '%.*s' (no, first or later)", (int)n, tok);
}

int olx_field(struct olx *lx, const struct ot_field *fd, uint8_t *k,
	      uint8_t *m)
{
	uint64_t v, vm;
	uint8_t *kp = k + fd->ofs, *mp = m + fd->ofs;
	int r;

	switch (fd->kind) {
	case OK_U8U:
	case OK_U8X:
		r = olx_uint_masked(lx, 0xff, &v, &vm);
		if (r)
			return r;
		*kp = (uint8_t)v;
		*mp = (uint8_t)vm;
		return 0;
	case OK_BE16:
	case OK_BE16X:
		r = olx_uint_masked(lx, 0xffff, &v, &vm);
		if (r)
			return r;
		ot_put_be16(kp, (uint16_t)v);
		ot_put_be16(mp, (uint16_t)vm);
		return 0;
	case OK_LABEL:
		r = olx_uint_masked(lx, 0xfffff, &v, &vm);
		if (r)
			return r;
		ot_put_be32(kp, (uint32_t)v);
		ot_put_be32(mp, (uint32_t)vm);
		return 0;
	case OK_NDRES:
		r = olx_uint_masked(lx, UINT32_MAX, &v, &vm);
		if (r)
			return r;
		ot_put_be32(kp, (uint32_t)v);
		ot_put_be32(mp, (uint32_t)vm);
		return 0;
	case OK_FRAG:
		r = parse_frag(lx, kp);
		if (r)
			return r;
		*mp = 0xff;
		if (olx_at(lx, '/'))
			return olx_fail(lx, lx->p, 1, "frag cannot be masked");
		return 0;
	default:
		return olx_addr_masked(lx, fd->kind, kp, mp);
	}
}

/* Fields until ')', which is consumed.  Open vSwitch's rules: any order,
 * a field may repeat (the last one counts), one trailing comma is fine. */
int olx_struct(struct olx *lx, const struct ot_struct *st, uint8_t *k,
	       uint8_t *m)
{
	for (;;) {
		const struct ot_field *fd;
		const char *tok = lx->p;
		size_t n;
		int r;

		if (olx_at(lx, ')')) {
			lx->p++;
			return 0;
		}
		n = olx_toklen(lx, "=,)( \t\r\n");
		for (fd = st->fields; fd->name; fd++)
			if (strlen(fd->name) == n && !memcmp(fd->name, tok, n))
				break;
		if (!fd->name) {
			if (!n)
				return olx_fail(lx, tok, 1,
						"expected a field name or ')'");
			return olx_fail(lx, tok, n, "unknown field '%.*s'",
					(int)n, tok);
		}
		lx->p += n;
		r = olx_expect(lx, '=');
		if (!r)
			r = olx_field(lx, fd, k, m);
		if (r)
			return r;
		if (olx_at(lx, ','))
			lx->p++;
		else if (!olx_at(lx, ')'))
			return olx_expect(lx, ')');
	}
}

/* Exact and wildcard tests of a struct attribute's mask, as Open vSwitch's
 * odp_mask_is_constant__(): only the bytes that hold fields count (ARP and
 * the conntrack tuples have trailing padding), and the IPv6 label is 20
 * bits. */
bool ot_struct_mask_is(const struct ot_struct *st, const uint8_t *m,
		       size_t len, uint8_t c)
{
	if (len < st->cmp_len)
		return false;
	if (st->type == OVS_KEY_ATTR_IPV6) {
		uint32_t lm = ot_be32(m + 32) & 0xfffff;

		return lm == (c ? 0xfffffu : 0) && ot_all(m, 32, c) &&
		       ot_all(m + 36, 4, c);
	}
	return ot_all(m, st->cmp_len, c);
}
