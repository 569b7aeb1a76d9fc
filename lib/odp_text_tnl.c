/*
 * odp_text_tnl.c - tnl_push(...): the userspace datapath's "push this
 * tunnel header" action, as Open vSwitch's netdev datapath prints it:
 *
 *   tnl_push(tnl_port(6),header(size=50,type=4,
 *     eth(dst=f8:bc:12:44:34:b6,src=f8:bc:12:46:58:e0,dl_type=0x0800),
 *     ipv4(src=1.1.2.88,dst=1.1.2.92,proto=17,tos=0,ttl=64,frag=0x4000),
 *     udp(src=0,dst=4789,csum=0x0),vxlan(flags=0x8000000,vni=0x1c7)),
 *     out_port(1))
 *
 * The payload is struct odp_tnl_push: ports, the header length, Open
 * vSwitch's vport type number (3 gre, 4 vxlan, 5 geneve, 107 erspan,
 * 108 ip6erspan, 109 ip6gre, 110 gtpu) and the header bytes.  Reading a
 * header checks that size= and type= agree with what the text describes.
 */
#include "odp_text_int.h"

#include <errno.h>
#include <string.h>

enum { T_GRE = 3, T_VXLAN = 4, T_GENEVE = 5, T_ERSPAN = 107,
       T_IP6ERSPAN = 108, T_IP6GRE = 109, T_GTPU = 110 };
#define GRE_CSUM 0x8000
#define GRE_KEY  0x2000
#define GRE_SEQ  0x1000

static void fmt_geneve_opts(const struct ofmt *f, const uint8_t *o, size_t len)
{
	struct buf *b = f->out;

	while (len >= 4) {
		size_t dlen = (size_t)(o[3] & 0x1f) * 4;

		if (4 + dlen > len)
			break;
		buf_printf(b, "{class=%#x,type=%#x,len=%zu", ot_be16(o), o[2],
			   dlen);
		if (dlen) {
			buf_putc(b, ',');
			ot_hex_ovs(b, o + 4, dlen);
		}
		buf_putc(b, '}');
		o += 4 + dlen;
		len -= 4 + dlen;
	}
}

static void fmt_udp(struct buf *b, const uint8_t *u)
{
	buf_printf(b, "udp(src=%u,dst=%u,csum=0x%x),", ot_be16(u),
		   ot_be16(u + 2), ot_be16(u + 6));
}

/* Everything after the IP header; 'l4' has 'rem' bytes. */
static void fmt_l4(const struct ofmt *f, uint32_t type, const uint8_t *l4,
		   size_t rem)
{
	struct buf *b = f->out;
	const uint8_t *h = l4 + 8;

	switch (type) {
	case T_VXLAN:
		if (rem < 16)
			break;
		fmt_udp(b, l4);
		buf_printf(b, "vxlan(flags=0x%x,vni=0x%x)", ot_be32(h),
			   ot_be32(h + 4) >> 8);
		return;
	case T_GENEVE:
		if (rem < 16 || rem < 16 + (size_t)(h[0] & 0x3f) * 4)
			break;
		fmt_udp(b, l4);
		buf_printf(b, "geneve(%s%svni=0x%x", h[1] & 0x80 ? "oam," : "",
			   h[1] & 0x40 ? "crit," : "", ot_be32(h + 4) >> 8);
		if (h[0] & 0x3f) {
			buf_puts(b, ",options(");
			fmt_geneve_opts(f, h + 8, (size_t)(h[0] & 0x3f) * 4);
			buf_putc(b, ')');
		}
		buf_putc(b, ')');
		return;
	case T_GTPU:
		if (rem < 16)
			break;
		fmt_udp(b, l4);
		buf_printf(b, "gtpu(flags=0x%x,msgtype=%u,teid=0x%x)", h[0], h[1],
			   ot_be32(h + 4));
		return;
	case T_GRE:
	case T_IP6GRE: {
		uint16_t fl;
		size_t o = 4;

		if (rem < 4)
			break;
		fl = ot_be16(l4);
		if (rem < 4 + 4 * (size_t)(!!(fl & GRE_CSUM) + !!(fl & GRE_KEY) +
					   !!(fl & GRE_SEQ)))
			break;
		buf_printf(b, "gre((flags=0x%x,proto=0x%x)", fl, ot_be16(l4 + 2));
		if (fl & GRE_CSUM) {
			buf_printf(b, ",csum=0x%x", ot_be16(l4 + o));
			o += 4;
		}
		if (fl & GRE_KEY) {
			buf_printf(b, ",key=0x%x", ot_be32(l4 + o));
			o += 4;
		}
		if (fl & GRE_SEQ)
			buf_printf(b, ",seq=0x%x", ot_be32(l4 + o));
		buf_putc(b, ')');
		return;
	}
	case T_ERSPAN:
	case T_IP6ERSPAN: {
		const uint8_t *e = l4 + 8;
		unsigned sid;

		if (rem < 16)
			break;
		sid = (unsigned)(e[2] & 3) << 8 | e[3];
		if (e[0] >> 4 == 1 && rem >= 16) {
			buf_printf(b, "erspan(ver=1,sid=0x%x,idx=0x%x)", sid,
				   ot_be32(e + 4));
		} else if (e[0] >> 4 == 2 && rem >= 20) {
			buf_printf(b, "erspan(ver=2,sid=0x%x,dir=%u,hwid=0x%x)",
				   sid, (e[11] >> 3) & 1,
				   (unsigned)(e[10] & 3) << 4 | e[11] >> 4);
		}
		return;
	}
	default:
		return;
	}
	buf_puts(b, "(truncated)");
}

