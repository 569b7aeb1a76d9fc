/*
 * classifier.c - tuple space search with priority-ordered subtables,
 * staged hashing and prefix tries.  The algorithm and its invariants are
 * described in classifier.h.
 */
#include "classifier.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classifier_index.h"
#include "classifier_trie.h"

/* One word of a subtable's mask, in one stage. */
struct cls_entry {
	uint64_t m;                     /* mask bits */
	uint32_t idx;                   /* word of struct ofp_flow */
	uint32_t pad;
};

/* What a lookup reads comes first, to share cache lines. */
struct cls_subtable {
	int max_priority;
	int last_stage;                 /* -1: catch-all */
	uint16_t n_entries;
	uint16_t stage_end[CLS_N_STAGES];  /* entries of stages 0..s */
	bool any_trie;
	struct cls_entry *ent;
	struct cls_rule **buckets;      /* heads, chained by hnext */
	size_t bmask;
	struct cls_hset index[CLS_N_STAGES];
	int trie_plen[CLS_N_TRIES];     /* > 0: prefix length in that trie */
	size_t outsiders[CLS_N_TRIES];  /* rules of another family, not in it */
	size_t n_heads;
	size_t n_rules;
	size_t max_count;               /* rules at max_priority */
	struct ofp_flow mask;
};

/* --- hashing ------------------------------------------------------------- */

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t mix(uint64_t h, uint64_t v)
{
	v *= 0x87c37b91114253d5ull;
	v = rotl(v, 31);
	v *= 0x4cf5ad432745937full;
	h ^= v;
	h = rotl(h, 27);
	return h * 5 + 0x52dce729;
}

static inline uint64_t fin(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h ? h : 1;       /* 0 marks an empty hset slot */
}

#define HASH_BASIS 0x9e3779b97f4a7c15ull

/* Word views of a flow go through dp_key_word, which may alias it. */
static const dp_key_word *flow_words(const struct ofp_flow *f)
{
	return (const dp_key_word *)(const void *)f;
}

/* --- stages -------------------------------------------------------------------- */

#define OF(m) offsetof(struct ofp_flow, m)

/* Byte ranges of struct ofp_flow outside stage 0 (metadata). */
static const struct {
	uint16_t start, end;
	uint8_t stage;
} stage_ranges[] = {
	{ OF(key.eth_src), OF(key.nw_proto), 1 },
	{ OF(key.nw_proto), OF(key.tp_src), 2 },
	{ OF(key.tp_src), OF(key.ipv6_exthdrs), 3 },
	{ OF(key.ipv6_exthdrs), OF(key.ipv6_exthdrs) + 2, 2 },
	{ OF(key.l3), OF(key.l3.ipv6.nd_target), 2 },
	{ OF(key.l3.ipv6.nd_target), OF(key.ct_orig), 3 },
};

static int byte_stage(size_t ofs)
{
	size_t i;

	for (i = 0; i < sizeof stage_ranges / sizeof stage_ranges[0]; i++)
		if (ofs >= stage_ranges[i].start && ofs < stage_ranges[i].end)
			return stage_ranges[i].stage;
	return 0;
}

static uint64_t stage_bits(size_t word, int stage)
{
	uint8_t b[8];
	uint64_t x;
	size_t i;

	for (i = 0; i < 8; i++)
		b[i] = byte_stage(word * 8 + i) == stage ? 0xff : 0;
	memcpy(&x, b, 8);
	return x;
}

/* The address ranges the tries cover. */
static const struct {
	uint16_t ofs;
	uint8_t n_bytes;
} trie_ranges[CLS_N_TRIES] = {
	{ OF(key.l3.ipv4.src), 4 },
	{ OF(key.l3.ipv4.dst), 4 },
	{ OF(key.l3.ipv6.src), 16 },
	{ OF(key.l3.ipv6.dst), 16 },
};
#define TRIE_STAGE 2

