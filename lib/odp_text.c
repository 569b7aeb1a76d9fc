/*
 * odp_text.c - the pieces every part of the datapath-flow text module uses:
 * output of numbers, addresses and flag sets; the lexer with its
 * column-naming errors; UFIDs; the keyword tables.
 */
#include "odp_text_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const uint8_t ot_zeros[OT_ZEROS_LEN];

/* --- output ---------------------------------------------------------------- */

void ot_chomp(struct buf *b, char c)
{
	if (b->len && b->data[b->len - 1] == (uint8_t)c)
		b->len--;
}

bool ot_all(const uint8_t *p, size_t n, uint8_t c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != c)
			return false;
	return true;
}

/* Open vSwitch's ds_put_hex(): leading zero bytes skipped, the first one
 * printed without padding after "0x"; all zero is "0". */
void ot_hex_ovs(struct buf *b, const void *p_, size_t n)
{
	const uint8_t *p = p_;
	size_t i = 0;

	while (i < n && !p[i])
		i++;
	if (i == n) {
		buf_putc(b, '0');
		return;
	}
	buf_printf(b, "0x%x", p[i++]);
	buf_put_hex(b, p + i, n - i);
}

void ot_hex_spaced(struct buf *b, const void *p_, size_t n)
{
	const uint8_t *p = p_;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		buf_put_hex(b, p + i, 1);
	}
}

/* Numbers without printf: the formatter runs for every flow of a dump and
 * prints dozens of numbers per flow. */
void ot_dec(struct buf *b, uint64_t v)
{
	char s[24];
	int i = sizeof s;

	do {
		s[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_put(b, s + i, sizeof s - (size_t)i);
}

/* "0x" and hex digits, at least 'width' of them. */
void ot_hexw(struct buf *b, uint64_t v, int width)
{
	static const char hex[] = "0123456789abcdef";
	char s[20];
	int i = sizeof s;

	do {
		s[--i] = hex[v & 15];
		v >>= 4;
		width--;
	} while (v || width > 0);
	s[--i] = 'x';
	s[--i] = '0';
	buf_put(b, s + i, sizeof s - (size_t)i);
}

/* printf's "%#x": 0 is "0". */
void ot_hex(struct buf *b, uint64_t v)
{
	if (v)
		ot_hexw(b, v, 1);
	else
		buf_putc(b, '0');
}

void ot_eth(struct buf *b, const uint8_t *m)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf_reserve(b, 17);
	int i;

	if (!p)
		return;
	for (i = 0; i < 6; i++) {
		p[3 * i] = hex[m[i] >> 4];
		p[3 * i + 1] = hex[m[i] & 15];
		if (i < 5)
			p[3 * i + 2] = ':';
	}
	b->len += 17;
}

void ot_ipv4(struct buf *b, const uint8_t *a)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			buf_putc(b, '.');
		ot_dec(b, a[i]);
	}
}

void ot_ipv6(struct buf *b, const uint8_t *a)
{
	char s[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, a, s, sizeof s))
		buf_puts(b, s);
}

void ot_port(const struct ofmt *f, uint32_t port)
{
	const char *name = NULL;

	if ((f->flags & ODP_FMT_NAMES) && f->names && f->names->port_name)
		name = f->names->port_name(f->names->aux, port);
	if (name)
		buf_puts(f->out, name);
	else
		ot_dec(f->out, port);
}

void ot_flags(struct buf *b, const char *(*name)(uint32_t), uint32_t flags,
	      char delim)
{
	uint32_t bad = 0;

	if (!flags) {
		buf_putc(b, '0');
		return;
	}
	while (flags) {
		uint32_t bit = flags & -flags;
		const char *s = name(bit);

		if (s) {
			buf_puts(b, s);
			buf_putc(b, delim);
		} else {
			bad |= bit;
		}
		flags &= ~bit;
	}
	if (bad)
		buf_printf(b, "0x%x%c", bad, delim);
	ot_chomp(b, delim);
}

void ot_flags_masked(struct buf *b, const char *(*name)(uint32_t),
		     uint32_t flags, uint32_t mask, uint32_t max)
{
	if (mask == max) {
		ot_flags(b, name, flags, '|');
		return;
	}
	if (!mask) {
		buf_puts(b, "0/0");
		return;
	}
	while (mask) {
		uint32_t bit = mask & -mask;
		const char *s = name(bit);

		buf_putc(b, flags & bit ? '+' : '-');
		buf_puts(b, s ? s : "[Unknown]");
		mask &= ~bit;
	}
}

