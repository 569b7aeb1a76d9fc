/*
 * ip6_ntop.c - IPv6 addresses as text (see ip6_ntop.h).
 */
#include "ip6_ntop.h"

static const char hexd[] = "0123456789abcdef";

static char *put_dec8(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

size_t ip6_ntop(const uint8_t a[16], char *out)
{
	unsigned w[8];
	int i, best = -1, best_len = 0, cur = -1, cur_len = 0;
	char *p = out;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	/* The first longest run of zero groups, if two or more long. */
	for (i = 0; i < 8; i++) {
		if (!w[i]) {
			if (cur < 0) {
				cur = i;
				cur_len = 0;
			}
			cur_len++;
			if (cur_len > best_len) {
				best = cur;
				best_len = cur_len;
			}
		} else {
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		unsigned v = w[i];
		int shift;

		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			p = put_dec8(p, a[12]);
			*p++ = '.';
			p = put_dec8(p, a[13]);
			*p++ = '.';
			p = put_dec8(p, a[14]);
			*p++ = '.';
			p = put_dec8(p, a[15]);
			return (size_t)(p - out);
		}
		for (shift = 12; shift > 0 && !(v >> shift); shift -= 4)
			;
		for (; shift >= 0; shift -= 4)
			*p++ = hexd[(v >> shift) & 0xf];
	}
	if (best >= 0 && best + best_len == 8)
		*p++ = ':';
	return (size_t)(p - out);
}
