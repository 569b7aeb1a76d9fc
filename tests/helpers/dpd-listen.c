/*
 * dpd-listen - an upcall and notification listener for dpd's tests: what
 * ovs-vswitchd's handler threads do, reduced to printing.
 *
 *   dpd-listen [-n COUNT] [-t SECONDS] [-g] [-u] DP [PORT...]
 *
 * Opens its own connection to dpd (the upcall socket), learns its portid,
 * and makes it the upcall pid of each PORT (a name or a number; every
 * port if none is given) of datapath DP ("netdev@NAME"), or of every CPU
 * if the datapath dispatches upcalls per CPU (as dpctl add-dp makes it).  With -g it also
 * joins the ovs_datapath, ovs_vport and ovs_flow multicast groups.  It
 * prints "ready" once set up, then one line per message:
 *     miss in_port(1),eth(src=...,dst=...),eth_type(0x0806),arp(...) len=42
 *     action in_port(1),... len=42 userdata=0102
 *     notify ovs_flow new in_port(1),eth(),eth_type(0x0806)
 *     notify ovs_vport del p2
 *     notify ovs_datapath new dp0
 * Upcall keys are printed whole (odp_key_to_text without a mask).  It
 * exits after COUNT messages (default: never) or SECONDS (default 10),
 * with status 0 if it printed at least one line, 1 otherwise.  -u leaves
 * the ports' upcall pids alone (only notifications are wanted).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dpif.h"
#include "netlink.h"
#include "nlattr.h"
#include "odp_text.h"

struct ctx {
	const struct nl_family *fam[4];         /* dp, vport, flow, packet */
	long count, max;
};

static const char *const fam_names[4] = {
	OVS_DATAPATH_FAMILY, OVS_VPORT_FAMILY, OVS_FLOW_FAMILY,
	OVS_PACKET_FAMILY,
};

static void die(const char *what, const struct dp_err *err)
{
	fprintf(stderr, "dpd-listen: %s: %s\n", what, dp_err_str(err));
	exit(2);
}

static const char *cmd_name(uint8_t cmd)
{
	switch (cmd) {
	case 1: return "new";
	case 2: return "del";
	case 3: return "get";
	case 4: return "set";
	default: return "?";
	}
}

static void print_upcall(const struct nlmsghdr *nlh)
{
	struct dpif_upcall up;
	struct buf b = BUF_INIT;
	size_t i;

	if (dpif_upcall_parse(nlh, &up) < 0) {
		printf("malformed upcall\n");
		return;
	}
	buf_puts(&b, up.cmd == OVS_PACKET_CMD_MISS ? "miss " : "action ");
	odp_key_to_text(&b, up.key, up.key_len, NULL, 0, 0, NULL);
	buf_printf(&b, " len=%zu", up.packet_len);
	if (up.userdata) {
		buf_puts(&b, " userdata=");
		for (i = 0; i < up.userdata_len; i++)
			buf_printf(&b, "%02x",
				   ((const uint8_t *)up.userdata)[i]);
	}
	if (up.orig_len)
		buf_printf(&b, " orig_len=%u", up.orig_len);
	printf("%s\n", buf_cstr(&b));
	buf_free(&b);
}

static void print_notify(const struct nlmsghdr *nlh, int fam)
{
	const struct genlmsghdr *g;
	const void *attrs;
	const struct nlattr *a;
	struct buf b = BUF_INIT;
	size_t len;

	if (nl_genl_parse(nlh, sizeof(struct ovs_header), &g, NULL, &attrs,
			  &len) < 0) {
		printf("malformed notification\n");
		return;
	}
	buf_printf(&b, "notify %s %s", fam_names[fam], cmd_name(g->cmd));
	if (fam == 2) {
		a = na_find(attrs, len, OVS_FLOW_ATTR_KEY);
		if (a) {
			buf_putc(&b, ' ');
			odp_key_to_text(&b, na_data(a), na_len(a), NULL, 0, 0,
					NULL);
		}
		a = na_find(attrs, len, OVS_FLOW_ATTR_UFID);
		if (a && na_len(a) == 16) {
			buf_putc(&b, ' ');
			odp_ufid_to_text(&b, na_data(a));
		}
	} else {
		a = na_find(attrs, len, fam == 0 ? OVS_DP_ATTR_NAME
						 : OVS_VPORT_ATTR_NAME);
		if (a)
			buf_printf(&b, " %.*s", (int)strnlen(na_data(a), na_len(a)),
				   (const char *)na_data(a));
	}
	printf("%s\n", buf_cstr(&b));
	buf_free(&b);
}

static int on_msg(const struct nlmsghdr *nlh, void *aux)
{
	struct ctx *c = aux;
	int i;

	for (i = 0; i < 4; i++) {
		if (nlh->nlmsg_type != c->fam[i]->id)
			continue;
		if (i == 3)
			print_upcall(nlh);
		else
			print_notify(nlh, i);
		c->count++;
		break;
	}
	fflush(stdout);
	return c->max && c->count >= c->max ? -ECANCELED : 0;
}

static void join(struct nl_sock *s, uint32_t group)
{
	struct dp_err err;

	if (nl_join_group(s, group, &err))
		die("joining a group", &err);
}

