/*
 * dpif.h - one interface to a datapath, wherever it runs.
 *
 * A datapath is named "system@NAME" (the kernel's openvswitch module, over
 * generic netlink) or "netdev@NAME" (a userspace datapath in dpd, over dpd's
 * unix socket); a plain "NAME" means "system@NAME", as with ovs-dpctl.  Both
 * speak the uapi of <linux/openvswitch.h>: the ovs_datapath, ovs_vport,
 * ovs_flow and ovs_packet families.  This module builds and reads those
 * messages; it does not interpret flows: keys, masks and actions are opaque
 * OVS_KEY_ATTR_* / OVS_ACTION_ATTR_* streams (see odp_text.h, odp_key.h).
 *
 * A struct dpif_conn holds the sockets (one per transport, opened on first
 * use, shared by every datapath opened through it: a batch of commands
 * runs over one socket) and the resolved family ids.  A struct dpif is one
 * open datapath.  Errors are negative errnos with a dp_err whose message is
 * meant for users ("no such datapath", "flow already exists"), followed by
 * the peer's extended ACK text when it gave one.
 *
 * Replies handed to callbacks point into the receive buffer: they are valid
 * only during the callback.
 */
#ifndef DPKIT_DPIF_H
#define DPKIT_DPIF_H

#include <linux/openvswitch.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "netlink.h"

enum dpif_type {
	DPIF_SYSTEM,                    /* kernel datapath */
	DPIF_NETDEV,                    /* dpd's userspace datapath */
};
#define DPIF_N_TYPES 2

struct dpif_conn;
struct dpif;

/* --- connections ---------------------------------------------------------- */

struct dpif_conn *dpif_conn_new(void);
void dpif_conn_free(struct dpif_conn *c);
/* Reply timeout for every socket of the connection (-1: none). */
void dpif_conn_set_timeout(struct dpif_conn *c, int ms);
/* Use this dpd socket instead of $DPKIT_RUNDIR/dpd.sock. */
void dpif_conn_set_dpd_path(struct dpif_conn *c, const char *path);
/* The socket for a datapath type, opened (and families resolved) on first
 * use.  For upcall listeners, open separate nl_socks instead. */
int dpif_conn_sock(struct dpif_conn *c, enum dpif_type type,
		   struct nl_sock **sock, struct dp_err *err);

/* --- names ---------------------------------------------------------------- */

const char *dpif_type_name(enum dpif_type type);        /* "system" */
/* Split "TYPE@NAME" (or "NAME", meaning system).  'name' points into 's'.
 * -EINVAL for an unknown type or a name the kernel would refuse. */
int dpif_parse_name(const char *s, enum dpif_type *type, const char **name,
		    struct dp_err *err);

/* --- datapaths ------------------------------------------------------------ */

struct dpif_dp_info {
	char name[IFNAMSIZ];
	int dp_ifindex;
	bool has_stats;
	struct ovs_dp_stats stats;
	bool has_megaflow_stats;
	struct ovs_dp_megaflow_stats megaflow_stats;
	bool has_user_features;
	uint32_t user_features;         /* OVS_DP_F_* */
	bool has_masks_cache_size;
	uint32_t masks_cache_size;
	size_t n_per_cpu_pids;          /* OVS_DP_ATTR_PER_CPU_PIDS count */
};

/* Open an existing datapath ("system@dp0", "netdev@br0", "dp0"). */
int dpif_open(struct dpif_conn *c, const char *fullname, struct dpif **dpp,
	      struct dp_err *err);
/* Create a datapath, as ovs-dpctl add-dp does: no upcall pid, features
 * UNALIGNED and per-cpu upcall dispatch (UNALIGNED|VPORT_PIDS on kernels
 * without per-cpu dispatch).  -EEXIST if it exists. */
int dpif_create(struct dpif_conn *c, const char *fullname, struct dpif **dpp,
		struct dp_err *err);
