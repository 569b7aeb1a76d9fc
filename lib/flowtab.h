/*
 * flowtab.h - the masked flow table of the userspace datapath.
 *
 * A datapath flow ("megaflow") is a key, a mask saying which bits of the
 * key matter, and actions.  A packet matches a flow when the packet's key
 * and the flow's key agree on every bit the mask sets.  This module holds
 * the flows of one datapath and finds the flow a packet matches.
 *
 * The algorithm (tuple space search, as net/openvswitch/flow_table.c):
 *
 *  - Flows are grouped by mask.  Each distinct mask has a hash table of its
 *    flows keyed by the *masked* key (key & mask), so all flows under one
 *    mask are found with one hash and one bucket probe.  A mask also knows
 *    its byte range (dp_key_range(): first to last nonzero 8-byte word);
 *    hashing and comparing touch only that range, which for most flows is a
 *    few words of metadata and L2-L4 headers, never the tunnel metadata.
 *
 *  - A lookup tries the masks one after another and stops at the first
 *    flow found.  Masks are kept sorted by how many packets they matched
 *    (counts halved at each re-sort, every FT_RESORT lookups), so the masks
 *    that match most traffic are tried first.
 *
 *  - In front of that sits an exact-match cache: a direct-mapped array
 *    indexed by a hash of the packet's key restricted to the union of all
 *    masks' ranges ("cover").  Invariant: two keys equal over the cover
 *    match exactly the same flows, because every mask is zero outside it.
 *    A cache entry stores that hash and a flow pointer; a hit is confirmed
 *    by a masked compare of the packet against the flow, so a hash
 *    collision can never return a flow the packet does not match.  Entries
 *    carry the table's epoch; deleting a flow or changing the set of masks
 *    bumps the epoch, which invalidates every entry at once (no pointer to
 *    a freed flow is ever followed).  With a single mask the cache costs
 *    more than it saves (it would replace one masked hash by a longer one),
 *    so it is used only with two masks or more.
 *
 *  - Overlapping flows: two flows with the same mask and the same masked
 *    key are the same flow (insert says EEXIST, as the kernel does).  Flows
 *    under different masks may overlap; a packet matching several of them
 *    gets one of them, whichever is found first.  This is the kernel's
 *    contract too: userspace installs flows that do not overlap.
 *
 *  - Identity: a flow installed with a ufid is found by ufid (a separate
 *    hash table); without one, by its exact key and mask.
 *
 *  - Dumps: every flow gets an increasing 64-bit id when inserted and sits
 *    in an id-ordered vector (deleted slots are tombstones, compacted when
 *    they are the majority).  A dump cursor is the last id returned, so a
 *    dump continues correctly across inserts and deletes between calls:
 *    flows that existed for the whole dump are returned exactly once.
 *
 * Threads: a flowtab has one owner thread (the datapath's); lookups and
 * changes happen on it, between packet batches.  No locks, no RCU: a flow
 * pointer returned by a lookup is valid until the next change to the table.
 */
#ifndef DPKIT_FLOWTAB_H
#define DPKIT_FLOWTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "key.h"

struct flowtab;
struct ft_mask;

struct flowtab_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t used;                  /* ms, CLOCK_MONOTONIC; 0: never */
	uint16_t tcp_flags;             /* be16, OR of the packets' flags */
};

/* A flow.  Read-only outside flowtab.c, except stats. */
struct flowtab_flow {
	struct dp_key mkey;             /* key & mask: what lookups compare */
	struct dp_key key;              /* the key as installed */
	const struct ft_mask *mask;     /* flowtab_flow_mask() */
	void *acts;                     /* OVS_ACTION_ATTR_* stream */
	size_t acts_len;
	struct flowtab_stats stats;
	uint8_t ufid[16];
	bool has_ufid;
	/* Private. */
	uint32_t hash;
	uint32_t ufid_hash;
	uint64_t id;
	size_t vec_idx;
	struct flowtab_flow *next;      /* in its mask's bucket */
	struct flowtab_flow *ufid_next;
};

struct flowtab_mask_stats {
	uint32_t n_masks;
	uint32_t n_flows;
};

struct flowtab *flowtab_create(void);
void flowtab_destroy(struct flowtab *t);

/* Insert a flow.  'acts' is copied.  'ufid' may be NULL.  Returns 0 (and
 * the flow in *out if not NULL), -EEXIST if a flow with the same masked key
 * and mask, or the same ufid, exists, or -ENOMEM. */
int flowtab_insert(struct flowtab *t, const struct dp_key *key,
		   const struct dp_key *mask, const void *acts, size_t acts_len,
		   const uint8_t *ufid, struct flowtab_flow **out,
		   struct dp_err *err);

/* The flow a packet with this (complete) key matches, or NULL.  Adds to
 * *n_mask_hit the number of masks probed and sets *cache_hit (both may be
 * NULL). */
struct flowtab_flow *flowtab_lookup(struct flowtab *t, const struct dp_key *key,
				    uint32_t *n_mask_hit, bool *cache_hit);

/* Finding a flow by identity. */
struct flowtab_flow *flowtab_find_ufid(const struct flowtab *t,
				       const uint8_t ufid[16]);
struct flowtab_flow *flowtab_find_exact(const struct flowtab *t,
					const struct dp_key *key,
					const struct dp_key *mask);

/* Replace a flow's actions (copied).  Returns 0 or -ENOMEM (the flow keeps
 * its old actions). */
int flowtab_set_actions(struct flowtab *t, struct flowtab_flow *f,
			const void *acts, size_t acts_len);
void flowtab_remove(struct flowtab *t, struct flowtab_flow *f);
void flowtab_flush(struct flowtab *t);

/* Dumps: *cursor starts at 0; each call returns the next flow (in insertion
 * order) and advances *cursor, or NULL at the end. */
struct flowtab_flow *flowtab_next(const struct flowtab *t, uint64_t *cursor);

size_t flowtab_count(const struct flowtab *t);
struct flowtab_mask_stats flowtab_mask_stats(const struct flowtab *t);
/* The mask of a flow. */
const struct dp_key *flowtab_flow_mask(const struct flowtab_flow *f);

/* Account packets to a flow. */
static inline void flowtab_flow_used(struct flowtab_flow *f, uint32_t packets,
				     uint64_t bytes, uint16_t tcp_flags,
				     uint64_t now_ms)
{
	f->stats.packets += packets;
	f->stats.bytes += bytes;
	f->stats.tcp_flags |= tcp_flags;
	f->stats.used = now_ms;
}

/* Does 'key' match flow 'f'? (A masked compare over the mask's range.) */
bool flowtab_flow_matches(const struct flowtab_flow *f, const struct dp_key *key);

#endif
