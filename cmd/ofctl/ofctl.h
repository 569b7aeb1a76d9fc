/*
 * ofctl.h - what ofctl's command files share.
 *
 * ofctl manages the rule tables dpd keeps for each of its datapaths
 * (bridges), with ovs-ofctl's commands, syntax and output, over the
 * dpkit_rules family (rules_proto.h) on dpd's socket.  main.c has the
 * command table and the connection; flows.c the commands that change or
 * dump rules and read flow files; info.c show, dump-ports, dump-tables.
 */
#ifndef OFCTL_H
#define OFCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "cli.h"
#include "dpif.h"
#include "err.h"
#include "netlink.h"
#include "ofp_flow_mod.h"
#include "ofp_parse.h"

/* ofctl's own options, for one command. */
struct ofctl_opts {
	bool strict;
	bool sort;
	bool rsort;
	const char *sort_field;         /* NULL: priority */
	bool no_stats;
};

struct ofctl {
	struct dpif_conn *conn;
	struct ofctl_opts pending;      /* as parsed for the next command */
	struct ofctl_opts o;            /* the running command's */
};

struct ofctl_port {
	uint32_t no;
	char name[IFNAMSIZ];
	struct ovs_vport_stats stats;
	bool has_stats;
};

/* A bridge: the datapath, its ports (for names), the rules socket. */
struct ofctl_br {
	struct dpif *dp;
	const char *name;               /* without "netdev@" */
	struct nl_sock *sock;
	const struct nl_family *fam;
	struct ofctl_port *ports;
	size_t n_ports;
	struct ofp_names names;
};

struct ofctl *ofctl_state(struct cli_ctx *ctx);
/* Every handler calls this first: the options parsed for this command
 * become o->o, and the next command of a batch starts without them. */
struct ofctl *ofctl_begin(struct cli_ctx *ctx);
/* Open bridge 'arg' ("br0" or "netdev@br0").  Errors printed. */
int ofctl_br_open(struct cli_ctx *ctx, const char *arg, struct ofctl_br *br);
void ofctl_br_close(struct ofctl_br *br);
/* Start a dpkit_rules request for the bridge in 'b'. */
void ofctl_req(struct ofctl_br *br, struct buf *b, uint8_t cmd, uint16_t flags);
/* nl_transact() on the bridge's socket; errors carry dpd's text alone. */
int ofctl_transact(struct ofctl_br *br, struct buf *req, nl_msg_cb cb,
		   void *aux, struct dp_err *err);
int ofctl_fail(struct cli_ctx *ctx, const struct dp_err *err);

/* Is 'arg' a bridge (as opposed to a file) for diff-flows? */
bool ofctl_is_bridge(struct cli_ctx *ctx, const char *arg);

/* main.c */
int cmd_add_br(struct cli_ctx *ctx, int argc, char **argv);
int cmd_del_br(struct cli_ctx *ctx, int argc, char **argv);

/* flows.c */
int cmd_add_flow(struct cli_ctx *ctx, int argc, char **argv);
int cmd_add_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_mod_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_del_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_replace_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_diff_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dump_flows(struct cli_ctx *ctx, int argc, char **argv);

/* monitor.c */
int cmd_monitor(struct cli_ctx *ctx, int argc, char **argv);

/* info.c */
int cmd_show(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dump_ports(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dump_tables(struct cli_ctx *ctx, int argc, char **argv);
int cmd_stats(struct cli_ctx *ctx, int argc, char **argv);

#endif