const char *ot_tcp_flag_name(uint32_t bit)
{
	static const char *const names[] = {
		"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
		"[200]", "[400]", "[800]",
	};
	int i = __builtin_ctz(bit);

	return bit && !(bit & (bit - 1)) && i < 12 ? names[i] : NULL;
}

const char *ot_ct_state_name(uint32_t bit)
{
	static const char *const names[] = {
		"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
	};
	int i = __builtin_ctz(bit);

	return bit && !(bit & (bit - 1)) && i < 8 ? names[i] : NULL;
}

/* Bits of Open vSwitch's FLOW_TNL_F_*: the order they print in. */
const char *ot_tun_flag_name(uint32_t bit)
{
	static const char *const names[] = { "oam", "df", "csum", "key" };
	int i = __builtin_ctz(bit);

	return bit && !(bit & (bit - 1)) && i < 4 ? names[i] : NULL;
}

const char *ot_slow_path_name(uint32_t bit)
{
	static const char *const names[] = {
		"cfm", "bfd", "lacp", "stp", "lldp", "action", "match",
	};
	int i = __builtin_ctz(bit);

	return bit && !(bit & (bit - 1)) && i < 7 ? names[i] : NULL;
}

/* --- the lexer -------------------------------------------------------------- */

/* The attribute being parsed, to its closing parenthesis, for messages. */
static void attr_text(const struct olx *lx, char *out, size_t cap)
{
	const char *s = lx->attr, *e = s;
	int depth = 0;
	size_t n;

	while (e < lx->end) {
		if (*e == '(') {
			depth++;
		} else if (*e == ')') {
			if (--depth <= 0) {
				e++;
				break;
			}
		} else if (depth == 0 && (*e == ',' || *e == ' ')) {
			break;
		}
		e++;
	}
	n = (size_t)(e - s);
	if (n > 72)
		snprintf(out, cap, "%.64s...", s);
	else
		snprintf(out, cap, "%.*s", (int)n, s);
}

int olx_fail(struct olx *lx, const char *tok, size_t toklen,
	     const char *fmt, ...)
{
	char msg[256], what[96];
	va_list ap;

	(void)toklen;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (lx->attr && lx->attr < lx->end) {
		attr_text(lx, what, sizeof what);
		return dp_err_set(lx->err, EINVAL, "column %zu: %s: %s",
				  (size_t)(tok - lx->base) + 1, what, msg);
	}
	return dp_err_set(lx->err, EINVAL, "column %zu: %s",
			  (size_t)(tok - lx->base) + 1, msg);
}

size_t olx_toklen(const struct olx *lx, const char *stop)
{
	const char *p = lx->p;

	while (p < lx->end && !strchr(stop, *p))
		p++;
	return (size_t)(p - lx->p);
}

bool olx_eat(struct olx *lx, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(lx->end - lx->p) < n || memcmp(lx->p, lit, n))
		return false;
	lx->p += n;
	return true;
}

bool olx_at(const struct olx *lx, char c)
{
	return lx->p < lx->end && *lx->p == c;
}

bool olx_done(const struct olx *lx)
{
	return lx->p >= lx->end;
}

void olx_skip(struct olx *lx, const char *set)
{
	while (lx->p < lx->end && strchr(set, *lx->p))
		lx->p++;
}

/* A short, printable description of what is at the cursor. */
static int fail_at(struct olx *lx, const char *what)
{
	size_t n = olx_toklen(lx, " \t\r\n)");

	if (olx_done(lx))
		return olx_fail(lx, lx->p, 0, "%s, found the end", what);
	if (!n)
		n = 1;
	return olx_fail(lx, lx->p, n, "%s, found '%.*s'", what,
			(int)(n > 40 ? 40 : n), lx->p);
}

int olx_expect(struct olx *lx, char c)
{
	char what[16];

	if (olx_at(lx, c)) {
		lx->p++;
		return 0;
	}
	snprintf(what, sizeof what, "expected '%c'", c);
	return fail_at(lx, what);
}

