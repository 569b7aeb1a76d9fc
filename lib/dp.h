/*
 * dp.h - a userspace datapath: ports, flow table, upcall queue, and the
 * per-packet pipeline between them.
 *
 * This is the engine of dpd's netdev@NAME datapaths.  It behaves as the
 * Linux openvswitch module does for a datapath (port numbering, local port
 * 0 named after the datapath, hit/missed/lost accounting, upcall pid
 * selection per port or per CPU, action semantics) but speaks no netlink:
 * dpd translates OVS_DP/VPORT/FLOW/PACKET_CMD_* messages into these calls
 * (with lib/odp_key for keys and actions) and the upcall records this
 * module queues into OVS_PACKET_CMD_MISS / OVS_PACKET_CMD_ACTION messages.
 *
 * The pipeline, per batch of up to DP_BATCH_MAX packets received on a port:
 * parse (key + header offsets) -> flowtab lookup -> execute the flow's
 * actions (outputs are copied into the output ports' transmit rings) ->
 * flush every port that got packets, once.  A miss copies the packet and
 * its key into the upcall queue ("lost" if the queue is full or the port
 * has no upcall pid).
 *
 * Threads: a struct dp and everything in it (ports, flows, queue, stats)
 * belong to ONE thread, the one that calls dp_run().  Control operations
 * (ports, flows, execute, stats, upcall draining) are made by that same
 * thread between dp_run() calls, so the fast path takes no locks and needs
 * no RCU: nothing changes under a batch.  dpd runs its netlink server, its
 * upcall handling and its revalidation in that thread's event loop,
 * registering its own descriptors with dp_watch_fd() (or polling dp_fd(),
 * which is itself an epoll descriptor, from a loop of its own).
 *
 * How dpd maps the uapi onto it:
 *   OVS_DP_CMD_NEW/DEL        dp_create() / dp_destroy()
 *   OVS_DP_CMD_GET/SET        dp_get_stats(), dp_set_features(),
 *                             dp_set_cpu_pids(), dp_port_set_pids(dp, 0, ..)
 *   OVS_VPORT_CMD_NEW/DEL/GET dp_port_add() / dp_port_del() / dp_port_get(),
 *                             dp_port_by_name(), dp_port_next() for dumps
 *   OVS_FLOW_CMD_NEW          odp_match_from_attrs() + odp_actions_check(),
 *                             then dp_flow_put() (refuses ct: EOPNOTSUPP);
 *                             modify: flowtab_find_*() + flowtab_set_actions()
 *   OVS_FLOW_CMD_GET/DEL      flowtab_find_ufid() / flowtab_find_exact(),
 *                             flowtab_remove(); flush: flowtab_flush()
 *   OVS_FLOW_CMD_GET dump     flowtab_next() with the cursor kept in the
 *                             netlink dump state
 *   OVS_PACKET_CMD_EXECUTE    odp_key_from_attrs() + odp_actions_check(),
 *                             then dp_execute_packet()
 *   upcalls                   after dp_run(): dp_upcall_pop() until empty,
 *                             each sent as OVS_PACKET_CMD_MISS/ACTION to
 *                             u->pid with odp_key_to_attrs(&u->key)
 */
#ifndef DPKIT_DP_H
#define DPKIT_DP_H

#include <linux/openvswitch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "flowtab.h"
#include "key.h"
#include "netdev.h"
#include "packet.h"

#define DP_UPCALL_QLEN   1024           /* queued upcalls before "lost" */
#define DP_VPORT_TYPE_DUMMY 100         /* test ports; never on the wire */

struct dp;

/* dp_create() flags. */
enum {
	DP_F_LOCAL_DUMMY = 1 << 0,      /* port 0 is a dummy, not a tap */
	DP_F_NO_OFFLOAD  = 1 << 1,      /* ports without virtio-net headers
					 * (NETDEV_F_NO_VNET): checksums
					 * completed and TSO frames cut here */
};

