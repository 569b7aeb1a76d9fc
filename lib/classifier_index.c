/*
 * classifier_index.c - counted hash sets for the classifier's stages.
 */
#include "classifier_index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int cls_hset_grow(struct cls_hset *s)
{
	size_t cap = s->mask ? (s->mask + 1) * 2 : 16, i;
	uint64_t *keys = calloc(cap, sizeof *keys);
	uint32_t *counts = calloc(cap, sizeof *counts);

	if (!keys || !counts) {
		free(keys);
		free(counts);
		return -ENOMEM;
	}
	for (i = 0; s->mask && i <= s->mask; i++) {
		size_t j;

		if (!s->keys[i])
			continue;
		for (j = s->keys[i] & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
			;
		keys[j] = s->keys[i];
		counts[j] = s->counts[i];
	}
	free(s->keys);
	free(s->counts);
	s->keys = keys;
	s->counts = counts;
	s->mask = cap - 1;
	return 0;
}

bool cls_hset_contains(const struct cls_hset *s, uint64_t h)
{
	size_t i;

	if (!s->mask)
		return false;
	for (i = h & s->mask; s->keys[i]; i = (i + 1) & s->mask)
		if (s->keys[i] == h)
			return true;
	return false;
}

int cls_hset_add(struct cls_hset *s, uint64_t h)
{
	size_t i;

	if ((s->n + 1) * 2 > s->mask + 1 && cls_hset_grow(s))
		return -ENOMEM;
	for (i = h & s->mask; s->keys[i]; i = (i + 1) & s->mask) {
		if (s->keys[i] == h) {
			s->counts[i]++;
			return 0;
		}
	}
	s->keys[i] = h;
	s->counts[i] = 1;
	s->n++;
	return 0;
}

void cls_hset_del(struct cls_hset *s, uint64_t h)
{
	size_t i, j;

	if (!s->mask)
		return;
	for (i = h & s->mask; s->keys[i] && s->keys[i] != h; i = (i + 1) & s->mask)
		;
	if (!s->keys[i] || --s->counts[i])
		return;
	/* Backward-shift deletion keeps every probe sequence unbroken. */
	s->n--;
	for (j = (i + 1) & s->mask; s->keys[j]; j = (j + 1) & s->mask) {
		size_t home = s->keys[j] & s->mask;

		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			s->keys[i] = s->keys[j];
			s->counts[i] = s->counts[j];
			i = j;
		}
	}
	s->keys[i] = 0;
	s->counts[i] = 0;
}

void cls_hset_free(struct cls_hset *s)
{
	free(s->keys);
	free(s->counts);
	memset(s, 0, sizeof *s);
}