size_t olx_word(const struct olx *lx)
{
	const char *p = lx->p;

	while (p < lx->end && (*p == '_' || (*p >= 'a' && *p <= 'z') ||
			       (*p >= 'A' && *p <= 'Z') ||
			       (*p >= '0' && *p <= '9')))
		p++;
	return (size_t)(p - lx->p);
}

/* Characters that end a number or an address token. */
#define NUM_STOP ",)(/|+-:%{}[]= \t\r\n"

int ot_hexdigit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int digit(char c, int base)
{
	int d = ot_hexdigit(c);

	return d < base ? d : -1;
}

/* Parse s[0..n) as scanf's %i would, without sign: 0 = ok, -EINVAL bad
 * digits, -ERANGE above max. */
static int parse_uint(const char *s, size_t n, uint64_t max, uint64_t *v)
{
	int base = 10;
	uint64_t x = 0;
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	if (i >= n)
		return -EINVAL;
	for (; i < n; i++) {
		int d = digit(s[i], base);

		if (d < 0)
			return -EINVAL;
		if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -ERANGE;
		x = x * (uint64_t)base + (uint64_t)d;
	}
	if (x > max)
		return -ERANGE;
	*v = x;
	return 0;
}

int olx_uint(struct olx *lx, uint64_t max, uint64_t *v)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, NUM_STOP);
	int r;

	if (!n)
		return fail_at(lx, "expected a number");
	r = parse_uint(tok, n, max, v);
	if (r == -ERANGE)
		return olx_fail(lx, tok, n, "'%.*s' is out of range (max %llu)",
				(int)n, tok, (unsigned long long)max);
	if (r)
		return olx_fail(lx, tok, n, "bad number '%.*s'", (int)n, tok);
	lx->p += n;
	return 0;
}

static int no_masks(struct olx *lx)
{
	return olx_fail(lx, lx->p, 1, "a mask ('/') is not allowed here");
}

int olx_uint_masked(struct olx *lx, uint64_t max, uint64_t *v,
		    uint64_t *mask)
{
	int r = olx_uint(lx, max, v);

	if (r)
		return r;
	*mask = max;
	if (!olx_at(lx, '/'))
		return 0;
	if (!lx->masks_ok)
		return no_masks(lx);
	lx->p++;
	lx->saw_mask = true;
	return olx_uint(lx, max, mask);
}

/* Digits with an optional fraction.  The value is the integer of all the
 * digits divided by a power of ten, so "9.7" is the same double as 97/10.0
 * (correctly rounded), whatever the locale. */
int olx_double(struct olx *lx, double *v)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, ",)(/%"), i, nd = 0;
	uint64_t x = 0;
	double scale = 1;
	bool dot = false;

	for (i = 0; i < n; i++) {
		if (tok[i] == '.' && !dot) {
			dot = true;
		} else if (tok[i] >= '0' && tok[i] <= '9' && nd < 18) {
			x = x * 10 + (uint64_t)(tok[i] - '0');
			nd++;
			if (dot)
				scale *= 10;
		} else {
			nd = 0;
			break;
		}
	}
	if (!nd)
		return olx_fail(lx, tok, n ? n : 1, "bad number '%.*s'", (int)n,
				tok);
	*v = (double)x / scale;
	lx->p += n;
	return 0;
}

static int bad_addr(struct olx *lx, const char *tok, size_t n,
		    const char *what)
{
	char expect[40];

	if (n)
		return olx_fail(lx, tok, n, "bad %s '%.*s'", what, (int)n, tok);
	snprintf(expect, sizeof expect, "expected an %s", what);
	return fail_at(lx, expect);
}

int olx_ipv4(struct olx *lx, uint8_t *a)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, ",)(/|+-:%{}[]= \t\r\n");
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0, nd = 0;

		while (i < n && tok[i] >= '0' && tok[i] <= '9' && nd < 4) {
			v = v * 10 + (unsigned)(tok[i++] - '0');
			nd++;
		}
		if (!nd || v > 255 || (part < 3 && (i >= n || tok[i++] != '.')))
			goto bad;
		a[part] = (uint8_t)v;
	}
	if (i == n) {
		lx->p += n;
		return 0;
	}
bad:
	return bad_addr(lx, tok, n, "IPv4 address");
}

int olx_ipv6(struct olx *lx, uint8_t *a)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, ",)(/|+-%{}[]= \t\r\n");
	char s[INET6_ADDRSTRLEN + 1];

	if (n && n < sizeof s) {
		memcpy(s, tok, n);
		s[n] = '\0';
		if (inet_pton(AF_INET6, s, a) == 1) {
			lx->p += n;
			return 0;
		}
	}
	return bad_addr(lx, tok, n, "IPv6 address");
}

