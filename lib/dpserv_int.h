/*
 * dpserv_int.h - what the parts of the uapi server share.
 *
 * dpserv.c owns the server, its sockets, clients and output queues and
 * runs the event loop; dpserv_msg.c turns datagrams into requests (genl
 * dispatch, attribute policies, permissions, acks with extended ACK, dumps,
 * notifications) and serves nlctrl and the socket-option family;
 * dpserv_dp.c the ovs_datapath and ovs_vport families; dpserv_flow.c the
 * ovs_flow family; dpserv_packet.c OVS_PACKET_CMD_EXECUTE and upcalls.
 */
#ifndef DPKIT_DPSERV_INT_H
#define DPKIT_DPSERV_INT_H

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <net/if.h>

#include "buf.h"
#include "dp.h"
#include "dpserv.h"
#include "nlattr.h"
#include "sp_datapath.h"

/* Family ids and multicast group ids.  Generic netlink ids are the
 * server's to choose (clients resolve them through nlctrl); these stay
 * below 0x100 so that nfnetlink messages (ctnetlink: 0x100-0x1ff), which
 * conntrack will carry over the same socket, can never be mistaken for
 * them. */
#define DS_ID_CTRL      GENL_ID_CTRL    /* 0x10, as in the kernel */
#define DS_ID_DP        0x20
#define DS_ID_VPORT     0x21
#define DS_ID_FLOW      0x22
#define DS_ID_PACKET    0x23
#define DS_ID_RULES     0x24
#define DS_ID_SOCKOPT   0x2f
#define DS_GRP_DP       1
#define DS_GRP_VPORT    2
#define DS_GRP_FLOW     3
#define DS_GRP_RULES    4
#define DS_GRP_MAX      31

enum ds_fam {
	DS_FAM_CTRL,
	DS_FAM_DP,
	DS_FAM_VPORT,
	DS_FAM_FLOW,
	DS_FAM_PACKET,
	DS_FAM_SOCKOPT,
	DS_FAM_RULES,
	DS_N_FAMS
};

/* Limits. */
#define DS_RX_MAX        (256 * 1024)   /* largest request datagram */
#define DS_DUMP_CHUNK    32768          /* a dump datagram, as the kernel's
					 * skbs for readers with big buffers */
#define DS_OUTQ_MAX      (4u << 20)     /* queued replies: stop reading */
#define DS_NOTIFY_QMAX   (1u << 20)     /* queued: drop notifications */
#define DS_MAX_CLIENTS   1024
#define DS_RX_BURST      16             /* datagrams per client per turn */
#define DS_SNDBUF        (4 << 20)
#define DS_TB_MAX        29             /* largest maxattr of a family */
#define DS_MASKS_CACHE_DEFAULT 256
#define DS_MASKS_CACHE_MAX     4096

/* Attribute policy types: what the kernel's NLA_* checks do in its
 * liberal ("deprecated") validation, which the openvswitch families use. */
enum ds_pol_type {
	DS_POL_NONE,                    /* not checked */
	DS_POL_U8,
	DS_POL_U16,
	DS_POL_U32,
	DS_POL_U64,
	DS_POL_S32,
	DS_POL_FLAG,
	DS_POL_NESTED,
	DS_POL_NUL_STRING,              /* 'len': longest string */
	DS_POL_BINARY,                  /* 'len': shortest payload (the
					 * kernel's NLA_UNSPEC with a len) */
};

struct ds_policy {
	uint8_t type;                   /* DS_POL_* */
	uint16_t len;
	bool range;                     /* [min, max] for integers */
	uint32_t min, max;
};

struct dpserv;
struct ds_req;
struct ds_dump;

typedef int ds_doit(struct ds_req *r);
/* Append the next dump messages to 'out' (each NLM_F_MULTI), stopping
 * before out->len would pass 'limit' (a first message may pass it).
 * Returns 1 if there is more, 0 at the end, or a negative errno. */
