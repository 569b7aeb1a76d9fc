/*
 * netlink.h - generic netlink requests, to the kernel or to dpd.
 *
 * One handle, two transports carrying the same bytes:
 *
 *  - NL_KERNEL: an AF_NETLINK/NETLINK_GENERIC socket (libmnl), for the
 *    kernel datapath ("system@NAME");
 *  - NL_UNIX: a SOCK_SEQPACKET unix socket connected to dpd, by default
 *    $DPKIT_RUNDIR/dpd.sock (/run/dpkit/dpd.sock), for dpd's userspace
 *    datapaths ("netdev@NAME").  Each datagram holds whole netlink messages,
 *    exactly as on a netlink socket, including the nlctrl family lookup.
 *
 * The module owns the socket, its receive buffer and a per-handle cache of
 * generic netlink families (id, version, header size, multicast groups).
 * It frames requests (sequence numbers, NLM_F_REQUEST|NLM_F_ACK), runs a
 * callback per reply message of a request or a multipart dump, and turns a
 * NLMSG_ERROR into a dp_err that carries the peer's extended ACK: its text
 * (NLMSGERR_ATTR_MSG) and where in the request the offending or missing
 * attribute is (NLMSGERR_ATTR_OFFS / MISS_TYPE).  No state is global: any
 * number of handles may coexist, one per thread.
 *
 * Contract for the NL_UNIX peer (dpd): it answers every request with
 * replies whose nlmsg_seq is the request's and whose nlmsg_pid is the portid
 * it gave this connection; it acks NLMSG_NOOP with NLM_F_ACK (which is how a
 * client learns its portid, see nl_portid()); it sends upcalls for that
 * portid on that connection.  Each connection has its own portid, as each
 * AF_NETLINK socket has, so an upcall listener opens one handle per portid.
 * A connection starts as a kernel socket with NETLINK_EXT_ACK and
 * NETLINK_CAP_ACK set.  What setsockopt(SOL_NETLINK) does on a kernel
 * socket (multicast group membership, those two options) the peer does
 * with a generic netlink family of its own, NL_SOCKOPT_FAMILY, found
 * through nlctrl like the others: NL_SOCKOPT_CMD_SET carries OPT (the
 * NETLINK_* option) and VALUE, both u32; NL_SOCKOPT_CMD_GET carries OPT
 * and is answered with OPT and VALUE.  nl_join_group() uses it.
 */
#ifndef DPKIT_NETLINK_H
#define DPKIT_NETLINK_H

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* The NL_UNIX peer's socket-option family (see above). */
#define NL_SOCKOPT_FAMILY       "dpd_sockopt"
#define NL_SOCKOPT_VERSION      1
enum {
	NL_SOCKOPT_CMD_UNSPEC,
	NL_SOCKOPT_CMD_SET,
	NL_SOCKOPT_CMD_GET,
};
enum {
	NL_SOCKOPT_ATTR_UNSPEC,
	NL_SOCKOPT_ATTR_OPT,            /* u32 NETLINK_* option */
	NL_SOCKOPT_ATTR_VALUE,          /* u32 */
	__NL_SOCKOPT_ATTR_MAX
};
#define NL_SOCKOPT_ATTR_MAX (__NL_SOCKOPT_ATTR_MAX - 1)

enum nl_transport {
	NL_KERNEL,                      /* AF_NETLINK, NETLINK_GENERIC */
	NL_UNIX,                        /* SOCK_SEQPACKET to dpd */
};

#define NL_MAX_GROUPS 8

/* A generic netlink family as the controller (nlctrl) describes it. */
struct nl_family {
	char name[GENL_NAMSIZ];
	uint16_t id;
	uint8_t version;
	uint32_t hdrsize;               /* family header after genlmsghdr */
	uint32_t maxattr;
	size_t n_groups;
	struct {
		char name[GENL_NAMSIZ];
		uint32_t id;
	} groups[NL_MAX_GROUPS];
};

/* The extended ACK of the last failed request on a handle. */
struct nl_ext_ack {
	int error;                      /* positive errno, 0 if none */
	char msg[256];                  /* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offs;                  /* NLMSGERR_ATTR_OFFS was given */
	uint32_t offs;                  /* ...offset from the request's start */
	int depth;                      /* attribute types leading to offs */
	uint16_t path[4];               /* outermost first */
	bool has_miss;                  /* NLMSGERR_ATTR_MISS_TYPE was given */
	uint32_t miss_type;
};

