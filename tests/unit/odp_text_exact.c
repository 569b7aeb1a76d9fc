/*
 * odp_text_exact.c - the direct text of exact flows (lib/odp_text_exact)
 * against the general way (key and all-ones mask to attributes, checked
 * as the kernel would take them back, then printed by lib/odp_text), byte
 * for byte, over generated keys: edge values and random ones of every
 * field, every case the fast path takes, and the ones it must decline.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odp_key.h"
#include "odp_text.h"
#include "odp_text_exact.h"
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

static void gen(struct dp_key *k, bool v6)
{
	dp_key_init(k);
	if (rnd() % 2)
		k->in_port = val(16) % 0xffff;
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

/* The general way, as flowtrace printed every key before; returns false
 * if the kernel would not take the flow back. */
static bool general(struct buf *out, const struct dp_key *k)
{
	struct buf ka = BUF_INIT, ma = BUF_INIT;
	struct dp_key exact, k2, m2;
	struct dp_err err;
	bool good;

	memset(&exact, 0xff, sizeof exact);
	odp_key_to_attrs(&ka, k);
	odp_mask_to_attrs(&ma, k, &exact);
	good = !odp_match_from_attrs(ka.data, ka.len, ma.data, ma.len, &k2,
				     &m2, &err);
	odp_key_to_text(out, ka.data, ka.len, ma.data, ma.len, 0, NULL);
	buf_free(&ka);
	buf_free(&ma);
	return good;
}

/* Compare on n keys made by gen(); returns the number of differences. */
static unsigned compare(unsigned n, bool v6, unsigned *taken)
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
		if (!odp_exact_key_to_text(&a, &k)) {
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

static bool declines(const struct dp_key *k)
{
	struct buf a = BUF_INIT;
	bool r = !odp_exact_key_to_text(&a, k) && a.len == 0;

	buf_free(&a);
	return r;
}

int main(void)
{
	unsigned taken, bad;
	struct dp_key k;

	bad = compare(100000, false, &taken);
	ok(!bad && taken == 100000, "IPv4 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);
	bad = compare(100000, true, &taken);
	ok(!bad && taken == 100000, "IPv6 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);

	gen(&k, false);
	k.vlan.tpid = htons(0x8100);
	k.vlan.tci = htons(0x1005);
	ok(declines(&k), "a VLAN-tagged key is left to the general way");
	gen(&k, false);
	k.eth_type = htons(0x0806);
	ok(declines(&k), "an ARP key is left to the general way");
	gen(&k, true);
	k.ct_state = 0x21;
	ok(declines(&k), "a key with conntrack state is left to the general way");
	gen(&k, false);
	k.mac_proto = DP_MAC_NONE;
	ok(declines(&k), "an L3 key is left to the general way");
	gen(&k, false);
	k.recirc_id = 7;
	ok(declines(&k), "a recirculated key is left to the general way");
	return done();
}
