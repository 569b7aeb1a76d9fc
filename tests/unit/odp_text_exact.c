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
#include "exact_keys.h"
#include "tap.h"

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
	if (good && (k->vlan.tci || k->vlan.tpid)) {
		/* flowtrace reads the text of a tagged key back, as
		 * dpctl add-flows would: it must be a flow. */
		size_t at = 1;          /* after the "x" */

		buf_clear(&ka);
		buf_clear(&ma);
		good = !odp_key_from_text((const char *)out->data + at,
					  out->len - at, &ka, &ma, NULL, &err) &&
		       !odp_match_from_attrs(ka.data, ka.len, ma.data, ma.len,
					     &k2, &m2, &err);
	}
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
	ok(!bad && taken > 70000, "IPv4 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);
	bad = compare(100000, true, &taken);
	ok(!bad && taken > 70000, "IPv6 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);

	gen(&k, false);
	k.vlan.tpid = htons(0x8100);
	k.vlan.tci = htons(0x0005);
	ok(declines(&k), "a VLAN tag without its present bit is left to the general way");
	gen(&k, false);
	k.vlan.tpid = htons(0x9100);
	k.vlan.tci = htons(0x1005);
	ok(declines(&k), "a tag of another TPID is left to the general way");
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
