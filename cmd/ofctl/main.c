/* ofctl: the rule tables of dpd's bridges, as ovs-ofctl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlattr.h"
#include "ofctl.h"
#include "ofp_actions.h"
#include "ofp_match.h"
#include "rules_proto.h"

/* Each command starts with the options given for it (ofctl_begin). */
#define BEGIN(f) \
	static int w_##f(struct cli_ctx *ctx, int argc, char **argv) \
	{ \
		ofctl_begin(ctx); \
		return f(ctx, argc, argv); \
	}
BEGIN(cmd_add_br)
BEGIN(cmd_del_br)
BEGIN(cmd_show)
BEGIN(cmd_dump_flows)
BEGIN(cmd_add_flow)
BEGIN(cmd_add_flows)
BEGIN(cmd_mod_flows)
BEGIN(cmd_del_flows)
BEGIN(cmd_replace_flows)
BEGIN(cmd_diff_flows)
BEGIN(cmd_dump_tables)
BEGIN(cmd_dump_ports)
BEGIN(cmd_stats)
BEGIN(cmd_monitor)

static const struct cli_cmd commands[] = {
	{ "add-br", "BRIDGE [IFACE...]", 1, -1, w_cmd_add_br, true,
	  "make a bridge (a datapath with rules), with ports",
	  CLI_C_DP | CLI_C_IFACE },
	{ "del-br", "BRIDGE", 1, 1, w_cmd_del_br, true,
	  "delete a bridge and its datapath", CLI_C_DP },
	{ "show", "BRIDGE", 1, 1, w_cmd_show, false,
	  "show the bridge's ports", CLI_C_DP },
	{ "dump-flows", "BRIDGE [FLOW]", 1, 2, w_cmd_dump_flows, false,
	  "print the rules (matching FLOW)", CLI_C_DP | CLI_C_FLOW },
	{ "add-flow", "BRIDGE FLOW", 2, 2, w_cmd_add_flow, true,
	  "add a rule", CLI_C_DP | CLI_C_FLOW },
	{ "add-flows", "BRIDGE FILE|-", 2, 2, w_cmd_add_flows, true,
	  "add the rules of FILE (all or nothing)", CLI_C_DP | CLI_C_FILE },
	{ "mod-flows", "BRIDGE FLOW", 2, 2, w_cmd_mod_flows, true,
	  "change the actions of matching rules (--strict: exact)",
	  CLI_C_DP | CLI_C_FLOW },
	{ "del-flows", "BRIDGE [FLOW]", 1, 2, w_cmd_del_flows, true,
	  "delete matching rules, or all (--strict: exact)",
	  CLI_C_DP | CLI_C_FLOW },
	{ "replace-flows", "BRIDGE FILE|-", 2, 2, w_cmd_replace_flows, true,
	  "make the rules those of FILE, changing only what differs",
	  CLI_C_DP | CLI_C_FILE },
	{ "diff-flows", "SOURCE1 SOURCE2", 2, 2, w_cmd_diff_flows, false,
	  "compare the rules of two bridges or files", CLI_C_FILE },
	{ "dump-tables", "BRIDGE", 1, 1, w_cmd_dump_tables, false,
	  "print the tables in use", CLI_C_DP },
	{ "dump-ports", "BRIDGE [PORT]", 1, 2, w_cmd_dump_ports, false,
	  "print port statistics", CLI_C_DP },
	{ "monitor", "BRIDGE [watch:]", 1, 2, w_cmd_monitor, false,
	  "print packet-ins (and rule changes, with watch:) as they come; "
	  "-t SECS to stop", CLI_C_DP },
	{ "stats", "BRIDGE", 1, 1, w_cmd_stats, false,
	  "print the slow path's counters (misses, megaflows...)", CLI_C_DP },
	{ NULL, NULL, 0, 0, NULL, false, NULL, 0 },
};

enum { O_STRICT = 1, O_SORT, O_RSORT, O_SORT_BY, O_NO_STATS };

static const struct cli_option options[] = {
	{ "strict", 0, false, "    --strict             mod-flows, del-flows, "
	  "dump-flows: match and priority exactly", O_STRICT },
	{ "sort", 0, false, "    --sort[=FIELD]       dump-flows: sort by "
	  "FIELD (default priority), ascending", O_SORT },
	{ "rsort", 0, false, "    --rsort[=FIELD]      dump-flows: the same, "
	  "descending", O_RSORT },
	{ "sort-by", 0, true, "    --sort-by=FIELD      the field of --sort or --rsort", O_SORT_BY },
	{ "no-stats", 0, false, "    --no-stats           dump-flows: leave out "
	  "the counters", O_NO_STATS },
	{ NULL, 0, false, NULL, 0 },
};

