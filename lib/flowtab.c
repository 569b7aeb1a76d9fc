/* flowtab.c - the masked flow table; the algorithm is in flowtab.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flowtab.h"

#define FT_CACHE_SIZE   4096            /* entries, power of 2 */
#define FT_RESORT       8192            /* lookups between mask re-sorts */
#define FT_MIN_BUCKETS  16

struct ft_mask {
	struct dp_key mask;
	struct dp_key_range r;
	uint64_t hits;
	uint32_t n_flows;
	uint32_t n_buckets;             /* power of 2 */
	struct flowtab_flow **buckets;
};

struct ft_cache_ent {
	uint32_t hash;
	uint32_t epoch;
	struct flowtab_flow *flow;
};

struct flowtab {
	struct ft_mask **masks;         /* lookup order */
	uint32_t n_masks, cap_masks;
	struct dp_key_range cover;      /* union of the masks' ranges */
	uint32_t epoch;                 /* cache generation */
	uint32_t lookups;               /* since the last re-sort */

	struct flowtab_flow **ufids;    /* ufid hash table */
	uint32_t n_ufid_buckets;
	size_t n_flows;

	struct flowtab_flow **vec;      /* id order; NULL: deleted */
	uint64_t *vec_id;
	size_t vec_n, vec_cap;
	uint64_t next_id;

	struct ft_cache_ent cache[FT_CACHE_SIZE];
};

static inline uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w * 0x9e3779b97f4a7c15ull;
	h = (h << 27 | h >> 37) * 0xff51afd7ed558ccdull;
	return h;
}

