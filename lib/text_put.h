/*
 * text_put.h - the small text writers of the direct key printers
 * (odp_text_exact.c, ofp_match_text_exact.c): each writes at p, with no
 * bounds check (the callers reserve MAX_TEXT first), and returns the end.
 */
#ifndef DPKIT_TEXT_PUT_H
#define DPKIT_TEXT_PUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ip6_ntop.h"

#define HTONS(x) ((uint16_t)__builtin_bswap16((uint16_t)(x)))

#define MAX_TEXT 1024           /* the longest text of either printer, with room */

static const char hexd[] = "0123456789abcdef";

static inline char *put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}
#define PUT(p, lit) put_str((p), (lit), sizeof(lit) - 1)

static inline char *put_dec(char *p, uint32_t v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* "0", or "0x" and lowercase hex without leading zeros. */
static inline char *put_hex0(char *p, uint32_t v)
{
	int shift = 28;

	if (!v) {
		*p++ = '0';
		return p;
	}
	*p++ = '0';
	*p++ = 'x';
	while (!(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = hexd[(v >> shift) & 0xf];
	return p;
}

static inline char *put_mac(char *p, const uint8_t m[6])
{
	int i;

	for (i = 0; i < 6; i++) {
		if (i)
			*p++ = ':';
		*p++ = hexd[m[i] >> 4];
		*p++ = hexd[m[i] & 0xf];
	}
	return p;
}

static inline char *put_ipv4(char *p, uint32_t be)
{
	const uint8_t *b = (const uint8_t *)&be;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		p = put_dec(p, b[i]);
	}
	return p;
}

static inline char *put_ipv6(char *p, const uint8_t a[16])
{
	return p + ip6_ntop(a, p);
}

static inline char *put_tcp_flags(char *p, uint16_t flags)
{
	static const char *const names[] = {
		"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", "ns",
		"[200]", "[400]", "[800]",
	};
	bool first = true;
	int i;

	if (!flags) {
		*p++ = '0';
		return p;
	}
	for (i = 0; i < 12; i++) {
		if (!(flags & (1u << i)))
			continue;
		if (!first)
			*p++ = '|';
		first = false;
		p = put_str(p, names[i], strlen(names[i]));
	}
	return p;
}

static inline bool zero(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

#endif /* DPKIT_TEXT_PUT_H */
