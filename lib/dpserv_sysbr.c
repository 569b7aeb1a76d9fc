/*
 * dpserv_sysbr.c - bridges on kernel datapaths: dpd's slow path serving
 * the misses of a system@ datapath.
 *
 * "ofctl add-br system@NAME" (DPR_CMD_ATTACH with SYSTEM) opens the
 * datapath through dpif, opens a generic netlink socket of its own for
 * upcalls and names that socket as the upcall pid of every port
 * (OVS_VPORT_CMD_SET) and, on a datapath that dispatches upcalls per CPU,
 * of every CPU.  The socket is polled in dpd's loop; each
 * OVS_PACKET_CMD_MISS goes to the slow path like a netdev@ miss.  The
 * revalidator works on the kernel's flows through dumps.  Ports are read
 * again on every revalidator period, so that ports added later get the
 * pid too.  Detaching (del-br, dpd stopping) sets the pids back to 0 and
 * removes the megaflows the bridge installed.
 */
#include "dpserv_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "odp_key.h"
#include "packet.h"
#include "slowpath.h"

#define SYS_UPCALL_BURST 64

struct ds_sysbr {
	struct ds_dp d;
	struct dpif_conn *conn;
	struct dpif *dpif;
	struct nl_sock *up;
	uint32_t pid;
	bool per_cpu;
	int64_t next_sync_ms;
	struct ds_sysbr *next;
};

struct ds_dp *ds_sys_by_name(struct dpserv *srv, const char *name)
{
	struct ds_sysbr *b;

	for (b = srv->sysbrs; b; b = b->next)
		if (!strcmp(b->d.name, name))
			return &b->d;
	return NULL;
}

static int set_cpu_pids(struct ds_sysbr *b, uint32_t pid, struct dp_err *err)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	uint32_t *pids;
	long i;
	int e;

	if (!b->per_cpu)
		return 0;
	if (n < 1)
		n = 1;
	pids = calloc((size_t)n, sizeof *pids);
	if (!pids)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		pids[i] = pid;
	e = dpif_set_upcall_pids(b->dpif, pids, (size_t)n, err);
	free(pids);
	return e;
}

/* Give every port whose pid is not 'pid' that pid. */
static int set_port_pids(struct ds_sysbr *b, uint32_t pid, struct dp_err *err)
{
	const struct dpif_port *ports;
	size_t n = sp_datapath_dpif_port_list(&b->d.spd, &ports), i;
	struct dpif_port_spec spec;
	int e, first = 0;

	for (i = 0; i < n; i++) {
		if (ports[i].n_upcall_pids == 1 &&
		    ports[i].upcall_pids[0] == pid)
			continue;
		memset(&spec, 0, sizeof spec);
		spec.port_no = ports[i].port_no;
		spec.upcall_pids = &pid;
		spec.n_upcall_pids = 1;
		e = dpif_port_set(b->dpif, &spec, first ? NULL : err);
		if (e < 0 && !first)
			first = e;
	}
	return first;
}

/* Read the ports; on a change, give new ones our pid and tell the slow
 * path. */
static int sync_ports(struct ds_sysbr *b, struct dp_err *err)
{
	bool changed;
	int e = sp_datapath_dpif_ports(&b->d.spd, &changed, err);

	if (e < 0 || !changed)
		return e;
	e = set_port_pids(b, b->pid, err);
	if (e == 0)
		e = sp_sync_ports_on(b->d.sp, &b->d.spd, err);
	/* Our own pid change shows in the next read: read it now, so that
	 * the next period sees no change. */
	if (e == 0)
		e = sp_datapath_dpif_ports(&b->d.spd, &changed, err);
	return e;
}

static int on_upcall(const struct nlmsghdr *nlh, void *aux)
{
	struct ds_sysbr *b = aux;
	struct dpif_upcall up;
	struct dp_upcall u;
	int e;

	if (dpif_upcall_parse(nlh, &up) < 0 || !up.packet || !up.key)
		return 0;
	memset(&u, 0, sizeof u);
	u.cmd = up.cmd;
	u.pid = b->pid;
	if (odp_key_from_attrs(up.key, up.key_len, &u.key, NULL) < 0)
		return 0;
	u.packet = dp_packet_new(up.packet, (uint32_t)up.packet_len, 0);
	if (!u.packet)
		return 0;
	if (up.userdata) {
		u.userdata = (void *)up.userdata;
		u.userdata_len = up.userdata_len;
		u.has_userdata = true;
	}
	u.mru = up.mru;
	u.orig_len = up.orig_len;
	e = sp_handle_upcall_on(b->d.sp, &b->d.spd, &u, (int64_t)dp_now_ms());
	if (e < 0)
		dp_log_rl(b->d.srv->log, &b->d.srv->rl, DP_LOG_DBG,
			  "system@%s: upcall: %s", b->d.name, strerror(-e));
	dp_packet_delete(u.packet);
	return 0;
}