typedef int ds_dumpit(struct dpserv *srv, struct ds_dump *d, struct buf *out,
		      size_t limit);

struct ds_op {
	uint8_t cmd;
	bool admin;                     /* needs CAP_NET_ADMIN */
	ds_doit *doit;
	ds_dumpit *dumpit;
	/* Called once when a dump starts, with the request's attributes
	 * parsed (NULL: none); an error ends the dump with it. */
	int (*dumpstart)(struct ds_req *r, struct ds_dump *d);
};

struct ds_family {
	const char *name;
	uint16_t id;
	uint8_t version;
	uint16_t hdrsize;
	uint16_t maxattr;
	const struct ds_policy *policy; /* [0..maxattr] */
	const struct ds_op *ops;
	size_t n_ops;
	const char *group;              /* multicast group, or NULL */
	uint32_t group_id;
};

extern const struct ds_family ds_families[DS_N_FAMS];
const struct ds_family *ds_family_by_id(uint16_t id);
const struct ds_family *ds_family_by_name(const char *name);

/* One request being handled. */
struct ds_req {
	struct dpserv *srv;
	struct dpserv_client *c;
	const struct nlmsghdr *nlh;
	const struct ds_family *fam;
	uint8_t cmd;
	uint8_t version;
	const void *hdr;                /* family header (hdrsize bytes) */
	const struct nlattr *tb[DS_TB_MAX + 1];
	struct buf *out;                /* what goes back to the requester */
	/* Extended ACK: what the kernel would put there (its policy
	 * checks), or why dpd refuses what the kernel would accept. */
	char msg[DP_ERR_MSG_MAX];
	const void *bad;                /* offending attribute (in nlh) */
	const struct ds_policy *pol;    /* ... and the policy it failed */
	/* Why a request failed where the kernel answers only with an errno
	 * (and may log a line): logged, not sent. */
	char why[DP_ERR_MSG_MAX];
};

/* A dump in progress on a client. */
struct ds_dump {
	const struct ds_family *fam;
	ds_dumpit *fill;
	uint32_t seq;
	uint32_t portid;
	uint8_t cmd;
	int dp_ifindex;
	uint32_t ufid_flags;
	uint64_t cur[2];
	void *priv;                     /* the family's, freed with priv_free */
	void (*priv_free)(void *priv);
	bool done;                      /* everything sent but NLMSG_DONE */
	int error;                      /* for NLMSG_DONE */
};

/* A datapath and what the server keeps beside the engine's state. */
struct ds_keyidx;
struct ds_dp {
	uint32_t evtag;                 /* first: epoll tag (see dpserv.c) */
	struct dp *dp;                  /* NULL once deleted */
	char name[IFNAMSIZ];
	int ifindex;                    /* the local port's: dp_ifindex */
	uint32_t masks_cache_size;
	uint64_t n_lost;                /* upcalls lost at client sockets */
	uint32_t *cpu_pids;             /* OVS_DP_ATTR_PER_CPU_PIDS */
	size_t n_cpu_pids;
	uint8_t *types;                 /* uapi vport type by port number */
	uint32_t n_types;
	struct ds_keyidx *kidx;         /* key-identified flows */
	struct sp_bridge *sp;           /* the slow path, or NULL */
	struct dpserv *srv;             /* for the slow path's callbacks */
	struct sp_datapath spd;         /* the slow path's view of dp */
	struct ds_sysbr *sys;           /* a kernel datapath's bridge */
};

/* The portid of dpd's own slow path: misses and userspace() actions for
 * it are handled in process (never a client's: new_portid() skips it). */
#define DS_PORTID_SP    0xfffffff0u

/* --- dpserv.c: server, clients, output ----------------------------------- */

struct ds_outmsg;

