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

int main(void)
{
	unsigned taken, bad;
	struct dp_key k;

	bad = exact_compare(odp_exact_key_to_text, general, 100000, false, &taken);
	ok(!bad && taken > 70000, "IPv4 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);
	bad = exact_compare(odp_exact_key_to_text, general, 100000, true, &taken);
	ok(!bad && taken > 70000, "IPv6 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);

	gen(&k, false);
	k.vlan.tpid = htons(0x8100);
	k.vlan.tci = htons(0x0005);
	ok(exact_declines(odp_exact_key_to_text, &k), "a VLAN tag without its present bit is left to the general way");
	gen(&k, false);
	k.vlan.tpid = htons(0x9100);
	k.vlan.tci = htons(0x1005);
	ok(exact_declines(odp_exact_key_to_text, &k), "a tag of another TPID is left to the general way");
	gen(&k, false);
	k.eth_type = htons(0x0806);
	ok(exact_declines(odp_exact_key_to_text, &k), "an ARP key is left to the general way");
	gen(&k, true);
	k.ct_state = 0x21;
	ok(exact_declines(odp_exact_key_to_text, &k), "a key with conntrack state is left to the general way");
	gen(&k, false);
	k.mac_proto = DP_MAC_NONE;
	ok(exact_declines(odp_exact_key_to_text, &k), "an L3 key is left to the general way");
	gen(&k, false);
	k.recirc_id = 7;
	ok(exact_declines(odp_exact_key_to_text, &k), "a recirculated key is left to the general way");
	return done();
}