static void upcalls_ready(void *aux)
{
	struct ds_sysbr *b = aux;
	int i;

	for (i = 0; i < SYS_UPCALL_BURST; i++) {
		int n = nl_recv_msgs(b->up, false, on_upcall, b, NULL);

		if (n == -EAGAIN || (n < 0 && n != -ENOBUFS))
			break;
	}
}

static void sysbr_free(struct ds_sysbr *b)
{
	if (b->d.sp)
		sp_destroy(b->d.sp);
	if (b->d.spd.st)
		sp_datapath_dpif_free(&b->d.spd);
	if (b->up)
		nl_sock_close(b->up);
	if (b->dpif)
		dpif_close(b->dpif);
	if (b->conn)
		dpif_conn_free(b->conn);
	free(b);
}

int ds_sys_attach(struct dpserv *srv, const char *name, struct ds_dp **out,
		  struct dp_err *err)
{
	struct ds_sysbr *b;
	struct dpif_dp_info info;
	char full[IFNAMSIZ + 8];
	int e;

	*out = ds_sys_by_name(srv, name);
	if (*out)
		return 0;
	b = calloc(1, sizeof *b);
	if (!b)
		return -ENOMEM;
	snprintf(b->d.name, sizeof b->d.name, "%s", name);
	snprintf(full, sizeof full, "system@%s", name);
	b->d.srv = srv;
	b->d.sys = b;
	b->conn = dpif_conn_new();
	e = b->conn ? 0 : -ENOMEM;
	if (e == 0)
		e = dpif_open(b->conn, full, &b->dpif, err);
	if (e == 0)
		e = dpif_get(b->dpif, &info, err);
	if (e == 0) {
		b->d.ifindex = info.dp_ifindex;
		b->per_cpu = info.has_user_features &&
			     (info.user_features &
			      OVS_DP_F_DISPATCH_UPCALL_PER_CPU);
		e = nl_open_kernel(&b->up, err);
	}
	if (e == 0)
		e = nl_portid(b->up, &b->pid, err);
	if (e == 0)
		e = sp_datapath_of_dpif(&b->d.spd, b->dpif);
	if (e == 0)
		e = ds_sp_create(srv, &b->d, b->pid);
	if (e == 0)
		e = sync_ports(b, err);
	if (e == 0)
		e = set_cpu_pids(b, b->pid, err);
	if (e == 0)
		e = dpserv_watch_fd(srv, nl_fd(b->up), upcalls_ready, b);
	if (e < 0) {
		if (b->d.sp) {
			set_port_pids(b, 0, NULL);
			set_cpu_pids(b, 0, NULL);
		}
		sysbr_free(b);
		return e;
	}
	b->next = srv->sysbrs;
	srv->sysbrs = b;
	*out = &b->d;
	return 0;
}

static void sysbr_release(struct dpserv *srv, struct ds_sysbr *b)
{
	dpserv_unwatch_fd(srv, nl_fd(b->up));
	sp_datapath_dpif_ports(&b->d.spd, &(bool){ false }, NULL);
	set_port_pids(b, 0, NULL);
	set_cpu_pids(b, 0, NULL);
	sp_flush_on(b->d.sp, &b->d.spd, (int64_t)dp_now_ms());
	sysbr_free(b);
}

void ds_sys_detach(struct dpserv *srv, struct ds_dp *d)
{
	struct ds_sysbr **p;

	for (p = &srv->sysbrs; *p; p = &(*p)->next) {
		if (&(*p)->d == d) {
			struct ds_sysbr *b = *p;

			*p = b->next;
			sysbr_release(srv, b);
			return;
		}
	}
}

int ds_sys_run(struct dpserv *srv, int64_t now_ms)
{
	struct ds_sysbr **p = &srv->sysbrs, *b;
	int64_t next = -1, t;
	struct dp_err err;

	while ((b = *p)) {
		if (now_ms >= b->next_sync_ms) {
			dp_err_clear(&err);
			if (sync_ports(b, &err) < 0) {
				/* The datapath is gone (dpctl del-dp). */
				dp_log(srv->log, DP_LOG_INFO, "system@%s: no "
				       "longer a bridge: %s", b->d.name,
				       dp_err_str(&err));
				*p = b->next;
				dpserv_unwatch_fd(srv, nl_fd(b->up));
				sysbr_free(b);
				continue;
			}
			b->next_sync_ms = now_ms + SP_REVAL_MS_DEFAULT;
		}
		t = sp_run_on(b->d.sp, &b->d.spd, now_ms, false);
		if (t > b->next_sync_ms)
			t = b->next_sync_ms;
		if (next < 0 || t < next)
			next = t;
		p = &b->next;
	}
	if (next < 0)
		return -1;
	return next > now_ms ? (int)(next - now_ms) : 0;
}

void ds_sys_destroy_all(struct dpserv *srv)
{
	struct ds_sysbr *b;

	while ((b = srv->sysbrs)) {
		srv->sysbrs = b->next;
		sysbr_release(srv, b);
	}
}