void ot_fmt_tnl_push(const struct ofmt *f, const uint8_t *p, size_t len)
{
	struct buf *b = f->out;
	uint32_t hlen, type;
	const uint8_t *h = p + ODP_TNL_PUSH_FIXED, *l4;
	size_t iplen;

	if (len < ODP_TNL_PUSH_FIXED + 14 ||
	    (hlen = ot_h32(p + 8)) > len - ODP_TNL_PUSH_FIXED || hlen < 14) {
		buf_puts(b, "tnl_push(bad length: ");
		ot_hex_spaced(b, p, len);
		buf_putc(b, ')');
		return;
	}
	type = ot_h32(p + 12);
	buf_puts(b, "tnl_push(tnl_port(");
	ot_port(f, ot_h32(p));
	buf_printf(b, "),header(size=%u,type=%u,eth(dst=", hlen, type);
	ot_eth(b, h);
	buf_puts(b, ",src=");
	ot_eth(b, h + 6);
	buf_printf(b, ",dl_type=0x%04x),", ot_be16(h + 12));
	if (ot_be16(h + 12) == 0x0800) {
		const uint8_t *ip = h + 14;

		iplen = 20;
		if (hlen < 14 + iplen)
			goto trunc;
		buf_puts(b, "ipv4(src=");
		ot_ipv4(b, ip + 12);
		buf_puts(b, ",dst=");
		ot_ipv4(b, ip + 16);
		buf_printf(b, ",proto=%u,tos=%#x,ttl=%u,frag=0x%x),", ip[9], ip[1],
			   ip[8], ot_be16(ip + 6));
	} else {
		const uint8_t *ip = h + 14;
		uint32_t flow;

		iplen = 40;
		if (hlen < 14 + iplen)
			goto trunc;
		flow = ot_be32(ip);
		buf_puts(b, "ipv6(src=");
		ot_ipv6(b, ip + 8);
		buf_puts(b, ",dst=");
		ot_ipv6(b, ip + 24);
		buf_printf(b, ",label=%u,proto=%u,tclass=0x%x,hlimit=%u),",
			   flow & 0xfffff, ip[6], (flow >> 20) & 0xff, ip[7]);
	}
	l4 = h + 14 + iplen;
	fmt_l4(f, type, l4, hlen - 14 - iplen);
	goto out;
trunc:
	buf_puts(b, "(truncated)");
out:
	buf_puts(b, "),out_port(");
	ot_port(f, ot_h32(p + 4));
	buf_puts(b, "))");
}

/* --- parsing ---------------------------------------------------------------- */

static int num(struct olx *lx, const char *lit, uint64_t max, uint64_t *v)
{
	if (!olx_eat(lx, lit))
		return olx_fail(lx, lx->p, 1, "expected '%s'", lit);
	return olx_uint(lx, max, v);
}

static int hex(struct olx *lx, const char *lit, uint64_t max, uint64_t *v)
{
	if (!olx_eat(lx, lit))
		return olx_fail(lx, lx->p, 1, "expected '%s'", lit);
	return ot_hex_u64(lx, max, v);
}

static int lit(struct olx *lx, const char *s)
{
	return olx_eat(lx, s) ? 0 :
	       olx_fail(lx, lx->p, 1, "expected '%s'", s);
}

static int parse_udp(struct olx *lx, uint8_t *u)
{
	uint64_t s, d, c;

	if (num(lx, "udp(src=", 0xffff, &s) || num(lx, ",dst=", 0xffff, &d) ||
	    hex(lx, ",csum=", 0xffff, &c) || lit(lx, "),"))
		return -EINVAL;
	memset(u, 0, 8);
	ot_put_be16(u, (uint16_t)s);
	ot_put_be16(u + 2, (uint16_t)d);
	ot_put_be16(u + 6, (uint16_t)c);
	return 0;
}

