/*
 * ofp_rules.c - OpenFlow add/modify/delete semantics of the rule tables,
 * timeouts, statistics lines, --sort/--rsort, and diff/replace-flows.
 * Expected lines are what ovs-ofctl 3.1 printed for the same operations
 * on a real bridge.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_flow_mod.h"
#include "ofp_match_text.h"
#include "ofp_rules.h"
#include "tap.h"

static struct ofp_tables T;
static int64_t now;
static bool quiet;              /* a failure is what the test expects */

static int apply(enum ofp_fm_command cmd, const char *s,
		 struct ofp_fm_result *res)
{
	struct ofp_flow_mod fm;
	struct dp_err err = { 0, "" };
	int r = ofp_flow_mod_parse(&fm, s, strlen(s), cmd, false, NULL, &err);

	if (!r)
		r = ofp_tables_apply(&T, &fm, now, res, &err);
	if (r && !quiet)
		note("%s %s: %s", ofp_fm_command_name(cmd), s, err.msg);
	ofp_flow_mod_uninit(&fm);
	return r;
}

/* dump-flows [--no-stats], rules sorted by table then priority (high
 * first) then text, joined by newlines. */
static int cmp_rule(const void *a_, const void *b_)
{
	const struct ofp_rule *a = *(struct ofp_rule *const *)a_;
	const struct ofp_rule *b = *(struct ofp_rule *const *)b_;

	if (a->table_id != b->table_id)
		return a->table_id - b->table_id;
	if (a->priority != b->priority)
		return b->priority - a->priority;
	return a->created_ms < b->created_ms ? -1 : a->created_ms > b->created_ms;
}

static const char *dump(unsigned flags)
{
	static struct buf b;
	struct ofp_flow_mod q;
	struct ofp_rule **rs;
	size_t n, i;

	buf_clear(&b);
	ofp_flow_mod_init(&q, OFP_FM_QUERY);
	n = ofp_tables_select(&T, &q, false, &rs);
	qsort(rs, n, sizeof *rs, cmp_rule);
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, '\n');
		ofp_rule_format(&b, rs[i], now, flags, NULL);
	}
	free(rs);
	return buf_cstr(&b);
}

static bool dump_is(const char *want)
{
	const char *got = dump(0);

	if (strcmp(got, want)) {
		note("got:  %s", got);
		note("want: %s", want);
		return false;
	}
	return true;
}

static struct {
	unsigned added, modified, deleted, idle, hard, replaced;
} ev;

static void observe(void *aux, enum ofp_rule_event e, const struct ofp_rule *r)
{
	(void)aux;
	(void)r;
	switch (e) {
	case OFP_RULE_ADDED: ev.added++; break;
	case OFP_RULE_MODIFIED: ev.modified++; break;
	case OFP_RULE_DELETED: ev.deleted++; break;
	case OFP_RULE_IDLE_TIMEOUT: ev.idle++; break;
	case OFP_RULE_HARD_TIMEOUT: ev.hard++; break;
	case OFP_RULE_REPLACED: ev.replaced++; break;
	}
}

static void reset(void)
{
	ofp_tables_destroy(&T);
	ofp_tables_init(&T);
	T.observer = observe;
	memset(&ev, 0, sizeof ev);
	now = 1000;
}

static void test_add(void)
{
	struct ofp_fm_result res = { 0, 0, 0 };
	const struct ofp_rule *r;
	struct ofp_match m;
	struct dp_err err;
	uint64_t v0;

	reset();
	apply(OFP_FM_ADD, "priority=10,tcp,actions=output:1", &res);
	v0 = T.version;
	r = ofp_tables_lookup(&T, 0, &(struct ofp_flow){ 0 }, NULL);
	ok(!r, "a packet that is not TCP misses");
	ofp_match_from_text("tcp,tp_dst=80", 13, 1, &m, NULL, &err);
	r = ofp_tables_lookup(&T, 0, &m.flow, NULL);
	ofp_rule_credit((struct ofp_rule *)r, 3, 300, now);
	apply(OFP_FM_ADD, "priority=10,tcp,cookie=0x7,actions=output:2", &res);
	ok(dump_is("cookie=0x7, priority=10,tcp actions=output:2") &&
	   T.version > v0 && ev.replaced == 1 && ev.added == 2,
	   "add of the same match and priority replaces the rule");
	r = ofp_tables_lookup(&T, 0, &m.flow, NULL);
	ok(r && r->n_packets == 0, "the replacement starts its counters over");
	apply(OFP_FM_ADD, "priority=11,tcp,actions=output:3", &res);
	apply(OFP_FM_ADD, "table=3,priority=10,tcp,actions=drop", &res);
	ok(T.n_rules == 3 && res.added == 4,
	   "another priority or another table is another rule");
	quiet = true;
	ok(apply(OFP_FM_ADD, "check_overlap,priority=11,ip,nw_src=1.2.3.4,actions=drop",
		 NULL) != 0 && !(quiet = false) &&
	   apply(OFP_FM_ADD, "check_overlap,priority=12,ip,actions=drop", NULL) == 0 &&
	   apply(OFP_FM_ADD, "check_overlap,priority=11,udp,actions=drop", NULL) == 0,
	   "check_overlap refuses an overlap at the same priority only");
}

