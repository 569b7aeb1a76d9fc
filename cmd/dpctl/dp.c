/* dpctl's datapath and port commands. */
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dpctl.h"
#include "json.h"

#define VXLAN_DEFAULT_PORT  4789
#define GENEVE_DEFAULT_PORT 6081

/* --- add-dp, del-dp, dump-dps --------------------------------------------- */

int cmd_add_dp(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dpctl *d = dpctl_state(ctx);
	struct dpif *dp;
	struct dp_err err;

	dp_err_clear(&err);
	if (dpif_create(d->conn, argv[1], &dp, &err) < 0)
		return dpctl_fail(ctx, &err);
	dpif_close(dp);
	if (argc > 2)
		return cmd_add_if(ctx, argc, argv);
	return CLI_OK;
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
	uint16_t def = p->type == OVS_VPORT_TYPE_VXLAN ? VXLAN_DEFAULT_PORT :
		       p->type == OVS_VPORT_TYPE_GENEVE ? GENEVE_DEFAULT_PORT : 0;
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

/* --- ports ---------------------------------------------------------------- */

struct if_spec {
	const char *name;
	bool has_type;
	uint32_t type;
	const char *type_str;
	bool has_port_no;
	uint32_t port_no;
	bool has_dst_port;
	uint16_t dst_port;
	bool has_exts;
	bool gbp;
};

static int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return errno || *end || *v > max ? -EINVAL : 0;
}

/* "NAME[,KEY=VALUE]..." into 'spec'; 'arg' is modified.  With 'adding',
 * options are also checked against the type given (set-if checks them
 * against the port's own type instead). */
static int parse_if_spec(char *arg, struct if_spec *spec, bool adding,
			 struct dp_err *err)
{
	char *save = NULL, *opt;
	unsigned long v;

	memset(spec, 0, sizeof *spec);
	spec->name = strtok_r(arg, ",", &save);
	if (!spec->name || !*spec->name)
		return dp_err_set(err, EINVAL, "'%s' is not a valid network "
				  "device name", arg);
	if (strlen(spec->name) >= IFNAMSIZ)
		return dp_err_set(err, EINVAL, "%s: device name longer than %d "
				  "characters", spec->name, IFNAMSIZ - 1);
	while ((opt = strtok_r(NULL, ",", &save))) {
		char *val = strchr(opt, '=');
		bool dup = false;

		if (val)
			*val++ = '\0';
		else
			val = opt + strlen(opt);
		if (!strcmp(opt, "type")) {
			dup = spec->has_type;
			spec->has_type = true;
			spec->type_str = val;
			if (dpif_port_type_from_name(val, &spec->type) < 0)
				return dp_err_set(err, EINVAL, "%s: unknown port "
						  "type '%s' (system, internal, "
						  "gre, vxlan, geneve)",
						  spec->name, val);
		} else if (!strcmp(opt, "port_no")) {
			dup = spec->has_port_no;
			spec->has_port_no = true;
			if (parse_uint(val, DP_MAX_PORTS - 1, &v) < 0)
				return dp_err_set(err, EINVAL, "%s: bad port_no "
						  "'%s' (0 to %u)", spec->name,
						  val, DP_MAX_PORTS - 1);
			spec->port_no = (uint32_t)v;
		} else if (!strcmp(opt, "dst_port")) {
			dup = spec->has_dst_port;
			spec->has_dst_port = true;
			if (parse_uint(val, 65535, &v) < 0)
				return dp_err_set(err, EINVAL, "%s: bad dst_port "
						  "'%s' (0 to 65535)", spec->name,
						  val);
			spec->dst_port = (uint16_t)v;
		} else if (!strcmp(opt, "exts")) {
			dup = spec->has_exts;
			spec->has_exts = true;
			if (strcmp(val, "gbp") && *val)
				return dp_err_set(err, EINVAL, "%s: unknown "
						  "extension '%s' (gbp)",
						  spec->name, val);
			spec->gbp = *val != '\0';
		} else if (!strcmp(opt, "remote_ip") || !strcmp(opt, "local_ip") ||
			   !strcmp(opt, "key") || !strcmp(opt, "tos") ||
			   !strcmp(opt, "ttl") || !strcmp(opt, "csum") ||
			   !strcmp(opt, "df_default")) {
			return dp_err_set(err, EINVAL, "%s: %s: the datapath's "
					  "tunnels are flow based: give it per "
					  "flow with set(tunnel(...))",
					  spec->name, opt);
		} else {
			return dp_err_set(err, EINVAL, "%s: unknown option '%s' "
					  "(type, port_no, dst_port, exts)",
					  spec->name, opt);
		}
		if (dup)
			return dp_err_set(err, EINVAL, "%s: duplicate \"%s\" "
					  "option", spec->name, opt);
	}
	if (!spec->has_type)
		spec->type = OVS_VPORT_TYPE_NETDEV;
	if (!adding)
		return 0;
	if ((spec->has_dst_port || spec->has_exts) &&
	    spec->type != OVS_VPORT_TYPE_VXLAN &&
	    spec->type != OVS_VPORT_TYPE_GENEVE)
		return dp_err_set(err, EINVAL, "%s: dst_port and exts are "
				  "options of vxlan and geneve ports only",
				  spec->name);
	if (spec->has_exts && spec->type != OVS_VPORT_TYPE_VXLAN)
		return dp_err_set(err, EINVAL, "%s: exts is an option of vxlan "
				  "ports only", spec->name);
	return 0;
}

