/*
 * sp_datapath.h - what the slow path (slowpath.h) needs of a datapath, and
 * its two kinds: the userspace datapath in this process (struct dp,
 * dp.h) and a datapath reached through dpif (dpif.h), the kernel's
 * system@ ones.
 *
 * The slow path installs megaflows, executes missed packets, walks the
 * flows to revalidate them and lists the ports; nothing else.  A walk
 * hands each flow to a visitor that says what becomes of it (kept,
 * removed, given new actions): the in-process table applies that in
 * place, the dpif one after its dump, by ufid.  A struct sp_datapath is
 * small and owned by its creator; the dpif kind owns its port list and
 * scratch buffers (sp_datapath_dpif_free()).
 */
#ifndef DPKIT_SP_DATAPATH_H
#define DPKIT_SP_DATAPATH_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp.h"
#include "dpif.h"
#include "err.h"
#include "key.h"

/* One flow as a walk shows it; valid during the visit only. */
struct sp_flow {
	const struct dp_key *key;
	const struct dp_key *mask;
	const void *acts;
	size_t acts_len;
	bool has_ufid;
	uint8_t ufid[16];
	uint64_t packets, bytes;
	uint64_t used;                  /* ms, CLOCK_MONOTONIC; 0: never */
};

enum sp_verdict { SP_KEEP, SP_REMOVE, SP_SET_ACTIONS };

/* SP_SET_ACTIONS: *acts, *len are the new actions.  If setting them fails
 * the flow is removed. */
typedef enum sp_verdict sp_flow_visit(void *aux, const struct sp_flow *f,
				      const void **acts, size_t *len);

struct sp_datapath;

struct sp_datapath_ops {
	int (*execute)(struct sp_datapath *, const void *frame, uint32_t len,
		       const struct dp_key *md, const void *acts,
		       size_t acts_len, uint16_t mru, struct dp_err *);
	/* -EEXIST if the megaflow is there already. */
	int (*flow_put)(struct sp_datapath *, const struct dp_key *key,
			const struct dp_key *mask, const void *acts,
			size_t acts_len, const uint8_t ufid[16],
			struct dp_err *);
	size_t (*flow_count)(struct sp_datapath *);
	void (*flow_walk)(struct sp_datapath *, sp_flow_visit *cb, void *aux);
	/* Ports in order; *cursor 0 starts.  -ENOENT at the end. */
	int (*port_next)(struct sp_datapath *, uint32_t *cursor,
			 uint32_t *port_no, char name[IFNAMSIZ]);
};

struct sp_datapath {
	const struct sp_datapath_ops *ops;
	struct dp *dp;                  /* in-process kind */
	struct dpif *dpif;              /* dpif kind */
	struct sp_dpif_state *st;       /* the dpif kind's own */
};

/* The in-process kind: nothing to free. */
void sp_datapath_of_dp(struct sp_datapath *spd, struct dp *dp);

/* The dpif kind, over an open datapath (not taken over). */
int sp_datapath_of_dpif(struct sp_datapath *spd, struct dpif *dpif);
void sp_datapath_dpif_free(struct sp_datapath *spd);
/* Read the port list again; true if it changed since the last call. */
int sp_datapath_dpif_ports(struct sp_datapath *spd, bool *changed,
			   struct dp_err *err);
/* The ports as last read, for setting their upcall pids. */
size_t sp_datapath_dpif_port_list(const struct sp_datapath *spd,
				  const struct dpif_port **ports);

#endif /* DPKIT_SP_DATAPATH_H */