/* Tries 0 and 1 hold IPv4 and ARP rules, 2 and 3 IPv6 rules: the ranges
 * overlap in the key, and an address of one family in the other's trie
 * would only make walks longer.  A subtable with a rule of another family
 * (an "outsider") cannot use that trie, since the rule is not in it. */
static bool in_family(int t, const struct ofp_match *m)
{
	uint16_t type = (uint16_t)(((const uint8_t *)&m->flow.key.eth_type)[0] << 8 |
				   ((const uint8_t *)&m->flow.key.eth_type)[1]);

	if (m->mask.key.eth_type != 0xffff)
		return false;
	if (t < 2)
		return type == 0x0800 || type == 0x0806 || type == 0x8035;
	return type == 0x86dd;
}

void classifier_init(struct classifier *cls)
{
	size_t i;

	memset(cls, 0, sizeof *cls);
	for (i = 0; i < CLS_N_TRIES; i++)
		cls_trie_init(&cls->tries[i], trie_ranges[i].ofs,
			      trie_ranges[i].n_bytes);
}

static void subtable_free(struct cls_subtable *st)
{
	int s;

	if (!st)
		return;
	for (s = 0; s < CLS_N_STAGES; s++)
		cls_hset_free(&st->index[s]);
	free(st->ent);
	free(st->buckets);
	free(st);
}

void classifier_destroy(struct classifier *cls)
{
	size_t i, b;

	for (i = 0; i < cls->n_subtables; i++) {
		struct cls_subtable *st = cls->subtables[i];

		/* Rules still in: give back what the classifier allocated for
		 * them and leave them unlinked. */
		for (b = 0; st->buckets && b <= st->bmask; b++) {
			struct cls_rule *h, *hn, *r, *rn;

			for (h = st->buckets[b]; h; h = hn) {
				hn = h->hnext;
				for (r = h; r; r = rn) {
					rn = r->same;
					if (r->vals != r->ivals)
						free(r->vals);
					r->vals = NULL;
					r->subtable = NULL;
					r->same = r->hnext = NULL;
				}
			}
		}
		subtable_free(st);
	}
	free(cls->subtables);
	for (i = 0; i < CLS_N_TRIES; i++)
		cls_trie_destroy(&cls->tries[i]);
	memset(cls, 0, sizeof *cls);
}

static struct cls_subtable *subtable_create(const struct classifier *cls,
					    const struct ofp_flow *mask)
{
	const dp_key_word *mw = flow_words(mask);
	struct cls_entry ent[OFP_FLOW_WORDS * CLS_N_STAGES];
	struct cls_subtable *st = calloc(1, sizeof *st);
	size_t w, n = 0;
	int s, t;

	if (!st)
		return NULL;
	st->mask = *mask;
	st->last_stage = -1;
	for (s = 0; s < CLS_N_STAGES; s++) {
		for (w = 0; w < OFP_FLOW_WORDS; w++) {
			uint64_t bits = mw[w] ? mw[w] & stage_bits(w, s) : 0;

			if (bits) {
				ent[n].idx = (uint32_t)w;
				ent[n].m = bits;
				ent[n].pad = 0;
				n++;
				st->last_stage = s;
			}
		}
		st->stage_end[s] = (uint16_t)n;
	}
	st->n_entries = (uint16_t)n;
	st->ent = malloc((n ? n : 1) * sizeof *st->ent);
	if (!st->ent) {
		subtable_free(st);
		return NULL;
	}
	memcpy(st->ent, ent, n * sizeof *ent);
	for (t = 0; t < CLS_N_TRIES; t++) {
		int plen = cls_trie_prefix_len(&cls->tries[t], mask);

		st->trie_plen[t] = plen > 0 ? plen : 0;
		st->any_trie = st->any_trie || plen > 0;
	}
	return st;
}

/* --- rule values ---------------------------------------------------------------- */