static int option(void *aux, int id, const char *arg)
{
	struct ofctl *o = aux;

	switch (id) {
	case O_STRICT: o->pending.strict = true; break;
	case O_SORT: o->pending.sort = true; break;
	case O_RSORT: o->pending.rsort = true; break;
	case O_SORT_BY: o->pending.sort_field = arg; break;
	case O_NO_STATS: o->pending.no_stats = true; break;
	default: break;
	}
	return 0;
}

struct ofctl *ofctl_state(struct cli_ctx *ctx)
{
	struct ofctl *o = ctx->prog->aux;

	dpif_conn_set_timeout(o->conn, ctx->opts.timeout > 0 ?
			      ctx->opts.timeout * 1000 : -1);
	return o;
}

struct ofctl *ofctl_begin(struct cli_ctx *ctx)
{
	struct ofctl *o = ofctl_state(ctx);

	o->o = o->pending;
	memset(&o->pending, 0, sizeof o->pending);
	return o;
}

int ofctl_fail(struct cli_ctx *ctx, const struct dp_err *err)
{
	return cli_error(ctx, "%s", dp_err_str(err));
}

/* "br0" or "netdev@br0" -> "netdev@br0" in full[64]; "system@br0"
 * stays. */
static int full_name(struct cli_ctx *ctx, const char *arg, char *full)
{
	const char *type = "netdev";

	if (!strncmp(arg, "system@", 7)) {
		type = "system";
		arg += 7;
	} else if (!strncmp(arg, "netdev@", 7)) {
		arg += 7;
	}
	if (!*arg || strchr(arg, '@') || strlen(arg) >= IFNAMSIZ)
		return cli_usage_error(ctx, "%s: not a bridge name", arg);
	snprintf(full, 64, "%s@%s", type, arg);
	return CLI_OK;
}

/* --- bridges ------------------------------------------------------------------ */

static const char *port_name(void *aux, uint16_t port)
{
	const struct ofctl_br *br = aux;
	uint32_t dp = ofp_port_to_dp(port);
	size_t i;

	for (i = 0; i < br->n_ports; i++)
		if (br->ports[i].no == dp)
			return br->ports[i].name;
	return NULL;
}

static int port_number(void *aux, const char *name, size_t len,
		       uint16_t *port)
{
	const struct ofctl_br *br = aux;
	size_t i;

	for (i = 0; i < br->n_ports; i++) {
		if (strlen(br->ports[i].name) == len &&
		    !memcmp(br->ports[i].name, name, len)) {
			*port = ofp_port_from_dp(br->ports[i].no);
			return 0;
		}
	}
	return -ENOENT;
}

static int collect_port(const struct dpif_port *p, void *aux)
{
	struct ofctl_br *br = aux;
	struct ofctl_port *v = realloc(br->ports,
				       (br->n_ports + 1) * sizeof *v);

	if (!v)
		return -ENOMEM;
	br->ports = v;
	v = &v[br->n_ports++];
	memset(v, 0, sizeof *v);
	v->no = p->port_no;
	snprintf(v->name, sizeof v->name, "%s", p->name);
	v->has_stats = p->has_stats;
	v->stats = p->stats;
	return 0;
}

static int cmp_port(const void *a, const void *b)
{
	const struct ofctl_port *x = a, *y = b;

	return x->no < y->no ? -1 : x->no > y->no;
}

int ofctl_br_open(struct cli_ctx *ctx, const char *arg, struct ofctl_br *br)
{
	struct ofctl *o = ofctl_state(ctx);
	char full[64];
	struct dp_err err;
	int rc;

	memset(br, 0, sizeof *br);
	rc = full_name(ctx, arg, full);
	if (rc)
		return rc;
	dp_err_clear(&err);
	if (dpif_open(o->conn, full, &br->dp, &err) < 0) {
		/* "no openvswitch kernel module" says nothing of which
		 * bridge was asked for. */
		if (!strstr(dp_err_str(&err), full))
			return cli_error(ctx, "%s: %s", full, dp_err_str(&err));
		return ofctl_fail(ctx, &err);
	}
	br->name = dpif_base_name(br->dp);
	if (dpif_conn_sock(o->conn, DPIF_NETDEV, &br->sock, &err) < 0 ||
	    nl_family_get(br->sock, DPR_FAMILY, &br->fam, &err) < 0 ||
	    dpif_port_dump(br->dp, collect_port, br, &err) < 0) {
		ofctl_br_close(br);
		return ofctl_fail(ctx, &err);
	}
	qsort(br->ports, br->n_ports, sizeof *br->ports, cmp_port);
	br->names.port_name = port_name;
	br->names.port_number = port_number;
	br->names.aux = br;
	return CLI_OK;
}

