/*
 * ofp_match_text_exact.c - the direct parse-pcap text of packets' keys
 * (lib/ofp_match_text_exact) against the general way
 * (ofp_match_format_dp() without a mask), byte for byte, over generated
 * keys: edge values and random ones of every field, every case the fast
 * path takes, and the ones it must decline.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_match_text.h"
#include "ofp_match_text_exact.h"
#include "exact_keys.h"
#include "tap.h"

/* The general way, as flowtrace printed every key before. */
static bool general(struct buf *out, const struct dp_key *k)
{
	ofp_match_format_dp(out, k, NULL, NULL);
	return true;
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
		if (!ofp_exact_key_to_text(&a, &k)) {
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
			     good ? "" : "");
		}
	}
	buf_free(&a);
	buf_free(&b);
	return bad;
}

static bool declines(const struct dp_key *k)
{
	struct buf a = BUF_INIT;
	bool r = !ofp_exact_key_to_text(&a, k) && a.len == 0;

	buf_free(&a);
	return r;
}

int main(void)
{
	unsigned taken, bad;
	struct dp_key k;

	bad = compare(100000, false, &taken);
	ok(!bad && taken > 40000, "IPv4 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);
	bad = compare(100000, true, &taken);
	ok(!bad && taken > 40000, "IPv6 keys: the same text as the general way (%u taken, %u differ)",
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
	gen(&k, false);
	k.in_port = 0;
	ok(declines(&k), "a key from LOCAL is left to the general way");
	return done();
}