static void test_modify(void)
{
	struct ofp_fm_result res = { 0, 0, 0 };

	/* The sequence ovs-ofctl ran against a bridge (OpenFlow 1.3 cookie
	 * semantics: a modify without cookie= keeps it). */
	reset();
	apply(OFP_FM_ADD, "priority=10,idle_timeout=100,hard_timeout=200,cookie=0x5,tcp,nw_dst=1.1.1.1,actions=drop", NULL);
	apply(OFP_FM_ADD, "priority=11,tcp,actions=drop", NULL);
	apply(OFP_FM_MODIFY, "tcp,actions=output:1", &res);
	ok(res.modified == 2 &&
	   dump_is("priority=11,tcp actions=output:1\n"
		   "cookie=0x5, idle_timeout=100, hard_timeout=200, priority=10,tcp,nw_dst=1.1.1.1 actions=output:1"),
	   "modify takes every rule at least as specific as its match, keeps timeouts");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_MODIFY, "udp,idle_timeout=5,cookie=0x9,actions=output:3", &res);
	ok(res.added == 1 && strstr(dump(0), "cookie=0x9, idle_timeout=5, udp actions=output:3"),
	   "modify that selects nothing adds the rule");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_MODIFY, "tcp,idle_timeout=7,cookie=0x9,actions=output:4", &res);
	ok(res.modified == 2 &&
	   strstr(dump(0), "cookie=0x9, idle_timeout=100, hard_timeout=200, priority=10,tcp,nw_dst=1.1.1.1 actions=output:4"),
	   "modify sets a given cookie but not the timeouts");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_MODIFY, "cookie=0x7/0xff,arp,actions=output:5", &res);
	ok(!res.added && !res.modified, "modify with a cookie mask never adds");
	apply(OFP_FM_MODIFY, "cookie=0x9/0xff,priority=11,tcp,nw_dst=1.1.1.1,actions=output:6", &res);
	ok(res.modified == 1 && strstr(dump(0), "priority=11,tcp actions=output:4") &&
	   strstr(dump(0), "nw_dst=1.1.1.1 actions=output:6"),
	   "a non-strict modify ignores priority and never selects wider rules");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_MODIFY_STRICT, "priority=11,tcp,actions=output:7", &res);
	ok(res.modified == 1 && strstr(dump(0), "priority=11,tcp actions=output:7") &&
	   strstr(dump(0), "nw_dst=1.1.1.1 actions=output:6"),
	   "modify --strict takes only the exact match and priority");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_MODIFY_STRICT, "icmp,priority=3,actions=output:6", &res);
	ok(res.added == 1 && strstr(dump(0), "priority=3,icmp actions=output:6"),
	   "modify --strict that selects nothing adds too");
}

