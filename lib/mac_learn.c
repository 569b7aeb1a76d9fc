/*
 * mac_learn.c - MAC learning table: a fixed array of entries, a chained
 * hash on (MAC, VLAN) and a list by age, so that lookups, updates and the
 * eviction of the oldest entry of a full table are all O(1).
 *
 * Aging is lazy: a lookup treats an entry older than the aging time as
 * absent, and mac_learn_expire() reclaims such entries in age order, so a
 * caller that never expires still sees correct answers.
 */
#include "mac_learn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define NIL 0u

static uint32_t hash_mac(const uint8_t mac[6], uint16_t vlan)
{
	uint64_t x = 0;

	memcpy(&x, mac, 6);
	x ^= (uint64_t)vlan << 48;
	x *= 0x9e3779b97f4a7c15ull;
	return (uint32_t)(x >> 32);
}

int mac_learn_init(struct mac_learn *ml, uint32_t max, int64_t aging_ms)
{
	uint32_t i;

	memset(ml, 0, sizeof *ml);
	ml->max = max ? max : MAC_LEARN_DEFAULT_MAX;
	ml->aging_ms = aging_ms > 0 ? aging_ms : MAC_LEARN_DEFAULT_AGING_MS;
	ml->n_buckets = 16;
	while (ml->n_buckets < ml->max)
		ml->n_buckets <<= 1;
	ml->entries = calloc(ml->max, sizeof *ml->entries);
	ml->buckets = calloc(ml->n_buckets, sizeof *ml->buckets);
	if (!ml->entries || !ml->buckets) {
		free(ml->entries);
		free(ml->buckets);
		return -ENOMEM;
	}
	for (i = 0; i < ml->max; i++)
		ml->entries[i].next = i + 1 < ml->max ? i + 2 : NIL;
	ml->free_head = 1;
	pthread_rwlock_init(&ml->lock, NULL);
	return 0;
}

void mac_learn_destroy(struct mac_learn *ml)
{
	if (!ml->entries)
		return;
	pthread_rwlock_destroy(&ml->lock);
	free(ml->entries);
	free(ml->buckets);
	ml->entries = NULL;
	ml->buckets = NULL;
}

static struct mac_entry *E(struct mac_learn *ml, uint32_t ref)
{
	return &ml->entries[ref - 1];
}

static uint32_t *bucket(struct mac_learn *ml, const uint8_t mac[6],
			uint16_t vlan)
{
	return &ml->buckets[hash_mac(mac, vlan) & (ml->n_buckets - 1)];
}

static uint32_t find(struct mac_learn *ml, const uint8_t mac[6],
		     uint16_t vlan)
{
	uint32_t r = *bucket(ml, mac, vlan);

	while (r != NIL) {
		struct mac_entry *e = E(ml, r);

		if (e->vlan == vlan && !memcmp(e->mac, mac, 6))
			return r;
		r = e->next;
	}
	return NIL;
}

static void lru_unlink(struct mac_learn *ml, uint32_t r)
{
	struct mac_entry *e = E(ml, r);

	if (e->lru_prev != NIL)
		E(ml, e->lru_prev)->lru_next = e->lru_next;
	else
		ml->lru_head = e->lru_next;
	if (e->lru_next != NIL)
		E(ml, e->lru_next)->lru_prev = e->lru_prev;
	else
		ml->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NIL;
}

static void lru_append(struct mac_learn *ml, uint32_t r)
{
	struct mac_entry *e = E(ml, r);

	e->lru_prev = ml->lru_tail;
	e->lru_next = NIL;
	if (ml->lru_tail != NIL)
		E(ml, ml->lru_tail)->lru_next = r;
	else
		ml->lru_head = r;
	ml->lru_tail = r;
}

static void remove_entry(struct mac_learn *ml, uint32_t r)
{
	struct mac_entry *e = E(ml, r);
	uint32_t *p = bucket(ml, e->mac, e->vlan);

	while (*p != r)
		p = &E(ml, *p)->next;
	*p = e->next;
	lru_unlink(ml, r);
	e->next = ml->free_head;
	ml->free_head = r;
	ml->n--;
}