static bool vals_match(const struct cls_subtable *st, const uint64_t *vals,
		       const dp_key_word *f)
{
	size_t e;

	for (e = 0; e < st->n_entries; e++)
		if ((f[st->ent[e].idx] & st->ent[e].m) != vals[e])
			return false;
	return true;
}

static bool vals_equal(const struct cls_subtable *st, const uint64_t *a,
		       const uint64_t *b)
{
	return !memcmp(a, b, st->n_entries * sizeof *a);
}

/* The cumulative hashes of a rule's values: stage[s] after stage s. */
static uint64_t rule_hashes(const struct cls_subtable *st, const uint64_t *vals,
			    uint64_t stage[CLS_N_STAGES])
{
	uint64_t h = HASH_BASIS;
	size_t e = 0;
	int s;

	for (s = 0; s < CLS_N_STAGES; s++) {
		for (; e < st->stage_end[s]; e++)
			h = mix(h, vals[e]);
		stage[s] = fin(h);
	}
	return fin(h);
}

/* Stages with an index: not empty, not the last. */
static bool stage_indexed(const struct cls_subtable *st, int s)
{
	int prev = s ? st->stage_end[s - 1] : 0;

	return s < st->last_stage && st->stage_end[s] > prev;
}

/* --- buckets -------------------------------------------------------------------- */

static struct cls_rule **head_slot(const struct cls_subtable *st, uint64_t hash,
				   const uint64_t *vals)
{
	struct cls_rule **p;

	if (!st->buckets)
		return NULL;
	for (p = &st->buckets[hash & st->bmask]; *p; p = &(*p)->hnext)
		if ((*p)->hash == hash && vals_equal(st, (*p)->vals, vals))
			return p;
	return NULL;
}

static int buckets_grow(struct cls_subtable *st)
{
	size_t cap = st->buckets ? (st->bmask + 1) * 2 : 8, i;
	struct cls_rule **b = calloc(cap, sizeof *b);

	if (!b)
		return -ENOMEM;
	for (i = 0; st->buckets && i <= st->bmask; i++) {
		struct cls_rule *r = st->buckets[i], *next;

		for (; r; r = next) {
			next = r->hnext;
			r->hnext = b[r->hash & (cap - 1)];
			b[r->hash & (cap - 1)] = r;
		}
	}
	free(st->buckets);
	st->buckets = b;
	st->bmask = cap - 1;
	return 0;
}

static bool better(const struct cls_rule *a, const struct cls_rule *b)
{
	return a->priority > b->priority ||
	       (a->priority == b->priority && a->seq < b->seq);
}

/* --- subtable order -------------------------------------------------------------- */

static size_t subtable_pos(const struct classifier *cls,
			   const struct cls_subtable *st)
{
	size_t i;

	for (i = 0; i < cls->n_subtables; i++)
		if (cls->subtables[i] == st)
			return i;
	return cls->n_subtables;
}

/* Move subtables[i] to where its max_priority belongs. */
static void resort(struct classifier *cls, size_t i)
{
	struct cls_subtable **a = cls->subtables, *st = a[i];

	while (i > 0 && a[i - 1]->max_priority < st->max_priority) {
		a[i] = a[i - 1];
		i--;
	}
	while (i + 1 < cls->n_subtables && a[i + 1]->max_priority > st->max_priority) {
		a[i] = a[i + 1];
		i++;
	}
	a[i] = st;
}

static void recompute_max(struct cls_subtable *st)
{
	size_t i;

	st->max_priority = INT32_MIN;
	st->max_count = 0;
	for (i = 0; st->buckets && i <= st->bmask; i++) {
		const struct cls_rule *h;

		for (h = st->buckets[i]; h; h = h->hnext) {
			const struct cls_rule *r;

			for (r = h; r; r = r->same) {
				if (r->priority > st->max_priority) {
					st->max_priority = r->priority;
					st->max_count = 1;
				} else if (r->priority == st->max_priority) {
					st->max_count++;
				}
			}
		}
	}
}

