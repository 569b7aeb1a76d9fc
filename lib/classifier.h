/*
 * classifier.h - find the highest-priority rule matching a packet, and the
 * bits of the packet that decided it.
 *
 * A classifier holds rules: a match (struct ofp_match: value and mask over
 * struct ofp_flow) and a priority.  classifier_lookup() returns the rule of
 * highest priority whose match the packet satisfies, and ORs into a
 * caller-given wildcard mask every bit of the packet the lookup looked at.
 * That mask is what a megaflow may match on: any packet that agrees with
 * this one on those bits gets the same answer from the same rule set.  The
 * fewer bits a lookup looks at, the wider the megaflow and the fewer upcalls,
 * so the algorithm is built as much around NOT looking at bits as around
 * speed.
 *
 * Tuple space search.  Rules with the same mask share a subtable; inside it
 * a rule is found by hashing the packet's bits under that mask and probing
 * one hash table.  A lookup visits subtables, not rules: its cost grows with
 * the number of distinct masks (tens, typically), not of rules (thousands).
 *
 * Priority order with early exit.  Subtables are kept sorted by the highest
 * priority of any rule they hold (max_priority).  Once a match of priority P
 * is found, no subtable whose max_priority is below P can do better, and the
 * lookup stops there.  Those subtables are not looked at, so they
 * contribute no bits to the wildcards.  Ties: among matching rules of equal
 * priority the one inserted first (lowest seq) wins, so the result is
 * deterministic; subtables whose max_priority equals P are still visited.
 *
 * Staged lookup.  The words of a subtable's mask are split into four
 * stages: metadata (in_port, registers, metadata, pkt_mark, conntrack,
 * tunnel), L2 (Ethernet, VLAN, ethertype), L3 (IP/ARP/IPv6 addresses and
 * the protocol, TOS, TTL and fragment fields; MPLS shares its bytes), and
 * L4 (ports, TCP flags, ND fields).  For every stage but the last the
 * subtable keeps a counted set of the hashes of all its rules' values up to
 * and including that stage.  A lookup hashes stage by stage and stops at
 * the first stage whose cumulative hash no rule has: the packet cannot
 * match any rule of the subtable, and only the bits of the stages hashed so
 * far were needed to know that.  So a rule on tp_dst behind a rule on
 * in_port only un-wildcards tp_dst for packets from that port.
 *
 * Prefix tries.  For the IPv4 source and destination and the IPv6 source
 * and destination (byte ranges of the L3 stage), the classifier keeps a
 * binary trie of the prefixes every rule matches there, when its mask
 * over that range is a CIDR prefix (nw_dst=10.1.0.0/16).  Before hashing
 * the L3 stage of a subtable whose mask over such a range is a prefix of
 * length L, the lookup walks the packet's address down the trie once (the
 * walk is cached for the whole lookup): if no rule anywhere has a prefix of
 * length L matching the packet, the subtable cannot match, and the only
 * bits needed to know it are the address bits the walk examined (up to L).
 * That is what keeps longest-prefix-match rule sets from producing
 * megaflows exact on the whole address: with routes 10.0.0.0/8,
 * 10.1.0.0/16 and 10.1.1.0/24, a packet to 10.1.9.9 yields a megaflow on
 * 10.1.8.0/21 instead of 10.1.9.0/24.  The trie is an exact filter (it only
 * ever says "no rule of length L matches"), so it never changes which rule
 * wins.
 *
 * Invariants:
 *  - A rule is in exactly one subtable, the one of its mask, and its stored
 *    values are its match's values under that mask (flow & mask).
 *  - subtables[] is sorted by max_priority, highest first; max_priority is
 *    the highest priority of the rules in the subtable; an empty subtable
 *    is removed.
 *  - Rules with identical values in a subtable are chained in one bucket,
 *    highest priority first, then lowest seq: the head is the one a lookup
 *    returns.
 *  - index[s] of a subtable counts, for every rule, the hash of its values
 *    over stages 0..s (one count per rule, so removal is exact).
 *  - A trie holds one count per rule per range where that rule's mask is a
 *    non-empty prefix, at the node of that prefix.
 *  - gen increases on every insertion and removal: a revalidator that
 *    remembers the gen a megaflow was computed at knows whether the answer
 *    may have changed.
 *
 * Concurrency: none inside.  Lookups do not write to the classifier, so
 * many threads may look up at once while no thread modifies it (a
 * read-write lock in the caller is enough).
 */
#ifndef DPKIT_CLASSIFIER_H
#define DPKIT_CLASSIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofp_match.h"

#define CLS_N_STAGES 4
#define CLS_N_TRIES  4

struct cls_subtable;

#define CLS_INLINE_VALS 4

/* Embed in the caller's rule; the classifier links it, never frees it.
 * An inserted rule must not move in memory. */
struct cls_rule {
	struct cls_subtable *subtable;
	struct cls_rule *same;          /* next with identical values */
	struct cls_rule *hnext;         /* next bucket head in the hash chain */
	uint64_t *vals;                 /* values under the subtable's mask:
					 * ivals, or malloc'd if more */
	uint64_t hash;
	int priority;
	uint64_t seq;
	uint64_t ivals[CLS_INLINE_VALS];
};

struct cls_trie_node;

struct cls_trie {
	struct cls_trie_node *root;
	uint16_t ofs;                   /* byte offset of the range in ofp_flow */
	uint8_t n_bytes;                /* 4 or 16 */
};

struct classifier {
	struct cls_subtable **subtables; /* by max_priority, highest first */
	size_t n_subtables;
	size_t alloc;
	struct cls_trie tries[CLS_N_TRIES];
	size_t n_rules;
	uint64_t gen;
};

void classifier_init(struct classifier *cls);
/* Frees the classifier's memory.  Rules still inserted are unlinked (their
 * owner frees them). */
void classifier_destroy(struct classifier *cls);

/* Insert 'rule' with this match and priority.  'seq' orders rules of equal
 * priority (lower wins).  Returns 0 or -ENOMEM. */
int classifier_insert(struct classifier *cls, struct cls_rule *rule,
		      const struct ofp_match *match, int priority, uint64_t seq);
void classifier_remove(struct classifier *cls, struct cls_rule *rule);

/* The winning rule for 'flow', or NULL.  If 'wc' is not NULL, the bits the
 * lookup consulted are ORed into it. */
const struct cls_rule *classifier_lookup(const struct classifier *cls,
					 const struct ofp_flow *flow,
					 struct ofp_flow *wc);

/* The rule with exactly this match and priority (the first inserted if
 * there are several), or NULL. */
struct cls_rule *classifier_find_exact(const struct classifier *cls,
				       const struct ofp_match *match,
				       int priority);

/* The rule's match, rebuilt from its subtable and values. */
void cls_rule_get_match(const struct cls_rule *rule, struct ofp_match *match);

/* All rules, in no particular order, into a malloc'd array (*out; free it);
 * returns how many (0 with *out NULL if none or out of memory). */
size_t classifier_rules(const struct classifier *cls, struct cls_rule ***out);

static inline size_t classifier_count(const struct classifier *cls)
{
	return cls->n_rules;
}

static inline uint64_t classifier_gen(const struct classifier *cls)
{
	return cls->gen;
}

/* For tests and benchmarks: the number of subtables. */
static inline size_t classifier_n_subtables(const struct classifier *cls)
{
	return cls->n_subtables;
}

#endif /* DPKIT_CLASSIFIER_H */
