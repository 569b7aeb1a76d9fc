/*
 * xlate_recirc.c - recirculation ids: a hash of frozen states by content
 * and by id, under one mutex.
 *
 * Ids count up from 1 and skip ids still in use when they wrap, so an id
 * is not reused while a megaflow or a packet in flight may still carry it.
 */
#include "xlate_recirc.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct rnode {
	struct rnode *by_id_next;
	struct rnode *by_state_next;
	uint32_t id;
	uint32_t refs;
	uint64_t hash;
	int64_t used_ms;
	size_t len;
	uint8_t state[];
};

struct xlate_recirc {
	pthread_mutex_t lock;
	struct rnode **by_id;
	struct rnode **by_state;
	size_t n_buckets;               /* power of 2, both tables */
	size_t n;
	uint32_t next_id;
};

static uint64_t hash_bytes(const void *p_, size_t len)
{
	const uint8_t *p = p_;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static size_t id_slot(const struct xlate_recirc *rc, uint32_t id)
{
	return (size_t)((id * 0x9e3779b1u) >> 7) & (rc->n_buckets - 1);
}

struct xlate_recirc *xlate_recirc_create(void)
{
	struct xlate_recirc *rc = calloc(1, sizeof *rc);

	if (!rc)
		return NULL;
	rc->n_buckets = 64;
	rc->by_id = calloc(rc->n_buckets, sizeof *rc->by_id);
	rc->by_state = calloc(rc->n_buckets, sizeof *rc->by_state);
	if (!rc->by_id || !rc->by_state) {
		free(rc->by_id);
		free(rc->by_state);
		free(rc);
		return NULL;
	}
	rc->next_id = 1;
	pthread_mutex_init(&rc->lock, NULL);
	return rc;
}

void xlate_recirc_destroy(struct xlate_recirc *rc)
{
	size_t i;

	if (!rc)
		return;
	for (i = 0; i < rc->n_buckets; i++) {
		struct rnode *n = rc->by_id[i], *next;

		for (; n; n = next) {
			next = n->by_id_next;
			free(n);
		}
	}
	free(rc->by_id);
	free(rc->by_state);
	pthread_mutex_destroy(&rc->lock);
	free(rc);
}

static struct rnode *find_id(const struct xlate_recirc *rc, uint32_t id)
{
	struct rnode *n = rc->by_id[id_slot(rc, id)];

	while (n && n->id != id)
		n = n->by_id_next;
	return n;
}

static void grow(struct xlate_recirc *rc)
{
	size_t nb = rc->n_buckets * 2, i;
	struct rnode **bi = calloc(nb, sizeof *bi), **bs = calloc(nb, sizeof *bs);
	struct xlate_recirc tmp;

	if (!bi || !bs) {
		free(bi);
		free(bs);
		return;                 /* longer chains, still correct */
	}
	tmp.n_buckets = nb;
	for (i = 0; i < rc->n_buckets; i++) {
		struct rnode *n = rc->by_id[i], *next;

		for (; n; n = next) {
			size_t s = id_slot(&tmp, n->id);
			size_t h = (size_t)n->hash & (nb - 1);

			next = n->by_id_next;
			n->by_id_next = bi[s];
			bi[s] = n;
			n->by_state_next = bs[h];
			bs[h] = n;
		}
	}
	free(rc->by_id);
	free(rc->by_state);
	rc->by_id = bi;
	rc->by_state = bs;
	rc->n_buckets = nb;
}

uint32_t xlate_recirc_get_id(struct xlate_recirc *rc, const void *state,
			     size_t len, int64_t now_ms)
{
	uint64_t h = hash_bytes(state, len);
	struct rnode *n;
	uint32_t id = 0;
	size_t b;

	pthread_mutex_lock(&rc->lock);
	for (n = rc->by_state[(size_t)h & (rc->n_buckets - 1)]; n;
	     n = n->by_state_next)
		if (n->hash == h && n->len == len && !memcmp(n->state, state, len))
			break;
	if (n) {
		n->used_ms = now_ms;
		id = n->id;
		goto out;
	}
	if (rc->n >= UINT32_MAX / 2)
		goto out;
	n = malloc(sizeof *n + len);
	if (!n)
		goto out;
	do {                            /* 0 means "no recirculation" */
		id = rc->next_id++;
	} while (!id || find_id(rc, id));
	n->id = id;
	n->refs = 0;
	n->hash = h;
	n->used_ms = now_ms;
	n->len = len;
	memcpy(n->state, state, len);
	if (rc->n + 1 > rc->n_buckets)
		grow(rc);
	b = id_slot(rc, id);
	n->by_id_next = rc->by_id[b];
	rc->by_id[b] = n;
	b = (size_t)h & (rc->n_buckets - 1);
	n->by_state_next = rc->by_state[b];
	rc->by_state[b] = n;
	rc->n++;
out:
	pthread_mutex_unlock(&rc->lock);
	return id;
}

int xlate_recirc_find(struct xlate_recirc *rc, uint32_t id, struct buf *out,
		      int64_t now_ms)
{
	struct rnode *n;
	int r = -ENOENT;

	buf_clear(out);
	pthread_mutex_lock(&rc->lock);
	n = find_id(rc, id);
	if (n) {
		if (now_ms > n->used_ms)
			n->used_ms = now_ms;
		buf_put(out, n->state, n->len);
		r = buf_ok(out) ? 0 : -ENOMEM;
	}
	pthread_mutex_unlock(&rc->lock);
	return r;
}

void xlate_recirc_ref(struct xlate_recirc *rc, uint32_t id)
{
	struct rnode *n;

	pthread_mutex_lock(&rc->lock);
	n = find_id(rc, id);
	if (n)
		n->refs++;
	pthread_mutex_unlock(&rc->lock);
}

void xlate_recirc_unref(struct xlate_recirc *rc, uint32_t id, int64_t now_ms)
{
	struct rnode *n;

	pthread_mutex_lock(&rc->lock);
	n = find_id(rc, id);
	if (n && n->refs) {
		n->refs--;
		n->used_ms = now_ms;
	}
	pthread_mutex_unlock(&rc->lock);
}

static void unlink_node(struct xlate_recirc *rc, struct rnode *n)
{
	struct rnode **p = &rc->by_id[id_slot(rc, n->id)];

	while (*p != n)
		p = &(*p)->by_id_next;
	*p = n->by_id_next;
	p = &rc->by_state[(size_t)n->hash & (rc->n_buckets - 1)];
	while (*p != n)
		p = &(*p)->by_state_next;
	*p = n->by_state_next;
	rc->n--;
}

size_t xlate_recirc_expire(struct xlate_recirc *rc, int64_t now_ms)
{
	size_t i, freed = 0;

	pthread_mutex_lock(&rc->lock);
	for (i = 0; i < rc->n_buckets; i++) {
		struct rnode *n = rc->by_id[i], *next;

		for (; n; n = next) {
			next = n->by_id_next;
			if (n->refs || now_ms - n->used_ms < XLATE_RECIRC_GRACE_MS)
				continue;
			unlink_node(rc, n);
			free(n);
			freed++;
		}
	}
	pthread_mutex_unlock(&rc->lock);
	return freed;
}

size_t xlate_recirc_count(struct xlate_recirc *rc)
{
	size_t n;

	pthread_mutex_lock(&rc->lock);
	n = rc->n;
	pthread_mutex_unlock(&rc->lock);
	return n;
}