static void test_delete(void)
{
	struct ofp_fm_result res = { 0, 0, 0 };

	reset();
	apply(OFP_FM_ADD, "priority=5,ip,nw_dst=10.0.0.1,actions=output:1", NULL);
	apply(OFP_FM_ADD, "priority=6,ip,nw_dst=10.0.0.2,actions=output:2", NULL);
	apply(OFP_FM_ADD, "priority=7,tcp,nw_dst=10.0.0.3,actions=output:1,output:3", NULL);
	apply(OFP_FM_ADD, "table=2,cookie=0x12,ip,actions=output:1", NULL);
	apply(OFP_FM_ADD, "arp,actions=normal", NULL);
	apply(OFP_FM_DELETE, "ip,out_port=1", &res);
	ok(res.deleted == 3 && T.n_rules == 2 && ev.deleted == 3,
	   "delete with out_port takes matching rules that output there, in all tables");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_ADD, "table=2,cookie=0x12,ip,actions=output:1", NULL);
	apply(OFP_FM_ADD, "table=2,cookie=0x13,ip,nw_src=1.1.1.1,actions=output:1", NULL);
	apply(OFP_FM_DELETE, "cookie=0x12/0xff", &res);
	ok(res.deleted == 1 && T.n_rules == 3, "delete by cookie and mask");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_DELETE_STRICT, "priority=6,ip,nw_dst=10.0.0.2", &res);
	ok(res.deleted == 1, "delete --strict with the priority");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_DELETE_STRICT, "ip,nw_dst=10.0.0.2", &res);
	ok(res.deleted == 0 && T.n_rules == 2,
	   "delete --strict at the default priority misses a priority-6 rule");
	memset(&res, 0, sizeof res);
	apply(OFP_FM_DELETE, "table=2", &res);
	apply(OFP_FM_DELETE, "", &res);
	ok(res.deleted == 2 && T.n_rules == 0, "delete of a table, then of all");
}

static void test_timeouts_and_stats(void)
{
	struct ofp_match m;
	struct dp_err err;
	struct ofp_rule *r;

	reset();
	now = 5000;
	apply(OFP_FM_ADD, "idle_timeout=10,priority=9,udp,actions=drop", NULL);
	apply(OFP_FM_ADD, "hard_timeout=20,priority=8,udp,actions=drop", NULL);
	ofp_match_from_text("udp", 3, 1, &m, NULL, &err);
	now = 12345;
	r = (struct ofp_rule *)ofp_tables_lookup(&T, 0, &m.flow, NULL);
	ofp_rule_credit(r, 2, 120, now);
	now = 16000;
	ok(!strcmp(dump(OFP_FMT_STATS),
		   "cookie=0x0, duration=11s, table=0, n_packets=2, n_bytes=120, idle_timeout=10, idle_age=3, priority=9,udp actions=drop\n"
		   "cookie=0x0, duration=11s, table=0, n_packets=0, n_bytes=0, hard_timeout=20, idle_age=11, priority=8,udp actions=drop"),
	   "dump-flows with statistics: duration, counters, idle_age");
	now = 22344;
	ok(ofp_tables_expire(&T, now) == 0, "nothing expires early");
	now = 22345;
	ok(ofp_tables_expire(&T, now) == 1 && ev.idle == 1,
	   "idle timeout counts from the last packet");
	now = 25000;
	ok(ofp_tables_expire(&T, now) == 1 && ev.hard == 1 && T.n_rules == 0,
	   "hard timeout counts from the add");

	reset();
	now = 1500;
	apply(OFP_FM_ADD, "priority=1,actions=drop", NULL);
	now = 4250;
	apply(OFP_FM_MODIFY, "actions=output:1", NULL);
	now = 7999;
	ok(strstr(dump(OFP_FMT_STATS), "duration=6.499s, table=0, n_packets=0, n_bytes=0, idle_age=6, hard_age=3, priority=1"),
	   "hard_age shows when a modify came after the add");
	apply(OFP_FM_ADD, "table=1,send_flow_rem,check_overlap,importance=7,actions=drop", NULL);
	ok(strstr(dump(OFP_FMT_FLAGS), "table=1, send_flow_rem check_overlap importance=7, actions=drop"),
	   "flags and importance print as OpenFlow 1.4 dumps show them");
}

static void test_sort(void)
{
	static const char *const lines[] = {
		"priority=5,tcp,tp_dst=80,actions=drop",
		"priority=9,tcp,tp_dst=22,actions=drop",
		"priority=7,arp,actions=drop",
		"priority=1,tcp,tp_dst=443,actions=drop",
	};
	struct ofp_sort_key prio = { NULL, false }, rdst = {
		ofp_field_get(OFP_F_TCP_DST), true };
	struct ofp_flow_mod q;
	struct ofp_rule **rs;
	size_t n, i;

	reset();
	for (i = 0; i < 4; i++)
		apply(OFP_FM_ADD, lines[i], NULL);
	ofp_flow_mod_init(&q, OFP_FM_QUERY);
	n = ofp_tables_select(&T, &q, false, &rs);
	ofp_rules_sort(rs, n, &prio, 1);
	ok(n == 4 && rs[0]->priority == 1 && rs[1]->priority == 5 &&
	   rs[2]->priority == 7 && rs[3]->priority == 9, "--sort: by priority, ascending");
	ofp_rules_sort(rs, n, &rdst, 1);
	ok(rs[0]->priority == 1 && rs[1]->priority == 5 && rs[2]->priority == 9 &&
	   rs[3]->priority == 7,
	   "--rsort=tcp_dst: 443, 80, 22, and the rule without tcp_dst last");
	free(rs);
}

