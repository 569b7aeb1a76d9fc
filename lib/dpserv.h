/*
 * dpserv.h - the openvswitch generic netlink uapi, served by a program for
 * userspace datapaths: the heart of dpd.
 *
 * A dpserv owns a set of userspace datapaths (lib/dp, "netdev@NAME") and
 * the unix socket through which clients drive them.  Clients speak exactly
 * what they would speak to the Linux openvswitch module over generic
 * netlink: the families ovs_datapath, ovs_vport, ovs_flow and ovs_packet of
 * <linux/openvswitch.h>, found through nlctrl's CTRL_CMD_GETFAMILY.  The
 * server answers as net/openvswitch/datapath.c of Linux 6.1 does: the same
 * attributes in the same order, the same errnos, replies only where the
 * kernel sends them (GET; NEW/DEL/SET with NLM_F_ECHO), notifications to the
 * families' multicast groups, dumps in chunks across receives, upcalls
 * (OVS_PACKET_CMD_MISS/ACTION) to the portid a port or CPU names.  Keys,
 * masks and actions go through lib/odp_key, so a flow reads back as the
 * kernel would report it.
 *
 * The transport (the "NL_UNIX" peer of lib/netlink): a SOCK_SEQPACKET unix
 * socket; each datagram carries whole netlink messages.  Each connection
 * gets its own portid, which every reply carries in nlmsg_pid and which
 * upcall pids name; NLMSG_NOOP with NLM_F_ACK is acked, which is how a
 * client learns it.  A reply and its ack are two datagrams, as the
 * kernel's two skbs.  A connection behaves as a netlink socket with
 * NETLINK_EXT_ACK and NETLINK_CAP_ACK set: errors do not echo the request,
 * and carry extended ACK attributes where the kernel's do (its attribute
 * policy checks: MSG, OFFS, POLICY); where the kernel refuses with a bare
 * errno and writes why to its log (a flow key it does not take), dpd does
 * the same and writes why to its log; where dpd refuses what the kernel
 * would take (ct() actions, tunnel ports), the error says so in MSG.  What
 * setsockopt(SOL_NETLINK) does on a kernel socket is done with the extra
 * family NL_SOCKOPT_FAMILY (netlink.h): joining multicast groups, turning
 * extended ACKs or capped ACKs off.  tests/kernel/dpserv_kdiff.sh checks
 * all this against the kernel, byte for byte.
 *
 * Permissions are the kernel's: NEW/DEL/SET and OVS_PACKET_CMD_EXECUTE need
 * CAP_NET_ADMIN (EPERM otherwise), GET and dumps do not.  A connection is
 * privileged if its peer (SO_PEERCRED at accept) is uid 0 or a process of
 * dpd's own user namespace whose effective capabilities include
 * CAP_NET_ADMIN, as the kernel checks the opener of a netlink socket.
 *
 * Differences from the kernel, on purpose: a malformed datagram (shorter
 * than a netlink header, or a message longer than the datagram) is
 * answered with an EINVAL error instead of being dropped, so a client
 * never waits for nothing; ufids are kept as 16 bytes (shorter ones are
 * zero-padded); upcalls carry the packet hash the engine computed, if any;
 * meters, conntrack limits, tunnel ports and OVS_DP_ATTR_IFINDEX are not
 * there.
 *
 * Threads: a dpserv belongs to one thread, which runs dpserv_run() in a
 * loop.  That thread also forwards every datapath's packets (the engine's
 * dp_run()); control requests are handled between packet batches, and a
 * dump produces one datagram per loop turn, so a dump of 100k flows never
 * stops forwarding for long.  Output to a client is queued when its socket
 * is full, up to a bound; beyond it the server stops reading that client's
 * requests until it reads its replies, and upcalls and notifications to it
 * are dropped and counted (upcalls as "lost", as the kernel counts an
 * upcall its socket could not take).
 */
