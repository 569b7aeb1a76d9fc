/* dpif against a live datapath ($DP, default system@dpkit-utest): packet
 * execution, per-cpu upcall dispatch to a listener socket of its own
 * portid, vport upcall pids, flow put/get/del with a ufid.  Skips, saying
 * why, where no datapath can be created (no kernel module, no dpd); the
 * VM suite runs it through dpctl.bats. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "dpif.h"
#include "err.h"
#include "netlink.h"
#include "nlattr.h"
#include "tap.h"

struct got {
	int n;
	struct dpif_upcall up;
	uint8_t packet[128];
	uint8_t userdata[8];
};

static int upcall_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct got *g = aux;

	if (dpif_upcall_parse(nlh, &g->up) < 0)
		return 0;
	g->n++;
	if (g->up.packet_len <= sizeof g->packet)
		memcpy(g->packet, g->up.packet, g->up.packet_len);
	if (g->up.userdata && g->up.userdata_len <= sizeof g->userdata)
		memcpy(g->userdata, g->up.userdata, g->up.userdata_len);
	return 0;
}

static int count_flows(const struct dpif_flow *f, void *aux)
{
	(void)f;
	(*(int *)aux)++;
	return 0;
}

/* A key for an Ethernet frame arriving on 'port'. */
static void put_key(struct buf *k, uint32_t port, const uint8_t *frame)
{
	struct ovs_key_ethernet eth;

	na_put_u32(k, OVS_KEY_ATTR_IN_PORT, port);
	memcpy(eth.eth_src, frame + 6, 6);
	memcpy(eth.eth_dst, frame, 6);
	na_put(k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	na_put_u16(k, OVS_KEY_ATTR_ETHERTYPE, htons(0x88b5));
}

int main(void)
{
	static const uint8_t frame[60] = {
		0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x88, 0xb5, 'd', 'p',
	};
	static const uint8_t ufid[16] = { 0xaa, 0xbb, 1 };
	const char *name = getenv("DP");
	struct buf key = BUF_INIT, acts = BUF_INIT;
	struct dpif_flow_stats st;
	struct dpif_flow_put put;
	struct dpif_execute ex;
	struct dpif_dp_info info;
	struct dpif_port_spec ps;
	struct dpif_port port;
	struct dpif_conn *c;
	struct nl_sock *listener = NULL;
	struct dpif *dp;
	struct dp_err err;
	struct got g;
	uint32_t portid, pids[256], port_no = 0;
	size_t nest, i, ncpu;
	long n;
	int e, flows;
	char pname[IFNAMSIZ];

	if (!name || !*name)
		name = "system@dpkit-utest";
	c = dpif_conn_new();
	dpif_conn_set_timeout(c, 10000);
	dp_err_clear(&err);
	if (dpif_open(c, name, &dp, NULL) == 0) {
		dpif_delete(dp, NULL);
		dpif_close(dp);
	}
	e = dpif_create(c, name, &dp, &err);
	if (e) {
		printf("# %s\n", dp_err_str(&err));
		skip("no datapath to test against here (the VM suite runs this)");
		dpif_conn_free(c);
		return done();
	}
	ok(dpif_get(dp, &info, &err) == 0 && info.has_user_features,
	   "created %s, features 0x%x", dpif_name(dp), info.user_features);

	/* An internal port whose upcalls go nowhere yet. */
	snprintf(pname, sizeof pname, "dpu%d", (int)(getpid() % 10000));
	memset(&ps, 0, sizeof ps);
	ps.name = pname;
	ps.type = OVS_VPORT_TYPE_INTERNAL;
	ps.port_no = 5;
	e = dpif_port_add(dp, &ps, &port_no, &err);
	ok(e == 0 && port_no == 5, "internal port added as port 5 (%s)",
	   dp_err_str(&err));

	/* A listener with its own portid takes every CPU's upcalls. */
	e = dpif_type(dp) == DPIF_SYSTEM ? nl_open_kernel(&listener, &err) :
	    nl_open_unix(&listener, NULL, &err);
	if (!e)
		e = nl_portid(listener, &portid, &err);
	ok(e == 0 && portid != 0, "listener socket, portid %u", portid);
	n = sysconf(_SC_NPROCESSORS_CONF);
	ncpu = n > 0 && n <= 256 ? (size_t)n : 1;
	for (i = 0; i < ncpu; i++)
		pids[i] = portid;
	if (info.user_features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU) {
		e = dpif_set_upcall_pids(dp, pids, ncpu, &err);
		ok(e == 0, "per-cpu upcall pids set (%s)", dp_err_str(&err));
	} else {
		ps.upcall_pids = pids;
		ps.n_upcall_pids = 1;
		ps.port_no = 5;
		ps.name = NULL;
		ps.type = 0;
		e = dpif_port_set(dp, &ps, &err);
		ok(e == 0, "port upcall pid set (%s)", dp_err_str(&err));
	}
	dpif_get(dp, &info, NULL);

	/* Execute a frame with a userspace() action: it comes back to the
	 * listener as OVS_PACKET_CMD_ACTION with our userdata. */
	put_key(&key, 5, frame);
	nest = na_nest_start(&acts, OVS_ACTION_ATTR_USERSPACE);
	na_put_u32(&acts, OVS_USERSPACE_ATTR_PID, portid);
	na_put(&acts, OVS_USERSPACE_ATTR_USERDATA, "dpkit!!", 8);
	na_nest_end(&acts, nest);
	memset(&ex, 0, sizeof ex);
	ex.packet = frame;
	ex.packet_len = sizeof frame;
	ex.key = key.data;
	ex.key_len = key.len;
	ex.actions = acts.data;
	ex.actions_len = acts.len;
	e = dpif_execute(dp, &ex, &err);
	ok(e == 0, "execute with a userspace action (%s)", dp_err_str(&err));
	memset(&g, 0, sizeof g);
	nl_set_timeout(listener, 5000);
	e = nl_recv_msgs(listener, true, upcall_cb, &g, &err);
	ok(e >= 1 && g.n == 1 && g.up.cmd == OVS_PACKET_CMD_ACTION &&
	   g.up.packet_len == sizeof frame && !memcmp(g.packet, frame, 16) &&
	   !memcmp(g.userdata, "dpkit!!", 8) && g.up.key_len > 0,
	   "upcall received on the listener: cmd %u, %zu bytes (%s)",
	   g.up.cmd, g.up.packet_len, e < 0 ? dp_err_str(&err) : "ok");
	e = nl_recv_msgs(listener, false, upcall_cb, &g, &err);
	ok(e == -EAGAIN, "nonblocking receive with nothing queued: EAGAIN");

	/* A flow with a ufid: put, get by ufid, delete by ufid. */
	buf_clear(&acts);
	na_put_u32(&acts, OVS_ACTION_ATTR_OUTPUT, 0);
	memset(&put, 0, sizeof put);
	put.flags = DPIF_FP_CREATE;
	put.key = key.data;
	put.key_len = key.len;
	put.actions = acts.data;
	put.actions_len = acts.len;
	put.ufid = ufid;
	e = dpif_flow_put(dp, &put, &err);
	ok(e == 0, "flow put with a ufid (%s)", dp_err_str(&err));
	flows = 0;
	e = dpif_flow_get(dp, NULL, 0, ufid, count_flows, &flows, &err);
	ok(e == 0 && flows == 1, "flow get by ufid");
	e = dpif_flow_del(dp, NULL, 0, ufid, &st, &err);
	ok(e == 0, "flow del by ufid returns its stats (%s)", dp_err_str(&err));
	e = dpif_flow_del(dp, NULL, 0, ufid, NULL, &err);
	ok(e == -ENOENT, "deleting it again: %s", dp_err_str(&err));

	ok(dpif_port_get(dp, NULL, 5, &port, &err) == 0 && port.has_stats &&
	   !strcmp(port.name, pname), "port stats read back");
	ok(dpif_port_del(dp, 5, &err) == 0, "port deleted");
	ok(dpif_delete(dp, &err) == 0, "datapath deleted");
	dpif_close(dp);
	nl_sock_close(listener);
	dpif_conn_free(c);
	buf_free(&key);
	buf_free(&acts);
	return done();
}