void dpif_close(struct dpif *dp);
/* "system@dp0" */
const char *dpif_name(const struct dpif *dp);
const char *dpif_base_name(const struct dpif *dp);
enum dpif_type dpif_type(const struct dpif *dp);
struct nl_sock *dpif_sock(const struct dpif *dp);
int dpif_ifindex(const struct dpif *dp);

int dpif_delete(struct dpif *dp, struct dp_err *err);
int dpif_get(struct dpif *dp, struct dpif_dp_info *info, struct dp_err *err);
/* OVS_DP_CMD_SET of the user features (OVS_DP_F_*). */
int dpif_set_features(struct dpif *dp, uint32_t features,
		      struct dp_err *err);
/* Per-cpu upcall dispatch: pids[i] receives the misses of CPU i. */
int dpif_set_upcall_pids(struct dpif *dp, const uint32_t *pids, size_t n,
			 struct dp_err *err);
/* Every datapath of a type, in the order the peer lists them.  -ENOENT
 * (with a reason) when the type is unavailable on this host: no kernel
 * module, or dpd not running. */
int dpif_enumerate(struct dpif_conn *c, enum dpif_type type,
		   int (*cb)(const struct dpif_dp_info *, void *), void *aux,
		   struct dp_err *err);

/* Fill 'info' from an ovs_datapath message; -EINVAL if malformed. */
int dpif_dp_from_msg(const struct nlmsghdr *nlh, struct dpif_dp_info *info);

/* --- ports ---------------------------------------------------------------- */

#define DPIF_PORT_ANY     UINT32_MAX    /* let the datapath choose */
#define DPIF_MAX_UPCALL_PIDS 256

struct dpif_port {
	uint32_t port_no;
	uint32_t type;                  /* OVS_VPORT_TYPE_* */
	char name[IFNAMSIZ];
	bool has_ifindex;
	int32_t ifindex;
	bool has_netnsid;
	int32_t netnsid;
	bool has_stats;
	struct ovs_vport_stats stats;
	bool has_dst_port;
	uint16_t dst_port;              /* tunnel UDP port, host order */
	bool gbp;                       /* vxlan group policy extension */
	size_t n_upcall_pids;
	uint32_t upcall_pids[DPIF_MAX_UPCALL_PIDS];
};

struct dpif_port_spec {
	const char *name;
	uint32_t type;                  /* OVS_VPORT_TYPE_* */
	uint32_t port_no;               /* DPIF_PORT_ANY to let it choose */
	bool has_dst_port;
	uint16_t dst_port;
	bool gbp;
	const uint32_t *upcall_pids;    /* NULL: a single 0 (no upcalls) */
	size_t n_upcall_pids;
};

/* "netdev", "internal", "gre", "vxlan", "geneve"; NULL if unknown. */
const char *dpif_port_type_name(uint32_t type);
/* -EINVAL if unknown; "system" is accepted for netdev, as in ovs-dpctl. */
int dpif_port_type_from_name(const char *name, uint32_t *type);

int dpif_port_add(struct dpif *dp, const struct dpif_port_spec *spec,
		  uint32_t *port_no, struct dp_err *err);
int dpif_port_del(struct dpif *dp, uint32_t port_no, struct dp_err *err);
/* name NULL: look up by number. -ENOENT (with "no such port") if none. */
int dpif_port_get(struct dpif *dp, const char *name, uint32_t port_no,
		  struct dpif_port *port, struct dp_err *err);
/* Change a port: its upcall pids (n > 0) and/or its tunnel options. */
int dpif_port_set(struct dpif *dp, const struct dpif_port_spec *spec,
		  struct dp_err *err);
int dpif_port_dump(struct dpif *dp,
		   int (*cb)(const struct dpif_port *, void *), void *aux,
		   struct dp_err *err);
/* Fill 'port' from an ovs_vport message. */
int dpif_port_from_msg(const struct nlmsghdr *nlh, struct dpif_port *port);

/* --- flows ---------------------------------------------------------------- */