struct lines {
	struct buf b;
};

static void diff_line(void *aux, const struct ofp_flow_mod *old,
		      const struct ofp_flow_mod *new)
{
	struct buf *b = aux;

	if (old) {
		buf_putc(b, '-');
		ofp_fte_format(b, old, NULL);
		buf_putc(b, '\n');
	}
	if (new) {
		buf_putc(b, '+');
		ofp_fte_format(b, new, NULL);
		buf_putc(b, '\n');
	}
}

static size_t parse_file(const char *text, struct ofp_flow_mod **out)
{
	struct ofp_flow_mod *v = calloc(16, sizeof *v);
	const char *p = text;
	size_t n = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct dp_err err;

		if (ofp_flow_mod_parse(&v[n], p, len, OFP_FM_ADD, true, NULL, &err))
			note("parse: %s", err.msg);
		else
			n++;
		p += len + (nl != NULL);
	}
	*out = v;
	return n;
}

static void free_fms(struct ofp_flow_mod *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ofp_flow_mod_uninit(&v[i]);
	free(v);
}

static void test_diff(void)
{
	struct ofp_flow_mod *a, *b, *mods, *snap;
	struct buf out = BUF_INIT;
	size_t na, nb, nm, ns, i;

	/* ovs-ofctl diff-flows of these two files printed the same lines
	 * (its order is its hash order; ours is table, priority, match). */
	na = parse_file("table=1,priority=5,tcp,actions=drop\n"
			"priority=7,ip,cookie=0x5,idle_timeout=3,actions=output:1\n"
			"udp,actions=drop\n"
			"importance=4,arp,actions=normal\n"
			"icmp,actions=drop", &a);
	nb = parse_file("table=2,priority=5,tcp,actions=drop\n"
			"priority=7,ip,cookie=0x6,idle_timeout=3,actions=output:1\n"
			"udp,actions=drop\n"
			"arp,actions=normal", &b);
	ok(ofp_diff(a, na, b, nb, diff_line, &out) == 5 &&
	   !strcmp(buf_cstr(&out),
		   "-icmp actions=drop\n"
		   "-arp importance=4 actions=NORMAL\n+arp actions=NORMAL\n"
		   "-priority=7,ip cookie=0x5 idle_timeout=3 actions=output:1\n"
		   "+priority=7,ip cookie=0x6 idle_timeout=3 actions=output:1\n"
		   "-table=1 priority=5,tcp actions=drop\n"
		   "+table=2 priority=5,tcp actions=drop\n"),
	   "diff-flows lines");

	nm = ofp_diff_flow_mods(a, na, b, nb, &mods);
	ok(nm == 5 && mods[0].command == OFP_FM_DELETE_STRICT &&
	   mods[1].command == OFP_FM_DELETE_STRICT &&
	   mods[2].command == OFP_FM_ADD && mods[4].command == OFP_FM_ADD,
	   "replace-flows: deletes of what is gone, then adds of what is new or changed");

	/* Applying them turns tables holding 'a' into tables holding 'b'. */
	reset();
	for (i = 0; i < na; i++)
		ofp_tables_apply(&T, &a[i], now, NULL, NULL);
	for (i = 0; i < nm; i++)
		ofp_tables_apply(&T, &mods[i], now, NULL, NULL);
	ns = ofp_tables_snapshot(&T, &snap);
	buf_clear(&out);
	ok(ns == 4 && ofp_diff(snap, ns, b, nb, diff_line, &out) == 0,
	   "after replace-flows the tables diff empty against the file");
	free_fms(snap, ns);
	free_fms(mods, nm);
	free_fms(a, na);
	free_fms(b, nb);
	buf_free(&out);
}

int main(void)
{
	ofp_tables_init(&T);
	test_add();
	test_modify();
	test_delete();
	test_timeouts_and_stats();
	test_sort();
	test_diff();
	ofp_tables_destroy(&T);
	return done();
}
