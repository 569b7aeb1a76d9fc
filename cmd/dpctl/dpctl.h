/*
 * dpctl.h - what dpctl's command files share.
 *
 * dpctl manages datapaths, their ports and their flows, with ovs-dpctl's
 * commands and output.  Each command is a handler in the table of main.c;
 * dp.c has the datapath commands, port.c the port commands, flow.c the
 * flow commands,
 * flows_file.c the commands that read flows from a file (add-flows,
 * mod-flows, del-flows FILE, parse-flows), format.c prints flows and
 * statistics as ovs-dpctl does, filter.c is dump-flows' filter=.
 */
#ifndef DPCTL_H
#define DPCTL_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "cli.h"
#include "dpif.h"
#include "err.h"
#include "key.h"
#include "odp_text.h"

/* The program's state, shared by every command of a batch. */
struct dpctl {
	struct dpif_conn *conn;
};

/* A datapath's ports, for printing and parsing port names. */
struct dpctl_port {
	uint32_t no;
	uint32_t type;
	char name[IFNAMSIZ];
};

struct dpctl_ports {
	struct dpctl_port *v;
	size_t n;
	struct odp_names names;         /* callbacks over v */
};

struct dpctl *dpctl_state(struct cli_ctx *ctx);
/* Print 'err' as this command's failure; returns CLI_FAIL (or CLI_USAGE
 * when err->code is EINVAL from parsing arguments and 'usage' is set). */
int dpctl_fail(struct cli_ctx *ctx, const struct dp_err *err);

/* Open a datapath named on the command line, or, with name NULL, the only
 * datapath there is (as ovs-dpctl does for its flow commands).  Errors are
 * printed; returns CLI_OK or CLI_FAIL. */
int dpctl_open(struct cli_ctx *ctx, const char *name, struct dpif **dp);
/* Is 'name' an existing datapath?  (For commands whose first argument may
 * be a datapath or something else.) */
bool dpctl_dp_exists(struct cli_ctx *ctx, const char *name);

int dpctl_ports_load(struct dpif *dp, struct dpctl_ports *ports,
		     struct dp_err *err);
/* dpctl_open() and dpctl_ports_load() in one; errors printed. */
int dpctl_open_ports(struct cli_ctx *ctx, const char *name, struct dpif **dp,
		     struct dpctl_ports *ports);
void dpctl_ports_free(struct dpctl_ports *ports);
const struct dpctl_port *dpctl_port_by_no(const struct dpctl_ports *ports,
					  uint32_t no);
const struct dpctl_port *dpctl_port_by_name(const struct dpctl_ports *ports,
					    const char *name);
/* "system" for netdev ports (ovs-dpctl's word), else the vport type. */
const char *dpctl_port_type(uint32_t type);

/* --- format.c --- */
uint64_t dpctl_now_ms(void);
/* "packets:N, bytes:N, used:X[, flags:F]" */
void dpctl_stats_text(struct buf *out, const struct dpif_flow_stats *st,
		      uint64_t now_ms);
void dpctl_tcp_flags_text(struct buf *out, uint16_t flags);
/* A dump-flows line (without newline).  stats: include statistics and, with
 * -m, "dp:ovs"; names: port names, or NULL for numbers. */
void dpctl_flow_text(struct buf *out, const struct dpif_flow *f,
		     const struct cli_opts *o, const struct odp_names *names,
		     bool stats, uint64_t now_ms);
/* The same as one JSON object; 'command' ("modify", "delete"), if not
 * NULL, is included (and a delete has no actions). */
void dpctl_flow_json(struct buf *out, const struct dpif_flow *f,
		     const struct cli_opts *o, const struct odp_names *names,
		     bool stats, uint64_t now_ms, const char *command);

/* --- flow.c --- */
/* A parsed flow: optional ufid, key and mask attributes, actions. */
struct dpctl_flow {
	bool has_ufid;
	uint8_t ufid[16];
	struct buf key, mask, actions;
	bool has_actions;
};
void dpctl_flow_init(struct dpctl_flow *f);
void dpctl_flow_free(struct dpctl_flow *f);
/* Parse "[ufid:U,]KEY" (and ACTIONS if not NULL). */
int dpctl_flow_parse(struct dpctl_flow *f, const char *key, size_t key_len,
		     const char *actions, size_t actions_len,
		     const struct odp_names *names, struct dp_err *err);
/* The kernel refused a flow with EINVAL: say why, using odp_key's reading
 * of the kernel's rules, if the datapath gave no better reason. */
void dpctl_explain_flow(const struct dpctl_flow *f, struct dp_err *err);
/* Refuse an in_port that is not a port of the datapath. */
int dpctl_check_in_port(const struct dpctl_flow *f,
			const struct dpctl_ports *ports, struct dp_err *err);

int cmd_add_flow(struct cli_ctx *ctx, int argc, char **argv);
int cmd_mod_flow(struct cli_ctx *ctx, int argc, char **argv);
int cmd_del_flow(struct cli_ctx *ctx, int argc, char **argv);
int cmd_get_flow(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dump_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_del_flows(struct cli_ctx *ctx, int argc, char **argv);

/* --- flows_file.c --- */
int cmd_add_flows(struct cli_ctx *ctx, int argc, char **argv);
int cmd_mod_flows(struct cli_ctx *ctx, int argc, char **argv);
int dpctl_del_flows_file(struct cli_ctx *ctx, const char *dp,
			 const char *file);
int cmd_parse_flows(struct cli_ctx *ctx, int argc, char **argv);

/* --- port.c --- */
#define DPCTL_VXLAN_PORT  4789          /* default UDP ports, as OVS's */
#define DPCTL_GENEVE_PORT 6081
/* Check "IFACE[,OPTION=VALUE]..." arguments without a datapath. */
int dpctl_check_if_args(struct cli_ctx *ctx, int n, char **args);
/* Add ports, all or none. */
int dpctl_add_ifs(struct cli_ctx *ctx, struct dpif *dp, int n, char **args);
int cmd_add_if(struct cli_ctx *ctx, int argc, char **argv);
int cmd_set_if(struct cli_ctx *ctx, int argc, char **argv);
int cmd_del_if(struct cli_ctx *ctx, int argc, char **argv);

/* --- dp.c --- */
int cmd_add_dp(struct cli_ctx *ctx, int argc, char **argv);
int cmd_del_dp(struct cli_ctx *ctx, int argc, char **argv);
int cmd_dump_dps(struct cli_ctx *ctx, int argc, char **argv);
int cmd_show(struct cli_ctx *ctx, int argc, char **argv);
/* Every datapath's full name (for completion and "the only datapath"):
 * fills a malloc'd NULL-terminated array; errors of unavailable types
 * are ignored unless no type is available at all. */
int dpctl_list_dps(struct dpif_conn *conn, char ***names, size_t *n,
		   struct dp_err *err);

/* --- filter.c --- */
struct dpctl_filter;
/* Parse ovs-dpctl's dump-flows filter ("in_port=1,tcp,tp_dst=80"; also
 * "in_port(1),eth_type(0x0800)").  Port names resolve through 'ports'. */
int dpctl_filter_parse(const char *s, const struct dpctl_ports *ports,
		       struct dpctl_filter **f, struct dp_err *err);
void dpctl_filter_free(struct dpctl_filter *f);
/* Does the flow (its key and mask attributes) pass?  -EINVAL if the key
 * cannot be read. */
int dpctl_filter_match(const struct dpctl_filter *f, const struct dpif_flow *flow);

#endif