int olx_eth(struct olx *lx, uint8_t *m)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, ",)(/|+-%{}[]= \t\r\n");
	size_t i = 0;
	int part;

	for (part = 0; part < 6; part++) {
		int d1 = i < n ? digit(tok[i], 16) : -1, d2;

		if (d1 < 0)
			goto bad;
		i++;
		d2 = i < n ? digit(tok[i], 16) : -1;
		if (d2 >= 0) {
			d1 = d1 * 16 + d2;
			i++;
		}
		m[part] = (uint8_t)d1;
		if (part < 5 && (i >= n || tok[i++] != ':'))
			goto bad;
	}
	if (i == n) {
		lx->p += n;
		return 0;
	}
bad:
	return bad_addr(lx, tok, n, "Ethernet address");
}

int olx_addr_masked(struct olx *lx, int kind, uint8_t *k, uint8_t *m)
{
	size_t len = kind == OK_IPV4 ? 4 : kind == OK_IPV6 ? 16 : 6;
	int (*one)(struct olx *, uint8_t *) =
		kind == OK_IPV4 ? olx_ipv4 : kind == OK_IPV6 ? olx_ipv6 :
		olx_eth;
	int r = one(lx, k);

	if (r)
		return r;
	memset(m, 0xff, len);
	if (!olx_at(lx, '/'))
		return 0;
	if (!lx->masks_ok)
		return no_masks(lx);
	lx->p++;
	lx->saw_mask = true;
	return one(lx, m);
}

int olx_bigint(struct olx *lx, uint8_t *out, size_t n)
{
	const char *tok = lx->p;
	size_t len = olx_toklen(lx, NUM_STOP), i, nd = 0;
	uint64_t v;

	memset(out, 0, n);
	if (len > 2 && tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) {
		for (i = 2; i < len && tok[i] == '0'; i++)
			;
		for (size_t j = i; j < len; j++)
			if (digit(tok[j], 16) < 0)
				goto bad;
		nd = len - i;
		if ((nd + 1) / 2 > n)
			return olx_fail(lx, tok, len,
					"'%.*s' is too long (max %zu bytes)",
					(int)len, tok, n);
		for (size_t j = 0; j < nd; j++) {
			int d = digit(tok[len - 1 - j], 16);

			out[n - 1 - j / 2] |= (uint8_t)(j & 1 ? d << 4 : d);
		}
		lx->p += len;
		return 0;
	}
	if (len && parse_uint(tok, len, UINT64_MAX, &v) == 0) {
		for (i = 0; i < n && i < 8; i++)
			out[n - 1 - i] = (uint8_t)(v >> (8 * i));
		if (n < 8 && v >> (8 * n))
			return olx_fail(lx, tok, len, "'%.*s' is out of range",
					(int)len, tok);
		lx->p += len;
		return 0;
	}
bad:
	if (!len)
		return fail_at(lx, "expected a number");
	return olx_fail(lx, tok, len, "bad number '%.*s'", (int)len, tok);
}