/* Flags for dpif_flow_put(), as ovs-dpctl's add-flow/mod-flow use them. */
enum {
	DPIF_FP_CREATE = 1 << 0,        /* create if it does not exist */
	DPIF_FP_MODIFY = 1 << 1,        /* modify if it exists */
	DPIF_FP_ZERO_STATS = 1 << 2,    /* clear its statistics */
};

struct dpif_flow_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t used;                  /* ms, CLOCK_MONOTONIC; 0: never */
	uint8_t tcp_flags;
};

/* A flow as a reply describes it; pointers into the reply. */
struct dpif_flow {
	const void *key;
	size_t key_len;
	const void *mask;               /* NULL if the reply had none */
	size_t mask_len;
	const void *actions;            /* NULL if the reply had none */
	size_t actions_len;
	bool has_ufid;
	uint8_t ufid[16];
	struct dpif_flow_stats stats;
};

struct dpif_flow_put {
	unsigned flags;                 /* DPIF_FP_* */
	const void *key;
	size_t key_len;
	const void *mask;               /* NULL: exact match */
	size_t mask_len;
	const void *actions;            /* NULL on modify: keep them; an
					 * empty list (drop) is non-NULL
					 * with actions_len 0 */
	size_t actions_len;
	const uint8_t *ufid;            /* NULL: none */
	uint32_t ufid_flags;            /* OVS_UFID_F_OMIT_*: trim the reply */
	struct dpif_flow_stats *stats;  /* if not NULL: the flow's stats as
					 * they were before this request */
};

typedef int (*dpif_flow_cb)(const struct dpif_flow *, void *aux);

int dpif_flow_put(struct dpif *dp, const struct dpif_flow_put *put,
		  struct dp_err *err);
/* Delete by key, by ufid, or both (at least one). */
int dpif_flow_del(struct dpif *dp, const void *key, size_t key_len,
		  const uint8_t *ufid, struct dpif_flow_stats *stats,
		  struct dp_err *err);
int dpif_flow_get(struct dpif *dp, const void *key, size_t key_len,
		  const uint8_t *ufid, dpif_flow_cb cb, void *aux,
		  struct dp_err *err);
/* ufid_flags: OVS_UFID_F_OMIT_* to leave parts out of the replies. */
int dpif_flow_dump(struct dpif *dp, uint32_t ufid_flags, dpif_flow_cb cb,
		   void *aux, struct dp_err *err);
int dpif_flow_flush(struct dpif *dp, struct dp_err *err);
/* Fill 'flow' from an ovs_flow message. */
int dpif_flow_from_msg(const struct nlmsghdr *nlh, struct dpif_flow *flow);

/* --- packets -------------------------------------------------------------- */

struct dpif_execute {
	const void *packet;
	size_t packet_len;
	const void *key;                /* OVS_KEY_ATTR_* metadata + headers */
	size_t key_len;
	const void *actions;
	size_t actions_len;
	uint16_t mru;                   /* 0: none */
	bool probe;                     /* feature probe: no kernel log */
};

int dpif_execute(struct dpif *dp, const struct dpif_execute *ex,
		 struct dp_err *err);

/* An upcall (OVS_PACKET_CMD_MISS / _ACTION) received on a listener. */
struct dpif_upcall {
	uint8_t cmd;                    /* OVS_PACKET_CMD_* */
	int dp_ifindex;
	const void *packet;
	size_t packet_len;
	const void *key;
	size_t key_len;
	const void *userdata;           /* NULL if none */
	size_t userdata_len;
	const void *actions;            /* NULL if none */
	size_t actions_len;
	const void *egress_tun_key;     /* NULL if none */
	size_t egress_tun_key_len;
	uint16_t mru;
	uint32_t orig_len;              /* 0 if not truncated */
	uint64_t hash;
	bool has_hash;
};

/* Parse an ovs_packet message; -EINVAL if malformed. */
int dpif_upcall_parse(const struct nlmsghdr *nlh, struct dpif_upcall *up);

#endif