/* An upcall to send: OVS_PACKET_CMD_MISS or OVS_PACKET_CMD_ACTION. */
struct dp_upcall {
	uint8_t cmd;                    /* OVS_PACKET_CMD_* */
	uint32_t pid;                   /* netlink pid to send it to */
	struct dp_packet *packet;       /* OVS_PACKET_ATTR_PACKET (owned) */
	struct dp_key key;              /* OVS_PACKET_ATTR_KEY */
	void *userdata;                 /* OVS_PACKET_ATTR_USERDATA */
	size_t userdata_len;
	bool has_userdata;
	void *actions;                  /* OVS_PACKET_ATTR_ACTIONS */
	size_t actions_len;
	bool has_actions;
	void *egress_tun;               /* OVS_PACKET_ATTR_EGRESS_TUN_KEY */
	size_t egress_tun_len;          /* (nested OVS_TUNNEL_KEY_ATTR_*) */
	bool has_egress_tun;
	uint16_t mru;                   /* OVS_PACKET_ATTR_MRU if nonzero */
	uint32_t orig_len;              /* OVS_PACKET_ATTR_LEN if nonzero */
	uint32_t hash;                  /* OVS_PACKET_ATTR_HASH if nonzero */
};

/* ovs-dpctl show prints these as "lookups: hit:n_hit missed:n_missed
 * lost:n_lost", "flows: n_flows", "masks: hit:n_mask_hit total:n_masks
 * hit/pkt:(n_mask_hit / (n_hit + n_missed))" and "cache: hit:n_cache_hit". */
struct dp_stats {
	uint64_t n_hit, n_missed, n_lost, n_flows;      /* ovs_dp_stats */
	uint64_t n_mask_hit, n_cache_hit;               /* ovs_dp_megaflow_stats */
	uint32_t n_masks;
	uint64_t n_exec_errors;         /* packets dropped by a failing action */
	uint64_t n_loop_drops;          /* recursion / recirculation limits */
};

struct dp_port_info {
	uint32_t port_no;
	uint32_t type;                  /* OVS_VPORT_TYPE_* (or DUMMY) */
	const char *name;
	int ifindex;
	const uint32_t *pids;           /* upcall pids */
	size_t n_pids;
	struct ovs_vport_stats stats;
	struct netdev *netdev;
};

/* Create datapath 'name' with its local port 0 (an internal port, a tap
 * named 'name', unless DP_F_LOCAL_DUMMY). */
int dp_create(struct dp **out, const char *name, unsigned flags,
	      struct dp_err *err);
/* Close every port (removing taps), free flows and queued upcalls. */
void dp_destroy(struct dp *dp);
const char *dp_name(const struct dp *dp);

/* OVS_DP_ATTR_USER_FEATURES and OVS_DP_ATTR_PER_CPU_PIDS.
 * (OVS_DP_ATTR_UPCALL_PID is port 0's pid: dp_port_set_pids(dp, 0, ...).) */
void dp_set_features(struct dp *dp, uint32_t features);
uint32_t dp_features(const struct dp *dp);
int dp_set_cpu_pids(struct dp *dp, const uint32_t *pids, size_t n);
/* The pid a miss goes to when neither its port nor the CPU names one
 * (0, the default: such a miss is lost, as in the kernel).  dpd's own
 * slow path takes those. */
void dp_set_fallback_pid(struct dp *dp, uint32_t pid);

/* Ports.  'type' is OVS_VPORT_TYPE_NETDEV, OVS_VPORT_TYPE_INTERNAL or
 * DP_VPORT_TYPE_DUMMY.  *port_no: DP_PORT_NONE to get the lowest free
 * number >= 1, or the number wanted (-EBUSY if taken, -EFBIG if >=
 * DP_MAX_PORTS); set to the number given.  'netdev_flags' go to
 * netdev_open() (NETDEV_F_*). */
