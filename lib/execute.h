/*
 * execute.h - datapath actions applied to a packet.
 *
 * dp_execute() runs an OVS_ACTION_ATTR_* list on a packet with the Linux
 * openvswitch module's semantics (net/openvswitch/actions.c): output,
 * userspace, set/set_masked with incremental checksum updates, push/pop of
 * VLAN, MPLS and Ethernet headers, recirc, hash, sample, clone, trunc,
 * check_pkt_len, dec_ttl, meter, ct_clear.  It knows nothing of ports or
 * flow tables: what leaves the packet's action list goes through callbacks
 * (struct dp_exec_cb) that the datapath provides.
 *
 * Ownership: the caller owns the packet; execute changes it in place and
 * never frees it.  Nested action lists (clone, sample, check_pkt_len) that
 * are not the last action run on a copy, so the rest of the list sees the
 * packet as it was; the last action runs on the packet itself (no copy), as
 * the kernel does.  Callbacks get the packet lent for the call: output and
 * userspace copy what they keep.
 *
 * Depth: nested lists and recirculations run at once while the nesting
 * level is at most DP_EXEC_DEFER_LEVEL; deeper, they are deferred to a FIFO
 * of DP_EXEC_FIFO entries drained when the outermost dp_execute() returns;
 * a full FIFO, a level past DP_EXEC_MAX_LEVEL, or more than
 * DP_EXEC_MAX_PASSES deferred runs for one packet drop the packet (counted
 * in dp_exec.stats), so a flow that recirculates to itself terminates.
 *
 * Errors: an action that cannot be applied to the packet (a set of a header
 * the packet lacks, a malformed argument) drops the packet and stops its
 * list, as in the kernel; the action lists given here were validated at
 * flow install time, but the executor still bounds-checks everything so
 * that an unchecked list cannot make it read or write out of bounds.
 *
 * ct is not supported yet (conntrack is a later issue):
 * dp_exec_check_supported() refuses it at flow install time with
 * -EOPNOTSUPP, and executing it drops the packet.
 */
#ifndef DPKIT_EXECUTE_H
#define DPKIT_EXECUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "key.h"
#include "packet.h"

#define DP_EXEC_DEFER_LEVEL  3     /* the kernel's OVS_DEFERRED_ACTION_THRESHOLD */
#define DP_EXEC_MAX_LEVEL    5     /* the kernel's OVS_RECURSION_LIMIT */
#define DP_EXEC_FIFO         10    /* the kernel's DEFERRED_ACTION_FIFO_SIZE */
#define DP_EXEC_MAX_PASSES   64    /* deferred runs per input packet */

/* What an OVS_ACTION_ATTR_USERSPACE action asks the datapath to send:
 * an OVS_PACKET_CMD_ACTION upcall. */
struct dp_exec_upcall {
	uint32_t pid;                   /* OVS_USERSPACE_ATTR_PID */
	const void *userdata;           /* OVS_USERSPACE_ATTR_USERDATA payload */
	size_t userdata_len;
	bool has_userdata;
	const void *actions;            /* with OVS_USERSPACE_ATTR_ACTIONS: */
	size_t actions_len;             /* the action list being run */
	bool has_actions;
	bool has_egress_tun_port;       /* OVS_USERSPACE_ATTR_EGRESS_TUN_PORT */
	uint32_t egress_tun_port;
	const void *egress_tun;         /* set(tunnel(...)) attributes, if any */
	size_t egress_tun_len;
	uint32_t len;                   /* bytes of the packet to send (trunc) */
	uint32_t orig_len;              /* packet length before truncation */
	uint16_t mru;
};

struct dp_exec;