static inline uint32_t fin(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

static inline const dp_key_word *words(const struct dp_key *k)
{
	return (const dp_key_word *)(const void *)k;
}

/* Hash of key & mask over the mask's range. */
static inline uint32_t masked_hash(const struct dp_key *key, const struct ft_mask *m)
{
	const dp_key_word *k = words(key), *mw = words(&m->mask);
	uint64_t h = m->r.start;
	unsigned i;

	for (i = m->r.start / 8u; i < m->r.end / 8u; i++)
		h = mix(h, k[i] & mw[i]);
	return fin(h);
}

/* Hash of an already masked key. */
static uint32_t mkey_hash(const struct dp_key *mkey, const struct ft_mask *m)
{
	const dp_key_word *k = words(mkey);
	uint64_t h = m->r.start;
	unsigned i;

	for (i = m->r.start / 8u; i < m->r.end / 8u; i++)
		h = mix(h, k[i]);
	return fin(h);
}

static inline bool masked_eq(const struct dp_key *key, const struct flowtab_flow *f,
			     const struct ft_mask *m)
{
	const dp_key_word *k = words(key), *mw = words(&m->mask), *fk = words(&f->mkey);
	unsigned i;

	for (i = m->r.start / 8u; i < m->r.end / 8u; i++)
		if ((k[i] & mw[i]) != fk[i])
			return false;
	return true;
}

bool flowtab_flow_matches(const struct flowtab_flow *f, const struct dp_key *key)
{
	return masked_eq(key, f, f->mask);
}

const struct dp_key *flowtab_flow_mask(const struct flowtab_flow *f)
{
	return &f->mask->mask;
}

static uint32_t cover_hash(const struct flowtab *t, const struct dp_key *key)
{
	const dp_key_word *k = words(key);
	uint64_t h = 0x5bd1e995;
	unsigned i;

	for (i = t->cover.start / 8u; i < t->cover.end / 8u; i++)
		h = mix(h, k[i]);
	return fin(h);
}

static uint32_t ufid_hash(const uint8_t ufid[16])
{
	uint64_t a, b;

	memcpy(&a, ufid, 8);
	memcpy(&b, ufid + 8, 8);
	return fin(mix(mix(0, a), b));
}

struct flowtab *flowtab_create(void)
{
	struct flowtab *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->n_ufid_buckets = FT_MIN_BUCKETS;
	t->ufids = calloc(t->n_ufid_buckets, sizeof *t->ufids);
	if (!t->ufids) {
		free(t);
		return NULL;
	}
	t->epoch = 1;
	t->next_id = 1;
	return t;
}

void flowtab_destroy(struct flowtab *t)
{
	if (!t)
		return;
	flowtab_flush(t);
	free(t->masks);
	free(t->ufids);
	free(t->vec);
	free(t->vec_id);
	free(t);
}

static void update_cover(struct flowtab *t)
{
	uint32_t i;

	t->cover.start = t->cover.end = 0;
	for (i = 0; i < t->n_masks; i++) {
		const struct dp_key_range *r = &t->masks[i]->r;

		if (i == 0 || r->start < t->cover.start)
			t->cover.start = r->start;
		if (r->end > t->cover.end)
			t->cover.end = r->end;
	}
	t->epoch++;
}

static struct ft_mask *find_mask(const struct flowtab *t, const struct dp_key *mask)
{
	uint32_t i;

	for (i = 0; i < t->n_masks; i++)
		if (!memcmp(&t->masks[i]->mask, mask, sizeof *mask))
			return t->masks[i];
	return NULL;
}

static struct ft_mask *add_mask(struct flowtab *t, const struct dp_key *mask)
{
	struct ft_mask *m;

	if (t->n_masks == t->cap_masks) {
		uint32_t cap = t->cap_masks ? t->cap_masks * 2 : 8;
		struct ft_mask **v = realloc(t->masks, cap * sizeof *v);

		if (!v)
			return NULL;
		t->masks = v;
		t->cap_masks = cap;
	}
	m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->buckets = calloc(FT_MIN_BUCKETS, sizeof *m->buckets);
	if (!m->buckets) {
		free(m);
		return NULL;
	}
	m->n_buckets = FT_MIN_BUCKETS;
	m->mask = *mask;
	m->r = dp_key_range(mask);
	t->masks[t->n_masks++] = m;
	update_cover(t);
	return m;
}

static void del_mask(struct flowtab *t, struct ft_mask *m)
{
	uint32_t i;

	for (i = 0; i < t->n_masks; i++) {
		if (t->masks[i] == m) {
			memmove(&t->masks[i], &t->masks[i + 1],
				(t->n_masks - i - 1) * sizeof *t->masks);
			t->n_masks--;
			break;
		}
	}
	free(m->buckets);
	free(m);
	update_cover(t);
}

/* Double a mask's bucket array when it averages two flows a bucket. */
static void maybe_grow(struct ft_mask *m)
{
	struct flowtab_flow **nb, *f, *next;
	uint32_t n = m->n_buckets * 2, i;

	if (m->n_flows <= m->n_buckets * 2)
		return;
	nb = calloc(n, sizeof *nb);
	if (!nb)
		return;                 /* longer chains, still correct */
	for (i = 0; i < m->n_buckets; i++) {
		for (f = m->buckets[i]; f; f = next) {
			next = f->next;
			f->next = nb[f->hash & (n - 1)];
			nb[f->hash & (n - 1)] = f;
		}
	}
	free(m->buckets);
	m->buckets = nb;
	m->n_buckets = n;
}

static void maybe_grow_ufids(struct flowtab *t)
{
	struct flowtab_flow **nb, *f, *next;
	uint32_t n = t->n_ufid_buckets * 2, i;

	if (t->n_flows <= t->n_ufid_buckets * 2)
		return;
	nb = calloc(n, sizeof *nb);
	if (!nb)
		return;
	for (i = 0; i < t->n_ufid_buckets; i++) {
		for (f = t->ufids[i]; f; f = next) {
			next = f->ufid_next;
			f->ufid_next = nb[f->ufid_hash & (n - 1)];
			nb[f->ufid_hash & (n - 1)] = f;
		}
	}
	free(t->ufids);
	t->ufids = nb;
	t->n_ufid_buckets = n;
}

static struct flowtab_flow *find_in_mask(const struct ft_mask *m,
					 const struct dp_key *mkey, uint32_t hash)
{
	struct flowtab_flow *f;

	for (f = m->buckets[hash & (m->n_buckets - 1)]; f; f = f->next)
		if (f->hash == hash && !memcmp(&f->mkey, mkey, sizeof *mkey))
			return f;
	return NULL;
}

/* Drop tombstones from the id vector when they are the majority. */
static void compact(struct flowtab *t)
{
	size_t i, j = 0;

	if (t->vec_n < 64 || t->n_flows * 2 > t->vec_n)
		return;
	for (i = 0; i < t->vec_n; i++) {
		if (t->vec[i]) {
			t->vec[j] = t->vec[i];
			t->vec_id[j] = t->vec_id[i];
			t->vec[j]->vec_idx = j;
			j++;
		}
	}
	t->vec_n = j;
}

static int vec_append(struct flowtab *t, struct flowtab_flow *f)
{
	if (t->vec_n == t->vec_cap) {
		size_t cap = t->vec_cap ? t->vec_cap * 2 : 64;
		struct flowtab_flow **v = realloc(t->vec, cap * sizeof *v);
		uint64_t *ids;

		if (!v)
			return -ENOMEM;
		t->vec = v;
		ids = realloc(t->vec_id, cap * sizeof *ids);
		if (!ids)
			return -ENOMEM;
		t->vec_id = ids;
		t->vec_cap = cap;
	}
	f->vec_idx = t->vec_n;
	t->vec[t->vec_n] = f;
	t->vec_id[t->vec_n] = f->id;
	t->vec_n++;
	return 0;
}

int flowtab_insert(struct flowtab *t, const struct dp_key *key,
		   const struct dp_key *mask, const void *acts, size_t acts_len,
		   const uint8_t *ufid, struct flowtab_flow **out,
		   struct dp_err *err)
{
	struct flowtab_flow *f;
	struct ft_mask *m;
	struct dp_key mkey;
	bool new_mask = false;
	uint32_t h;

	if (ufid && flowtab_find_ufid(t, ufid))
		return dp_err_set(err, EEXIST, "a flow with this ufid exists");
	dp_key_apply_mask(&mkey, key, mask);
	m = find_mask(t, mask);
	if (m) {
		h = mkey_hash(&mkey, m);
		if (find_in_mask(m, &mkey, h))
			return dp_err_set(err, EEXIST,
					  "a flow with this key and mask exists");
	} else {
		m = add_mask(t, mask);
		if (!m)
			return dp_err_set(err, ENOMEM, "out of memory");
		new_mask = true;
		h = mkey_hash(&mkey, m);
	}

	f = calloc(1, sizeof *f);
	if (!f || (acts_len && !(f->acts = malloc(acts_len))))
		goto nomem;
	if (acts_len)
		memcpy(f->acts, acts, acts_len);
	f->acts_len = acts_len;
	f->mkey = mkey;
	f->key = *key;
	f->mask = m;
	f->hash = h;
	f->id = t->next_id++;
	if (vec_append(t, f) < 0)
		goto nomem;
	if (ufid) {
		memcpy(f->ufid, ufid, 16);
		f->has_ufid = true;
		f->ufid_hash = ufid_hash(ufid);
		f->ufid_next = t->ufids[f->ufid_hash & (t->n_ufid_buckets - 1)];
		t->ufids[f->ufid_hash & (t->n_ufid_buckets - 1)] = f;
	}
	f->next = m->buckets[h & (m->n_buckets - 1)];
	m->buckets[h & (m->n_buckets - 1)] = f;
	m->n_flows++;
	t->n_flows++;
	maybe_grow(m);
	maybe_grow_ufids(t);
	if (out)
		*out = f;
	return 0;

nomem:
	if (f)
		free(f->acts);
	free(f);
	if (new_mask)
		del_mask(t, m);
	return dp_err_set(err, ENOMEM, "out of memory");
}

/* Sort masks by hits, most first; halve the counts so the order follows
 * the recent traffic.  Insertion sort: few masks, nearly sorted. */
static void resort(struct flowtab *t)
{
	uint32_t i, j;

	for (i = 1; i < t->n_masks; i++) {
		struct ft_mask *m = t->masks[i];

		for (j = i; j > 0 && t->masks[j - 1]->hits < m->hits; j--)
			t->masks[j] = t->masks[j - 1];
		t->masks[j] = m;
	}
	for (i = 0; i < t->n_masks; i++)
		t->masks[i]->hits >>= 1;
	t->lookups = 0;
}

struct flowtab_flow *flowtab_lookup(struct flowtab *t, const struct dp_key *key,
				    uint32_t *n_mask_hit, bool *cache_hit)
{
	struct ft_cache_ent *e = NULL;
	uint32_t i, ch = 0;

	if (cache_hit)
		*cache_hit = false;
	if (++t->lookups >= FT_RESORT)
		resort(t);
	if (t->n_masks >= 2) {
		ch = cover_hash(t, key);
		e = &t->cache[ch & (FT_CACHE_SIZE - 1)];
		if (e->epoch == t->epoch && e->hash == ch &&
		    masked_eq(key, e->flow, e->flow->mask)) {
			if (n_mask_hit)
				(*n_mask_hit)++;
			if (cache_hit)
				*cache_hit = true;
			((struct ft_mask *)e->flow->mask)->hits++;
			return e->flow;
		}
	}
	for (i = 0; i < t->n_masks; i++) {
		struct ft_mask *m = t->masks[i];
		uint32_t h = masked_hash(key, m);
		struct flowtab_flow *f;

		for (f = m->buckets[h & (m->n_buckets - 1)]; f; f = f->next) {
			if (f->hash == h && masked_eq(key, f, m)) {
				if (n_mask_hit)
					*n_mask_hit += i + 1;
				m->hits++;
				if (e) {
					e->hash = ch;
					e->epoch = t->epoch;
					e->flow = f;
				}
				return f;
			}
		}
	}
	if (n_mask_hit)
		*n_mask_hit += t->n_masks;
	return NULL;
}

struct flowtab_flow *flowtab_find_ufid(const struct flowtab *t,
				       const uint8_t ufid[16])
{
	uint32_t h = ufid_hash(ufid);
	struct flowtab_flow *f;

	for (f = t->ufids[h & (t->n_ufid_buckets - 1)]; f; f = f->ufid_next)
		if (f->ufid_hash == h && !memcmp(f->ufid, ufid, 16))
			return f;
	return NULL;
}

struct flowtab_flow *flowtab_find_exact(const struct flowtab *t,
					const struct dp_key *key,
					const struct dp_key *mask)
{
	struct ft_mask *m = find_mask(t, mask);
	struct dp_key mkey;

	if (!m)
		return NULL;
	dp_key_apply_mask(&mkey, key, mask);
	return find_in_mask(m, &mkey, mkey_hash(&mkey, m));
}

int flowtab_set_actions(struct flowtab *t, struct flowtab_flow *f,
			const void *acts, size_t acts_len)
{
	void *copy = NULL;

	(void)t;
	if (acts_len) {
		copy = malloc(acts_len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, acts, acts_len);
	}
	free(f->acts);
	f->acts = copy;
	f->acts_len = acts_len;
	return 0;
}

static void remove_flow(struct flowtab *t, struct flowtab_flow *f)
{
	struct ft_mask *m = (struct ft_mask *)f->mask;
	struct flowtab_flow **pp;

	for (pp = &m->buckets[f->hash & (m->n_buckets - 1)]; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	if (f->has_ufid) {
		for (pp = &t->ufids[f->ufid_hash & (t->n_ufid_buckets - 1)]; *pp;
		     pp = &(*pp)->ufid_next) {
			if (*pp == f) {
				*pp = f->ufid_next;
				break;
			}
		}
	}
	t->vec[f->vec_idx] = NULL;
	t->n_flows--;
	t->epoch++;
	if (--m->n_flows == 0)
		del_mask(t, m);
	free(f->acts);
	free(f);
}

void flowtab_remove(struct flowtab *t, struct flowtab_flow *f)
{
	remove_flow(t, f);
	compact(t);
}

void flowtab_flush(struct flowtab *t)
{
	size_t i;

	for (i = 0; i < t->vec_n; i++)
		if (t->vec[i])
			remove_flow(t, t->vec[i]);
	t->vec_n = 0;
}

struct flowtab_flow *flowtab_next(const struct flowtab *t, uint64_t *cursor)
{
	size_t lo = 0, hi = t->vec_n;

	/* First slot whose id is past the cursor. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->vec_id[mid] <= *cursor)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->vec_n; lo++) {
		if (t->vec[lo]) {
			*cursor = t->vec_id[lo];
			return t->vec[lo];
		}
	}
	return NULL;
}

size_t flowtab_count(const struct flowtab *t)
{
	return t->n_flows;
}

struct flowtab_mask_stats flowtab_mask_stats(const struct flowtab *t)
{
	struct flowtab_mask_stats s = { t->n_masks, (uint32_t)t->n_flows };

	return s;
}
