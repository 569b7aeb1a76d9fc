/*
 * ofp_parse.c - tokenizer, scanners and port names for ovs-ofctl syntax.
 */
#include "ofp_parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "ofp_match.h"

void ofp_scan_init(struct ofp_scan *sc, const char *s, size_t len, size_t col0)
{
	sc->s = s;
	sc->len = len;
	sc->pos = 0;
	sc->col0 = col0 ? col0 : 1;
}

static bool is_one_of(char c, const char *set)
{
	return c && strchr(set, c);
}

/* Length of a value starting at s[0..n), ending at an unbalanced
 * delimiter from 'delims'. */
static size_t value_len(const char *s, size_t n, const char *delims)
{
	size_t i = 0;

	while (i < n && !is_one_of(s[i], delims)) {
		if (s[i] == '(') {
			int level = 0;

			do {
				if (s[i] == '(')
					level++;
				else if (s[i] == ')')
					level--;
				i++;
			} while (i < n && level > 0);
		} else {
			i++;
		}
	}
	return i;
}

bool ofp_scan_next(struct ofp_scan *sc, struct ofp_kv *kv)
{
	const char *s = sc->s;
	size_t n = sc->len, p = sc->pos, k0, vl;
	char d;

	while (p < n && is_one_of(s[p], ", \t\r\n"))
		p++;
	if (p >= n) {
		sc->pos = n;
		return false;
	}
	k0 = p;
	while (p < n && !is_one_of(s[p], ":=(, \t\r\n"))
		p++;
	kv->key = s + k0;
	kv->klen = p - k0;
	kv->col = sc->col0 + k0;
	d = p < n ? s[p] : 0;
	if (d != ':' && d != '=' && d != '(') {
		kv->delim = 0;
		kv->val = s + p;
		kv->vlen = 0;
		kv->tlen = kv->klen;
		sc->pos = p;
		return true;
	}
	p++;
	kv->delim = d;
	kv->val = s + p;
	if (d == '(') {
		vl = value_len(s + p, n - p, ")");
		/* "(x)->y": the value goes on after the closing parenthesis. */
		if (p + vl + 2 < n && s[p + vl] == ')' && s[p + vl + 1] == '-' &&
		    s[p + vl + 2] == '>')
			vl += value_len(s + p + vl, n - p - vl, ", \t\r\n");
	} else {
		vl = value_len(s + p, n - p, ", \t\r\n");
	}
	kv->vlen = vl;
	p += vl;
	kv->tlen = p - k0;
	if (p < n) {
		if (d == '(' && s[p] == ')')
			kv->tlen++;
		p++;            /* the delimiter that ended the value */
	}
	sc->pos = p;
	return true;
}

int ofp_kv_err(struct dp_err *err, const struct ofp_kv *kv, const char *fmt,
	       ...)
{
	char msg[DP_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return dp_err_set(err, EINVAL, "column %zu: %.*s: %s", kv->col,
			  (int)kv->tlen, kv->key, msg);
}

bool ofp_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncasecmp(s, word, len);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ofp_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t x = 0;
	unsigned base = 10;
	size_t i = 0;

	if (!len)
		return -EINVAL;
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < len; i++) {
		int d = hexval(s[i]);

		if (d < 0 || (unsigned)d >= base)
			return -EINVAL;
		if (x > (UINT64_MAX - (unsigned)d) / base)
			return -ERANGE;
		x = x * base + (unsigned)d;
	}
	if (x > max)
		return -ERANGE;
	*out = x;
	return 0;
}

int ofp_parse_be128(const char *s, size_t len, uint8_t be[16])
{
	memset(be, 0, 16);
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		size_t i, nd = len - 2;
		unsigned bit = 0;

		while (nd > 1 && s[len - nd] == '0')
			nd--;   /* leading zeros do not count against the width */
		if (nd > 32)
			return -ERANGE;
		for (i = len; i > len - nd; i--, bit += 4) {
			int d = hexval(s[i - 1]);

			if (d < 0)
				return -EINVAL;
			be[15 - bit / 8] |= (uint8_t)(d << (bit % 8));
		}
		return 0;
	} else {
		uint64_t x;
		int i, r = ofp_parse_u64(s, len, UINT64_MAX, &x);

		if (r)
			return r;
		for (i = 15; i >= 8; i--, x >>= 8)
			be[i] = (uint8_t)x;
		return 0;
	}
}

int ofp_parse_mac(const char *s, size_t len, uint8_t mac[6])
{
	size_t p = 0;
	int i;

	for (i = 0; i < 6; i++) {
		int hi, lo;

		if (i && (p >= len || s[p++] != ':'))
			return -EINVAL;
		if (p + 2 > len)
			return -EINVAL;
		hi = hexval(s[p]);
		lo = hexval(s[p + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		p += 2;
	}
	return p == len ? 0 : -EINVAL;
}

int ofp_parse_ipv4(const char *s, size_t len, uint32_t *be)
{
	char tmp[INET_ADDRSTRLEN];
	struct in_addr a;

	if (!len || len >= sizeof tmp)
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, &a) != 1)
		return -EINVAL;
	*be = a.s_addr;
	return 0;
}

int ofp_parse_ipv6(const char *s, size_t len, uint8_t addr[16])
{
	char tmp[INET6_ADDRSTRLEN];

	if (!len || len >= sizeof tmp)
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return inet_pton(AF_INET6, tmp, addr) == 1 ? 0 : -EINVAL;
}