/* OVS_DP_CMD_SET of the per-CPU pids, with the features they need (a SET
 * without OVS_DP_ATTR_USER_FEATURES clears them, as in the kernel). */
static void set_cpu_pids(struct dpif *dp, uint32_t features, uint32_t pid)
{
	struct nl_sock *s = dpif_sock(dp);
	const struct nl_family *f;
	struct ovs_header *h;
	struct buf req = BUF_INIT;
	struct dp_err err;
	uint32_t pids[64];
	long n = sysconf(_SC_NPROCESSORS_CONF), i;

	if (n < 1 || n > 64)
		n = 64;
	for (i = 0; i < n; i++)
		pids[i] = pid;
	if (nl_family_get(s, OVS_DATAPATH_FAMILY, &f, &err))
		die("datapath family", &err);
	h = nl_msg_genl(&req, f->id, 0, OVS_DP_CMD_SET, f->version, sizeof *h);
	if (h)
		h->dp_ifindex = dpif_ifindex(dp);
	na_put_str(&req, OVS_DP_ATTR_NAME, dpif_base_name(dp));
	na_put_u32(&req, OVS_DP_ATTR_USER_FEATURES, features);
	na_put(&req, OVS_DP_ATTR_PER_CPU_PIDS, pids, (size_t)n * sizeof *pids);
	if (nl_transact(s, &req, NULL, NULL, &err))
		die("setting per-CPU upcall pids", &err);
	buf_free(&req);
}

struct port_list {
	uint32_t no[256];
	size_t n;
};

static int port_cb(const struct dpif_port *p, void *aux)
{
	struct port_list *l = aux;

	if (l->n < 256)
		l->no[l->n++] = p->port_no;
	return 0;
}

static void set_pid(struct dpif *dp, const char *name, uint32_t no,
		    uint32_t pid)
{
	struct dpif_port_spec spec;
	struct dp_err err;

	memset(&spec, 0, sizeof spec);
	spec.name = name;
	spec.port_no = no;
	spec.upcall_pids = &pid;
	spec.n_upcall_pids = 1;
	if (dpif_port_set(dp, &spec, &err))
		die("setting the upcall pid", &err);
}

int main(int argc, char **argv)
{
	struct ctx c = { .max = 0 };
	struct dpif_dp_info info;
	struct dpif_conn *conn;
	struct nl_sock *ls;
	struct dpif *dp;
	struct dp_err err;
	struct timespec t0, t;
	bool groups = false, keep_pids = false;
	double secs = 10;
	uint32_t portid;
	int opt, i;

	while ((opt = getopt(argc, argv, "n:t:gu")) != -1) {
		switch (opt) {
		case 'n': c.max = atol(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'g': groups = true; break;
		case 'u': keep_pids = true; break;
		default:
			fprintf(stderr, "usage: dpd-listen [-n COUNT] [-t SECONDS] "
				"[-g] [-u] DP [PORT...]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "dpd-listen: which datapath?\n");
		return 2;
	}
	conn = dpif_conn_new();
	if (!conn || dpif_open(conn, argv[optind], &dp, &err))
		die(argv[optind], &err);
	if (nl_open_unix(&ls, NULL, &err) || nl_portid(ls, &portid, &err))
		die("upcall socket", &err);
	for (i = 0; i < 4; i++)
		if (nl_family_get(ls, fam_names[i], &c.fam[i], &err))
			die(fam_names[i], &err);
	if (!keep_pids && dpif_get(dp, &info, &err))
		die("datapath", &err);
	if (!keep_pids && info.user_features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) {
		set_cpu_pids(dp, info.user_features, portid);
	} else if (!keep_pids) {
		if (optind + 1 < argc) {
			for (i = optind + 1; i < argc; i++) {
				char *end;
				unsigned long no = strtoul(argv[i], &end, 10);

				if (*end)
					set_pid(dp, argv[i], 0, portid);
				else
					set_pid(dp, NULL, (uint32_t)no, portid);
			}
		} else {
			struct port_list l = { .n = 0 };
			size_t k;

			if (dpif_port_dump(dp, port_cb, &l, &err))
				die("ports", &err);
			for (k = 0; k < l.n; k++)
				set_pid(dp, NULL, l.no[k], portid);
		}
	}
	if (groups)
		for (i = 0; i < 3; i++)
			join(ls, nl_family_group(c.fam[i], fam_names[i]));
	printf("ready portid=%u\n", portid);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = { .fd = nl_fd(ls), .events = POLLIN };
		double left;
		int r;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = secs - ((double)(t.tv_sec - t0.tv_sec) +
			       (double)(t.tv_nsec - t0.tv_nsec) / 1e9);
		if (left <= 0)
			break;
		if (poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			continue;
		r = nl_recv_msgs(ls, false, on_msg, &c, &err);
		if (r == -EAGAIN)
			continue;
		if (r < 0 && r != -ECANCELED) {
			fprintf(stderr, "dpd-listen: %s\n", dp_err_str(&err));
			break;
		}
		if (c.max && c.count >= c.max)
			break;
	}
	nl_sock_close(ls);
	dpif_close(dp);
	dpif_conn_free(conn);
	return c.count ? 0 : 1;
}
