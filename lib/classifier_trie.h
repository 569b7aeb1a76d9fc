/*
 * classifier_trie.h - binary prefix tries over an address range of
 * struct ofp_flow, for the classifier (see classifier.h, "Prefix tries").
 *
 * A trie counts, per node, how many rules have exactly that prefix.  A
 * lookup walks a packet's address bit by bit and reports which prefix
 * lengths some rule has along that path, and how many leading bits of the
 * address the walk depended on.  Nodes are one bit each (no path
 * compression): at most 128 per prefix, freed as counts drop to zero.
 */
#ifndef DPKIT_CLASSIFIER_TRIE_H
#define DPKIT_CLASSIFIER_TRIE_H

#include <stdbool.h>
#include <stdint.h>

#include "classifier.h"

/* What a walk found: bit L of plens set iff some prefix of length L
 * (0..128) matches; the walk looked at the first 'nbits' bits. */
struct cls_trie_result {
	uint64_t plens[3];
	unsigned nbits;
};

void cls_trie_init(struct cls_trie *t, uint16_t ofs, uint8_t n_bytes);
void cls_trie_destroy(struct cls_trie *t);
/* The prefix length of 'mask' over the trie's range: -1 if not a prefix,
 * 0 if empty. */
int cls_trie_prefix_len(const struct cls_trie *t, const struct ofp_flow *mask);
/* Count (or uncount) the first 'plen' bits of the range in 'value'. */
int cls_trie_insert(struct cls_trie *t, const struct ofp_flow *value,
		    unsigned plen);
void cls_trie_remove(struct cls_trie *t, const struct ofp_flow *value,
		     unsigned plen);
void cls_trie_lookup(const struct cls_trie *t, const struct ofp_flow *flow,
		     struct cls_trie_result *r);
static inline bool cls_trie_has_plen(const struct cls_trie_result *r,
				     unsigned plen)
{
	return (r->plens[plen / 64] >> (plen % 64)) & 1;
}
/* Set the first 'n' bits of the trie's range in 'wc'. */
void cls_trie_unwildcard(const struct cls_trie *t, struct ofp_flow *wc,
			 unsigned n);

#endif /* DPKIT_CLASSIFIER_TRIE_H */
