/*
 * dpif_priv.h - what dpif.c, dpif_port.c and dpif_flow.c share.
 *
 * Not an interface: the struct behind a struct dpif, the request builder
 * that puts the ovs_header in front of every message, and the translation
 * of a failed request's errno and extended ACK into a message that names
 * the operation's subject.
 */
#ifndef DPKIT_DPIF_PRIV_H
#define DPKIT_DPIF_PRIV_H

#include "buf.h"
#include "dpif.h"

/* Generic netlink ids of the four openvswitch families on one socket. */
struct dpif_families {
	bool resolved;
	uint16_t id[4];                 /* DPIF_FAM_* */
	uint8_t version[4];
};

enum { DPIF_FAM_DP, DPIF_FAM_VPORT, DPIF_FAM_FLOW, DPIF_FAM_PACKET };

struct dpif {
	struct dpif_conn *conn;
	enum dpif_type type;
	struct nl_sock *sock;
	const struct dpif_families *fams;
	int dp_ifindex;
	char name[IFNAMSIZ];
	char full[IFNAMSIZ + 8];
};

/* What a request was doing, to explain its failure. */
enum dpif_op {
	DPIF_OP_DP_NEW, DPIF_OP_DP_DEL, DPIF_OP_DP_GET, DPIF_OP_DP_SET,
	DPIF_OP_DP_DUMP,
	DPIF_OP_PORT_NEW, DPIF_OP_PORT_DEL, DPIF_OP_PORT_GET, DPIF_OP_PORT_SET,
	DPIF_OP_PORT_DUMP,
	DPIF_OP_FLOW_NEW, DPIF_OP_FLOW_SET, DPIF_OP_FLOW_DEL, DPIF_OP_FLOW_GET,
	DPIF_OP_FLOW_DUMP, DPIF_OP_FLOW_FLUSH,
	DPIF_OP_EXECUTE,
};

/* Start a request of family 'fam' with the ovs_header for this datapath. */
int dpif_req(const struct dpif *dp, struct buf *b, int fam, uint8_t cmd,
	     uint16_t flags);
int dpif_req_sock(const struct dpif_families *fams, struct buf *b, int fam,
		  uint8_t cmd, uint16_t flags, int dp_ifindex);

/* Send a request; on failure rewrite 'err' for the operation. */
int dpif_transact(struct dpif *dp, struct buf *req, enum dpif_op op,
		  const char *subject, nl_msg_cb cb, void *aux,
		  struct dp_err *err);
/* Rewrite the error of a failed request on 'sock'. */
int dpif_explain(struct nl_sock *sock, enum dpif_op op, const char *subject,
		 const char *dpname, int error, struct dp_err *err);

/* Attributes of an ovs_* reply: the ovs_header's dp_ifindex and the
 * attribute stream after it. */
int dpif_msg_attrs(const struct nlmsghdr *nlh, int *dp_ifindex,
		   uint8_t *cmd, const void **attrs, size_t *len);

#endif
