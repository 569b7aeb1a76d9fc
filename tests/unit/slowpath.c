/* Unit tests for lib/slowpath on a datapath of dummy ports: misses become
 * megaflows as wide as the rules allow, revalidation after rule changes
 * (fixed or deleted), stats credited to rules, idle expiry, the flow
 * limit, rule timeouts, and flows the slow path does not own. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp.h"
#include "pktgen.h"
#include "slowpath.h"
#include "tap.h"

#define PID 77

static struct dp *DP;
static struct sp_bridge *SP;

static int64_t mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct netdev *nd(uint32_t no)
{
	struct dp_port_info info;

	return dp_port_get(DP, no, &info) == 0 ? info.netdev : NULL;
}

/* Receive queued frames and handle the misses as dpd does.  Returns the
 * number of upcalls handled. */
static int pump(void)
{
	struct dp_upcall *u;
	int n = 0;

	dp_poll_ports(DP);
	while (dp_upcall_pop(DP, &u)) {
		if (u->pid == PID && sp_handle_upcall(SP, DP, u, mono()) == 0)
			n++;
		dp_upcall_free(u);
	}
	return n;
}

static void clear_sent(void)
{
	uint32_t i;

	for (i = 1; i <= 3; i++)
		if (nd(i))
			netdev_dummy_clear_sent(nd(i));
}

