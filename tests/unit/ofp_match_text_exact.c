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

int main(void)
{
	unsigned taken, bad;
	struct dp_key k;

	bad = exact_compare(ofp_exact_key_to_text, general, 100000, false, &taken);
	ok(!bad && taken > 40000, "IPv4 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);
	bad = exact_compare(ofp_exact_key_to_text, general, 100000, true, &taken);
	ok(!bad && taken > 40000, "IPv6 keys: the same text as the general way (%u taken, %u differ)",
	   taken, bad);

	gen(&k, false);
	k.vlan.tpid = htons(0x8100);
	k.vlan.tci = htons(0x1005);
	ok(exact_declines(ofp_exact_key_to_text, &k), "a VLAN-tagged key is left to the general way");
	gen(&k, false);
	k.eth_type = htons(0x0806);
	ok(exact_declines(ofp_exact_key_to_text, &k), "an ARP key is left to the general way");
	gen(&k, true);
	k.ct_state = 0x21;
	ok(exact_declines(ofp_exact_key_to_text, &k), "a key with conntrack state is left to the general way");
	gen(&k, false);
	k.mac_proto = DP_MAC_NONE;
	ok(exact_declines(ofp_exact_key_to_text, &k), "an L3 key is left to the general way");
	gen(&k, false);
	k.recirc_id = 7;
	ok(exact_declines(ofp_exact_key_to_text, &k), "a recirculated key is left to the general way");
	gen(&k, false);
	k.in_port = 0;
	ok(exact_declines(ofp_exact_key_to_text, &k), "a key from LOCAL is left to the general way");
	return done();
}