static bool fresh(const struct mac_learn *ml, const struct mac_entry *e,
		  int64_t now_ms)
{
	return now_ms - e->seen_ms < ml->aging_ms;
}

bool mac_learn_lookup(struct mac_learn *ml, const uint8_t mac[6],
		      uint16_t vlan, int64_t now_ms, uint16_t *port)
{
	uint32_t r;
	bool found = false;

	pthread_rwlock_rdlock(&ml->lock);
	r = find(ml, mac, vlan);
	if (r != NIL && fresh(ml, E(ml, r), now_ms)) {
		*port = E(ml, r)->port;
		found = true;
	}
	pthread_rwlock_unlock(&ml->lock);
	return found;
}

bool mac_learn_update(struct mac_learn *ml, const uint8_t mac[6],
		      uint16_t vlan, uint16_t port, int64_t now_ms)
{
	struct mac_entry *e;
	bool changed = true;
	uint32_t r;

	pthread_rwlock_wrlock(&ml->lock);
	r = find(ml, mac, vlan);
	if (r != NIL) {
		e = E(ml, r);
		changed = e->port != port || !fresh(ml, e, now_ms);
		lru_unlink(ml, r);
	} else {
		uint32_t *b;

		if (ml->free_head == NIL)
			remove_entry(ml, ml->lru_head);  /* full: the oldest goes */
		r = ml->free_head;
		e = E(ml, r);
		ml->free_head = e->next;
		memcpy(e->mac, mac, 6);
		e->vlan = vlan;
		b = bucket(ml, mac, vlan);
		e->next = *b;
		*b = r;
		ml->n++;
	}
	e->port = port;
	e->seen_ms = now_ms;
	lru_append(ml, r);
	if (changed)
		__atomic_add_fetch(&ml->gen, 1, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&ml->lock);
	return changed;
}

size_t mac_learn_expire(struct mac_learn *ml, int64_t now_ms)
{
	size_t n = 0;

	pthread_rwlock_wrlock(&ml->lock);
	/* The age list is in order of last sight only while the clock does
	 * not go back; an entry seen "later" than now stops the walk. */
	while (ml->lru_head != NIL && !fresh(ml, E(ml, ml->lru_head), now_ms)) {
		remove_entry(ml, ml->lru_head);
		n++;
	}
	if (n)
		__atomic_add_fetch(&ml->gen, 1, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&ml->lock);
	return n;
}

void mac_learn_flush(struct mac_learn *ml, int port)
{
	uint32_t r, next;

	pthread_rwlock_wrlock(&ml->lock);
	for (r = ml->lru_head; r != NIL; r = next) {
		next = E(ml, r)->lru_next;
		if (port < 0 || E(ml, r)->port == port)
			remove_entry(ml, r);
	}
	__atomic_add_fetch(&ml->gen, 1, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&ml->lock);
}

void mac_learn_set_aging(struct mac_learn *ml, int64_t aging_ms)
{
	pthread_rwlock_wrlock(&ml->lock);
	ml->aging_ms = aging_ms > 0 ? aging_ms : MAC_LEARN_DEFAULT_AGING_MS;
	__atomic_add_fetch(&ml->gen, 1, __ATOMIC_RELEASE);
	pthread_rwlock_unlock(&ml->lock);
}

size_t mac_learn_dump(struct mac_learn *ml, int64_t now_ms,
		      struct mac_entry *out, size_t max)
{
	size_t n = 0;
	uint32_t r;

	pthread_rwlock_rdlock(&ml->lock);
	for (r = ml->lru_head; r != NIL; r = E(ml, r)->lru_next) {
		if (!fresh(ml, E(ml, r), now_ms))
			continue;
		if (n < max)
			out[n] = *E(ml, r);
		n++;
	}
	pthread_rwlock_unlock(&ml->lock);
	return n;
}
