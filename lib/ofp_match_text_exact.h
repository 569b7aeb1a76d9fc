/*
 * ofp_match_text_exact.h - a packet's key in ovs-ofctl match syntax, as
 * ovs-ofctl parse-pcap prints it, straight from the key, for the keys
 * packets commonly have.
 *
 * ofp_match_format_dp() with no mask goes through a general match (the
 * key made an OpenFlow flow, an exact mask built and normalized, then
 * every field of Open vSwitch's order considered): about 5,000
 * instructions a key, most of flowtrace -f of's time.  This module writes
 * the same bytes directly for untunnelled, untagged Ethernet frames of
 * IPv4 or IPv6 without conntrack state or other metadata, and declines
 * any other key, for the caller to take the general way.  It owns
 * nothing; tests/unit/ofp_match_text_exact.c holds it to the general way
 * byte for byte over many generated keys.
 */
#ifndef DPKIT_OFP_MATCH_TEXT_EXACT_H
#define DPKIT_OFP_MATCH_TEXT_EXACT_H

#include <stdbool.h>

#include "buf.h"
#include "key.h"

/* Append what ofp_match_format_dp(out, key, NULL, NULL) appends and
 * return true; or return false, appending nothing. */
bool ofp_exact_key_to_text(struct buf *out, const struct dp_key *key);

#endif
