/*
 * pktgen.h - hand-built frames for the unit tests, and checksums computed
 * from scratch the slow, obvious way (byte pairs, no incremental tricks),
 * to check the datapath's incremental updates against.
 */
#ifndef DPKIT_TEST_PKTGEN_H
#define DPKIT_TEST_PKTGEN_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Sum of big-endian 16-bit words, folded, complemented. */
static inline uint16_t ref_csum(const uint8_t *b, size_t n, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static inline uint16_t rd16be(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline void wr16be(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/* IPv4 header checksum of hdr (ihl from the header) is right? */
static inline int ref_ipv4_ok(const uint8_t *ip)
{
	return ref_csum(ip, (ip[0] & 15) * 4u, 0) == 0;
}

/* The L4 checksum the segment at l4 (len bytes) should carry, over an
 * IPv4 (v6 = 0) or IPv6 header at ip; the field counts as zero. */
static inline uint16_t ref_l4_csum(const uint8_t *ip, int v6, uint8_t proto,
				   const uint8_t *l4, size_t len, size_t cofs)
{
	uint8_t buf[16384];          /* segments up to 16 KiB */
	uint32_t sum = 0;
	size_t i;

	if (proto != 1) {
		const uint8_t *a = ip + (v6 ? 8 : 12);
		size_t alen = v6 ? 32 : 8;

		for (i = 0; i < alen; i += 2)
			sum += (uint32_t)(a[i] << 8 | a[i + 1]);
		sum += proto + (uint32_t)len;
	}
	memcpy(buf, l4, len);
	buf[cofs] = buf[cofs + 1] = 0;
	return ref_csum(buf, len, sum);
}

/* Frame builders: 'f' gets Ethernet + IP + L4 + payload; checksums right.
 * Return the frame length.  Offsets: IP at 14, L4 at 34 (v4) / 54 (v6). */
static inline size_t build_ipv4(uint8_t *f, uint8_t proto, const char *src,
				const char *dst, uint16_t sport, uint16_t dport,
				size_t payload)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	size_t l4len = (proto == 6 ? 20 : proto == 132 ? 12 : 8) + payload;
	uint8_t *ip = f + 14, *l4 = ip + 20;
	unsigned a[4], b[4];
	size_t i;

	memset(f, 0, 14 + 20 + l4len);
	memcpy(f, mac, 12);
	wr16be(f + 12, 0x0800);
	ip[0] = 0x45;
	ip[1] = 0x10;
	wr16be(ip + 2, (uint16_t)(20 + l4len));
	wr16be(ip + 4, 0x1234);
	ip[8] = 64;
	ip[9] = proto;
	sscanf(src, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]);
	sscanf(dst, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
	for (i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)a[i];
		ip[16 + i] = (uint8_t)b[i];
	}
	wr16be(ip + 10, ref_csum(ip, 20, 0));
	for (i = 0; i < payload; i++)
		l4[l4len - payload + i] = (uint8_t)(i * 7 + 1);
	if (proto == 1) {
		l4[0] = 8;
		wr16be(l4 + 2, ref_l4_csum(ip, 0, 1, l4, l4len, 2));
		return 14 + 20 + l4len;
	}
	wr16be(l4, sport);
	wr16be(l4 + 2, dport);
	if (proto == 6) {
		l4[12] = 5 << 4;
		l4[13] = 0x12;          /* SYN+ACK */
		wr16be(l4 + 16, ref_l4_csum(ip, 0, 6, l4, l4len, 16));
	} else if (proto == 17) {
		wr16be(l4 + 4, (uint16_t)l4len);
		wr16be(l4 + 6, ref_l4_csum(ip, 0, 17, l4, l4len, 6));
	}
	return 14 + 20 + l4len;
}

static inline size_t build_ipv6(uint8_t *f, uint8_t proto, uint16_t sport,
				uint16_t dport, size_t payload)
{
	size_t l4len = (proto == 6 ? 20 : 8) + payload, i;
	uint8_t *ip = f + 14, *l4 = ip + 40;

	memset(f, 0, 14 + 40 + l4len);
	f[0] = 2; f[5] = 2; f[6] = 2; f[11] = 1;
	wr16be(f + 12, 0x86dd);
	ip[0] = 0x60;
	ip[1] = 0x0a;                   /* flow label 0xabcde */
	ip[2] = 0xbc;
	ip[3] = 0xde;
	wr16be(ip + 4, (uint16_t)l4len);
	ip[6] = proto;
	ip[7] = 64;
	ip[8] = 0x20; ip[9] = 0x01; ip[23] = 1;         /* 2001::1 */
	ip[24] = 0x20; ip[25] = 0x01; ip[39] = 2;       /* 2001::2 */
	for (i = 0; i < payload; i++)
		l4[l4len - payload + i] = (uint8_t)(i * 3 + 5);
	if (proto == 58) {
		l4[0] = 128;
		wr16be(l4 + 2, ref_l4_csum(ip, 1, 58, l4, l4len, 2));
		return 14 + 40 + l4len;
	}
	wr16be(l4, sport);
	wr16be(l4 + 2, dport);
	if (proto == 6) {
		l4[12] = 5 << 4;
		l4[13] = 0x02;
		wr16be(l4 + 16, ref_l4_csum(ip, 1, 6, l4, l4len, 16));
	} else {
		wr16be(l4 + 4, (uint16_t)l4len);
		wr16be(l4 + 6, ref_l4_csum(ip, 1, 17, l4, l4len, 6));
	}
	return 14 + 40 + l4len;
}

#endif