/* --- insert / remove ---------------------------------------------------------------- */

static struct cls_subtable *find_subtable(const struct classifier *cls,
					  const struct ofp_flow *mask)
{
	size_t i;

	for (i = 0; i < cls->n_subtables; i++)
		if (!memcmp(&cls->subtables[i]->mask, mask, sizeof *mask))
			return cls->subtables[i];
	return NULL;
}

static void index_undo(struct cls_subtable *st, const uint64_t *hs, int upto)
{
	int s;

	for (s = 0; s < upto; s++)
		if (stage_indexed(st, s))
			cls_hset_del(&st->index[s], hs[s]);
}

/* Take a rule's prefixes out of tries [0, upto) again. */
static void tries_undo(struct classifier *cls, struct cls_subtable *st,
		       const struct ofp_match *m, int upto)
{
	int t;

	for (t = 0; t < upto; t++) {
		if (!st->trie_plen[t])
			continue;
		if (in_family(t, m))
			cls_trie_remove(&cls->tries[t], &m->flow,
					(unsigned)st->trie_plen[t]);
		else
			st->outsiders[t]--;
	}
}

int classifier_insert(struct classifier *cls, struct cls_rule *rule,
		      const struct ofp_match *match, int priority, uint64_t seq)
{
	struct cls_subtable *st = find_subtable(cls, &match->mask);
	const dp_key_word *f = flow_words(&match->flow);
	uint64_t hs[CLS_N_STAGES];
	bool new_st = false;
	struct cls_rule **slot;
	size_t e;
	int s, t;

	if (!st) {
		if (cls->n_subtables == cls->alloc) {
			size_t n = cls->alloc ? cls->alloc * 2 : 8;
			struct cls_subtable **a = realloc(cls->subtables, n * sizeof *a);

			if (!a)
				return -ENOMEM;
			cls->subtables = a;
			cls->alloc = n;
		}
		st = subtable_create(cls, &match->mask);
		if (!st)
			return -ENOMEM;
		st->max_priority = priority;
		new_st = true;
	}
	memset(rule, 0, sizeof *rule);
	rule->priority = priority;
	rule->seq = seq;
	rule->subtable = st;
	rule->vals = st->n_entries <= CLS_INLINE_VALS ? rule->ivals :
		     malloc(st->n_entries * sizeof *rule->vals);
	if (!rule->vals)
		goto nomem;
	for (e = 0; e < st->n_entries; e++)
		rule->vals[e] = f[st->ent[e].idx] & st->ent[e].m;
	rule->hash = rule_hashes(st, rule->vals, hs);

	for (s = 0; s < CLS_N_STAGES; s++) {
		if (stage_indexed(st, s) && cls_hset_add(&st->index[s], hs[s])) {
			index_undo(st, hs, s);
			goto nomem;
		}
	}
	for (t = 0; t < CLS_N_TRIES; t++) {
		if (!st->trie_plen[t])
			continue;
		if (!in_family(t, match)) {
			st->outsiders[t]++;
			continue;
		}
		if (cls_trie_insert(&cls->tries[t], &match->flow,
				    (unsigned)st->trie_plen[t])) {
			tries_undo(cls, st, match, t);
			index_undo(st, hs, CLS_N_STAGES);
			goto nomem;
		}
	}

	slot = head_slot(st, rule->hash, rule->vals);
	if (slot) {
		struct cls_rule **pp = slot;

		/* Identical values: keep the chain best first. */
		while (*pp && !better(rule, *pp))
			pp = &(*pp)->same;
		if (pp == slot) {
			rule->hnext = (*slot)->hnext;
			(*slot)->hnext = NULL;
		}
		rule->same = *pp;
		*pp = rule;
	} else {
		if (st->n_heads + 1 > (st->buckets ? st->bmask + 1 : 0) &&
		    buckets_grow(st)) {
			tries_undo(cls, st, match, CLS_N_TRIES);
			index_undo(st, hs, CLS_N_STAGES);
			goto nomem;
		}
		rule->hnext = st->buckets[rule->hash & st->bmask];
		st->buckets[rule->hash & st->bmask] = rule;
		st->n_heads++;
	}

	st->n_rules++;
	if (priority > st->max_priority || new_st) {
		st->max_priority = priority;
		st->max_count = 1;
	} else if (priority == st->max_priority) {
		st->max_count++;
	}
	if (new_st)
		cls->subtables[cls->n_subtables++] = st;
	resort(cls, subtable_pos(cls, st));
	cls->n_rules++;
	cls->gen++;
	return 0;

nomem:
	if (rule->vals != rule->ivals)
		free(rule->vals);
	rule->vals = NULL;
	rule->subtable = NULL;
	if (new_st)
		subtable_free(st);
	return -ENOMEM;
}

