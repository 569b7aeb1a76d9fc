/*
 * keytab.h - a table of distinct flow keys, each with packet and byte
 * counters and, optionally, its text.
 *
 * flowtrace uses two: one counts the packets of each key for --unique, the
 * other remembers how each recent key printed, since formatting a key
 * costs far more than finding it (about 1,000 instructions for a common
 * key, 5,000 to 12,000 for others; a lookup: ~100) and the packets of a
 * flow share their key.  Only the
 * part of a key before the tunnel metadata is kept, hashed and compared:
 * a capture never fills the rest.  The table owns its entries, index and
 * texts.
 */
#ifndef FLOWTRACE_KEYTAB_H
#define FLOWTRACE_KEYTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "key.h"

#define KEYTAB_KEY_WORDS (DP_KEY_OFS_TUN / 8)

struct keytab_entry {
	uint64_t packets;
	uint64_t bytes;
	dp_key_word key[KEYTAB_KEY_WORDS];
	uint32_t hash;
	uint32_t text_ofs;      /* the key's text in keytab.text ... */
	uint32_t text_len;      /* ... if text_len is not 0 */
	bool refused;           /* the datapath would drop the packet */
};

struct keytab {
	struct buf entries;     /* struct keytab_entry, in insertion order */
	uint32_t *index;        /* open addressing: entry number + 1, or 0 */
	size_t index_size;      /* a power of two */
	size_t n;               /* entries */
	size_t max;             /* at most this many entries; 0: no limit */
	struct buf text;        /* the texts entries point into */
};

void keytab_init(struct keytab *t, size_t max);
void keytab_free(struct keytab *t);

/* The entry for 'key', added with zero counters if it is new.  NULL if the
 * table is full (max) or memory ran out (then *oom is set, if given).  The
 * pointer is good until the next keytab_get(). */
struct keytab_entry *keytab_get(struct keytab *t, const struct dp_key *key,
				bool *oom);
/* The same with the key's hash given: keytab_hash(key), computed ahead
 * (by another thread, for one). */
uint32_t keytab_hash(const struct dp_key *key);
struct keytab_entry *keytab_get_hashed(struct keytab *t,
				       const struct dp_key *key, uint32_t h,
				       bool *oom);

/* Hints that keytab_get_hashed() of a key with hash 'h' comes soon: the
 * index slot first, some packets later the entry (when the slot is in the
 * cache), later still its text (when the entry is), so that the lookup
 * does not wait for memory.  Only reads; no effect on the table. */
static inline void keytab_prefetch_slot(const struct keytab *t, uint32_t h)
{
	if (t->index_size)
		__builtin_prefetch(&t->index[h & (t->index_size - 1)]);
}
void keytab_prefetch_entry(const struct keytab *t, uint32_t h);
void keytab_prefetch_text(const struct keytab *t, uint32_t h);

/* Entry number i (0 <= i < t->n), in insertion order. */
static inline struct keytab_entry *keytab_at(const struct keytab *t, size_t i)
{
	return (struct keytab_entry *)(void *)t->entries.data + i;
}

/* Copy a key's prefix back into a whole key (the rest zero). */
void keytab_key(const struct keytab_entry *e, struct dp_key *key);

#endif
