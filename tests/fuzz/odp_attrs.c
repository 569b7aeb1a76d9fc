/*
 * libFuzzer target for odp_key: arbitrary bytes as a flow key, a mask and
 * an action list, read with the kernel's rules.
 *
 * Input: byte 0 picks the mode.  Raw mode splits the rest into key, mask
 * and actions by the two length bytes that follow.  Mutation mode builds a
 * valid flow with the unit tests' generator (odp_gen.h), seeded from the
 * input, then flips the bytes the input names, so that deep paths (VLAN
 * nests, tunnels, L4) are reached quickly.
 *
 * What must hold: nothing crashes or reads out of bounds, and an accepted
 * match, once written back as the kernel reports it, is accepted again and
 * reaches a fixed point in one round (the kernel's own report is not
 * always what it was given: an in_port mask of 0 comes back as
 * 0xffff0000, which reads as exact, for example).  An accepted action
 * list's kernel form is accepted and reports itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "odp_key.h"
#include "../unit/odp_gen.h"

static void die_if(int cond)
{
	if (cond)
		abort();
}

/* Kernel form of a match, then read back: must be accepted and stable. */
static void check_match_report(const struct dp_key *k, const struct dp_key *m)
{
	struct buf rk = BUF_INIT, rm = BUF_INIT, rk2 = BUF_INIT, rm2 = BUF_INIT;
	struct dp_key k2, m2, k3, m3;
	struct dp_err err;

	odp_key_to_attrs(&rk, k);
	odp_mask_to_attrs(&rm, k, m);
	die_if(odp_match_from_attrs(rk.data, rk.len, rm.data, rm.len, &k2, &m2, &err));
	odp_key_to_attrs(&rk2, &k2);
	odp_mask_to_attrs(&rm2, &k2, &m2);
	die_if(odp_match_from_attrs(rk2.data, rk2.len, rm2.data, rm2.len, &k3, &m3,
				    &err));
	die_if(memcmp(&k2, &k3, sizeof k2) || memcmp(&m2, &m3, sizeof m2));
	buf_clear(&rk);
	buf_clear(&rm);
	odp_key_to_attrs(&rk, &k3);
	odp_mask_to_attrs(&rm, &k3, &m3);
	die_if(rk.len != rk2.len || memcmp(rk.data, rk2.data, rk.len) ||
	       rm.len != rm2.len || memcmp(rm.data, rm2.data, rm.len));
	buf_free(&rk);
	buf_free(&rm);
	buf_free(&rk2);
	buf_free(&rm2);
}

static void check_key_report(const struct dp_key *k)
{
	struct buf r = BUF_INIT, r2 = BUF_INIT;
	struct dp_key k2, k3;
	struct dp_err err;

	odp_key_to_attrs(&r, k);
	die_if(odp_key_from_attrs(r.data, r.len, &k2, &err));
	odp_key_to_attrs(&r2, &k2);
	die_if(odp_key_from_attrs(r2.data, r2.len, &k3, &err));
	die_if(memcmp(&k2, &k3, sizeof k2));
	buf_free(&r);
	buf_free(&r2);
}

static void check_actions(const void *acts, size_t len, const struct dp_key *k,
			  const struct dp_key *m)
{
	struct buf f = BUF_INIT, f2 = BUF_INIT;
	struct dp_err err;

	odp_actions_to_kernel_form(&f, acts, len);      /* any bytes: no crash */
	if (odp_actions_check(acts, len, k, m, &err) == 0) {
		die_if(odp_actions_check(f.data, f.len, k, m, &err));
		odp_actions_to_kernel_form(&f2, f.data, f.len);
		die_if(f2.len != f.len || (f.len && memcmp(f2.data, f.data, f.len)));
	}
	buf_free(&f);
	buf_free(&f2);
}

/* Copy to an aligned buffer, as a netlink message would be. */
static void *aligned(const uint8_t *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	if (n)
		memcpy(q, p, n);
	return q;
}

static void run(const uint8_t *kb, size_t kl, const uint8_t *mb, size_t ml,
		const uint8_t *ab, size_t al)
{
	void *key = aligned(kb, kl), *mask = aligned(mb, ml), *acts = aligned(ab, al);
	struct dp_key k, m;
	struct dp_err err;

	if (odp_match_from_attrs(key, kl, mask, ml, &k, &m, &err) == 0) {
		check_match_report(&k, &m);
		check_actions(acts, al, &k, &m);
	} else {
		/* Still exercise the action checks, against a plain flow. */
		static const uint8_t eth_ip[] = {
			16, 0, 4, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
			6, 0, 6, 0, 8, 0, 0, 0,
			16, 0, 7, 0, 10, 0, 0, 1, 10, 0, 0, 2, 17, 0, 64, 0,
			8, 0, 10, 0, 0, 53, 0, 53,
		};
		void *fk = aligned(eth_ip, sizeof eth_ip);

		if (odp_key_from_attrs(fk, sizeof eth_ip, &k, &err) == 0)
			check_actions(acts, al, &k, NULL);
		free(fk);
	}
	if (odp_key_from_attrs(key, kl, &k, &err) == 0)
		check_key_report(&k);
	odp_key_metadata_from_attrs(key, kl, &k, &err);
	free(key);
	free(mask);
	free(acts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	if (data[0] & 1) {
		size_t kl = data[1] * 4u, ml = data[2] * 4u;

		data += 3;
		size -= 3;
		if (kl > size)
			kl = size;
		if (ml > size - kl)
			ml = size - kl;
		run(data, kl, data + kl, ml, data + kl + ml, size - kl - ml);
	} else {
		struct gen g;
		size_t i;

		memset(&g, 0, sizeof g);
		g.rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)data[1] << 8 | data[2]);
		gen_flow(&g, (enum gen_kind)((data[0] >> 1) % G_KINDS),
			 (enum gen_vlan)((data[0] >> 6) % 3));
		/* Pairs of (position, xor) bytes mutate key then mask. */
		for (i = 3; i + 1 < size; i += 2) {
			struct buf *b = (data[i] & 0x80) ? &g.m : &g.k;

			if (b->len)
				b->data[(data[i] & 0x7f) * 3u % b->len] ^= data[i + 1];
		}
		run(g.k.data, g.k.len, g.m.data, g.m.len, NULL, 0);
		buf_free(&g.k);
		buf_free(&g.m);
	}
	return 0;
}
