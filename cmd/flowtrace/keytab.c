/* keytab.c - a table of distinct flow keys (see keytab.h). */
#include "keytab.h"

#include <stdlib.h>
#include <string.h>

void keytab_init(struct keytab *t, size_t max)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->entries);
	buf_init(&t->text);
	t->max = max;
}

void keytab_free(struct keytab *t)
{
	buf_free(&t->entries);
	buf_free(&t->text);
	free(t->index);
	memset(t, 0, sizeof *t);
}

/* Four independent multiply-add lanes over the words (so the multiplies
 * overlap), then a final mix: the keys of a capture differ in a few
 * address and port bytes, which this spreads over the whole hash. */
static uint32_t hash_key(const dp_key_word *w)
{
	uint64_t a = 0x9e3779b97f4a7c15ull, b = 0xc2b2ae3d27d4eb4full;
	uint64_t c = 0x165667b19e3779f9ull, d = 0x27d4eb2f165667c5ull, h;
	size_t i;

	_Static_assert(KEYTAB_KEY_WORDS % 4 == 0, "four lanes");
	for (i = 0; i < KEYTAB_KEY_WORDS; i += 4) {
		a = (a ^ w[i]) * 0xff51afd7ed558ccdull;
		b = (b ^ w[i + 1]) * 0xc4ceb9fe1a85ec53ull;
		c = (c ^ w[i + 2]) * 0x9fb21c651e98df25ull;
		d = (d ^ w[i + 3]) * 0xd6e8feb86659fd93ull;
	}
	h = (a ^ (a >> 31)) + (b ^ (b >> 29)) + (c ^ (c >> 32)) +
	    (d ^ (d >> 27));
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	return (uint32_t)(h ^ (h >> 32));
}

static int index_grow(struct keytab *t)
{
	size_t n = t->index_size ? t->index_size * 2 : 1024, i;
	uint32_t *idx = calloc(n, sizeof *idx);

	if (!idx)
		return -1;
	for (i = 0; i < t->n; i++) {
		size_t j = keytab_at(t, i)->hash & (n - 1);

		while (idx[j])
			j = (j + 1) & (n - 1);
		idx[j] = (uint32_t)i + 1;
	}
	free(t->index);
	t->index = idx;
	t->index_size = n;
	return 0;
}

uint32_t keytab_hash(const struct dp_key *key)
{
	return hash_key((const dp_key_word *)(const void *)key);
}

struct keytab_entry *keytab_get(struct keytab *t, const struct dp_key *key,
				bool *oom)
{
	return keytab_get_hashed(t, key, keytab_hash(key), oom);
}

struct keytab_entry *keytab_get_hashed(struct keytab *t,
				       const struct dp_key *key, uint32_t h,
				       bool *oom)
{
	const dp_key_word *w = (const dp_key_word *)(const void *)key;
	struct keytab_entry *e;
	size_t j = 0;

	if (t->index_size) {
		for (j = h & (t->index_size - 1); t->index[j];
		     j = (j + 1) & (t->index_size - 1)) {
			e = keytab_at(t, t->index[j] - 1);
			if (e->hash == h && !memcmp(e->key, w, sizeof e->key))
				return e;
		}
	}
	if (t->max && t->n >= t->max)
		return NULL;
	/* at most half full, so that probes stay short */
	if ((t->n + 1) * 2 > t->index_size) {
		if (index_grow(t))
			goto nomem;
		for (j = h & (t->index_size - 1); t->index[j];
		     j = (j + 1) & (t->index_size - 1))
			;
	}
	e = buf_put_zeros(&t->entries, sizeof *e);
	if (!e)
		goto nomem;
	memcpy(e->key, w, sizeof e->key);
	e->hash = h;
	t->index[j] = (uint32_t)++t->n;
	return e;
nomem:
	if (oom)
		*oom = true;
	return NULL;
}

void keytab_prefetch_entry(const struct keytab *t, uint32_t h)
{
	const char *e;
	uint32_t i;

	if (!t->index_size)
		return;
	i = t->index[h & (t->index_size - 1)];
	if (!i)
		return;
	e = (const char *)keytab_at(t, i - 1);
	__builtin_prefetch(e);
	__builtin_prefetch(e + 64);
	__builtin_prefetch(e + 128);
	__builtin_prefetch(e + 192);
	__builtin_prefetch(e + sizeof(struct keytab_entry) - 1);
}

void keytab_prefetch_text(const struct keytab *t, uint32_t h)
{
	const struct keytab_entry *e;
	const char *txt;
	uint32_t i;

	if (!t->index_size)
		return;
	i = t->index[h & (t->index_size - 1)];
	if (!i)
		return;
	e = keytab_at(t, i - 1);
	if (!e->text_len)
		return;
	txt = (const char *)t->text.data + e->text_ofs;
	__builtin_prefetch(txt);
	__builtin_prefetch(txt + 64);
	__builtin_prefetch(txt + 128);
	__builtin_prefetch(txt + 192);
	__builtin_prefetch(txt + 256);
}

void keytab_key(const struct keytab_entry *e, struct dp_key *key)
{
	dp_key_init(key);
	memcpy(key, e->key, sizeof e->key);
}