void ofctl_br_close(struct ofctl_br *br)
{
	if (br->dp)
		dpif_close(br->dp);
	free(br->ports);
	memset(br, 0, sizeof *br);
}

bool ofctl_is_bridge(struct cli_ctx *ctx, const char *arg)
{
	struct ofctl *o = ofctl_state(ctx);
	struct dpif *dp;
	char full[64];

	if (strchr(arg, '/') || !strcmp(arg, "-"))
		return false;
	if (!strncmp(arg, "netdev@", 7) || !strncmp(arg, "system@", 7))
		return true;
	snprintf(full, sizeof full, "netdev@%s", arg);
	if (dpif_open(o->conn, full, &dp, NULL) < 0)
		return false;
	dpif_close(dp);
	return true;
}

void ofctl_req(struct ofctl_br *br, struct buf *b, uint8_t cmd, uint16_t flags)
{
	nl_msg_genl(b, br->fam->id, flags, cmd, DPR_VERSION, 0);
	na_put_str(b, DPR_ATTR_DP, br->name);
	if (dpif_type(br->dp) == DPIF_SYSTEM)
		na_put_flag(b, DPR_ATTR_SYSTEM);
}

int ofctl_transact(struct ofctl_br *br, struct buf *req, nl_msg_cb cb,
		   void *aux, struct dp_err *err)
{
	int e = nl_transact(br->sock, req, cb, aux, err);
	const struct nl_ext_ack *ack;

	/* dpd's message names the token; where in the request it sat is
	 * of no use to a user. */
	if (e < 0 && (ack = nl_last_ack(br->sock)) && ack->msg[0])
		dp_err_set(err, -e, "%s", ack->msg);
	return e;
}

int cmd_add_br(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl *o = ofctl_state(ctx);
	struct ofctl_br br;
	struct dp_err err;
	struct buf b;
	char full[64];
	bool created = false;
	int rc = full_name(ctx, argv[1], full), i;

	memset(&br, 0, sizeof br);
	if (rc)
		return rc;
	dp_err_clear(&err);
	if (dpif_open(o->conn, full, &br.dp, NULL) < 0) {
		if (dpif_create(o->conn, full, &br.dp, &err) < 0)
			return ofctl_fail(ctx, &err);
		created = true;
	}
	for (i = 2; i < argc && rc == CLI_OK; i++) {
		struct dpif_port_spec spec;
		uint32_t no;

		memset(&spec, 0, sizeof spec);
		spec.name = argv[i];
		spec.type = OVS_VPORT_TYPE_NETDEV;
		spec.port_no = DPIF_PORT_ANY;
		if (dpif_port_add(br.dp, &spec, &no, &err) < 0)
			rc = cli_error(ctx, "%s: %s", argv[i], dp_err_str(&err));
	}
	if (rc == CLI_OK &&
	    (dpif_conn_sock(o->conn, DPIF_NETDEV, &br.sock, &err) < 0 ||
	     nl_family_get(br.sock, DPR_FAMILY, &br.fam, &err) < 0))
		rc = ofctl_fail(ctx, &err);
	if (rc == CLI_OK) {
		br.name = dpif_base_name(br.dp);
		buf_init(&b);
		ofctl_req(&br, &b, DPR_CMD_ATTACH, 0);
		if (ofctl_transact(&br, &b, NULL, NULL, &err) < 0)
			rc = ofctl_fail(ctx, &err);
		buf_free(&b);
	}
	if (rc && created && dpif_delete(br.dp, NULL) == 0)
		fprintf(ctx->err, "ofctl: add-br: %s was deleted again\n", full);
	dpif_close(br.dp);
	return rc;
}