struct dpserv_client {
	uint32_t evtag;                 /* first: epoll tag */
	int fd;
	uint32_t portid;
	bool privileged;
	bool ext_ack, cap_ack;
	uint32_t groups;                /* bit g: member of group g */
	struct ds_outmsg *q_head, *q_tail;
	size_t q_bytes;
	struct ds_dump *dump;
	uint32_t events;                /* registered epoll events */
	bool dead;
	uint64_t n_dropped;             /* upcalls/notifications missed */
	struct dpserv_client *next;     /* all clients */
	struct dpserv_client *hnext;    /* portid hash chain */
};

#define DS_PORTID_BUCKETS 256

struct ds_watch;

struct dpserv {
	struct dpserv_config cfg;
	const struct dp_log *log;
	char *sock_path;                /* ours to unlink */
	int epfd;
	int lfd;
	uint32_t lfd_tag;
	long long accept_resume_ms;     /* out of descriptors: 0 when accepting */
	int rtfd;                       /* rtnetlink: links that go away */
	uint32_t rtfd_tag;
	struct ds_dp **dps;             /* in creation order */
	size_t n_dps, cap_dps;
	struct ds_dp **dead_dps;        /* freed at the end of the turn */
	size_t n_dead_dps, cap_dead_dps;
	struct dpserv_client *clients;
	struct dpserv_client *portids[DS_PORTID_BUCKETS];
	unsigned n_clients;
	uint32_t next_portid;
	int next_dummy_ifindex;
	struct ds_sysbr *sysbrs;        /* bridges on kernel datapaths */
	struct ds_watch **watches;
	unsigned n_watches;
	uint8_t *rx;
	struct buf out, note, up, dump; /* scratch: replies, notifications,
					 * upcalls, dump chunks */
	struct dpserv_stats stats;
	struct dp_log_rl rl;
};

/* Send one datagram to a client: queued if its socket is full.  'kind'
 * decides what happens when the client is not keeping up: replies are
 * always queued (the server stops reading from it instead), notifications
 * and upcalls are dropped (-ENOBUFS). */
enum ds_kind { DS_REPLY, DS_NOTIFY, DS_UPCALL };
int ds_send(struct dpserv *srv, struct dpserv_client *c, const void *data,
	    size_t len, enum ds_kind kind);
struct dpserv_client *ds_client_by_portid(struct dpserv *srv, uint32_t portid);

/* Datapaths. */
struct ds_dp *ds_dp_by_ifindex(struct dpserv *srv, int ifindex);
struct ds_dp *ds_dp_by_name(struct dpserv *srv, const char *name);
int ds_dp_add(struct dpserv *srv, struct ds_dp *d);
void ds_dp_remove(struct dpserv *srv, struct ds_dp *d);

/* --- dpserv_msg.c: requests, replies, acks -------------------------------- */

void ds_handle_datagram(struct dpserv *srv, struct dpserv_client *c,
			const uint8_t *data, size_t len, bool truncated);
/* Produce the next datagram of a client's dump; false if none is due. */
bool ds_dump_continue(struct dpserv *srv, struct dpserv_client *c);
void ds_dump_free(struct ds_dump *d);

/* Start a message in 'b': nlmsghdr, genlmsghdr, and the family header
 * (zeroed, hdrsize bytes).  Returns the message's offset in 'b'. */
size_t ds_msg_start(struct buf *b, const struct ds_family *fam, uint16_t flags,
		    uint32_t seq, uint32_t portid, uint8_t cmd);
void *ds_msg_hdr(struct buf *b, size_t start);
void ds_msg_end(struct buf *b, size_t start);
/* A reply to 'r' (seq, portid) of family r->fam. */
size_t ds_reply_start(struct ds_req *r, struct buf *b, uint8_t cmd);

/* A failure the kernel reports with its errno alone: 'fmt' says why in
 * dpd's log (as the kernel's OVS_NLERR lines do in its log), not to the
 * client.  Returns -code. */