struct nl_sock;

/* Per-message callback: 0 to go on, a negative errno to stop (the rest of
 * the reply is still read and dropped, so the handle stays usable). */
typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *aux);

/* Open a handle.  nl_open_unix(NULL) uses dpd's default socket path. */
int nl_open_kernel(struct nl_sock **sp, struct dp_err *err);
int nl_open_unix(struct nl_sock **sp, const char *path, struct dp_err *err);
void nl_sock_close(struct nl_sock *s);
/* dpd's socket path: $DPKIT_RUNDIR/dpd.sock, default /run/dpkit/dpd.sock. */
const char *nl_dpd_path(char *buf, size_t size);

enum nl_transport nl_transport(const struct nl_sock *s);
int nl_fd(const struct nl_sock *s);
/* Give up on a reply after 'ms' milliseconds (-1, the default: never). */
void nl_set_timeout(struct nl_sock *s, int ms);
/* This handle's portid, the address upcalls for it are sent to.  Over
 * NL_UNIX the first call asks the peer (NLMSG_NOOP + ack). */
int nl_portid(struct nl_sock *s, uint32_t *portid, struct dp_err *err);

/* Look up a family by name (cached in the handle).  -ENOENT if the peer
 * has no such family. */
int nl_family_get(struct nl_sock *s, const char *name,
		  const struct nl_family **fam, struct dp_err *err);
/* The id of multicast group 'group' of 'fam', or 0 if it has none. */
uint32_t nl_family_group(const struct nl_family *fam, const char *group);
/* Receive the multicast group's notifications on this handle (over
 * NL_UNIX through the peer's socket-option family). */
int nl_join_group(struct nl_sock *s, uint32_t group, struct dp_err *err);

/* Start a generic netlink message in 'b' (cleared first): nlmsghdr,
 * genlmsghdr and 'hdrsize' zeroed bytes of family header.  Returns the
 * family header (valid until the next append), or NULL if out of memory.
 * Attributes are then appended with na_put_*() (nlattr.h). */
void *nl_msg_genl(struct buf *b, uint16_t family, uint16_t flags,
		  uint8_t cmd, uint8_t version, size_t hdrsize);

/* Send the request in 'req' (one message, built with nl_msg_genl) and read
 * its replies: each data message goes to 'cb' (may be NULL), then the ack,
 * or, for a dump (NLM_F_DUMP), NLMSG_DONE.  Returns 0, the callback's
 * error, or the peer's negative errno with its extended ACK in 'err'. */
int nl_transact(struct nl_sock *s, struct buf *req, nl_msg_cb cb, void *aux,
		struct dp_err *err);
/* The extended ACK of the last failed nl_transact() on this handle. */
const struct nl_ext_ack *nl_last_ack(const struct nl_sock *s);

/* Receive one datagram of unsolicited messages (upcalls, notifications)
 * and pass each to 'cb'.  Returns the number of messages, -EAGAIN if
 * nonblocking and nothing is queued, -ENOBUFS if the socket overflowed
 * and messages were lost (the socket stays usable). */
int nl_recv_msgs(struct nl_sock *s, bool block, nl_msg_cb cb, void *aux,
	    struct dp_err *err);

/* Payload of a generic netlink message: the family header (hdrsize bytes)
 * and the attribute stream after it.  -EINVAL if the message is too short
 * or its attributes are malformed. */
int nl_genl_parse(const struct nlmsghdr *nlh, size_t hdrsize,
		  const struct genlmsghdr **genl, const void **hdr,
		  const void **attrs, size_t *attrs_len);

/* Parse an NLMSG_ERROR (or NLMSG_DONE with an error) message: fills 'ack'
 * and returns the positive errno (0 for an ack).  'req', if not NULL, is
 * the request, used to resolve the offending attribute's path; 'hdrsize' is
 * its family header size.  Exposed for tests and for dpd's own use. */
int nl_parse_error(const struct nlmsghdr *nlh, const void *req,
		   size_t req_len, size_t hdrsize, struct nl_ext_ack *ack);
/* "<extack text or strerror> (attribute 1.5 at offset 28)" */
void nl_ack_format(const struct nl_ext_ack *ack, struct dp_err *err);

#endif