int dp_port_add(struct dp *dp, const char *name, uint32_t type,
		uint32_t *port_no, const uint32_t *pids, size_t n_pids,
		unsigned netdev_flags, struct dp_err *err);
/* Remove a port (not port 0: -EINVAL). */
int dp_port_del(struct dp *dp, uint32_t port_no, struct dp_err *err);
int dp_port_set_pids(struct dp *dp, uint32_t port_no, const uint32_t *pids,
		     size_t n);
/* Port 'port_no' / named 'name': 0 and *info filled, or -ENODEV. */
int dp_port_get(const struct dp *dp, uint32_t port_no, struct dp_port_info *info);
int dp_port_by_name(const struct dp *dp, const char *name,
		    struct dp_port_info *info);
/* Ports in number order: *cursor starts at 0; returns 0 and the next port
 * in *info, or -ENOENT at the end. */
int dp_port_next(const struct dp *dp, uint32_t *cursor, struct dp_port_info *info);

/* Flows: the table itself (flowtab.h for find, remove, dump, stats). */
struct flowtab *dp_flowtab(struct dp *dp);
/* Insert a flow after checking that its actions are supported here. */
int dp_flow_put(struct dp *dp, const struct dp_key *key, const struct dp_key *mask,
		const void *acts, size_t acts_len, const uint8_t *ufid,
		struct flowtab_flow **out, struct dp_err *err);

/* OVS_PACKET_CMD_EXECUTE: run actions on frame[0..len) whose metadata
 * (in_port, recirc_id, priority, skb_mark, dp_hash, ct, mac_proto, tunnel)
 * is taken from 'md' (the packet's OVS_PACKET_ATTR_KEY, parsed).  Datapath
 * stats are not changed, as in the kernel. */
int dp_execute_packet(struct dp *dp, const void *frame, uint32_t len,
		      const struct dp_key *md, const void *acts, size_t acts_len,
		      uint16_t mru, struct dp_err *err);

/* The key the pipeline gives frame[0..len) carrying the metadata of 'md'
 * (what OVS_PACKET_CMD_EXECUTE checks its actions against).  0, or
 * -EINVAL for a frame too short for its L2 header, -ENOMEM. */
int dp_packet_key(const void *frame, uint32_t len, const struct dp_key *md,
		  struct dp_key *key);

/* The per-packet pipeline on packets received on one port (all packets
 * of the batch have md.in_port set).  Flushes the ports it sent to.  For
 * drivers that receive themselves (benchmarks); dp_run() calls it. */
void dp_process_batch(struct dp *dp, struct dp_batch *b);

/* Upcalls: take the oldest queued upcall (1), or 0 if none. */
int dp_upcall_pop(struct dp *dp, struct dp_upcall **u);
void dp_upcall_free(struct dp_upcall *u);
size_t dp_upcall_pending(const struct dp *dp);

void dp_get_stats(const struct dp *dp, struct dp_stats *s);

/* The event loop.  dp_fd() is an epoll descriptor that is readable when a
 * port or a watched descriptor is; dp_run() waits up to timeout_ms (0: do
 * not wait, -1: forever) and handles what is ready: received packets go
 * through the pipeline, watched descriptors get their callback.  Returns
 * the number of packets processed, or a negative errno. */
typedef void dp_fd_cb(void *aux, int fd, uint32_t events);
int dp_fd(const struct dp *dp);
int dp_watch_fd(struct dp *dp, int fd, uint32_t events, dp_fd_cb *cb, void *aux);
int dp_unwatch_fd(struct dp *dp, int fd);
int dp_run(struct dp *dp, int timeout_ms);
/* Receive on every port without waiting (busy polling).  Returns the
 * number of packets processed. */
int dp_poll_ports(struct dp *dp);

/* Milliseconds on CLOCK_MONOTONIC: the clock of flows' "used" times. */
uint64_t dp_now_ms(void);

#endif
