/*
 * dp_parse.h - the datapath's view of a packet: its flow key and the
 * offsets of its headers, in one pass.
 *
 * The fast path needs both from every packet: the key to find the flow,
 * the offsets for the actions that rewrite headers (set, push/pop,
 * checksums).  dp_parse() fills struct dp_key (key.h conventions, kernel
 * key_extract semantics: what a short or malformed header leaves zero) and
 * dp_packet's l2_5/l3/l4 offsets.
 *
 * Interim: the shared extractor (lib/extract, freestanding, also compiled
 * into kmod/) is being written on another branch.  When it lands, dp_parse()
 * becomes a thin wrapper calling it (with an out-parameter for offsets) so
 * the datapath parses each packet once; callers do not change.
 */
#ifndef DPKIT_DP_PARSE_H
#define DPKIT_DP_PARSE_H

#include "key.h"
#include "packet.h"

/* Fill 'key' from p's bytes and metadata and set p's header offsets.
 * Returns 0, or -EINVAL for a frame too short for its L2 header (the
 * kernel drops those); anything shorter further in just leaves the
 * corresponding key fields zero. */
int dp_parse(struct dp_packet *p, struct dp_key *key);

/* The same for a 'key' that dp_parse() or dp_key_init() filled before
 * (so its tunnel region is zero unless key->tun_proto says otherwise): it
 * skips clearing the large tunnel region when it is already clear.  The
 * per-packet path reuses one key this way. */
int dp_parse_reuse(struct dp_packet *p, struct dp_key *key);

#endif
