/* Unit tests for the dpkit_rules family (lib/dpserv_rules.c) through the
 * client library, against a server on a socket of its own, run by a
 * thread (the server belongs to that thread alone): bare datapaths and
 * add-br, errors with their extended ACK text, all-or-nothing requests,
 * line numbers, the check flag, counts, dumps larger than a datagram,
 * filters, tables, replace and stats. */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/openvswitch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dpif.h"
#include "dpserv.h"
#include "netlink.h"
#include "nlattr.h"
#include "ofp_flow_mod.h"
#include "rules_proto.h"
#include "tap.h"

static struct dpserv *SRV;
static volatile int STOP;
static struct nl_sock *S;
static const struct nl_family *FAM;

static void *serve(void *arg)
{
	(void)arg;
	while (!STOP)
		dpserv_run(SRV, 10);
	return NULL;
}

static void req(struct buf *b, uint8_t cmd, uint16_t flags, const char *dp)
{
	nl_msg_genl(b, FAM->id, flags, cmd, DPR_VERSION, 0);
	if (dp)
		na_put_str(b, DPR_ATTR_DP, dp);
}

struct counts {
	unsigned msgs;
	uint32_t added, modified, deleted;
	uint64_t rules_stat;
};

static int count_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct counts *c = aux;
	const struct genlmsghdr *g;
	const void *hdr, *attrs;
	const struct nlattr *a, *b;
	size_t len, rem, rem2;

	c->msgs++;
	if (nl_genl_parse(nlh, 0, &g, &hdr, &attrs, &len) < 0)
		return -EINVAL;
	NA_FOR_EACH(a, attrs, len, rem) {
		switch (na_type(a)) {
		case DPR_ATTR_ADDED: c->added = na_get_u32(a); break;
		case DPR_ATTR_MODIFIED: c->modified = na_get_u32(a); break;
		case DPR_ATTR_DELETED: c->deleted = na_get_u32(a); break;
		case DPR_ATTR_STAT: {
			bool rules = false;

			NA_FOR_EACH_NESTED(b, a, rem2) {
				if (na_type(b) == DPR_ATTR_STAT_NAME)
					rules = !strcmp(na_data(b), "rules");
				else if (na_type(b) == DPR_ATTR_STAT_VALUE && rules)
					c->rules_stat = na_get_u64(b);
			}
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

/* A MOD request of 'n' lines; returns 0 or -errno, counts in *c. */
static int mod(const char *dp, uint8_t cmd, enum ofp_fm_command fc,
	       uint32_t flags, const char *const *lines, size_t n,
	       struct counts *c)
{
	struct buf b = BUF_INIT;
	struct dp_err err;
	size_t i;
	int e;

	memset(c, 0, sizeof *c);
	req(&b, cmd, 0, dp);
	na_put_u8(&b, DPR_ATTR_COMMAND, (uint8_t)fc);
	na_put_u32(&b, DPR_ATTR_FLAGS, flags);
	na_put_u32(&b, DPR_ATTR_FIRST_LINE, 1);
	for (i = 0; i < n; i++)
		na_put_str(&b, DPR_ATTR_LINE, lines[i]);
	e = nl_transact(S, &b, count_cb, c, &err);
	buf_free(&b);
	return e;
}

static unsigned n_rules(const char *dp, const char *filter)
{
	struct buf b = BUF_INIT;
	struct counts c;
	struct dp_err err;

	memset(&c, 0, sizeof c);
	req(&b, DPR_CMD_GET, NLM_F_DUMP, dp);
	if (filter)
		na_put_str(&b, DPR_ATTR_LINE, filter);
	if (nl_transact(S, &b, count_cb, &c, &err) < 0)
		c.msgs = 9999999;
	buf_free(&b);
	return c.msgs;
}

static const char *ack_msg(void)
{
	return nl_last_ack(S)->msg;
}

int main(void)
{
	struct dpserv_config cfg = { .dummy_ports = true, .sock_gid = -1 };
	char dir[] = "/tmp/dpkit-rules-XXXXXX", path[128];
	struct dpif_conn *conn;
	struct dpif *dp;
	struct dpif_port_spec spec;
	struct counts c;
	struct dp_err err;
	struct buf b = BUF_INIT;
	pthread_t th;
	uint32_t no;
	int e, i;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/dpd.sock", dir);
	cfg.sock_path = path;
	if (dpserv_create(&SRV, &cfg, &err) < 0) {
		skip("cannot create a server here");
		return done();
	}
	pthread_create(&th, NULL, serve, NULL);
	conn = dpif_conn_new();
	dpif_conn_set_dpd_path(conn, path);
	ok(dpif_create(conn, "netdev@r0", &dp, &err) == 0, "create netdev@r0");
	memset(&spec, 0, sizeof spec);
	spec.name = "p1";
	spec.type = OVS_VPORT_TYPE_NETDEV;
	spec.port_no = DPIF_PORT_ANY;
	dpif_port_add(dp, &spec, &no, &err);
	ok(nl_open_unix(&S, path, &err) == 0 &&
	   nl_family_get(S, DPR_FAMILY, &FAM, &err) == 0 &&
	   nl_family_group(FAM, DPR_MCGROUP) != 0,
	   "the family and its multicast group are found through nlctrl");

	{
		static const char *const l[] = { "actions=drop" };

		e = mod("r0", DPR_CMD_MOD, OFP_FM_ADD, 0, l, 1, &c);
		ok(e == -EOPNOTSUPP && strstr(ack_msg(), "add-br r0"),
		   "a bare datapath has no rules: %s", ack_msg());
		e = mod("nope", DPR_CMD_MOD, OFP_FM_ADD, 0, l, 1, &c);
		ok(e == -ENODEV && strstr(ack_msg(), "nope"),
		   "unknown datapath: %s", ack_msg());
		e = mod(NULL, DPR_CMD_MOD, OFP_FM_ADD, 0, l, 1, &c);
		ok(e == -EINVAL, "no datapath named: EINVAL");
	}
	req(&b, DPR_CMD_ATTACH, 0, "r0");
	ok(nl_transact(S, &b, NULL, NULL, &err) == 0, "attach makes r0 a bridge");
	req(&b, DPR_CMD_ATTACH, 0, "r0");
	ok(nl_transact(S, &b, NULL, NULL, &err) == 0, "attach again: no-op");
	ok(n_rules("r0", NULL) == 1, "a new bridge has the default rule");

	{
		static const char *const l[] = {
			"priority=1,ip,actions=drop",
			"# a comment",
			"priority=2,tcp,tp_dst=http,actions=drop",
		};

		e = mod("r0", DPR_CMD_MOD, OFP_FM_ADD, DPR_F_VERBS, l, 3, &c);
		ok(e == -EINVAL && !strncmp(ack_msg(), "line 3: ", 8) &&
		   strstr(ack_msg(), "http"),
		   "a bad line is named with its number and token: %s",
		   ack_msg());
		ok(n_rules("r0", NULL) == 1, "... and nothing was added");
	}
	{
		static const char *const l[] = {
			"priority=1,ip,actions=drop",
			"",
			"priority=2,arp,actions=normal",
			"delete_strict priority=0",
		};

		e = mod("r0", DPR_CMD_MOD, OFP_FM_ADD, DPR_F_VERBS | DPR_F_CHECK,
			l, 4, &c);
		ok(e == 0 && n_rules("r0", NULL) == 1,
		   "the check flag parses and applies nothing");
		e = mod("r0", DPR_CMD_MOD, OFP_FM_ADD, DPR_F_VERBS, l, 4, &c);
		ok(e == 0 && c.added == 2 && c.deleted == 1 &&
		   n_rules("r0", NULL) == 2,
		   "verbs in a file: 2 added, 1 deleted (blank line skipped)");
	}
	{
		static const char *const l[] = { "ip,actions=output:p1" };

		e = mod("r0", DPR_CMD_MOD, OFP_FM_MODIFY, 0, l, 1, &c);
		ok(e == 0 && c.modified == 1, "modify by port name: 1 modified");
	}
	{
		/* 3000 rules: the dump spans many datagrams. */
		static char lines[3000][64];
		static const char *lp[3000];

		for (i = 0; i < 3000; i++) {
			snprintf(lines[i], sizeof lines[i],
				 "priority=%d,ip,nw_dst=10.0.%d.%d,actions=drop",
				 100 + i % 7, i / 256, i % 256);
			lp[i] = lines[i];
		}
		e = mod("r0", DPR_CMD_MOD, OFP_FM_ADD, 0, lp, 3000, &c);
		ok(e == 0 && c.added == 3000, "3000 rules in one request");
		ok(n_rules("r0", NULL) == 3002, "a dump returns all 3002");
		ok(n_rules("r0", "ip,nw_dst=10.0.1.0/24") == 256,
		   "a filter selects 256 of them");
	}
	req(&b, DPR_CMD_GET, 0, "r0");
	na_put_str(&b, DPR_ATTR_LINE, "ip,nw_dst=10.0.0.256");
	e = nl_transact(S, &b, NULL, NULL, &err);
	ok(e == -EINVAL && strstr(ack_msg(), "10.0.0.256"),
	   "a bad filter is named: %s", ack_msg());
	req(&b, DPR_CMD_GET, 0, "r0");
	na_put_str(&b, DPR_ATTR_SORT, "bogus_field");
	e = nl_transact(S, &b, NULL, NULL, &err);
	ok(e == -EINVAL && strstr(ack_msg(), "bogus_field"),
	   "an unknown sort field is named: %s", ack_msg());

	/* A LINE without its NUL. */
	req(&b, DPR_CMD_MOD, 0, "r0");
	na_put(&b, DPR_ATTR_LINE, "ip", 2);
	e = nl_transact(S, &b, NULL, NULL, &err);
	ok(e == -EINVAL, "a line without NUL fails the policy");

	memset(&c, 0, sizeof c);
	req(&b, DPR_CMD_TABLES, NLM_F_DUMP, "r0");
	ok(nl_transact(S, &b, count_cb, &c, &err) == 0 && c.msgs == 1,
	   "dump-tables: only table 0 has rules");
	{
		static const char *const l[] = {
			"priority=5,ip,actions=drop",
			"table=3,priority=1,actions=drop",
		};

		e = mod("r0", DPR_CMD_REPLACE, OFP_FM_ADD, 0, l, 2, &c);
		ok(e == 0 && c.added == 2 && c.deleted == 3002 &&
		   n_rules("r0", NULL) == 2,
		   "replace: 2 added, 3002 deleted");
	}
	memset(&c, 0, sizeof c);
	req(&b, DPR_CMD_STATS, 0, "r0");
	ok(nl_transact(S, &b, count_cb, &c, &err) == 0 && c.rules_stat == 2,
	   "stats: rules 2");

	buf_free(&b);
	nl_sock_close(S);
	dpif_close(dp);
	dpif_conn_free(conn);
	STOP = 1;
	pthread_join(th, NULL);
	dpserv_destroy(SRV);
	rmdir(dir);
	return done();
}