struct dp_exec_cb {
	/* Send the first 'len' bytes of 'p' out of 'port'.  The callee may
	 * complete a pending partial checksum in place (DP_OL_CSUM_PARTIAL:
	 * the bytes on the wire are the same either way), nothing else. */
	void (*output)(void *aux, uint32_t port, struct dp_packet *p,
		       uint32_t len);
	/* Send an OVS_PACKET_CMD_ACTION upcall of p (first u->len bytes)
	 * with flow key 'key'. */
	void (*userspace)(void *aux, const struct dp_exec_upcall *u,
			  const struct dp_packet *p, const struct dp_key *key);
	/* Look the packet up again (its recirc_id is set in key and md) and
	 * run the actions of the flow it matches with dp_execute_nested(), or
	 * send a miss upcall. */
	void (*recirc)(void *aux, struct dp_exec *x, struct dp_packet *p,
		       struct dp_key *key);
};

struct dp_exec_stats {
	uint64_t errors;                /* packets dropped by a failing action */
	uint64_t recursion_drops;       /* past DP_EXEC_MAX_LEVEL / PASSES */
	uint64_t fifo_drops;            /* deferred FIFO full */
	uint64_t mtu_drops;             /* unused here; for the datapath */
};

struct dp_exec_deferred {
	struct dp_packet *p;            /* owned copy */
	struct dp_key key;
	const void *acts;               /* NULL: recirculate */
	size_t acts_len;
	uint32_t trunc;                 /* its pending trunc (cutlen) */
};

struct dp_exec {
	const struct dp_exec_cb *cb;
	void *aux;
	int level;
	unsigned passes;
	uint64_t rng;                   /* sample()'s generator state */
	struct dp_exec_stats stats;
	unsigned fifo_head, fifo_n;
	struct dp_exec_deferred fifo[DP_EXEC_FIFO];
};

/* Prepare an executor; 'seed' seeds sample()'s random numbers. */
void dp_exec_init(struct dp_exec *x, const struct dp_exec_cb *cb, void *aux,
		  uint64_t seed);

/* Run actions acts[0..len) on 'p', whose flow key is 'key' (as
 * dp_packet_extract() made it; execute keeps it up to date as it changes the
 * packet).  An empty list drops the packet.  Returns 0, or a negative errno
 * if an action failed (the packet was dropped there). */
int dp_execute(struct dp_exec *x, struct dp_packet *p, struct dp_key *key,
	       const void *acts, size_t len);
/* For the recirc callback: run a flow's actions one level deeper. */
int dp_execute_nested(struct dp_exec *x, struct dp_packet *p,
		      struct dp_key *key, const void *acts, size_t len);

/* Is every action in the list one this executor implements?  -EOPNOTSUPP
 * with a message naming the first that is not (ct, push_nsh...), 0 if all
 * are.  For flow install and packet execute, after odp_actions_check(). */
int dp_exec_check_supported(const void *acts, size_t len, struct dp_err *err);

/* Internal to execute*.c: set/set_masked (execute_set.c). */
int dp_exec_set(struct dp_packet *p, struct dp_key *key, bool *key_ok,
		const void *nested, size_t len, bool masked,
		const void **egress_tun, size_t *egress_tun_len);
/* push/pop of vlan, mpls, eth; dec_ttl's decrement (execute_push.c). */
int dp_exec_push_vlan(struct dp_packet *p, uint16_t tpid, uint16_t tci);
int dp_exec_pop_vlan(struct dp_packet *p);
int dp_exec_push_mpls(struct dp_packet *p, uint32_t lse, uint16_t ethertype,
		      bool l3_tunnel);
int dp_exec_pop_mpls(struct dp_packet *p, uint16_t ethertype);
int dp_exec_push_eth(struct dp_packet *p, const uint8_t src[6],
		     const uint8_t dst[6], uint16_t ethertype);
int dp_exec_pop_eth(struct dp_packet *p);
/* Decrement TTL / hop limit; -EHOSTUNREACH if it is <= 1. */
int dp_exec_dec_ttl(struct dp_packet *p, const struct dp_key *key);
/* Offset of the end of the L2 header (after VLAN tags): where MPLS or L3
 * starts; 0 for an L3 packet. */
uint32_t dp_exec_l2_end(const struct dp_packet *p);

#endif
