/*
 * classifier_index.h - counted sets of 64-bit hashes, the per-stage
 * indexes of the classifier's subtables (see classifier.h, "Staged
 * lookup").
 *
 * Open addressing with linear probing and backward-shift deletion; the
 * value 0 marks an empty slot, so callers never store 0.  Each hash has a
 * count, so that adding the same hash for two rules and removing one
 * leaves it present.
 */
#ifndef DPKIT_CLASSIFIER_INDEX_H
#define DPKIT_CLASSIFIER_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A counted set of 64-bit hashes (open addressing, linear probing). */
struct cls_hset {
	uint64_t *keys;                 /* 0: empty slot */
	uint32_t *counts;
	size_t mask;                    /* capacity - 1, or 0 if none */
	size_t n;
};

bool cls_hset_contains(const struct cls_hset *s, uint64_t h);
/* Count one more 'h' (not 0).  Returns 0 or -ENOMEM. */
int cls_hset_add(struct cls_hset *s, uint64_t h);
/* Count one less 'h'; it goes when its count reaches zero. */
void cls_hset_del(struct cls_hset *s, uint64_t h);
void cls_hset_free(struct cls_hset *s);

#endif /* DPKIT_CLASSIFIER_INDEX_H */
