/* dp_csum.c - Internet checksums and CRC32c; see dp_csum.h. */
#include <errno.h>
#include <string.h>

#include "dp_csum.h"

uint32_t dp_csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *b = data;
	uint64_t s = sum;
	uint16_t w;

	while (len >= 8) {
		uint32_t a, c;

		memcpy(&a, b, 4);
		memcpy(&c, b + 4, 4);
		s += (uint64_t)a + c;
		b += 8;
		len -= 8;
	}
	while (len >= 2) {
		memcpy(&w, b, 2);
		s += w;
		b += 2;
		len -= 2;
	}
	if (len) {
		uint8_t last[2] = { b[0], 0 };

		memcpy(&w, last, 2);
		s += w;
	}
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	/* Fold 32 -> 32 keeping the value mod 0xffff. */
	s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

void dp_csum_replace16(void *check, uint16_t from, uint16_t to, int partial)
{
	uint16_t c;
	uint32_t s;

	memcpy(&c, check, 2);
	if (partial) {
		s = (uint32_t)c + (uint16_t)~from + to;
		c = dp_csum_fold(s);
	} else {
		s = (uint32_t)(uint16_t)~c + (uint16_t)~from + to;
		c = (uint16_t)~dp_csum_fold(s);
	}
	memcpy(check, &c, 2);
}

void dp_csum_replace32(void *check, uint32_t from, uint32_t to, int partial)
{
	uint16_t c;
	uint32_t s;

	memcpy(&c, check, 2);
	s = (uint32_t)(uint16_t)~(from >> 16) + (uint16_t)~from +
	    (to >> 16) + (to & 0xffff);
	if (partial) {
		c = dp_csum_fold(s + c);
	} else {
		s += (uint16_t)~c;
		c = (uint16_t)~dp_csum_fold(s);
	}
	memcpy(check, &c, 2);
}

uint32_t dp_csum_pseudo4(const void *ip4hdr, uint8_t proto, uint32_t l4len)
{
	uint8_t tail[4] = { 0, proto, (uint8_t)(l4len >> 8), (uint8_t)l4len };

	return dp_csum_add(dp_csum_add(0, (const uint8_t *)ip4hdr + 12, 8), tail, 4);
}

uint32_t dp_csum_pseudo6(const void *ip6hdr, uint8_t proto, uint32_t l4len)
{
	uint8_t tail[8] = { (uint8_t)(l4len >> 24), (uint8_t)(l4len >> 16),
			    (uint8_t)(l4len >> 8), (uint8_t)l4len, 0, 0, 0, proto };

	return dp_csum_add(dp_csum_add(0, (const uint8_t *)ip6hdr + 8, 32), tail, 8);
}

uint16_t dp_csum_ipv4_hdr(const void *hdr, size_t ihl)
{
	uint8_t h[60];

	if (ihl > sizeof h)
		ihl = sizeof h;
	memcpy(h, hdr, ihl);
	h[10] = h[11] = 0;
	return (uint16_t)~dp_csum_fold(dp_csum_add(0, h, ihl));
}

/* The L4 span [p->l4, end) by the IP header's length; 0 if bad. */
static uint32_t l4_len(const struct dp_packet *p, int ipv)
{
	const uint8_t *ip = dp_packet_at(p, p->l3, ipv == 4 ? 20 : 40);
	uint32_t end;

	if (!ip || p->l4 == DP_OFS_NONE || p->l4 < p->l3)
		return 0;
	if (ipv == 4)
		end = p->l3 + ((uint32_t)ip[2] << 8 | ip[3]);
	else
		end = p->l3 + 40u + ((uint32_t)ip[4] << 8 | ip[5]);
	if (end > p->len || end < p->l4)
		end = p->len;
	return end - p->l4;
}

int dp_csum_l4(const struct dp_packet *p, int ipv, uint8_t proto)
{
	uint32_t len = l4_len(p, ipv), s;
	const uint8_t *l4;
	unsigned cofs;
	uint8_t zero[2] = { 0, 0 };
	uint16_t c;

	switch (proto) {
	case 6: cofs = 16; break;
	case 17: cofs = 6; break;
	case 1: case 58: cofs = 2; break;
	default: return -1;
	}
	if (len < cofs + 2)
		return -1;
	l4 = p->data + p->l4;
	if (proto == 1)
		s = 0;
	else if (ipv == 4)
		s = dp_csum_pseudo4(p->data + p->l3, proto, len);
	else
		s = dp_csum_pseudo6(p->data + p->l3, proto, len);
	s = dp_csum_add(s, l4, cofs);
	s = dp_csum_add(s, zero, 2);
	s = dp_csum_add(s, l4 + cofs + 2, len - cofs - 2);
	c = (uint16_t)~dp_csum_fold(s);
	if (proto == 17 && c == 0)
		c = 0xffff;
	return c;
}

int64_t dp_csum_sctp(const struct dp_packet *p)
{
	int ipv = p->l3 != DP_OFS_NONE && p->l3 < p->len &&
		  (p->data[p->l3] >> 4) == 6 ? 6 : 4;
	uint32_t len = l4_len(p, ipv), crc = 0xffffffffu, i;
	const uint8_t *b;

	if (len < 12)
		return -1;
	b = p->data + p->l4;
	for (i = 0; i < len; i++) {
		int k;

		crc ^= (i >= 8 && i < 12) ? 0 : b[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return (int64_t)(uint32_t)~crc;
}

int dp_csum_complete(struct dp_packet *p)
{
	uint32_t start = p->csum_start, at = start + p->csum_offset;
	uint16_t c;

	if (!(p->ol_flags & DP_OL_CSUM_PARTIAL))
		return 0;
	if (start > p->len || at + 2 > p->len)
		return -EINVAL;
	c = (uint16_t)~dp_csum_fold(dp_csum_add(0, p->data + start, p->len - start));
	if (c == 0 && p->csum_offset == 6)
		c = 0xffff;     /* UDP */
	memcpy(p->data + at, &c, 2);
	p->ol_flags &= (uint8_t)~DP_OL_CSUM_PARTIAL;
	p->ol_flags |= DP_OL_CSUM_VALID;
	return 0;
}