/* As ovs-dpctl does after adding a port: bring its device up. */
static int if_up(const char *name, struct dp_err *err)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), e = 0;

	if (fd < 0)
		return dp_err_set(err, errno, "%s: socket: %s", name,
				  strerror(errno));
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		e = errno;
	} else if (!(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			e = errno;
	}
	close(fd);
	if (e)
		return dp_err_set(err, e, "%s: failed to bring the interface "
				  "up: %s", name, strerror(e));
	return 0;
}

static int add_one_if(struct cli_ctx *ctx, struct dpif *dp, const char *arg)
{
	struct dpif_port_spec ps;
	struct dpif_port old;
	struct if_spec spec;
	struct dp_err err;
	char *copy = strdup(arg);
	uint32_t port_no;
	int rc = CLI_OK;

	dp_err_clear(&err);
	if (!copy)
		return cli_error(ctx, "out of memory");
	if (parse_if_spec(copy, &spec, true, &err) < 0) {
		rc = dpctl_fail(ctx, &err);
		goto out;
	}
	/* Say precisely what the kernel's EBUSY would leave vague. */
	if (!dpif_port_get(dp, spec.name, 0, &old, NULL)) {
		rc = cli_error(ctx, "%s: already port %u of %s", spec.name,
			       old.port_no, dpif_name(dp));
		goto out;
	}
	if (spec.has_port_no && !dpif_port_get(dp, NULL, spec.port_no, &old, NULL)) {
		rc = cli_error(ctx, "%s: port number %u is in use by %s",
			       spec.name, spec.port_no, old.name);
		goto out;
	}
	memset(&ps, 0, sizeof ps);
	ps.name = spec.name;
	ps.type = spec.type;
	ps.port_no = spec.has_port_no ? spec.port_no : DPIF_PORT_ANY;
	ps.gbp = spec.gbp;
	if (spec.type == OVS_VPORT_TYPE_VXLAN || spec.type == OVS_VPORT_TYPE_GENEVE) {
		/* The kernel needs the UDP port; default as ovs-vswitchd. */
		ps.has_dst_port = true;
		ps.dst_port = spec.has_dst_port ? spec.dst_port :
			      spec.type == OVS_VPORT_TYPE_VXLAN ?
			      VXLAN_DEFAULT_PORT : GENEVE_DEFAULT_PORT;
	}
	if (dpif_port_add(dp, &ps, &port_no, &err) < 0) {
		rc = dpctl_fail(ctx, &err);
		goto out;
	}
	if (dpif_type(dp) == DPIF_SYSTEM && if_up(spec.name, &err) < 0)
		rc = dpctl_fail(ctx, &err);
out:
	free(copy);
	return rc;
}

/* Run 'fn' on each IFACE argument of "DP IFACE...": every one is tried,
 * the worst result returned. */