void cls_rule_get_match(const struct cls_rule *rule, struct ofp_match *match)
{
	const struct cls_subtable *st = rule->subtable;
	dp_key_word *f = (dp_key_word *)(void *)&match->flow;
	size_t e;

	memset(&match->flow, 0, sizeof match->flow);
	match->mask = st->mask;
	for (e = 0; e < st->n_entries; e++)
		f[st->ent[e].idx] |= rule->vals[e];
}

void classifier_remove(struct classifier *cls, struct cls_rule *rule)
{
	struct cls_subtable *st = rule->subtable;
	struct cls_rule **slot, **pp;
	uint64_t hs[CLS_N_STAGES];
	struct ofp_match m;
	size_t pos;

	if (!st)
		return;
	slot = head_slot(st, rule->hash, rule->vals);
	if (!slot)
		return;         /* not ours */
	for (pp = slot; *pp && *pp != rule; pp = &(*pp)->same)
		;
	if (!*pp)
		return;
	if (pp == slot) {
		if (rule->same) {
			rule->same->hnext = rule->hnext;
			*slot = rule->same;
		} else {
			*slot = rule->hnext;
			st->n_heads--;
		}
	} else {
		*pp = rule->same;
	}

	rule_hashes(st, rule->vals, hs);
	index_undo(st, hs, CLS_N_STAGES);
	cls_rule_get_match(rule, &m);
	tries_undo(cls, st, &m, CLS_N_TRIES);

	if (rule->vals != rule->ivals)
		free(rule->vals);
	rule->vals = NULL;
	rule->subtable = NULL;
	rule->same = rule->hnext = NULL;
	cls->n_rules--;
	cls->gen++;

	pos = subtable_pos(cls, st);
	if (--st->n_rules == 0) {
		memmove(&cls->subtables[pos], &cls->subtables[pos + 1],
			(cls->n_subtables - pos - 1) * sizeof *cls->subtables);
		cls->n_subtables--;
		subtable_free(st);
		return;
	}
	if (rule->priority == st->max_priority && --st->max_count == 0) {
		recompute_max(st);
		resort(cls, pos);
	}
}

/* --- lookup ----------------------------------------------------------------------- */

struct trie_ctx {
	bool done[CLS_N_TRIES];
	struct cls_trie_result r[CLS_N_TRIES];
};

/* Un-wildcard the subtable's bits of entries [0, end). */
static void fold(const struct cls_subtable *st, dp_key_word *wc, size_t end)
{
	size_t e;

	for (e = 0; e < end; e++)
		wc[st->ent[e].idx] |= st->ent[e].m;
}

/* Can a trie rule the subtable out?  If so, un-wildcard what it took. */
static bool trie_skip(const struct classifier *cls, const struct cls_subtable *st,
		      const struct ofp_flow *flow, struct ofp_flow *wc,
		      struct trie_ctx *tc)
{
	int t;

