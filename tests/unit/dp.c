/* Unit tests for dp*.c on dummy ports: port numbering, the pipeline from
 * receive to transmit, misses and lost upcalls, userspace() upcalls,
 * packet execute, and stats. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "dp.h"
#include "nlattr.h"
#include "pktgen.h"
#include "tap.h"

static struct netdev *nd_of(struct dp *dp, uint32_t no)
{
	struct dp_port_info info;

	return dp_port_get(dp, no, &info) == 0 ? info.netdev : NULL;
}

static void test_ports(void)
{
	struct dp *dp;
	struct dp_port_info info;
	struct dp_err err;
	uint32_t no, cursor = 0, pid = 100;
	int n = 0;

	ok(dp_create(&dp, "dp0", DP_F_LOCAL_DUMMY, &err) == 0, "create");
	ok(dp_port_get(dp, 0, &info) == 0 && !strcmp(info.name, "dp0"),
	   "port 0 is the local port, named after the datapath");
	no = DP_PORT_NONE;
	ok(dp_port_add(dp, "a", DP_VPORT_TYPE_DUMMY, &no, &pid, 1, 0, NULL) == 0 && no == 1,
	   "first port gets 1");
	no = 5;
	ok(dp_port_add(dp, "b", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL) == 0 && no == 5,
	   "requested number 5 honoured");
	no = DP_PORT_NONE;
	ok(dp_port_add(dp, "c", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL) == 0 && no == 2,
	   "next free is 2");
	no = 5;
	ok(dp_port_add(dp, "d", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, &err) == -EBUSY,
	   "taken number: %s", err.msg);
	no = DP_MAX_PORTS;
	ok(dp_port_add(dp, "d", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL) == -EFBIG,
	   "number too large: EFBIG");
	no = DP_PORT_NONE;
	ok(dp_port_add(dp, "a", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL) == -EEXIST,
	   "same name twice: EEXIST");
	ok(dp_port_add(dp, "g", 3 /* gre */, &no, NULL, 0, 0, &err) == -EOPNOTSUPP,
	   "tunnel port types refused: %s", err.msg);
	while (dp_port_next(dp, &cursor, &info) == 0)
		n++;
	ok(n == 4, "iteration sees 4 ports");
	ok(dp_port_del(dp, 0, NULL) == -EINVAL && dp_port_del(dp, 2, NULL) == 0 &&
	   dp_port_get(dp, 2, &info) == -ENODEV && dp_port_by_name(dp, "b", &info) == 0 &&
	   info.port_no == 5, "delete port 2; port 0 cannot go");
	dp_destroy(dp);
}

