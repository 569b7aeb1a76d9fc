/* dpctl's datapath commands: add-dp, del-dp, dump-dps, show. */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpctl.h"
#include "json.h"


/* --- add-dp, del-dp, dump-dps --------------------------------------------- */

int cmd_add_dp(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dpctl *d = dpctl_state(ctx);
	struct dpif *dp;
	struct dp_err err;
	int rc;

	/* Bad port arguments are found before the datapath exists. */
	rc = dpctl_check_if_args(ctx, argc - 2, argv + 2);
	if (rc)
		return rc;
	dp_err_clear(&err);
	if (dpif_create(d->conn, argv[1], &dp, &err) < 0)
		return dpctl_fail(ctx, &err);
	rc = dpctl_add_ifs(ctx, dp, argc - 2, argv + 2);
	if (rc && dpif_delete(dp, &err) == 0)
		fprintf(ctx->err, "dpctl: add-dp: %s was deleted again\n",
			dpif_name(dp));
	dpif_close(dp);
	return rc;
}

int cmd_del_dp(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dpif *dp;
	struct dp_err err;
	int rc;

	(void)argc;
	dp_err_clear(&err);
	rc = dpctl_open(ctx, argv[1], &dp);
	if (rc)
		return rc;
	if (dpif_delete(dp, &err) < 0)
		rc = dpctl_fail(ctx, &err);
	dpif_close(dp);
	return rc;
}

int cmd_dump_dps(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dpctl *d = dpctl_state(ctx);
	struct dp_err err;
	struct buf out = BUF_INIT;
	char **names;
	size_t n, i;

	(void)argc;
	(void)argv;
	dp_err_clear(&err);
	if (dpctl_list_dps(d->conn, &names, &n, &err) < 0) {
		free(names);
		return dpctl_fail(ctx, &err);
	}
	for (i = 0; i < n; i++) {
		if (ctx->opts.output == CLI_OUT_JSON) {
			struct json j;
			char *at = strchr(names[i], '@');

			json_init(&j, &out);
			json_obj_start(&j);
			json_kv_str(&j, "name", names[i]);
			json_key(&j, "type");
			json_strn(&j, names[i], at ? (size_t)(at - names[i]) : 0);
			json_obj_end(&j);
			buf_putc(&out, '\n');
		} else {
			buf_printf(&out, "%s\n", names[i]);
		}
		free(names[i]);
	}
	free(names);
	if (out.len)
		fwrite(out.data, 1, out.len, ctx->out);
	buf_free(&out);
	return CLI_OK;
}

/* --- show ----------------------------------------------------------------- */