int cmd_del_br(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl_br br;
	struct dp_err err;
	int rc = ofctl_br_open(ctx, argv[1], &br);

	(void)argc;
	if (rc)
		return rc;
	dp_err_clear(&err);
	/* dpd lets go of a kernel datapath (its ports' upcall pids) first. */
	if (dpif_type(br.dp) == DPIF_SYSTEM) {
		struct buf b = BUF_INIT;

		ofctl_req(&br, &b, DPR_CMD_DETACH, 0);
		if (ofctl_transact(&br, &b, NULL, NULL, &err) < 0)
			rc = ofctl_fail(ctx, &err);
		buf_free(&b);
		if (rc) {
			ofctl_br_close(&br);
			return rc;
		}
	}
	if (dpif_delete(br.dp, &err) < 0)
		rc = ofctl_fail(ctx, &err);
	ofctl_br_close(&br);
	return rc;
}

/* --- main ------------------------------------------------------------------------ */

static const char *const match_keywords[] = {
	"table=", "priority=", "cookie=", "idle_timeout=", "hard_timeout=",
	"in_port=", "dl_src=", "dl_dst=", "dl_type=", "dl_vlan=", "nw_src=",
	"nw_dst=", "nw_proto=", "tp_src=", "tp_dst=", "ip", "ipv6", "tcp",
	"udp", "icmp", "arp", "actions=", NULL,
};

static const char *const action_keywords[] = {
	"output:", "normal", "flood", "all", "drop", "controller", "local",
	"in_port", "resubmit(", "goto_table:", "mod_dl_src:", "mod_dl_dst:",
	"mod_nw_src:", "mod_nw_dst:", "set_field:", "load:", "move:",
	"push_vlan:", "pop_vlan", "strip_vlan", "mod_vlan_vid:", "dec_ttl",
	NULL,
};

struct name_list {
	char **v;
	size_t n;
};

static int collect_dp(const struct dpif_dp_info *info, void *aux)
{
	struct name_list *l = aux;
	char **v = realloc(l->v, (l->n + 2) * sizeof *v);

	if (!v)
		return -ENOMEM;
	l->v = v;
	v[l->n] = strdup(info->name);
	if (!v[l->n])
		return -ENOMEM;
	v[++l->n] = NULL;
	return 0;
}

/* The shell completes bridge names: dpd's datapaths. */
static char **shell_bridges(void *aux)
{
	struct ofctl *o = aux;
	struct name_list l = { NULL, 0 };

	dpif_enumerate(o->conn, DPIF_NETDEV, collect_dp, &l, NULL);
	return l.v;
}

/* ovs-ofctl spells --sort=FIELD with an optional argument; the shared
 * option parser takes none or a required one, so the long forms become
 * --sort --sort-by=FIELD here. */
static char **rewrite_sort(int argc, char **argv, char ***made)
{
	char **v = calloc((size_t)argc * 2 + 1, sizeof *v);
	int i, n = 0, m = 0;

	*made = calloc((size_t)argc + 1, sizeof **made);
	if (!v || !*made) {
		free(v);
		return NULL;
	}
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strncmp(a, "--sort=", 7) || !strncmp(a, "--rsort=", 8)) {
			bool r = a[2] == 'r';

			v[n++] = r ? "--rsort" : "--sort";
			if (asprintf(&v[n], "--sort-by=%s", a + (r ? 8 : 7)) < 0)
				return NULL;
			(*made)[m++] = v[n++];
		} else {
			v[n++] = argv[i];
		}
	}
	v[n] = NULL;
	return v;
}

int main(int argc, char **argv)
{
	struct ofctl o;
	struct cli_prog prog = {
		.name = "ofctl",
		.summary = "the rules of dpd's bridges (ovs-ofctl's commands)",
		.version = "0.1.0",
		.cmds = commands,
		.options = options,
		.option = option,
		.list_dps = shell_bridges,
		.key_keywords = match_keywords,
		.action_keywords = action_keywords,
		.aux = &o,
	};
	char **av, **made = NULL;
	int rc, ac;

	memset(&o, 0, sizeof o);
	o.conn = dpif_conn_new();
	av = rewrite_sort(argc, argv, &made);
	if (!o.conn || !av) {
		fprintf(stderr, "ofctl: out of memory\n");
		return CLI_FAIL;
	}
	for (ac = 0; av[ac]; ac++)
		;
	rc = cli_main(&prog, ac, av);
	dpif_conn_free(o.conn);
	for (ac = 0; made && made[ac]; ac++)
		free(made[ac]);
	free(made);
	free(av);
	return rc;
}