int ofp_parse_hex_bytes(const char *s, size_t len, struct buf *out)
{
	size_t p = 0;

	while (p < len) {
		int hi, lo;

		if (s[p] == '.') {
			p++;
			continue;
		}
		if (p + 2 > len)
			return -EINVAL;
		hi = hexval(s[p]);
		lo = hexval(s[p + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		buf_putc(out, (char)(hi << 4 | lo));
		p += 2;
	}
	return 0;
}

void ofp_put_dec(struct buf *out, uint64_t v)
{
	char tmp[24];
	size_t n = sizeof tmp;

	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_put(out, tmp + n, sizeof tmp - n);
}

void ofp_put_hex(struct buf *out, uint64_t v, unsigned min_digits)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[16];
	size_t n = sizeof tmp;

	do {
		tmp[--n] = digits[v & 15];
		v >>= 4;
	} while (v || sizeof tmp - n < min_digits);
	buf_put(out, tmp + n, sizeof tmp - n);
}

void ofp_put_0x(struct buf *out, uint64_t v)
{
	if (v)
		buf_put(out, "0x", 2);
	ofp_put_hex(out, v, 1);
}

void ofp_format_mac(struct buf *out, const uint8_t m[6])
{
	static const char digits[] = "0123456789abcdef";
	char tmp[17];
	int i;

	for (i = 0; i < 6; i++) {
		tmp[i * 3] = digits[m[i] >> 4];
		tmp[i * 3 + 1] = digits[m[i] & 15];
		if (i < 5)
			tmp[i * 3 + 2] = ':';
	}
	buf_put(out, tmp, sizeof tmp);
}

void ofp_format_ipv4(struct buf *out, uint32_t be)
{
	const uint8_t *b = (const uint8_t *)&be;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			buf_putc(out, '.');
		ofp_put_dec(out, b[i]);
	}
}

void ofp_format_ipv6(struct buf *out, const uint8_t addr[16])
{
	char tmp[INET6_ADDRSTRLEN];

	if (inet_ntop(AF_INET6, addr, tmp, sizeof tmp))
		buf_puts(out, tmp);
}

void ofp_format_hexnum(struct buf *out, const uint8_t *be, size_t n)
{
	bool printed = false;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!be[i] && !printed)
			continue;
		buf_printf(out, printed ? "%02x" : "0x%x", be[i]);
		printed = true;
	}
	if (!printed)
		buf_putc(out, '0');
}

int ofp_cidr_bits(const uint8_t *mask, size_t n)
{
	size_t i;
	int bits = 0;

	for (i = 0; i < n && mask[i] == 0xff; i++)
		bits += 8;
	if (i < n) {
		uint8_t b = mask[i];

		while (b & 0x80) {
			bits++;
			b = (uint8_t)(b << 1);
		}
		if (b)
			return -1;
		for (i++; i < n; i++)
			if (mask[i])
				return -1;
	}
	return bits;
}

static const struct {
	const char *name;
	uint16_t port;
} named_ports[] = {
	{ "IN_PORT", OFPP_IN_PORT },
	{ "TABLE", OFPP_TABLE },
	{ "NORMAL", OFPP_NORMAL },
	{ "FLOOD", OFPP_FLOOD },
	{ "ALL", OFPP_ALL },
	{ "CONTROLLER", OFPP_CONTROLLER },
	{ "LOCAL", OFPP_LOCAL },
	{ "ANY", OFPP_NONE },
	{ "NONE", OFPP_NONE },
};

int ofp_port_parse(const char *s, size_t len, const struct ofp_names *names,
		   uint16_t *port)
{
	uint64_t x;
	size_t i;

	for (i = 0; i < sizeof named_ports / sizeof named_ports[0]; i++) {
		if (ofp_word_is(s, len, named_ports[i].name)) {
			*port = named_ports[i].port;
			return 0;
		}
	}
	/* Decimal only, as ovs-ofctl: "0xfffe" is not a port. */
	if (len && s[0] >= '0' && s[0] <= '9') {
		for (i = 0; i < len; i++)
			if (s[i] < '0' || s[i] > '9')
				return -EINVAL;
		if (len > 10 || ofp_parse_u64(s, len, UINT32_MAX, &x) ||
		    (len > 1 && s[0] == '0'))
			return -EINVAL;
		if (x <= 0xffff) {
			*port = (uint16_t)x;
			return 0;
		}
		/* OpenFlow 1.1+ reserved numbers map onto the 1.0 ones. */
		if (x >= 0xffffff00u) {
			*port = (uint16_t)(x - 0xffff0000u);
			return 0;
		}
		return -ERANGE;
	}
	if (names && names->port_number &&
	    names->port_number(names->aux, s, len, port) == 0)
		return 0;
	return -ENOENT;
}

void ofp_port_format(struct buf *out, uint16_t port,
		     const struct ofp_names *names)
{
	size_t i;

	for (i = 0; i < sizeof named_ports / sizeof named_ports[0]; i++) {
		if (named_ports[i].port == port) {
			buf_puts(out, named_ports[i].name);
			return;
		}
	}
	if (names && names->port_name) {
		const char *n = names->port_name(names->aux, port);

		if (n) {
			buf_puts(out, n);
			return;
		}
	}
	buf_printf(out, "%u", port);
}
