/*
 * frames.h - hand-built frames for the extractor's unit tests: an Ethernet
 * header, IPv4/IPv6 headers whose length fields a *_fix() call sets once
 * the payload is there, TCP/UDP headers, IPv6 extension headers, neighbour
 * discovery messages and their link-layer address options.
 */
#ifndef DPKIT_TEST_FRAMES_H
#define DPKIT_TEST_FRAMES_H

#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "extract.h"

struct frame {
	uint8_t b[2048];
	size_t len;
};

static inline void put(struct frame *f, const void *p, size_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static inline void put8(struct frame *f, unsigned int v)
{
	f->b[f->len++] = (uint8_t)v;
}

static inline void put16(struct frame *f, unsigned int v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static inline void put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0xaa };
static const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0xbb };
static const uint8_t V6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t V6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static inline void eth_hdr(struct frame *f, unsigned int type)
{
	f->len = 0;
	put(f, MAC_B, 6);       /* dst */
	put(f, MAC_A, 6);       /* src */
	if (type)
		put16(f, type);
}

/* IPv4 header; ihl in words, options zero-filled; tot_len fixed later. */
static inline size_t ip4_hdr(struct frame *f, unsigned int proto, unsigned int ihl,
		      unsigned int frag_field)
{
	size_t at = f->len;
	unsigned int i;

	put8(f, 0x40 | ihl);
	put8(f, 0xb9);                  /* dscp 46, ecn 1 */
	put16(f, 0);                    /* tot_len */
	put16(f, 0x1234);
	put16(f, frag_field);
	put8(f, 63);
	put8(f, proto);
	put16(f, 0);
	put32(f, 0x0a000001);
	put32(f, 0x0a000002);
	for (i = 5; i < ihl; i++)
		put32(f, 0x01010101);
	return at;
}

static inline void ip4_fix(struct frame *f, size_t at)
{
	f->b[at + 2] = (uint8_t)((f->len - at) >> 8);
	f->b[at + 3] = (uint8_t)(f->len - at);
}

static inline void tcp_hdr(struct frame *f, unsigned int sport, unsigned int dport,
		    unsigned int doff, unsigned int flags)
{
	unsigned int i;

	put16(f, sport);
	put16(f, dport);
	put32(f, 1);
	put32(f, 0);
	put16(f, doff << 12 | flags);
	put16(f, 512);
	put32(f, 0);
	for (i = 5; i < doff; i++)
		put32(f, 0x01010101);
}

static inline void udp_hdr(struct frame *f, unsigned int sport, unsigned int dport)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, 8);
	put16(f, 0);
}

static inline size_t ip6_hdr(struct frame *f, unsigned int nh)
{
	size_t at = f->len;

	put32(f, 0x6b812345);           /* tclass 0xb8, label 0x12345 */
	put16(f, 0);
	put8(f, nh);
	put8(f, 64);
	put(f, V6_A, 16);
	put(f, V6_B, 16);
	return at;
}

static inline void ip6_fix(struct frame *f, size_t at)
{
	size_t plen = f->len - at - 40;

	f->b[at + 4] = (uint8_t)(plen >> 8);
	f->b[at + 5] = (uint8_t)plen;
}

/* A generic extension header of 8 bytes. */
static inline void ext8(struct frame *f, unsigned int nh)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, 0);
	put32(f, 0);
}

static inline void frag6(struct frame *f, unsigned int nh, unsigned int offset,
		  unsigned int more)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, offset << 3 | more);
	put32(f, 0x55);
}

static inline size_t nd(struct frame *f, unsigned int type, unsigned int code)
{
	size_t ip;

	eth_hdr(f, 0x86dd);
	ip = ip6_hdr(f, 58);
	put8(f, type);
	put8(f, code);
	put16(f, 0);
	put32(f, 0);
	put(f, V6_B, 16);
	return ip;
}

static inline void lla(struct frame *f, unsigned int type, const uint8_t *m)
{
	put8(f, type);
	put8(f, 1);
	put(f, m, 6);
}

static inline int extract(const struct frame *f, struct dp_key *k)
{
	dp_key_init(k);
	return dp_extract(f->b, f->len, k);
}

static inline uint16_t h16(uint16_t be) { return ntohs(be); }

#endif
