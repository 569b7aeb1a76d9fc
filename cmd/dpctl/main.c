/* dpctl: datapaths, ports and datapath flows, as ovs-dpctl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpctl.h"

static const struct cli_cmd commands[] = {
	{ "add-dp", "DP [IFACE...]", 1, -1, cmd_add_dp, true,
	  "create datapath DP (with ports IFACE...)", CLI_C_IFACE },
	{ "del-dp", "DP", 1, 1, cmd_del_dp, true,
	  "delete datapath DP", CLI_C_DP },
	{ "dump-dps", "", 0, 0, cmd_dump_dps, false,
	  "list every datapath", 0 },
	{ "show", "[DP...]", 0, -1, cmd_show, false,
	  "show datapaths (default: all) and their ports",
	  CLI_C_DPS },
	{ "add-if", "DP IFACE[,OPTION=VALUE]...", 2, -1, cmd_add_if, true,
	  "add ports (options: type, port_no, dst_port, exts)",
	  CLI_C_DP | CLI_C_IFACE },
	{ "set-if", "DP IFACE[,OPTION=VALUE]...", 2, -1, cmd_set_if, true,
	  "change the options of ports", CLI_C_DP | CLI_C_IFACE },
	{ "del-if", "DP IFACE...", 2, -1, cmd_del_if, true,
	  "delete ports (by name or number)", CLI_C_DP | CLI_C_IFACE },
	{ "dump-flows", "[DP] [filter=FILTER]", 0, 2, cmd_dump_flows, false,
	  "print the flows of DP", CLI_C_DP | CLI_C_FLOW },
	{ "add-flow", "[DP] FLOW ACTIONS", 2, 3, cmd_add_flow, true,
	  "add a flow", CLI_C_DP | CLI_C_FLOW },
	{ "add-flows", "[DP] FILE|-", 1, 2, cmd_add_flows, true,
	  "add flows from FILE (all or nothing)", CLI_C_DP | CLI_C_FILE },
	{ "mod-flow", "[DP] FLOW ACTIONS", 2, 3, cmd_mod_flow, true,
	  "change a flow's actions", CLI_C_DP | CLI_C_FLOW },
	{ "mod-flows", "[DP] FILE|-", 1, 2, cmd_mod_flows, true,
	  "change flows from FILE (all or nothing)", CLI_C_DP | CLI_C_FILE },
	{ "get-flow", "[DP] ufid:UFID", 1, 2, cmd_get_flow, false,
	  "print the flow with this ufid", CLI_C_DP },
	{ "del-flow", "[DP] FLOW", 1, 2, cmd_del_flow, true,
	  "delete a flow", CLI_C_DP | CLI_C_FLOW },
	{ "del-flows", "[DP] [FILE|-]", 0, 2, cmd_del_flows, true,
	  "delete all flows, or those listed in FILE", CLI_C_DP | CLI_C_FILE },
	{ "parse-flows", "FILE|-", 1, 1, cmd_parse_flows, false,
	  "print flows as a datapath would (needs none)",
	  CLI_C_FILE },
	{ NULL, NULL, 0, 0, NULL, false, NULL, 0 },
};

struct dpctl *dpctl_state(struct cli_ctx *ctx)
{
	struct dpctl *d = ctx->prog->aux;

	dpif_conn_set_timeout(d->conn, ctx->opts.timeout > 0 ?
			      ctx->opts.timeout * 1000 : -1);
	return d;
}

int dpctl_fail(struct cli_ctx *ctx, const struct dp_err *err)
{
	return cli_error(ctx, "%s", dp_err_str(err));
}

struct dp_list {
	char **v;
	size_t n;
	enum dpif_type type;
};

static int collect_dp(const struct dpif_dp_info *info, void *aux)
{
	struct dp_list *l = aux;
	char **p = realloc(l->v, (l->n + 2) * sizeof *p);
	char *s;

	if (!p)
		return -ENOMEM;
	l->v = p;
	if (asprintf(&s, "%s@%s", dpif_type_name(l->type), info->name) < 0)
		return -ENOMEM;
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return 0;
}

int dpctl_list_dps(struct dpif_conn *conn, char ***names, size_t *n,
		   struct dp_err *err)
{
	struct dp_list l = { NULL, 0, DPIF_SYSTEM };
	struct dp_err errs[DPIF_N_TYPES];
	int t, ok = 0;

	for (t = 0; t < DPIF_N_TYPES; t++) {
		dp_err_clear(&errs[t]);
		l.type = (enum dpif_type)t;
		if (!dpif_enumerate(conn, l.type, collect_dp, &l, &errs[t]))
			ok++;
	}
	*names = l.v;
	*n = l.n;
	if (!ok)
		return dp_err_set(err, errs[0].code, "%s; and %s",
				  dp_err_str(&errs[0]), dp_err_str(&errs[1]));
	return 0;
}

static void free_names(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int dpctl_open(struct cli_ctx *ctx, const char *name, struct dpif **dp)
{
	struct dpctl *d = dpctl_state(ctx);
	struct dp_err err;
	char **names = NULL;
	size_t n = 0;
	int rc = CLI_OK;

	*dp = NULL;
	dp_err_clear(&err);
	if (!name) {
		if (dpctl_list_dps(d->conn, &names, &n, &err) < 0) {
			free_names(names, n);
			return dpctl_fail(ctx, &err);
		}
		if (n != 1) {
			free_names(names, n);
			return cli_error(ctx, n ? "multiple datapaths, specify "
					 "one" : "no datapaths exist");
		}
		name = names[0];
	}
	if (dpif_open(d->conn, name, dp, &err) < 0)
		rc = dpctl_fail(ctx, &err);
	free_names(names, n);
	return rc;
}

bool dpctl_dp_exists(struct cli_ctx *ctx, const char *name)
{
	struct dpctl *d = dpctl_state(ctx);
	struct dpif *dp;

	if (dpif_open(d->conn, name, &dp, NULL) < 0)
		return false;
	dpif_close(dp);
	return true;
}

/* --- ports ---------------------------------------------------------------- */