static int parse_geneve_opts(struct olx *lx, uint8_t *o, size_t cap,
			     size_t *len)
{
	*len = 0;
	while (olx_eat(lx, "{")) {
		uint64_t c = 0, t = 0, l = 0;

		if (*len + 4 > cap ||
		    num(lx, "class=", 0xffff, &c) || num(lx, ",type=", 0xff, &t) ||
		    num(lx, ",len=", 124, &l))
			return -EINVAL;
		if (l % 4 || *len + 4 + l > cap)
			return olx_fail(lx, lx->p, 1, "bad geneve option length");
		ot_put_be16(o + *len, (uint16_t)c);
		o[*len + 2] = (uint8_t)t;
		o[*len + 3] = (uint8_t)(l / 4);
		if (l && (lit(lx, ",") || olx_bigint(lx, o + *len + 4, l)))
			return -EINVAL;
		if (lit(lx, "}"))
			return -EINVAL;
		*len += 4 + l;
	}
	return 0;
}

static int parse_l4(struct olx *lx, uint8_t *l4, size_t cap, bool v6,
		    size_t *len, uint32_t *type)
{
	uint64_t a, c, d, e;

	memset(l4, 0, cap);
	if (olx_at(lx, 'u')) {
		if (parse_udp(lx, l4))
			return -EINVAL;
		if (olx_eat(lx, "vxlan(")) {
			if (hex(lx, "flags=", UINT32_MAX, &a) ||
			    hex(lx, ",vni=", 0xffffff, &c) || lit(lx, ")"))
				return -EINVAL;
			ot_put_be32(l4 + 8, (uint32_t)a);
			ot_put_be32(l4 + 12, (uint32_t)c << 8);
			*len = 16;
			*type = T_VXLAN;
		} else if (olx_eat(lx, "geneve(")) {
			size_t ol = 0;

			if (olx_eat(lx, "oam,"))
				l4[9] |= 0x80;
			if (olx_eat(lx, "crit,"))
				l4[9] |= 0x40;
			if (num(lx, "vni=", 0xffffff, &c))
				return -EINVAL;
			if (olx_eat(lx, ",options(") &&
			    (parse_geneve_opts(lx, l4 + 16, cap - 16, &ol) ||
			     lit(lx, ")")))
				return -EINVAL;
			if (lit(lx, ")"))
				return -EINVAL;
			l4[8] = (uint8_t)(ol / 4);
			ot_put_be16(l4 + 10, 0x6558);
			ot_put_be32(l4 + 12, (uint32_t)c << 8);
			*len = 16 + ol;
			*type = T_GENEVE;
		} else if (olx_eat(lx, "gtpu(")) {
			if (hex(lx, "flags=", 0xff, &a) ||
			    num(lx, ",msgtype=", 0xff, &c) ||
			    hex(lx, ",teid=", UINT32_MAX, &d) || lit(lx, ")"))
				return -EINVAL;
			l4[8] = (uint8_t)a;
			l4[9] = (uint8_t)c;
			ot_put_be32(l4 + 12, (uint32_t)d);
			*len = 16;
			*type = T_GTPU;
		} else {
			return olx_fail(lx, lx->p, 1,
					"expected vxlan(, geneve( or gtpu(");
		}
		return 0;
	}
	if (olx_eat(lx, "gre(")) {
		size_t o = 4;

		if (hex(lx, "(flags=", 0xffff, &a) || hex(lx, ",proto=", 0xffff, &c) ||
		    lit(lx, ")"))
			return -EINVAL;
		ot_put_be16(l4, (uint16_t)a);
		ot_put_be16(l4 + 2, (uint16_t)c);
		if (a & GRE_CSUM) {
			if (hex(lx, ",csum=", 0xffff, &d))
				return -EINVAL;
			ot_put_be16(l4 + o, (uint16_t)d);
			o += 4;
		}
		if (a & GRE_KEY) {
			if (hex(lx, ",key=", UINT32_MAX, &d))
				return -EINVAL;
			ot_put_be32(l4 + o, (uint32_t)d);
			o += 4;
		}
		if (a & GRE_SEQ) {
			if (hex(lx, ",seq=", UINT32_MAX, &d))
				return -EINVAL;
			ot_put_be32(l4 + o, (uint32_t)d);
			o += 4;
		}
		if (lit(lx, ")"))
			return -EINVAL;
		*len = o;
		*type = v6 ? T_IP6GRE : T_GRE;
		return 0;
	}
	if (olx_eat(lx, "erspan(ver=")) {
		if (olx_uint(lx, 2, &a) || a == 0 || hex(lx, ",sid=", 0x3ff, &c))
			return -EINVAL;
		ot_put_be16(l4, GRE_SEQ);
		ot_put_be16(l4 + 2, a == 1 ? 0x88be : 0x22eb);
		l4[8] = (uint8_t)(a << 4);
		l4[10] = (uint8_t)((c >> 8) & 3);
		l4[11] = (uint8_t)c;
		if (a == 1) {
			if (hex(lx, ",idx=", UINT32_MAX, &d))
				return -EINVAL;
			ot_put_be32(l4 + 12, (uint32_t)d);
			*len = 16;
		} else {
			if (num(lx, ",dir=", 1, &d) || hex(lx, ",hwid=", 0x3f, &e))
				return -EINVAL;
			l4[18] = (uint8_t)((e >> 4) & 3);
			l4[19] = (uint8_t)((e & 0xf) << 4 | d << 3);
			*len = 20;
		}
		if (lit(lx, ")"))
			return -EINVAL;
		*type = v6 ? T_IP6ERSPAN : T_ERSPAN;
		return 0;
	}
	return olx_fail(lx, lx->p, 1, "expected udp(, gre( or erspan(");
}