int ds_err(struct ds_req *r, int code, const struct nlattr *bad,
	   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A failure with an extended ACK: text (and the offending attribute, if
 * not NULL) go to the client.  Returns -code. */
int ds_ext(struct ds_req *r, int code, const struct nlattr *bad,
	   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A required attribute is missing: -EINVAL, as ds_err(). */
int ds_missing(struct ds_req *r, uint16_t type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Send the message b[start..] as the kernel's ovs_notify() would: to the
 * requester if it asked with NLM_F_ECHO (into r->out), and to the members
 * of the family's group (the requester excluded if it got the echo). */
void ds_notify(struct ds_req *r, struct buf *b, size_t start);
/* Send msg[0..len) to the members of fam's group but 'skip'. */
void ds_multicast(struct dpserv *srv, const struct ds_family *fam,
		  const void *msg, size_t len, const struct dpserv_client *skip);
/* Does anyone want r's notification (NLM_F_ECHO, or group members)? */
bool ds_must_notify(struct ds_req *r);
/* A u32 attribute's value, or 'def' if absent. */
uint32_t ds_get_u32(const struct nlattr *a, uint32_t def);
/* ovs_header.dp_ifindex of the request. */
int ds_req_ifindex(const struct ds_req *r);

/* --- the families ----------------------------------------------------------- */

extern const struct ds_op ds_dp_ops[4];
extern const struct ds_op ds_vport_ops[4];
extern const struct ds_op ds_flow_ops[4];
extern const struct ds_op ds_packet_ops[1];
extern const struct ds_op ds_rules_ops[7];
extern const struct ds_policy ds_rules_policy[];

/* dpserv_rules.c: the slow path of each datapath. */
int ds_sp_attach(struct dpserv *srv, struct ds_dp *d, bool force);
void ds_sp_ports_changed(struct dpserv *srv, struct ds_dp *d);
/* Revalidate what is due; returns ms until the next pass (-1: none). */
int ds_sp_run(struct dpserv *srv);
void ds_sp_upcall(struct dpserv *srv, struct ds_dp *d,
		  const struct dp_upcall *u);
/* Create the slow path of an (already filled) ds_dp. */
int ds_sp_create(struct dpserv *srv, struct ds_dp *d, uint32_t upcall_pid);

/* dpserv_sysbr.c: bridges on kernel datapaths.  Such a bridge's ds_dp has
 * no dp (it is in no list of srv->dps) and its sys set. */
struct ds_sysbr;
struct ds_dp *ds_sys_by_name(struct dpserv *srv, const char *name);
int ds_sys_attach(struct dpserv *srv, const char *name, struct ds_dp **out,
		  struct dp_err *err);
void ds_sys_detach(struct dpserv *srv, struct ds_dp *d);
/* Keep the bridges' ports and upcall pids right, revalidate what is due;
 * returns ms until the next turn (-1: no bridge). */
int ds_sys_run(struct dpserv *srv, int64_t now_ms);
void ds_sys_destroy_all(struct dpserv *srv);

/* dpserv_dp.c */
void ds_dp_destroy(struct dpserv *srv, struct ds_dp *d);
/* Network device 'ifindex' is gone (0: some are, check them all): its
 * port goes, as the kernel's dp_notify does, with an OVS_VPORT_CMD_DEL
 * notification; a datapath whose local port went goes with it. */
void ds_links_gone(struct dpserv *srv, int ifindex);
/* The uapi type of a port. */
uint32_t ds_port_type(const struct ds_dp *d, const struct dp_port_info *pi);

/* dpserv_flow.c: the index of key-identified flows (by unmasked key). */
struct ds_keyidx *ds_keyidx_new(void);
void ds_keyidx_free(struct ds_keyidx *x);

/* dpserv_packet.c: send the datapath's queued upcalls. */
void ds_upcalls_flush(struct dpserv *srv, struct ds_dp *d);

#endif