#ifndef DPKIT_DPSERV_H
#define DPKIT_DPSERV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "log.h"
#include "netlink.h"

struct dpserv;
struct dpserv_client;
struct dp;

struct dpserv_config {
	/* Socket to listen on; NULL: none (clients are added with
	 * dpserv_add_client(): tests, the fuzzer). */
	const char *sock_path;
	int sock_gid;                   /* group of the socket, -1: leave */
	/* Ports are dummies (no devices; DP_F_LOCAL_DUMMY datapaths), for
	 * tests and the fuzzer.  They report the type they were asked for. */
	bool dummy_ports;
	/* Poll ports without sleeping (one core busy, lowest latency). */
	bool busy_poll;
	/* Datapaths without checksum/segmentation offload (DP_F_NO_OFFLOAD). */
	bool no_offload;
	const struct dp_log *log;       /* NULL: silent */
	/* The slow path (slowpath.h): each datapath gets rule tables and
	 * an in-process handler for the misses no client asked for (its
	 * ports' upcall pids are 0), served with the dpkit_rules family
	 * (rules_proto.h).  Without it datapaths are created bare and the
	 * family's DPR_CMD_ATTACH makes one a bridge. */
	bool slowpath;
	int64_t sp_idle_ms;             /* megaflow idle time; 0: default */
	uint32_t sp_flow_limit;         /* 0: default */
};

/* Create a server; with a socket path, bind and listen on it (mode 0660).
 * -EADDRINUSE if a live server answers on that path (a stale socket file
 * is replaced). */
int dpserv_create(struct dpserv **out, const struct dpserv_config *cfg,
		  struct dp_err *err);
/* Destroy every datapath (their taps disappear), close every client, and
 * remove the socket file. */
void dpserv_destroy(struct dpserv *srv);

/* One turn of the event loop: wait up to timeout_ms (-1: until something
 * happens) and handle what is ready: packets, requests, output, watched
 * descriptors.  Returns 0 or a negative errno from epoll. */
int dpserv_run(struct dpserv *srv, int timeout_ms);
/* Have 'cb' called from dpserv_run() when 'fd' is readable. */
int dpserv_watch_fd(struct dpserv *srv, int fd, void (*cb)(void *aux),
		    void *aux);
/* Stop watching 'fd' (before closing it). */
void dpserv_unwatch_fd(struct dpserv *srv, int fd);

/* Credentials of a client, as SO_PEERCRED gives them. */
struct dpserv_cred {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};

/* Serve a connected SOCK_SEQPACKET (or SOCK_DGRAM) socket as a client.
 * Takes 'fd'.  'privileged' decides what CAP_NET_ADMIN would. */
int dpserv_add_client(struct dpserv *srv, int fd, bool privileged,
		      struct dpserv_client **out, struct dp_err *err);
/* Handle one datagram as if 'c' had sent it (the fuzzer's entry point). */
void dpserv_input(struct dpserv *srv, struct dpserv_client *c,
		  const void *data, size_t len);
uint32_t dpserv_client_portid(const struct dpserv_client *c);

/* The engine of datapath 'name', or NULL: for tests and benchmarks that
 * drive ports themselves (dummy ports, injected packets). */
struct dp *dpserv_datapath(struct dpserv *srv, const char *name);

/* Would a peer with these credentials be privileged (see above)? */
bool dpserv_cred_privileged(const struct dpserv_cred *cred);

/* Counters, for logs and tests. */
struct dpserv_stats {
	uint64_t n_requests;            /* netlink messages handled */
	uint64_t n_errors;              /* ... answered with an error */
	uint64_t n_upcalls;             /* upcalls sent */
	uint64_t n_upcalls_lost;        /* ... dropped at a client socket */
	uint64_t n_notify_dropped;      /* notifications a client missed */
	unsigned n_clients;
	unsigned n_datapaths;
};
void dpserv_get_stats(const struct dpserv *srv, struct dpserv_stats *s);

#endif