int olx_hexbytes(struct olx *lx, uint8_t *out, size_t cap, size_t *n)
{
	const char *tok = lx->p;
	size_t len = olx_toklen(lx, ",)( \t\r\n"), i;

	if (len % 2)
		return olx_fail(lx, tok, len, "odd number of hex digits in '%.*s'",
				(int)len, tok);
	if (len / 2 > cap)
		return olx_fail(lx, tok, len, "more than %zu bytes", cap);
	for (i = 0; i < len; i += 2) {
		int hi = digit(tok[i], 16), lo = digit(tok[i + 1], 16);

		if (hi < 0 || lo < 0)
			return olx_fail(lx, tok, len, "bad hex digits '%.*s'",
					(int)len, tok);
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*n = len / 2;
	lx->p += len;
	return 0;
}

static int flag_by_name(const char *(*name)(uint32_t), const char *s,
			size_t n, uint32_t *bit)
{
	uint32_t b;

	for (b = 1; b; b <<= 1) {
		const char *nm = name(b);

		if (nm && strlen(nm) == n && !memcmp(nm, s, n)) {
			*bit = b;
			return 0;
		}
	}
	return -1;
}

int olx_flags(struct olx *lx, const char *(*name)(uint32_t), uint32_t allowed,
	      char end, char delim, uint32_t *flags, uint32_t *mask)
{
	char stop[8] = { end, '|', '+', '-', delim, '/', 0 };
	uint32_t f = 0, m = 0, bit;
	uint64_t v, vm;
	const char *tok;
	size_t n;

	/* "0x20/0x20": numeric, masked. */
	if (olx_toklen(lx, stop) && lx->p + olx_toklen(lx, stop) < lx->end &&
	    lx->p[olx_toklen(lx, stop)] == '/' &&
	    digit(lx->p[0], 10) >= 0) {
		if (!lx->masks_ok)
			return no_masks(lx);
		tok = lx->p;
		if (olx_uint(lx, UINT32_MAX, &v) || olx_expect(lx, '/') ||
		    olx_uint(lx, UINT32_MAX, &vm))
			return -EINVAL;
		if ((v | vm) & ~(uint64_t)allowed)
			return olx_fail(lx, tok, (size_t)(lx->p - tok),
					"unknown flag bits in '%.*s'",
					(int)(lx->p - tok), tok);
		*flags = (uint32_t)v;
		*mask = (uint32_t)vm;
		lx->saw_mask = true;
		return 0;
	}
	if (olx_at(lx, '+') || olx_at(lx, '-')) {
		if (!lx->masks_ok)
			return olx_fail(lx, lx->p, 1,
					"masked flags ('+'/'-') are not allowed here");
		while (!olx_done(lx) && !olx_at(lx, end)) {
			bool set = *lx->p == '+';

			if (*lx->p != '+' && *lx->p != '-')
				return fail_at(lx, "expected '+' or '-' before a flag");
			lx->p++;
			tok = lx->p;
			n = olx_toklen(lx, stop);
			if (flag_by_name(name, tok, n, &bit) ||
			    !(bit & allowed))
				return olx_fail(lx, tok, n, "unknown flag '%.*s'",
						(int)n, tok);
			if (m & bit)
				return olx_fail(lx, tok, n,
						"flag '%.*s' given twice",
						(int)n, tok);
			m |= bit;
			if (set)
				f |= bit;
			lx->p += n;
		}
		*flags = f;
		*mask = m;
		lx->saw_mask = true;
		return 0;
	}
	while (!olx_done(lx) && !olx_at(lx, end)) {
		tok = lx->p;
		n = olx_toklen(lx, stop);
		if (n && digit(tok[0], 10) >= 0) {
			if (olx_uint(lx, UINT32_MAX, &v))
				return -EINVAL;
			if (v & ~(uint64_t)allowed)
				return olx_fail(lx, tok, n,
						"unknown flag bits in '%.*s'",
						(int)n, tok);
			f |= (uint32_t)v;
		} else {
			if (flag_by_name(name, tok, n, &bit) ||
			    !(bit & allowed)) {
				if (!n)
					return fail_at(lx, "expected a flag");
				return olx_fail(lx, tok, n, "unknown flag '%.*s'",
						(int)n, tok);
			}
			f |= bit;
			lx->p += n;
		}
		if (olx_at(lx, '|') || (delim != '|' && olx_at(lx, delim)))
			lx->p++;
		else if (!olx_done(lx) && !olx_at(lx, end))
			return fail_at(lx, "expected '|' or the end of the flags");
	}
	*flags = f;
	*mask = UINT32_MAX;
	return 0;
}

int olx_port(struct olx *lx, uint32_t *port, const char *stop)
{
	const char *tok = lx->p;
	size_t n = olx_toklen(lx, stop);
	uint64_t v;
	char name[128];

	if (n && digit(tok[0], 10) >= 0) {
		if (olx_uint(lx, UINT32_MAX, &v))
			return -EINVAL;
		*port = (uint32_t)v;
		return 0;
	}
	if (!n)
		return fail_at(lx, "expected a port number or name");
	if (!lx->names || !lx->names->port_number || n >= sizeof name)
		return olx_fail(lx, tok, n, "bad port number '%.*s'", (int)n, tok);
	memcpy(name, tok, n);
	name[n] = '\0';
	if (lx->names->port_number(lx->names->aux, name, port))
		return olx_fail(lx, tok, n, "no such port '%s'", name);
	lx->p += n;
	return 0;
}