static int each_iface(struct cli_ctx *ctx, int argc, char **argv,
		      int (*fn)(struct cli_ctx *, struct dpif *, const char *))
{
	struct dpif *dp;
	int i, rc, r;

	rc = dpctl_open(ctx, argv[1], &dp);
	if (rc)
		return rc;
	for (i = 2; i < argc; i++) {
		r = fn(ctx, dp, argv[i]);
		if (r > rc)
			rc = r;
	}
	dpif_close(dp);
	return rc;
}

int cmd_add_if(struct cli_ctx *ctx, int argc, char **argv)
{
	return each_iface(ctx, argc, argv, add_one_if);
}

static int set_one_if(struct cli_ctx *ctx, struct dpif *dp, const char *arg)
{
	struct dpif_port_spec ps;
	struct dpif_port cur;
	struct if_spec spec;
	struct dp_err err;
	char *copy = strdup(arg);
	int rc = CLI_OK;

	dp_err_clear(&err);
	if (!copy)
		return cli_error(ctx, "out of memory");
	if (parse_if_spec(copy, &spec, false, &err) < 0) {
		rc = dpctl_fail(ctx, &err);
		goto out;
	}
	if (dpif_port_get(dp, spec.name, 0, &cur, &err) < 0) {
		rc = cli_error(ctx, "%s: no such port in %s", spec.name,
			       dpif_name(dp));
		goto out;
	}
	if (spec.has_type && spec.type != cur.type) {
		rc = cli_error(ctx, "%s: can't change type from %s to %s",
			       spec.name, dpctl_port_type(cur.type),
			       spec.type_str);
		goto out;
	}
	if (spec.has_port_no && spec.port_no != cur.port_no) {
		rc = cli_error(ctx, "%s: can't change port number from %u to %u",
			       spec.name, cur.port_no, spec.port_no);
		goto out;
	}
	if ((spec.has_dst_port || spec.has_exts) &&
	    cur.type != OVS_VPORT_TYPE_VXLAN && cur.type != OVS_VPORT_TYPE_GENEVE) {
		rc = cli_error(ctx, "%s: a %s port has no options", spec.name,
			       dpctl_port_type(cur.type));
		goto out;
	}
	if ((!spec.has_dst_port || spec.dst_port == cur.dst_port) &&
	    (!spec.has_exts || spec.gbp == cur.gbp))
		goto out;               /* nothing changes */
	memset(&ps, 0, sizeof ps);
	ps.name = spec.name;
	ps.has_dst_port = true;
	ps.dst_port = spec.has_dst_port ? spec.dst_port : cur.dst_port;
	ps.gbp = spec.has_exts ? spec.gbp : cur.gbp;
	if (dpif_port_set(dp, &ps, &err) < 0)
		rc = dpctl_fail(ctx, &err);
out:
	free(copy);
	return rc;
}

int cmd_set_if(struct cli_ctx *ctx, int argc, char **argv)
{
	return each_iface(ctx, argc, argv, set_one_if);
}

int cmd_del_if(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dpif_port port;
	struct dp_err err;
	struct dpif *dp;
	unsigned long no;
	int i, rc, r;

	rc = dpctl_open(ctx, argv[1], &dp);
	if (rc)
		return rc;
	for (i = 2; i < argc; i++) {
		const char *name = argv[i];

		dp_err_clear(&err);
		r = CLI_OK;
		if (name[strspn(name, "0123456789")] == '\0' &&
		    !parse_uint(name, UINT32_MAX, &no)) {
			if (no == 0)
				r = cli_error(ctx, "%s: port 0 is the datapath's "
					      "local port: delete the datapath "
					      "instead", name);
			else if (dpif_port_get(dp, NULL, (uint32_t)no, &port, NULL) < 0)
				r = cli_error(ctx, "%s: no such port in %s", name,
					      dpif_name(dp));
		} else if (dpif_port_get(dp, name, 0, &port, NULL) < 0) {
			r = cli_error(ctx, "%s: no such port in %s", name,
				      dpif_name(dp));
		} else if (port.port_no == 0) {
			r = cli_error(ctx, "%s: port 0 is the datapath's local "
				      "port: delete the datapath instead", name);
		}
		if (!r && dpif_port_del(dp, port.port_no, &err) < 0)
			r = dpctl_fail(ctx, &err);
		if (r > rc)
			rc = r;
	}
	dpif_close(dp);
	return rc;
}