/* A device counter the datapath does not report, from sysfs; -1 if none. */
static int64_t dev_counter(const char *dev, const char *name)
{
	char path[128];
	unsigned long long v;
	FILE *f;
	int n;

	snprintf(path, sizeof path, "/sys/class/net/%s/statistics/%s", dev, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fscanf(f, "%llu", &v);
	fclose(f);
	return n == 1 ? (int64_t)v : -1;
}

static void put_stat(struct buf *b, const char *leader, int64_t v)
{
	buf_puts(b, leader);
	if (v >= 0)
		buf_printf(b, "%" PRId64, v);
	else
		buf_putc(b, '?');
}

static void put_human(struct buf *b, uint64_t v)
{
	const double k = 1024.0;

	if (v >= 1024ULL * 1024 * 1024 * 1024)
		buf_printf(b, " (%.1f TiB)", (double)v / (k * k * k * k));
	else if (v >= 1024ULL * 1024 * 1024)
		buf_printf(b, " (%.1f GiB)", (double)v / (k * k * k));
	else if (v >= 1024ULL * 1024)
		buf_printf(b, " (%.1f MiB)", (double)v / (k * k));
	else if (v >= 1024)
		buf_printf(b, " (%.1f KiB)", (double)v / k);
}

struct port_list {
	struct dpif_port *v;
	size_t n;
};

static int collect_full_port(const struct dpif_port *p, void *aux)
{
	struct port_list *l = aux;
	struct dpif_port *v = realloc(l->v, (l->n + 1) * sizeof *v);

	if (!v)
		return -ENOMEM;
	l->v = v;
	l->v[l->n++] = *p;
	return 0;
}

static int cmp_full_port(const void *a, const void *b)
{
	const struct dpif_port *x = a, *y = b;

	return x->port_no < y->port_no ? -1 : x->port_no > y->port_no;
}

static bool is_tunnel(uint32_t type)
{
	return type == OVS_VPORT_TYPE_VXLAN || type == OVS_VPORT_TYPE_GENEVE ||
	       type == OVS_VPORT_TYPE_GRE;
}

/* The port's configuration as ovs-dpctl shows it in parentheses, keys in
 * order.  Open vSwitch's tunnel ports report "packet_type=ptap" (they
 * carry any packet type, as the kernel's flow-based tunnels do), so dpkit
 * says the same for scripts that read it. */
static void port_config(struct buf *b, const struct dpif_port *p)
{
	uint16_t def = p->type == OVS_VPORT_TYPE_VXLAN ? DPCTL_VXLAN_PORT :
		       p->type == OVS_VPORT_TYPE_GENEVE ? DPCTL_GENEVE_PORT : 0;
	char sep = ':';

	if (p->type == OVS_VPORT_TYPE_NETDEV)
		return;
	buf_printf(b, " (%s", dpctl_port_type(p->type));
	if (p->has_dst_port && p->dst_port != def) {
		buf_printf(b, "%c dst_port=%u", sep, p->dst_port);
		sep = ',';
	}
	if (p->gbp) {
		buf_printf(b, "%c exts=gbp", sep);
		sep = ',';
	}
	if (is_tunnel(p->type))
		buf_printf(b, "%c packet_type=ptap", sep);
	buf_putc(b, ')');
}

static void show_port_text(struct buf *b, const struct dpif_port *p, bool stats)
{
	const struct ovs_vport_stats *s = &p->stats;
	bool tun;

	buf_printf(b, "  port %u: %s", p->port_no, p->name);
	port_config(b, p);
	buf_putc(b, '\n');
	if (!stats)
		return;
	if (!p->has_stats) {
		buf_puts(b, "    (no statistics)\n");
		return;
	}
	/* ovs-dpctl knows only packets and bytes of tunnel ports and shows
	 * "?" for the rest; so does this (-o json has the datapath's
	 * counters).  Counters the datapath does not keep come from the
	 * device. */
	tun = is_tunnel(p->type);
	put_stat(b, "    RX packets:", (int64_t)s->rx_packets);
	put_stat(b, " errors:", tun ? -1 : (int64_t)s->rx_errors);
	put_stat(b, " dropped:", tun ? -1 : (int64_t)s->rx_dropped);
	put_stat(b, " overruns:", tun ? -1 : dev_counter(p->name, "rx_over_errors"));
	put_stat(b, " frame:", tun ? -1 : dev_counter(p->name, "rx_frame_errors"));
	buf_puts(b, "\n");
	put_stat(b, "    TX packets:", (int64_t)s->tx_packets);
	put_stat(b, " errors:", tun ? -1 : (int64_t)s->tx_errors);
	put_stat(b, " dropped:", tun ? -1 : (int64_t)s->tx_dropped);
	put_stat(b, " aborted:", tun ? -1 : dev_counter(p->name, "tx_aborted_errors"));
	put_stat(b, " carrier:", tun ? -1 : dev_counter(p->name, "tx_carrier_errors"));
	buf_puts(b, "\n");
	put_stat(b, "    collisions:", tun ? -1 : dev_counter(p->name, "collisions"));
	buf_puts(b, "\n");
	put_stat(b, "    RX bytes:", (int64_t)s->rx_bytes);
	put_human(b, s->rx_bytes);
	put_stat(b, "  TX bytes:", (int64_t)s->tx_bytes);
	put_human(b, s->tx_bytes);
	buf_puts(b, "\n");
}

static void show_port_json(struct json *j, const struct dpif_port *p, bool stats)
{
	json_obj_start(j);
	json_kv_u64(j, "port_no", p->port_no);
	json_kv_str(j, "name", p->name);
	json_kv_str(j, "type", dpctl_port_type(p->type));
	if (p->has_dst_port)
		json_kv_u64(j, "dst_port", p->dst_port);
	if (p->gbp)
		json_kv_bool(j, "gbp", true);
	if (p->has_ifindex)
		json_kv_i64(j, "ifindex", p->ifindex);
	if (stats && p->has_stats) {
		json_key(j, "stats");
		json_obj_start(j);
		json_kv_u64(j, "rx_packets", p->stats.rx_packets);
		json_kv_u64(j, "rx_bytes", p->stats.rx_bytes);
		json_kv_u64(j, "rx_errors", p->stats.rx_errors);
		json_kv_u64(j, "rx_dropped", p->stats.rx_dropped);
		json_kv_u64(j, "tx_packets", p->stats.tx_packets);
		json_kv_u64(j, "tx_bytes", p->stats.tx_bytes);
		json_kv_u64(j, "tx_errors", p->stats.tx_errors);
		json_kv_u64(j, "tx_dropped", p->stats.tx_dropped);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void show_dp_text(struct buf *b, struct dpif *dp,
			 const struct dpif_dp_info *info,
			 const struct port_list *ports, bool stats)
{
	size_t i;

	buf_printf(b, "%s:\n", dpif_name(dp));
	if (info->has_stats)
		buf_printf(b, "  lookups: hit:%llu missed:%llu lost:%llu\n"
			   "  flows: %llu\n",
			   (unsigned long long)info->stats.n_hit,
			   (unsigned long long)info->stats.n_missed,
			   (unsigned long long)info->stats.n_lost,
			   (unsigned long long)info->stats.n_flows);
	if (info->has_megaflow_stats) {
		uint64_t pkts = info->stats.n_hit + info->stats.n_missed;

		buf_printf(b, "  masks: hit:%llu total:%u hit/pkt:%.2f\n",
			   (unsigned long long)info->megaflow_stats.n_mask_hit,
			   info->megaflow_stats.n_masks,
			   pkts ? (double)info->megaflow_stats.n_mask_hit /
			   (double)pkts : 0.0);
	}
	if (info->has_masks_cache_size)
		buf_printf(b, "  caches:\n    masks-cache: size:%u\n",
			   info->masks_cache_size);
	for (i = 0; i < ports->n; i++)
		show_port_text(b, &ports->v[i], stats);
}

static void show_dp_json(struct buf *b, struct dpif *dp,
			 const struct dpif_dp_info *info,
			 const struct port_list *ports, bool stats)
{
	struct json j;
	size_t i;

	json_init(&j, b);
	json_obj_start(&j);
	json_kv_str(&j, "name", dpif_name(dp));
	json_kv_str(&j, "type", dpif_type_name(dpif_type(dp)));
	if (info->has_stats) {
		json_key(&j, "lookups");
		json_obj_start(&j);
		json_kv_u64(&j, "hit", info->stats.n_hit);
		json_kv_u64(&j, "missed", info->stats.n_missed);
		json_kv_u64(&j, "lost", info->stats.n_lost);
		json_obj_end(&j);
		json_kv_u64(&j, "flows", info->stats.n_flows);
	}
	if (info->has_megaflow_stats) {
		uint64_t pkts = info->stats.n_hit + info->stats.n_missed;

		json_key(&j, "masks");
		json_obj_start(&j);
		json_kv_u64(&j, "hit", info->megaflow_stats.n_mask_hit);
		json_kv_u64(&j, "total", info->megaflow_stats.n_masks);
		json_key(&j, "hit_per_pkt");
		json_double(&j, pkts ? (double)info->megaflow_stats.n_mask_hit /
			    (double)pkts : 0.0, 2);
		json_obj_end(&j);
	}
	if (info->has_masks_cache_size)
		json_kv_u64(&j, "masks_cache_size", info->masks_cache_size);
	if (info->has_user_features)
		json_kv_u64(&j, "user_features", info->user_features);
	json_key(&j, "ports");
	json_arr_start(&j);
	for (i = 0; i < ports->n; i++)
		show_port_json(&j, &ports->v[i], stats);
	json_arr_end(&j);
	json_obj_end(&j);
	buf_putc(b, '\n');
}

static int show_one(struct cli_ctx *ctx, const char *name)
{
	struct port_list ports = { NULL, 0 };
	struct dpif_dp_info info;
	struct buf out = BUF_INIT;
	struct dp_err err;
	struct dpif *dp;
	int rc;

	dp_err_clear(&err);
	rc = dpctl_open(ctx, name, &dp);
	if (rc)
		return rc;
	if (dpif_get(dp, &info, &err) < 0 ||
	    dpif_port_dump(dp, collect_full_port, &ports, &err) < 0) {
		rc = dpctl_fail(ctx, &err);
		goto out;
	}
	if (ports.n)
		qsort(ports.v, ports.n, sizeof *ports.v, cmp_full_port);
	if (ctx->opts.output == CLI_OUT_JSON)
		show_dp_json(&out, dp, &info, &ports, ctx->opts.stats);
	else
		show_dp_text(&out, dp, &info, &ports, ctx->opts.stats);
	if (out.len)
		fwrite(out.data, 1, out.len, ctx->out);
out:
	buf_free(&out);
	free(ports.v);
	dpif_close(dp);
	return rc;
}

int cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dpctl *d = dpctl_state(ctx);
	struct dp_err err;
	char **names = NULL;
	size_t n = 0, i;
	int rc = CLI_OK, r;

	if (argc > 1) {
		for (i = 1; i < (size_t)argc; i++) {
			r = show_one(ctx, argv[i]);
			if (r > rc)
				rc = r;
		}
		return rc;
	}
	dp_err_clear(&err);
	if (dpctl_list_dps(d->conn, &names, &n, &err) < 0)
		rc = dpctl_fail(ctx, &err);
	for (i = 0; i < n; i++) {
		r = show_one(ctx, names[i]);
		if (r > rc)
			rc = r;
		free(names[i]);
	}
	free(names);
	return rc;
}
