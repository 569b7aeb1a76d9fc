/*
 * exact_keys.h - keys of IPv4 and IPv6 frames for the tests of
 * the direct text printers (odp_text_exact, ofp_match_text_exact): every
 * field at an edge value (0, 1, all ones) or a random one, protocols the
 * printers treat apart, IPv6 addresses of the shapes inet_ntop prints
 * specially.  A fixed seed: runs are repeatable.
 */
#ifndef DPKIT_TEST_EXACT_KEYS_H
#define DPKIT_TEST_EXACT_KEYS_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

#include "buf.h"
#include "key.h"
#include "tap.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* An edge value (0, 1, all ones) or a random one, of 'bits' bits. */
static uint32_t val(unsigned bits)
{
	uint32_t all = bits >= 32 ? UINT32_MAX : (1u << bits) - 1;

	switch (rnd() % 6) {
	case 0: return 0;
	case 1: return 1;
	case 2: return all;
	default: return rnd() & all;
	}
}

static void bytes(uint8_t *p, size_t n)
{
	size_t i;
	int how = (int)(rnd() % 5);

	for (i = 0; i < n; i++)
		p[i] = how == 0 ? 0 : how == 1 ? 0xff : (uint8_t)rnd();
	/* IPv6 shapes inet_ntop prints specially: zero runs, v4-mapped. */
	if (n == 16 && how == 2) {
		memset(p + (rnd() % 8), 0, 2 + rnd() % 8);
		if (rnd() % 3 == 0) {
			memset(p, 0, 10);
			p[10] = p[11] = 0xff;
		}
	}
}

static const uint8_t protos[] = { 6, 17, 132, 1, 58, 0, 47, 44, 43, 60, 59, 255 };

static void tag(struct dp_vlan *v)
{
	static const uint16_t tpids[] = { 0x8100, 0x88a8, 0x8100, 0x0800 };

	v->tpid = htons(tpids[rnd() % 4]);
	v->tci = htons((uint16_t)(val(16) | (rnd() % 8 ? DP_VLAN_CFI : 0)));
}

static void gen(struct dp_key *k, bool v6)
{
	dp_key_init(k);
	/* A quarter with VLAN tags: one, two, or an inner one alone. */
	if (rnd() % 4 == 0) {
		int how = (int)(rnd() % 3);

		if (how != 2)
			tag(&k->vlan);
		if (how != 0)
			tag(&k->cvlan);
	}
	if (rnd() % 2)
		k->in_port = rnd() % 3 ? val(16) % 0xffff : 0xff00 + val(8);
	bytes(k->eth_src, 6);
	bytes(k->eth_dst, 6);
	k->eth_type = htons(v6 ? 0x86dd : 0x0800);
	k->nw_proto = rnd() % 4 ? protos[rnd() % sizeof protos] : (uint8_t)rnd();
	k->nw_tos = (uint8_t)val(8);
	k->nw_ttl = (uint8_t)val(8);
	k->nw_frag = (uint8_t)(rnd() % 3);
	k->tp_src = htons((uint16_t)val(16));
	k->tp_dst = htons((uint16_t)val(16));
	if (k->nw_proto == 1 || k->nw_proto == 58) {
		k->tp_src = htons((uint16_t)(rnd() % 4 ? val(8) :
					     135 + rnd() % 2));
		k->tp_dst = htons((uint16_t)val(8));
	}
	if (k->nw_proto == 6)
		k->tcp_flags = htons((uint16_t)val(12));
	if (v6) {
		bytes(k->l3.ipv6.src, 16);
		bytes(k->l3.ipv6.dst, 16);
		k->l3.ipv6.label = htonl(val(20));
		k->ipv6_exthdrs = (uint16_t)val(9);
		if (k->nw_proto == 58) {
			bytes(k->l3.ipv6.nd_target, 16);
			bytes(k->l3.ipv6.nd_sll, 6);
			bytes(k->l3.ipv6.nd_tll, 6);
		}
	} else {
		k->l3.ipv4.src = val(32);
		k->l3.ipv4.dst = val(32);
	}
}

/* A printer of keys: appends text and returns true, or declines (false,
 * having appended nothing). */
typedef bool exact_printer(struct buf *out, const struct dp_key *k);

/* Compare 'fast' with 'general' on n keys made by gen(); returns the
 * number of differences, *taken the keys 'fast' did not decline.  A
 * general printer returning false says the kernel would refuse the flow. */
static unsigned exact_compare(exact_printer *fast, exact_printer *general,
			      unsigned n, bool v6, unsigned *taken)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	unsigned i, bad = 0;

	*taken = 0;
	for (i = 0; i < n; i++) {
		struct dp_key k;
		bool good;

		gen(&k, v6);
		buf_clear(&a);
		buf_clear(&b);
		buf_puts(&a, "x");      /* appends, after what is there */
		if (!fast(&a, &k)) {
			if (a.len != 1 && bad++ < 5)
				note("declined, but appended: %s", buf_cstr(&a));
			continue;
		}
		(*taken)++;
		buf_puts(&b, "x");
		good = general(&b, &k);
		if ((!good || a.len != b.len || memcmp(a.data, b.data, a.len)) &&
		    bad++ < 5) {
			note("fast    %s", buf_cstr(&a));
			note("general %s%s", buf_cstr(&b),
			     good ? "" : " (the kernel would refuse it)");
		}
	}
	buf_free(&a);
	buf_free(&b);
	return bad;
}

/* 'fast' declines k and appends nothing. */
static bool exact_declines(exact_printer *fast, const struct dp_key *k)
{
	struct buf a = BUF_INIT;
	bool r = !fast(&a, k) && a.len == 0;

	buf_free(&a);
	return r;
}

#endif
