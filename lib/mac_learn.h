/*
 * mac_learn.h - the MAC learning table behind the "normal" action.
 *
 * A learning switch remembers, per VLAN, which port each source MAC address
 * was last seen on, and forwards frames to a known destination on that port
 * only (flooding the others).  This module owns that table: entries keyed
 * by (MAC, VLAN) holding an OpenFlow port and the time the address was last
 * seen; entries older than the aging time (default 300 s, as Open vSwitch)
 * are gone; a full table replaces its least recently seen entry.
 *
 * Time is the caller's: every call takes "now" in milliseconds, so tests
 * run a clock of their own and aging needs no timer.
 *
 * Translation (xlate.h) only reads the table and lists what it would learn;
 * the caller applies that list with mac_learn_update().  'gen' goes up
 * whenever a lookup's answer may change (a new address, a move to another
 * port, an expiry, a flush), so whoever cached decisions made from the table
 * (megaflows) knows when to revisit them.
 *
 * Concurrency: the table has its own read-write lock; lookups from many
 * threads run in parallel, updates one at a time.
 */
#ifndef DPKIT_MAC_LEARN_H
#define DPKIT_MAC_LEARN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_LEARN_DEFAULT_AGING_MS  300000
#define MAC_LEARN_DEFAULT_MAX       8192

struct mac_entry {
	uint8_t mac[6];
	uint16_t vlan;                  /* 0..4095 */
	uint16_t port;                  /* OpenFlow port */
	uint16_t pad;
	uint32_t next;                  /* hash chain or free list: index + 1 */
	uint32_t lru_prev, lru_next;    /* by age, oldest first: index + 1 */
	int64_t seen_ms;
};

struct mac_learn {
	pthread_rwlock_t lock;
	struct mac_entry *entries;      /* [max] */
	uint32_t *buckets;              /* [n_buckets]: index + 1, 0 empty */
	uint32_t n_buckets;             /* power of 2 */
	uint32_t max;
	uint32_t n;
	uint32_t free_head;             /* free list through 'next' */
	uint32_t lru_head, lru_tail;    /* oldest, newest: index + 1 */
	int64_t aging_ms;
	uint64_t gen;
};

/* A table of at most 'max' entries (0: the default) that forgets an address
 * 'aging_ms' after it was last seen (0: the default).  Returns 0 or
 * -ENOMEM. */
int mac_learn_init(struct mac_learn *ml, uint32_t max, int64_t aging_ms);
void mac_learn_destroy(struct mac_learn *ml);

/* The port 'mac' was last seen on in 'vlan', if that was less than the
 * aging time ago. */
bool mac_learn_lookup(struct mac_learn *ml, const uint8_t mac[6],
		      uint16_t vlan, int64_t now_ms, uint16_t *port);

/* 'mac' was seen on 'port' in 'vlan' at 'now_ms'.  Returns true if that
 * changed a forwarding decision (a new entry or a move), false if it only
 * refreshed the entry's age. */
bool mac_learn_update(struct mac_learn *ml, const uint8_t mac[6],
		      uint16_t vlan, uint16_t port, int64_t now_ms);

/* Remove the entries older than the aging time; returns how many. */
size_t mac_learn_expire(struct mac_learn *ml, int64_t now_ms);
/* Forget everything (port -1: all ports), or what was learned on 'port'. */
void mac_learn_flush(struct mac_learn *ml, int port);
void mac_learn_set_aging(struct mac_learn *ml, int64_t aging_ms);

static inline uint64_t mac_learn_gen(struct mac_learn *ml)
{
	return __atomic_load_n(&ml->gen, __ATOMIC_ACQUIRE);
}

/* Copy the live entries into out[0..max) (ovs-appctl fdb/show); returns
 * how many there are (may exceed max). */
size_t mac_learn_dump(struct mac_learn *ml, int64_t now_ms,
		      struct mac_entry *out, size_t max);

#endif /* DPKIT_MAC_LEARN_H */