/* After "tnl_push(". */
int ot_parse_tnl_push(struct olx *lx, struct buf *acts)
{
	struct odp_tnl_push t;
	uint64_t size, type, v, a, c, d, e;
	uint8_t *h = t.header;
	const char *sz;
	size_t iplen, l4len = 0;
	uint32_t ltype = 0;
	bool v6;

	memset(&t, 0, sizeof t);
	if (lit(lx, "tnl_port(") || olx_port(lx, &t.tnl_port, ")") ||
	    lit(lx, "),header(size="))
		return -EINVAL;
	sz = lx->p;
	if (olx_uint(lx, sizeof t.header, &size) ||
	    num(lx, ",type=", UINT32_MAX, &type) || lit(lx, ",eth(dst=") ||
	    olx_eth(lx, h) || lit(lx, ",src=") || olx_eth(lx, h + 6) ||
	    hex(lx, ",dl_type=", 0xffff, &v) || lit(lx, "),"))
		return -EINVAL;
	ot_put_be16(h + 12, (uint16_t)v);
	v6 = v != 0x0800;
	if (!v6) {
		uint8_t *ip = h + 14;

		iplen = 20;
		if (lit(lx, "ipv4(src=") || olx_ipv4(lx, ip + 12) ||
		    lit(lx, ",dst=") || olx_ipv4(lx, ip + 16) ||
		    num(lx, ",proto=", 0xff, &a) || num(lx, ",tos=", 0xff, &c) ||
		    num(lx, ",ttl=", 0xff, &d) || hex(lx, ",frag=", 0xffff, &e) ||
		    lit(lx, "),"))
			return -EINVAL;
		ip[0] = 0x45;
		ip[1] = (uint8_t)c;
		ot_put_be16(ip + 6, (uint16_t)e);
		ip[8] = (uint8_t)d;
		ip[9] = (uint8_t)a;
	} else {
		uint8_t *ip = h + 14;

		iplen = 40;
		if (lit(lx, "ipv6(src=") || olx_ipv6(lx, ip + 8) ||
		    lit(lx, ",dst=") || olx_ipv6(lx, ip + 24) ||
		    num(lx, ",label=", 0xfffff, &a) ||
		    num(lx, ",proto=", 0xff, &c) || hex(lx, ",tclass=", 0xff, &d) ||
		    num(lx, ",hlimit=", 0xff, &e) || lit(lx, "),"))
			return -EINVAL;
		ot_put_be32(ip, (uint32_t)(6u << 28 | d << 20 | a));
		ip[6] = (uint8_t)c;
		ip[7] = (uint8_t)e;
	}
	if (parse_l4(lx, h + 14 + iplen, sizeof t.header - 14 - iplen, v6,
		     &l4len, &ltype) || lit(lx, "),out_port(") ||
	    olx_port(lx, &t.out_port, ")") || lit(lx, "))"))
		return -EINVAL;
	if (size != 14 + iplen + l4len || type != ltype)
		return olx_fail(lx, sz, 1, "header size=%llu,type=%llu does not "
				"match the header described (size=%zu,type=%u)",
				(unsigned long long)size,
				(unsigned long long)type, 14 + iplen + l4len,
				ltype);
	t.header_len = (uint32_t)size;
	t.tnl_type = (uint32_t)type;
	na_put(acts, ODP_ACTION_ATTR_TUNNEL_PUSH, &t,
	       ODP_TNL_PUSH_FIXED + t.header_len);
	return 0;
}
