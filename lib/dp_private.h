/* dp_private.h - the datapath object's insides, shared by dp.c (object,
 * ports, event loop) and dp_pipeline.c (packets, upcalls). */
#ifndef DPKIT_DP_PRIVATE_H
#define DPKIT_DP_PRIVATE_H

#include <net/if.h>

#include "dp.h"
#include "execute.h"

struct dp_port {
	uint32_t no;
	uint32_t type;
	struct netdev *nd;
	uint32_t *pids;
	size_t n_pids;
	bool tx_pending;                /* sent to in this batch: flush */
};

struct dp_watch {
	int fd;
	dp_fd_cb *cb;
	void *aux;
};

struct dp {
	char name[IFNAMSIZ];
	struct flowtab *ft;
	struct dp_port **ports;         /* by number; NULL: free */
	uint32_t n_port_slots;
	struct dp_port **live;          /* the ports, densely, for polling */
	uint32_t n_live, cap_live;
	uint32_t features;
	unsigned flags;                 /* DP_F_* of dp_create() */
	uint32_t *cpu_pids;
	size_t n_cpu_pids;
	uint32_t fallback_pid;          /* misses nobody else asked for */

	struct dp_exec exec;
	struct dp_key key;              /* the pipeline's: extracted with
					 * dp_packet_extract_reuse() */
	struct dp_stats stats;
	uint64_t now_ms;                /* of the batch being processed */

	struct dp_upcall *q[DP_UPCALL_QLEN];
	unsigned q_head, q_n;

	struct dp_port *flush[DP_BATCH_MAX * 4]; /* ports with tx pending */
	unsigned n_flush;

	int epfd;
	struct dp_watch *watches;
	unsigned n_watches, cap_watches;
};

extern const struct dp_exec_cb dp_exec_callbacks;
void dp_flush_ports(struct dp *dp);
/* dp_process_batch() without the final flush: a caller that processes
 * several batches in a row flushes once, so each port costs one send(). */
void dp_process_batch_noflush(struct dp *dp, struct dp_batch *b);

#endif