	for (t = 0; t < CLS_N_TRIES; t++) {
		unsigned plen = (unsigned)st->trie_plen[t], n;

		if (!plen || st->outsiders[t])
			continue;
		if (!tc->done[t]) {
			cls_trie_lookup(&cls->tries[t], flow, &tc->r[t]);
			tc->done[t] = true;
		}
		if (cls_trie_has_plen(&tc->r[t], plen))
			continue;
		n = tc->r[t].nbits < plen ? tc->r[t].nbits : plen;
		if (wc)
			cls_trie_unwildcard(&cls->tries[t], wc, n);
		return true;
	}
	return false;
}

const struct cls_rule *classifier_lookup(const struct classifier *cls,
					 const struct ofp_flow *flow,
					 struct ofp_flow *wc)
{
	const dp_key_word *f = flow_words(flow);
	dp_key_word *w = wc ? (dp_key_word *)(void *)wc : NULL;
	const struct cls_rule *best = NULL;
	struct trie_ctx tc;
	size_t i;

	memset(tc.done, 0, sizeof tc.done);
	for (i = 0; i < cls->n_subtables; i++) {
		const struct cls_subtable *st = cls->subtables[i];
		const struct cls_rule *r;
		uint64_t h = HASH_BASIS;
		size_t e = 0;
		int s;

		if (best && st->max_priority < best->priority)
			break;
		for (s = 0; s <= st->last_stage; s++) {
			size_t end = st->stage_end[s];

			if (e == end)
				continue;
			if (s == TRIE_STAGE && st->any_trie &&
			    trie_skip(cls, st, flow, wc, &tc))
				goto next;
			for (; e < end; e++)
				h = mix(h, f[st->ent[e].idx] & st->ent[e].m);
			if (s < st->last_stage &&
			    !cls_hset_contains(&st->index[s], fin(h))) {
				if (w)
					fold(st, w, end);
				goto next;
			}
		}
		/* All stages hashed (or none: the catch-all mask). */
		h = fin(h);
		if (w)
			fold(st, w, st->n_entries);
		for (r = st->buckets ? st->buckets[h & st->bmask] : NULL; r;
		     r = r->hnext) {
			if (r->hash == h && vals_match(st, r->vals, f)) {
				if (!best || better(r, best))
					best = r;
				break;
			}
		}
next:
		;
	}
	return best;
}

struct cls_rule *classifier_find_exact(const struct classifier *cls,
				       const struct ofp_match *match,
				       int priority)
{
	const struct cls_subtable *st = find_subtable(cls, &match->mask);
	const dp_key_word *f = flow_words(&match->flow);
	uint64_t vals[OFP_FLOW_WORDS * CLS_N_STAGES], hs[CLS_N_STAGES];
	struct cls_rule **slot, *r;
	size_t e;

	if (!st)
		return NULL;
	for (e = 0; e < st->n_entries; e++)
		vals[e] = f[st->ent[e].idx] & st->ent[e].m;
	slot = head_slot(st, rule_hashes(st, vals, hs), vals);
	for (r = slot ? *slot : NULL; r; r = r->same)
		if (r->priority == priority)
			return r;
	return NULL;
}

size_t classifier_rules(const struct classifier *cls, struct cls_rule ***out)
{
	struct cls_rule **a;
	size_t n = 0, i, b;

	*out = NULL;
	if (!cls->n_rules)
		return 0;
	a = malloc(cls->n_rules * sizeof *a);
	if (!a)
		return 0;
	for (i = 0; i < cls->n_subtables; i++) {
		const struct cls_subtable *st = cls->subtables[i];

		for (b = 0; st->buckets && b <= st->bmask; b++) {
			struct cls_rule *h, *r;

			for (h = st->buckets[b]; h; h = h->hnext)
				for (r = h; r; r = r->same)
					a[n++] = r;
		}
	}
	*out = a;
	return n;
}