static void test_pipeline(void)
{
	uint8_t f[128], acts[8];
	struct dp_key key, mask;
	struct dp *dp;
	struct dp_stats st;
	struct dp_upcall *u;
	struct buf b = BUF_INIT;
	uint32_t no, pid = 4242;
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 2, 18);
	const struct dp_packet *out;
	struct ovs_key_ipv4 v = { 0 }, m = { 0 };
	size_t ofs;
	int i;

	dp_create(&dp, "dp1", DP_F_LOCAL_DUMMY, NULL);
	no = 1;
	dp_port_add(dp, "p1", DP_VPORT_TYPE_DUMMY, &no, &pid, 1, 0, NULL);
	no = 2;
	dp_port_add(dp, "p2", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, NETDEV_F_KEEP_TX, NULL);

	/* Miss: goes to the upcall queue for port 1's pid. */
	netdev_dummy_inject(nd_of(dp, 1), f, (uint32_t)n);
	dp_poll_ports(dp);
	dp_get_stats(dp, &st);
	ok(st.n_missed == 1 && st.n_hit == 0 && dp_upcall_pending(dp) == 1,
	   "a miss is queued");
	ok(dp_upcall_pop(dp, &u) == 1 && u->cmd == OVS_PACKET_CMD_MISS && u->pid == 4242 &&
	   u->key.in_port == 1 && u->packet->len == n && !memcmp(u->packet->data, f, n) &&
	   u->key.l3.ipv4.dst == htonl(0x0a000002), "the upcall: pid, key, packet");
	dp_upcall_free(u);

	/* Port 2 has no pid: a miss there is lost. */
	netdev_dummy_inject(nd_of(dp, 2), f, (uint32_t)n);
	dp_poll_ports(dp);
	dp_get_stats(dp, &st);
	ok(st.n_missed == 2 && st.n_lost == 1 && !dp_upcall_pending(dp),
	   "a miss on a port without pid is lost");

	/* in_port(1) -> set(ipv4(dst)),2 */
	dp_key_init(&key);
	key.in_port = 1;
	memset(&mask, 0, sizeof mask);
	mask.in_port = 0xffffffff;
	v.ipv4_dst = htonl(0x0a000063);
	m.ipv4_dst = 0xffffffff;
	ofs = na_nest_start(&b, OVS_ACTION_ATTR_SET_MASKED);
	{
		uint8_t *d = na_put_zero(&b, OVS_KEY_ATTR_IPV4, 2 * sizeof v);

		memcpy(d, &v, sizeof v);
		memcpy(d + sizeof v, &m, sizeof m);
	}
	na_nest_end(&b, ofs);
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
	ok(dp_flow_put(dp, &key, &mask, b.data, b.len, NULL, NULL, NULL) == 0, "flow put");
	for (i = 0; i < 40; i++)
		netdev_dummy_inject(nd_of(dp, 1), f, (uint32_t)n);
	dp_poll_ports(dp);
	dp_get_stats(dp, &st);
	out = netdev_dummy_sent(nd_of(dp, 2), 0);
	ok(st.n_hit == 40 && netdev_dummy_n_sent(nd_of(dp, 2)) == 40 && out &&
	   out->len == n && out->data[14 + 19] == 99 && ref_ipv4_ok(out->data + 14),
	   "40 packets hit the flow, rewritten, out of port 2");
	{
		struct flowtab_flow *fl = flowtab_find_exact(dp_flowtab(dp), &key, &mask);

		ok(fl && fl->stats.packets == 40 && fl->stats.bytes == 40 * n &&
		   fl->stats.used > 0, "flow stats: 40 packets, %zu bytes", 40 * n);
	}
	ok(st.n_masks == 1 && st.n_mask_hit == 40, "mask stats: 1 mask, %llu masks probed (misses with no mask probe none)",
	   (unsigned long long)st.n_mask_hit);

	/* OVS_PACKET_CMD_EXECUTE with a userspace() action. */
	buf_clear(&b);
	ofs = na_nest_start(&b, OVS_ACTION_ATTR_USERSPACE);
	na_put_u32(&b, OVS_USERSPACE_ATTR_PID, 99);
	na_put(&b, OVS_USERSPACE_ATTR_USERDATA, "ud", 2);
	na_nest_end(&b, ofs);
	na_put_u32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
	dp_key_init(&key);
	key.in_port = 0;
	netdev_dummy_clear_sent(nd_of(dp, 2));
	ok(dp_execute_packet(dp, f, (uint32_t)n, &key, b.data, b.len, 0, NULL) == 0 &&
	   netdev_dummy_n_sent(nd_of(dp, 2)) == 1 && dp_upcall_pop(dp, &u) == 1 &&
	   u->cmd == OVS_PACKET_CMD_ACTION && u->pid == 99 && u->has_userdata &&
	   u->userdata_len == 2 && u->key.in_port == 0,
	   "execute: userspace() upcall queued, output sent");
	dp_upcall_free(u);
	dp_get_stats(dp, &st);
	ok(st.n_hit == 40, "execute does not count as a hit");

	/* ct is refused at install and at execute. */
	buf_clear(&b);
	ofs = na_nest_start(&b, OVS_ACTION_ATTR_CT);
	na_nest_end(&b, ofs);
	dp_key_init(&key);
	key.in_port = 2;
	{
		struct dp_err err;

		ok(dp_flow_put(dp, &key, &mask, b.data, b.len, NULL, NULL, &err) == -EOPNOTSUPP &&
		   dp_execute_packet(dp, f, (uint32_t)n, &key, b.data, b.len, 0, NULL) ==
		   -EOPNOTSUPP, "ct refused: %s", err.msg);
	}

	/* The queue bound: misses past DP_UPCALL_QLEN are lost. */
	flowtab_flush(dp_flowtab(dp));
	for (i = 0; i < DP_UPCALL_QLEN + 10; i++) {
		netdev_dummy_inject(nd_of(dp, 1), f, (uint32_t)n);
		if (i % 256 == 255)
			dp_poll_ports(dp), dp_poll_ports(dp);
	}
	while (dp_poll_ports(dp))
		;
	dp_get_stats(dp, &st);
	ok(dp_upcall_pending(dp) == DP_UPCALL_QLEN && st.n_lost == 1 + 10,
	   "full upcall queue: %llu lost", (unsigned long long)st.n_lost);
	(void)acts;
	buf_free(&b);
	dp_destroy(dp);
}

static void test_per_cpu(void)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 6, "10.0.0.1", "10.0.0.2", 1, 2, 0);
	uint32_t pids[2] = { 7, 7 }, no = 1;
	struct dp_upcall *u;
	struct dp *dp;

	dp_create(&dp, "dp2", DP_F_LOCAL_DUMMY, NULL);
	dp_port_add(dp, "p1", DP_VPORT_TYPE_DUMMY, &no, NULL, 0, 0, NULL);
	dp_set_features(dp, OVS_DP_F_DISPATCH_UPCALL_PER_CPU);
	dp_set_cpu_pids(dp, pids, 2);
	netdev_dummy_inject(nd_of(dp, 1), f, (uint32_t)n);
	dp_poll_ports(dp);
	ok(dp_upcall_pop(dp, &u) == 1 && u->pid == 7,
	   "per-CPU dispatch: the CPU's pid, not the port's (none)");
	dp_upcall_free(u);
	dp_destroy(dp);
}

static int fired;

static void on_fd(void *aux, int fd, uint32_t events)
{
	char c;

	(void)events;
	*(int *)aux += 1;
	fired++;
	if (read(fd, &c, 1) != 1)
		fired += 100;
}

static void test_loop(void)
{
	struct dp *dp;
	struct pollfd pfd;
	int p[2], count = 0;

	dp_create(&dp, "dp3", DP_F_LOCAL_DUMMY, NULL);
	if (pipe(p) < 0) {
		skip("pipe failed");
		return;
	}
	ok(dp_watch_fd(dp, p[0], POLLIN, on_fd, &count) == 0, "watch a pipe");
	ok(dp_run(dp, 0) == 0 && count == 0, "nothing ready: no callback");
	pfd.fd = dp_fd(dp);
	pfd.events = POLLIN;
	ok(write(p[1], "x", 1) == 1 && poll(&pfd, 1, 1000) == 1,
	   "dp_fd() is readable for a daemon's own loop");
	ok(dp_run(dp, 1000) >= 0 && count == 1 && fired == 1, "dp_run() calls the callback");
	ok(dp_unwatch_fd(dp, p[0]) == 0 && write(p[1], "y", 1) == 1 &&
	   dp_run(dp, 50) == 0 && count == 1, "after unwatch: no callback");
	close(p[0]);
	close(p[1]);
	dp_destroy(dp);
}

int main(void)
{
	test_ports();
	test_pipeline();
	test_per_cpu();
	test_loop();
	return done();
}