/* Send a UDP packet in on port 1. */
static void udp_in(const char *dst, uint16_t sport)
{
	uint8_t f[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", dst, sport, 53, 18);

	netdev_dummy_inject(nd(1), f, (uint32_t)n);
}

static int flow_mod(const char *line, enum ofp_fm_command cmd)
{
	struct ofp_flow_mod fm;
	struct ofp_fm_result res;
	struct dp_err err;
	int e;

	e = ofp_flow_mod_parse(&fm, line, strlen(line), cmd, false, NULL, &err);
	if (e == 0)
		e = sp_flow_mods(SP, DP, &fm, 1, mono(), &res, &err);
	ofp_flow_mod_uninit(&fm);
	return e;
}

static const struct ofp_rule *rule_with_priority(uint16_t prio)
{
	const struct ofp_tables *t = sp_tables(SP);
	struct ofp_flow_mod q;
	struct ofp_rule **v = NULL;
	const struct ofp_rule *r = NULL;
	size_t n, i;

	ofp_flow_mod_init(&q, OFP_FM_QUERY);
	n = ofp_tables_select(t, &q, false, &v);
	for (i = 0; i < n; i++)
		if (v[i]->priority == prio)
			r = v[i];
	free(v);
	ofp_flow_mod_uninit(&q);
	return r;
}

static void setup(uint32_t flow_limit)
{
	struct sp_config cfg = { .idle_ms = 1000, .upcall_pid = PID,
				 .flow_limit = flow_limit };
	uint32_t no, i;

	dp_create(&DP, "sp0", DP_F_LOCAL_DUMMY, NULL);
	for (i = 1; i <= 3; i++) {
		char name[8];

		snprintf(name, sizeof name, "p%u", i);
		no = i;
		dp_port_add(DP, name, DP_VPORT_TYPE_DUMMY, &no, NULL, 0,
			    NETDEV_F_KEEP_TX, NULL);
	}
	dp_set_fallback_pid(DP, PID);
	sp_create(&SP, "sp0", &cfg, mono(), NULL);
	sp_sync_ports(SP, DP, NULL);
}

static void teardown(void)
{
	sp_destroy(SP);
	dp_destroy(DP);
}

static void test_miss_and_revalidate(void)
{
	struct flowtab *ft;
	struct flowtab_flow *f;
	struct sp_stats st;
	const struct ofp_rule *r;
	uint64_t cur = 0;
	int i, n;

	setup(0);
	ft = dp_flowtab(DP);
	ok(rule_with_priority(0) != NULL && sp_tables(SP)->n_rules == 1,
	   "a fresh bridge has the one default rule");
	udp_in("10.0.0.2", 1000);
	ok(pump() == 1 && netdev_dummy_n_sent(nd(2)) == 1 &&
	   netdev_dummy_n_sent(nd(3)) == 1 && netdev_dummy_n_sent(nd(1)) == 0,
	   "a miss with the default rule floods to every other port");
	ok(flowtab_count(ft) == 1, "and installs one megaflow");
	f = flowtab_next(ft, &cur);
	ok(f && flowtab_flow_mask(f)->tp_src == 0 && flowtab_flow_mask(f)->in_port,
	   "normal's megaflow is exact on in_port, wild on L4 ports");
	clear_sent();
	for (i = 0; i < 10; i++)
		udp_in("10.0.0.2", (uint16_t)(2000 + i));
	ok(pump() == 0 && netdev_dummy_n_sent(nd(2)) == 10,
	   "other source ports hit the megaflow: no upcall");

	ok(flow_mod("priority=100,udp,nw_dst=10.0.0.2,actions=output:3",
		    OFP_FM_ADD) == 0, "add a rule on nw_dst");
	sp_run(SP, DP, mono(), true);
	sp_get_stats(SP, &st);
	ok(flowtab_count(ft) == 0 && st.n_deleted == 1,
	   "revalidation deletes the megaflow whose mask changed");
	r = rule_with_priority(0);
	ok(r && r->n_packets == 11, "the default rule was credited 11 packets "
	   "(first packet + 10 hits): %llu",
	   (unsigned long long)(r ? r->n_packets : 0));
	clear_sent();
	for (i = 0; i < 20; i++) {
		udp_in("10.0.0.2", (uint16_t)(3000 + i));
		pump();
	}
	ok(netdev_dummy_n_sent(nd(3)) == 20 && netdev_dummy_n_sent(nd(2)) == 0,
	   "traffic follows the new rule");
	n = 0;
	cur = 0;
	while ((f = flowtab_next(ft, &cur))) {
		n++;
		ok(flowtab_flow_mask(f)->tp_src == 0 &&
		   flowtab_flow_mask(f)->l3.ipv4.dst == 0xffffffff,
		   "megaflow of the nw_dst rule: exact nw_dst, no tp_src");
	}
	ok(n == 1, "20 source ports, one megaflow (%d)", n);
	sp_run(SP, DP, mono(), true);
	r = rule_with_priority(100);
	ok(r && r->n_packets == 20, "the rule counts all 20 packets");

	ok(flow_mod("priority=100,udp,nw_dst=10.0.0.2,actions=output:2",
		    OFP_FM_MODIFY_STRICT) == 0, "change only the actions");
	sp_run(SP, DP, mono(), true);
	sp_get_stats(SP, &st);
	ok(flowtab_count(ft) == 1 && st.n_fixed == 1,
	   "same mask: the megaflow is fixed in place");
	clear_sent();
	udp_in("10.0.0.2", 4000);
	ok(pump() == 0 && netdev_dummy_n_sent(nd(2)) == 1,
	   "and now outputs to port 2 without an upcall");

	sp_run(SP, DP, mono() + 1500, true);
	sp_get_stats(SP, &st);
	ok(flowtab_count(ft) == 0 && st.n_expired == 1 && st.n_flows == 0,
	   "idle for longer than idle_ms: expired");
	teardown();
}

static void test_limits_and_timeouts(void)
{
	struct dp_key key, mask;
	struct sp_stats st;
	uint8_t acts[8];
	int i;

	setup(2);
	for (i = 0; i < 5; i++) {
		char s[64];

		/* A rule each: five megaflows wanted. */
		snprintf(s, sizeof s, "priority=10,udp,nw_dst=10.0.%d.2,"
			 "actions=output:2", i + 1);
		flow_mod(s, OFP_FM_ADD);
		snprintf(s, sizeof s, "10.0.%d.2", i + 1);
		udp_in(s, 1);
	}
	pump();
	sp_get_stats(SP, &st);
	ok(flowtab_count(dp_flowtab(DP)) == 2 && st.n_limited == 3 &&
	   netdev_dummy_n_sent(nd(2)) == 5,
	   "flow limit 2: two installed, three executed only");

	/* A flow of someone else's (dpctl's): never touched. */
	flowtab_flush(dp_flowtab(DP));
	sp_run(SP, DP, mono(), true);
	sp_get_stats(SP, &st);
	ok(st.n_flows == 0, "records of flows deleted behind our back go");
	dp_key_init(&key);
	key.in_port = 3;
	memset(&mask, 0, sizeof mask);
	mask.in_port = 0xffffffff;
	memset(acts, 0, sizeof acts);
	ok(dp_flow_put(DP, &key, &mask, acts, 0, NULL, NULL, NULL) == 0,
	   "add a flow without the slow path");
	sp_run(SP, DP, mono() + 60000, true);
	ok(flowtab_count(dp_flowtab(DP)) == 1,
	   "revalidation leaves a flow it did not install");

	ok(flow_mod("priority=30,hard_timeout=1,tcp,actions=drop",
		    OFP_FM_ADD) == 0 && rule_with_priority(30),
	   "a rule with hard_timeout=1");
	sp_run(SP, DP, mono() + 1500, true);
	ok(!rule_with_priority(30), "gone 1.5 s later");
	teardown();
}

static void test_port_gone(void)
{
	uint8_t f[128], g[128];
	size_t n = build_ipv4(f, 17, "10.0.0.1", "10.0.0.2", 1, 53, 18);

	setup(0);
	/* g: from 02:..:02 (behind port 2) to 02:..:01. */
	memcpy(g, f, n);
	memcpy(g, f + 6, 6);
	memcpy(g + 6, f, 6);
	netdev_dummy_inject(nd(2), g, (uint32_t)n);
	pump();
	clear_sent();
	netdev_dummy_inject(nd(1), f, (uint32_t)n);
	pump();
	ok(netdev_dummy_n_sent(nd(2)) == 1 && netdev_dummy_n_sent(nd(3)) == 0,
	   "learned: to 02:..:02 goes to port 2 only");
	dp_port_del(DP, 2, NULL);
	sp_sync_ports(SP, DP, NULL);
	sp_run(SP, DP, mono(), true);
	clear_sent();
	netdev_dummy_inject(nd(1), f, (uint32_t)n);
	pump();
	ok(netdev_dummy_n_sent(nd(3)) == 1,
	   "port 2 deleted: its MAC is forgotten, the packet floods");
	teardown();
}

static void test_replace(void)
{
	struct ofp_flow_mod fm[2];
	struct ofp_fm_result res;
	struct dp_err err;

	setup(0);
	flow_mod("priority=5,ip,actions=drop", OFP_FM_ADD);
	ofp_flow_mod_parse(&fm[0], "priority=5,ip,actions=drop", 26,
			   OFP_FM_ADD, false, NULL, &err);
	ofp_flow_mod_parse(&fm[1], "priority=6,arp,actions=normal", 29,
			   OFP_FM_ADD, false, NULL, &err);
	ok(sp_replace_flows(SP, DP, fm, 2, mono(), &res, &err) == 0 &&
	   res.added == 1 && res.deleted == 1 && res.modified == 0 &&
	   sp_tables(SP)->n_rules == 2,
	   "replace-flows: one added, the default rule deleted, one kept");
	ofp_flow_mod_uninit(&fm[0]);
	ofp_flow_mod_uninit(&fm[1]);
	teardown();
}

int main(void)
{
	test_miss_and_revalidate();
	test_limits_and_timeouts();
	test_port_gone();
	test_replace();
	return done();
}