static int collect_port(const struct dpif_port *p, void *aux)
{
	struct dpctl_ports *ports = aux;
	struct dpctl_port *v = realloc(ports->v, (ports->n + 1) * sizeof *v);

	if (!v)
		return -ENOMEM;
	ports->v = v;
	v[ports->n].no = p->port_no;
	v[ports->n].type = p->type;
	memcpy(v[ports->n].name, p->name, sizeof p->name);
	ports->n++;
	return 0;
}

static int cmp_port(const void *a, const void *b)
{
	const struct dpctl_port *x = a, *y = b;

	return x->no < y->no ? -1 : x->no > y->no;
}

static const char *names_port_name(void *aux, uint32_t port)
{
	const struct dpctl_port *p = dpctl_port_by_no(aux, port);

	return p ? p->name : NULL;
}

static int names_port_number(void *aux, const char *name, uint32_t *port)
{
	const struct dpctl_port *p = dpctl_port_by_name(aux, name);

	if (!p)
		return -ENOENT;
	*port = p->no;
	return 0;
}

int dpctl_ports_load(struct dpif *dp, struct dpctl_ports *ports,
		     struct dp_err *err)
{
	int error;

	memset(ports, 0, sizeof *ports);
	error = dpif_port_dump(dp, collect_port, ports, err);
	if (error) {
		dpctl_ports_free(ports);
		return error;
	}
	if (ports->n)
		qsort(ports->v, ports->n, sizeof *ports->v, cmp_port);
	ports->names.port_name = names_port_name;
	ports->names.port_number = names_port_number;
	ports->names.aux = ports;
	return 0;
}

void dpctl_ports_free(struct dpctl_ports *ports)
{
	free(ports->v);
	memset(ports, 0, sizeof *ports);
}

const struct dpctl_port *dpctl_port_by_no(const struct dpctl_ports *ports,
					  uint32_t no)
{
	size_t i;

	for (i = 0; i < ports->n; i++)
		if (ports->v[i].no == no)
			return &ports->v[i];
	return NULL;
}

const struct dpctl_port *dpctl_port_by_name(const struct dpctl_ports *ports,
					    const char *name)
{
	size_t i;

	for (i = 0; i < ports->n; i++)
		if (!strcmp(ports->v[i].name, name))
			return &ports->v[i];
	return NULL;
}

const char *dpctl_port_type(uint32_t type)
{
	const char *n;

	if (type == OVS_VPORT_TYPE_NETDEV)
		return "system";
	n = dpif_port_type_name(type);
	return n ? n : "unknown";
}

/* --- main ----------------------------------------------------------------- */

static char **shell_dps(void *aux)
{
	struct dpctl *d = aux;
	char **names = NULL;
	size_t n = 0;

	dpctl_list_dps(d->conn, &names, &n, NULL);
	return names;
}

int main(int argc, char **argv)
{
	struct dpctl d;
	struct cli_prog prog = {
		.name = "dpctl",
		.summary = "datapaths, their ports and flows (ovs-dpctl's "
			   "commands)",
		.version = "0.1.0",
		.cmds = commands,
		.list_dps = shell_dps,
		.key_keywords = odp_key_keywords,
		.action_keywords = odp_action_keywords,
		.aux = &d,
	};
	int rc;

	d.conn = dpif_conn_new();
	if (!d.conn) {
		fprintf(stderr, "dpctl: out of memory\n");
		return CLI_FAIL;
	}
	rc = cli_main(&prog, argc, argv);
	dpif_conn_free(d.conn);
	return rc;
}
