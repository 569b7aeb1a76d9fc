/*
 * xlate_recirc.h - recirculation ids and the frozen pipeline states they
 * stand for.
 *
 * When a translation must stop and let the datapath look at the packet
 * again (after ct(), or after pop_mpls), or must tell the daemon later
 * where a packet-in came from, it freezes its state: the table to resume
 * at, the registers, metadata and in_port, the action set, the push/pop
 * stack and the actions still to run.  This table gives each distinct
 * frozen state a 32-bit id, which goes into the datapath as recirc(ID) or
 * into a controller cookie, and gives the state back when a packet returns
 * with that id.  The same state always gets the same id, so translating
 * the same packet twice yields the same actions.
 *
 * Lifetime: a megaflow that uses an id holds a reference
 * (xlate_recirc_ref/unref).  Ids nobody holds are kept for a grace period
 * after their last use (a packet may still be on its way back from the
 * datapath) and freed by xlate_recirc_expire().
 *
 * Concurrency: one mutex inside; every call may come from any thread.
 */
#ifndef DPKIT_XLATE_RECIRC_H
#define DPKIT_XLATE_RECIRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define XLATE_RECIRC_GRACE_MS 10000

struct xlate_recirc;

struct xlate_recirc *xlate_recirc_create(void);
void xlate_recirc_destroy(struct xlate_recirc *rc);

/* The id of this frozen state (state[0..len), opaque bytes), allocated if
 * it is new.  Returns 0 if out of memory or out of ids. */
uint32_t xlate_recirc_get_id(struct xlate_recirc *rc, const void *state,
			     size_t len, int64_t now_ms);
/* Copy the state of 'id' into 'out' (cleared first).  Returns 0 or
 * -ENOENT. */
int xlate_recirc_find(struct xlate_recirc *rc, uint32_t id, struct buf *out,
		      int64_t now_ms);

void xlate_recirc_ref(struct xlate_recirc *rc, uint32_t id);
void xlate_recirc_unref(struct xlate_recirc *rc, uint32_t id, int64_t now_ms);
/* Free the unreferenced ids unused for XLATE_RECIRC_GRACE_MS; returns how
 * many. */
size_t xlate_recirc_expire(struct xlate_recirc *rc, int64_t now_ms);
size_t xlate_recirc_count(struct xlate_recirc *rc);

#endif /* DPKIT_XLATE_RECIRC_H */
