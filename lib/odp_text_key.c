/*
 * odp_text_key.c - flow keys and masks (OVS_KEY_ATTR_* streams) as text,
 * the way ovs-dpctl dump-flows prints them.
 *
 * The rules, from Open vSwitch's odp_flow_format():
 *  - attributes print in stream order, "name(fields)", comma separated;
 *  - with a mask, an attribute whose mask is all zero is left out of the
 *    short form (the -m form keeps it, with "/0" masks), except nested ones
 *    (encap, tunnel, nsh), which always print;
 *  - an all-wildcard eth is still shown as "eth()" in the short form, since
 *    a present Ethernet header is what says the packet is Ethernet -- unless
 *    a matched packet_type already says so;
 *  - a mask attribute the key lacks gets an all-zero mask; a key without
 *    eth_type whose mask has one (the kernel's 802.2 convention) ends in
 *    ",eth_type(0/0xffff)";
 *  - an attribute of the wrong length prints its bytes in hex with a
 *    "(bad key length N, expected M)" note instead of crashing.
 */
#include "odp_text_int.h"

#include <string.h>

int ot_key_len(uint16_t type)
{
	static const signed char lens[] = {
		[OVS_KEY_ATTR_ENCAP] = OT_LEN_NESTED,
		[OVS_KEY_ATTR_PRIORITY] = 4,
		[OVS_KEY_ATTR_IN_PORT] = 4,
		[OVS_KEY_ATTR_ETHERNET] = 12,
		[OVS_KEY_ATTR_VLAN] = 2,
		[OVS_KEY_ATTR_ETHERTYPE] = 2,
		[OVS_KEY_ATTR_IPV4] = 12,
		[OVS_KEY_ATTR_IPV6] = 40,
		[OVS_KEY_ATTR_TCP] = 4,
		[OVS_KEY_ATTR_UDP] = 4,
		[OVS_KEY_ATTR_ICMP] = 2,
		[OVS_KEY_ATTR_ICMPV6] = 2,
		[OVS_KEY_ATTR_ARP] = 24,
		[OVS_KEY_ATTR_ND] = 28,
		[OVS_KEY_ATTR_SKB_MARK] = 4,
		[OVS_KEY_ATTR_TUNNEL] = OT_LEN_NESTED,
		[OVS_KEY_ATTR_SCTP] = 4,
		[OVS_KEY_ATTR_TCP_FLAGS] = 2,
		[OVS_KEY_ATTR_DP_HASH] = 4,
		[OVS_KEY_ATTR_RECIRC_ID] = 4,
		[OVS_KEY_ATTR_MPLS] = OT_LEN_VAR,
		[OVS_KEY_ATTR_CT_STATE] = 4,
		[OVS_KEY_ATTR_CT_ZONE] = 2,
		[OVS_KEY_ATTR_CT_MARK] = 4,
		[OVS_KEY_ATTR_CT_LABELS] = 16,
		[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = 16,
		[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = 40,
		[OVS_KEY_ATTR_NSH] = OT_LEN_NESTED,
		[OVS_KEY_ATTR_PACKET_TYPE] = 4,
		[OVS_KEY_ATTR_ND_EXTENSIONS] = 8,
		[OVS_KEY_ATTR_IPV6_EXTHDRS] = 2,
	};

	if (type == 0 || type >= sizeof lens || !lens[type])
		return OT_LEN_UNKNOWN;
	return lens[type];
}

const char *ot_key_name(uint16_t type)
{
	static const char *const names[] = {
		[OVS_KEY_ATTR_ENCAP] = "encap",
		[OVS_KEY_ATTR_PRIORITY] = "skb_priority",
		[OVS_KEY_ATTR_IN_PORT] = "in_port",
		[OVS_KEY_ATTR_ETHERNET] = "eth",
		[OVS_KEY_ATTR_VLAN] = "vlan",
		[OVS_KEY_ATTR_ETHERTYPE] = "eth_type",
		[OVS_KEY_ATTR_IPV4] = "ipv4",
		[OVS_KEY_ATTR_IPV6] = "ipv6",
		[OVS_KEY_ATTR_TCP] = "tcp",
		[OVS_KEY_ATTR_UDP] = "udp",
		[OVS_KEY_ATTR_ICMP] = "icmp",
		[OVS_KEY_ATTR_ICMPV6] = "icmpv6",
		[OVS_KEY_ATTR_ARP] = "arp",
		[OVS_KEY_ATTR_ND] = "nd",
		[OVS_KEY_ATTR_SKB_MARK] = "skb_mark",
		[OVS_KEY_ATTR_TUNNEL] = "tunnel",
		[OVS_KEY_ATTR_SCTP] = "sctp",
		[OVS_KEY_ATTR_TCP_FLAGS] = "tcp_flags",
		[OVS_KEY_ATTR_DP_HASH] = "dp_hash",
		[OVS_KEY_ATTR_RECIRC_ID] = "recirc_id",
		[OVS_KEY_ATTR_MPLS] = "mpls",
		[OVS_KEY_ATTR_CT_STATE] = "ct_state",
		[OVS_KEY_ATTR_CT_ZONE] = "ct_zone",
		[OVS_KEY_ATTR_CT_MARK] = "ct_mark",
		[OVS_KEY_ATTR_CT_LABELS] = "ct_label",
		[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = "ct_tuple4",
		[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = "ct_tuple6",
		[OVS_KEY_ATTR_NSH] = "nsh",
		[OVS_KEY_ATTR_PACKET_TYPE] = "packet_type",
		[OVS_KEY_ATTR_ND_EXTENSIONS] = "nd_ext",
		[OVS_KEY_ATTR_IPV6_EXTHDRS] = "ipv6_exthdrs",
	};

	return type < sizeof names / sizeof names[0] ? names[type] : NULL;
}

/* --- masks ------------------------------------------------------------------ */

static bool mask_is(uint16_t type, const struct mslice *m, uint8_t c)
{
	const struct ot_struct *st;

	if (m->wild)
		return c == 0 || m->len == 0;
	if (!m->p)
		return false;
	switch (type) {
	case OVS_KEY_ATTR_ENCAP:
		return false;
	case OVS_KEY_ATTR_TCP_FLAGS:
		return m->len >= 2 &&
		       (ot_be16(m->p) & 0x0fff) == (c ? 0x0fff : 0);
	default:
		if (ot_key_len(type) == OT_LEN_UNKNOWN)
			return false;
		st = ot_struct_for(type);
		if (st)
			return ot_struct_mask_is(st, m->p, m->len, c);
		return ot_all(m->p, m->len, c);
	}
}

bool ot_mask_exact(uint16_t type, const struct mslice *m)
{
	return !m->p && !m->wild ? true : mask_is(type, m, 0xff);
}

bool ot_mask_wild(uint16_t type, const struct mslice *m)
{
	return !m->p && !m->wild ? false : mask_is(type, m, 0);
}

static struct mslice wild_slice(size_t len)
{
	struct mslice m = { len <= OT_ZEROS_LEN ? ot_zeros : NULL, len, true };

	return m;
}

struct mslice ot_mask_child(const struct mslice *m, uint16_t type,
			    size_t klen)
{
	struct mslice none = { NULL, 0, false };
	const struct nlattr *a;

	if (m->wild)
		return wild_slice(klen);
	if (!m->p)
		return none;
	a = na_find(m->p, m->len, type);
	if (!a)
		return wild_slice(klen);
	none.p = na_data(a);
	none.len = na_len(a);
	return none;
}

/* Mask bytes for reading: zeros when the mask is all wildcard. */
static const uint8_t *mbytes(const struct mslice *m, size_t need)
{
	if (!m->p && !m->wild)
		return NULL;
	if (m->p && m->len >= need)
		return m->p;
	return need <= OT_ZEROS_LEN ? ot_zeros : NULL;
}

void ot_fmt_bad_len(struct buf *b, const char *name, const uint8_t *k,
		    size_t klen, const struct mslice *m, int expect)
{
	buf_puts(b, name);
	if (klen != (size_t)expect)
		buf_printf(b, "(bad key length %zu, expected %d)", klen, expect);
	buf_putc(b, '(');
	ot_hex_spaced(b, k, klen);
	buf_putc(b, ')');
	if (m->p && !m->wild) {
		buf_putc(b, '/');
		if (m->len != (size_t)expect)
			buf_printf(b, "(bad mask length %zu, expected %d)",
				   m->len, expect);
		buf_putc(b, '(');
		ot_hex_spaced(b, m->p, m->len);
		buf_putc(b, ')');
	}
}

/* --- one attribute ------------------------------------------------------------ */

static void fmt_vlan(struct buf *b, uint16_t tci, uint16_t mask, bool verbose)
{
	if (verbose || (tci & 0xfff) || (mask & 0xfff)) {
		buf_puts(b, "vid=");
		ot_dec(b, tci & 0xfff);
		if ((mask & 0xfff) != 0xfff) {
			buf_putc(b, '/');
			ot_hexw(b, mask & 0xfff, 1);
		}
		buf_putc(b, ',');
	}
	if (verbose || (tci >> 13) || (mask >> 13)) {
		buf_puts(b, "pcp=");
		ot_dec(b, tci >> 13);
		if ((mask >> 13) != 7) {
			buf_putc(b, '/');
			ot_hexw(b, mask >> 13, 1);
		}
		buf_putc(b, ',');
	}
	if (!(tci & 0x1000))
		buf_puts(b, "cfi=0,");
	ot_chomp(b, ',');
}

void ot_fmt_vlan_tci(struct buf *b, uint16_t tci, uint16_t mask, bool verbose)
{
	fmt_vlan(b, tci, mask, verbose);
}

void ot_fmt_mpls_lse(struct buf *b, uint32_t lse)
{
	buf_printf(b, "label=%u,tc=%u,ttl=%u,bos=%u", lse >> 12,
		   (lse >> 9) & 7, lse & 0xff, (lse >> 8) & 1);
}

static void fmt_mpls(const struct ofmt *f, const uint8_t *k, size_t klen,
		     const struct mslice *m, bool exact)
{
	struct buf *b = f->out;
	const uint8_t *mp = exact ? NULL : mbytes(m, klen);
	size_t i;

	if (!klen || klen % 4) {
		buf_printf(b, "(bad key length %zu)", klen);
		return;
	}
	if (mp && m->p && !m->wild && m->len != klen) {
		buf_printf(b, "(key length %zu != mask length %zu)", klen,
			   m->len);
		return;
	}
	for (i = 0; i < klen; i += 4) {
		uint32_t lse = ot_be32(k + i);

		if (!mp) {
			ot_fmt_mpls_lse(b, lse);
		} else {
			uint32_t ml = ot_be32(mp + i);

			buf_printf(b, "label=%u/0x%x,tc=%u/%x,ttl=%u/0x%x,"
				   "bos=%u/%x", lse >> 12, ml >> 12,
				   (lse >> 9) & 7, (ml >> 9) & 7, lse & 0xff,
				   ml & 0xff, (lse >> 8) & 1, (ml >> 8) & 1);
		}
		buf_putc(b, ',');
	}
	ot_chomp(b, ',');
}

/* A 128-bit conntrack label: the attribute holds it in host order (as Open
 * vSwitch's ovs_u128 on this machine), the text shows it most significant
 * byte first. */
static void put_u128(struct buf *b, const uint8_t *p)
{
	uint8_t be[16];
	uint64_t lo, hi;
	int i;

	memcpy(&lo, p, 8);
	memcpy(&hi, p + 8, 8);
	for (i = 0; i < 8; i++) {
		be[7 - i] = (uint8_t)(hi >> (8 * i));
		be[15 - i] = (uint8_t)(lo >> (8 * i));
	}
	ot_hex_ovs(b, be, 16);
}

void ot_fmt_u128(struct buf *b, const uint8_t *v, const uint8_t *m,
		 bool verbose)
{
	if (verbose || !m || !ot_all(m, 16, 0)) {
		put_u128(b, v);
		if (m && !ot_all(m, 16, 0xff)) {
			buf_putc(b, '/');
			put_u128(b, m);
		}
	}
}

static void fmt_struct(const struct ofmt *f, const struct ot_struct *st,
		       const uint8_t *k, const struct mslice *m)
{
	const uint8_t *mp = mbytes(m, st->len);
	const struct ot_field *fd;

	for (fd = st->fields; fd->name; fd++)
		if (!fd->parse_only)
			ot_fmt_field(f, fd, k, mp);
	ot_chomp(f->out, ',');
}

static void fmt_u32(struct buf *b, const uint8_t *k, const uint8_t *mp,
		    bool exact)
{
	ot_hex(b, ot_h32(k));
	if (!exact) {
		buf_putc(b, '/');
		ot_hex(b, mp ? ot_h32(mp) : 0);
	}
}

void ot_fmt_key_attr(const struct ofmt *f, uint16_t type, const uint8_t *k,
		     size_t klen, const struct mslice *m)
{
	struct buf *b = f->out;
	const char *name = ot_key_name(type);
	bool verbose = ofmt_verbose(f);
	int expect = ot_key_len(type);
	bool exact, empty;
	const uint8_t *mp;
	const struct ot_struct *st;

	if (expect == OT_LEN_UNKNOWN) {
		/* Open vSwitch calls these "key<N>"; it has no text for them. */
		buf_printf(b, "key%u(", type);
		ot_hex_spaced(b, k, klen);
		mp = mbytes(m, klen);
		if (mp && !ot_all(mp, klen, 0xff)) {
			buf_putc(b, '/');
			ot_hex_spaced(b, mp, klen);
		}
		buf_putc(b, ')');
		return;
	}
	if (expect >= 0 && (klen != (size_t)expect ||
			    (m->p && !m->wild && m->len != (size_t)expect))) {
		ot_fmt_bad_len(b, name, k, klen, m, expect);
		return;
	}
	exact = ot_mask_exact(type, m);
	mp = expect >= 0 ? mbytes(m, (size_t)expect) : NULL;
	empty = mp && ot_all(mp, (size_t)(expect > 0 ? expect : 0), 0);

	buf_puts(b, name);
	buf_putc(b, '(');
	st = expect > 0 ? ot_struct_for(type) : NULL;
	if (st) {
		fmt_struct(f, st, k, m);
		buf_putc(b, ')');
		return;
	}
	switch (type) {
	case OVS_KEY_ATTR_ENCAP:
		if (f->depth >= OT_MAX_DEPTH) {
			buf_puts(b, "...");
		} else if (klen) {
			struct ofmt sub = *f;
			struct mslice none = { NULL, 0, false };
			bool use = m->wild || (m->p && m->len);

			sub.depth++;
			ot_fmt_key_stream(&sub, k, klen, use ? m : &none);
		}
		break;
	case OVS_KEY_ATTR_PRIORITY:
	case OVS_KEY_ATTR_SKB_MARK:
	case OVS_KEY_ATTR_DP_HASH:
	case OVS_KEY_ATTR_RECIRC_ID:
		fmt_u32(b, k, mp, exact);
		break;
	case OVS_KEY_ATTR_CT_MARK:
		if (verbose || !empty)
			fmt_u32(b, k, mp, exact);
		break;
	case OVS_KEY_ATTR_CT_ZONE:
		if (verbose || !empty) {
			buf_printf(b, "%#x", ot_h16(k));
			if (!exact)
				buf_printf(b, "/%#x", mp ? ot_h16(mp) : 0);
		}
		break;
	case OVS_KEY_ATTR_CT_STATE:
		if (verbose)
			fmt_u32(b, k, mp, exact);
		else if (!exact)
			ot_flags_masked(b, ot_ct_state_name, ot_h32(k),
					mp ? ot_h32(mp) : 0, UINT32_MAX);
		else
			ot_flags(b, ot_ct_state_name, ot_h32(k), '|');
		break;
	case OVS_KEY_ATTR_CT_LABELS:
		ot_fmt_u128(b, k, mp, verbose);
		break;
	case OVS_KEY_ATTR_TUNNEL:
		ot_fmt_tunnel(f, k, klen, m);
		break;
	case OVS_KEY_ATTR_IN_PORT:
		if (exact)
			ot_port(f, ot_h32(k));
		else
			buf_printf(b, "%u/%#x", ot_h32(k), mp ? ot_h32(mp) : 0);
		break;
	case OVS_KEY_ATTR_VLAN:
		fmt_vlan(b, ot_be16(k), mp ? ot_be16(mp) : 0xffff, verbose);
		break;
	case OVS_KEY_ATTR_MPLS:
		fmt_mpls(f, k, klen, m, exact);
		break;
	case OVS_KEY_ATTR_ETHERTYPE:
		ot_hexw(b, ot_be16(k), 4);
		if (!exact) {
			buf_putc(b, '/');
			ot_hexw(b, mp ? ot_be16(mp) : 0, 4);
		}
		break;
	case OVS_KEY_ATTR_TCP_FLAGS:
		if (!exact)
			ot_flags_masked(b, ot_tcp_flag_name, ot_be16(k),
					mp ? ot_be16(mp) & 0x0fff : 0, 0x0fff);
		else
			ot_flags(b, ot_tcp_flag_name, ot_be16(k), '|');
		break;
	case OVS_KEY_ATTR_NSH:
		ot_fmt_nsh(f, k, klen, m);
		break;
	case OVS_KEY_ATTR_IPV6_EXTHDRS:
		buf_printf(b, "%#x", ot_h16(k));
		if (!exact)
			buf_printf(b, "/%#x", mp ? ot_h16(mp) : 0);
		break;
	}
	buf_putc(b, ')');
}

/* --- a stream ------------------------------------------------------------- */

void ot_fmt_key_stream(const struct ofmt *f, const void *key, size_t key_len,
		       const struct mslice *mask)
{
	const struct nlattr *mt[OT_KEY_MAX + 1], *a;
	bool has_mask = mask->p || mask->wild;
	bool has_ethtype = false, has_pt = false, first = true;
	struct buf *b = f->out;
	size_t rem;

	if (!key_len) {
		buf_puts(b, "<empty>");
		return;
	}
	memset(mt, 0, sizeof mt);
	if (mask->p && !mask->wild) {
		NA_FOR_EACH(a, mask->p, mask->len, rem)
			if (na_type(a) <= OT_KEY_MAX && !mt[na_type(a)])
				mt[na_type(a)] = a;
	}
	NA_FOR_EACH(a, key, key_len, rem) {
		uint16_t type = na_type(a);
		const uint8_t *k = na_data(a);
		size_t klen = na_len(a);
		int expect = ot_key_len(type);
		struct mslice m = { NULL, 0, false };
		bool wild = false;

		if (mask->wild) {
			m = ot_mask_child(mask, type, klen);
		} else if (mask->p) {
			const struct nlattr *ma = type <= OT_KEY_MAX ?
				mt[type] : na_find(mask->p, mask->len, type);

			if (ma) {
				m.p = na_data(ma);
				m.len = na_len(ma);
			} else {
				m = ot_mask_child(mask, type, klen);
			}
		}
		if (expect >= 0 && (klen != (size_t)expect ||
				    (m.p && !m.wild && m.len != (size_t)expect))) {
			if (!first)
				buf_putc(b, ',');
			ot_fmt_bad_len(b, ot_key_name(type), k, klen, &m,
				       expect);
			first = false;
			continue;
		}
		if (has_mask)
			wild = ot_mask_wild(type, &m);
		if (type == OVS_KEY_ATTR_ETHERTYPE)
			has_ethtype = true;
		/* A wildcarded packet_type says nothing about the packet. */
		if (type == OVS_KEY_ATTR_PACKET_TYPE && !wild)
			has_pt = true;
		if (ofmt_verbose(f) || !wild || expect == OT_LEN_NESTED) {
			if (!first)
				buf_putc(b, ',');
			ot_fmt_key_attr(f, type, k, klen, &m);
			first = false;
		} else if (type == OVS_KEY_ATTR_ETHERNET && !has_pt) {
			if (!first)
				buf_putc(b, ',');
			buf_puts(b, "eth()");
			first = false;
		}
	}
	if (rem) {
		if (rem == key_len)
			buf_puts(b, "<empty>");
		buf_printf(b, ",***%zu leftover bytes*** (", rem);
		buf_put_hex(b, (const uint8_t *)key + (key_len - rem), rem);
		buf_putc(b, ')');
	}
	if (!has_ethtype && mask->p && !mask->wild) {
		const struct nlattr *ma = mt[OVS_KEY_ATTR_ETHERTYPE];

		if (ma && na_len(ma) >= 2)
			buf_printf(b, ",eth_type(0/0x%04x)",
				   ot_be16(na_data(ma)));
	}
}

void odp_key_to_text(struct buf *out, const void *key, size_t key_len,
		     const void *mask, size_t mask_len, unsigned flags,
		     const struct odp_names *names)
{
	struct ofmt f = { out, flags, names, 0 };
	struct mslice m = { mask_len ? mask : NULL, mask_len, false };

	ot_fmt_key_stream(&f, key, key_len, &m);
}
