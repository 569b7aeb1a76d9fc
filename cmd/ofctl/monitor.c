/* ofctl monitor: packet-ins and rule changes of a bridge, as they happen. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "nlattr.h"
#include "ofctl.h"
#include "ofp_actions.h"
#include "rules_proto.h"

struct mon {
	struct cli_ctx *ctx;
	const char *br;
	bool watch;                     /* rule changes too */
};

static const char *reason_name(unsigned r)
{
	switch (r) {
	case OFPR_NO_MATCH: return "no_match";
	case OFPR_ACTION: return "action";
	case OFPR_INVALID_TTL: return "invalid_ttl";
	case OFPR_ACTION_SET: return "action_set";
	case OFPR_GROUP: return "group";
	case OFPR_PACKET_OUT: return "packet_out";
	default: return "explicit_miss";
	}
}

static const char *event_name(unsigned e)
{
	static const char *const n[] = { "ADDED", "MODIFIED", "DELETED",
					 "DELETED", "DELETED", "MODIFIED" };

	return e < sizeof n / sizeof n[0] ? n[e] : "?";
}

static const char *str_attr(const struct nlattr *a)
{
	return na_len(a) && memchr(na_data(a), 0, na_len(a)) ? na_data(a) : "";
}

/* The packet's flow as ovs-ofctl monitor prints it: without the
 * metadata dpd's full-key text carries (marks, conntrack, tunnel, the
 * input port, which the first line has). */
static void flow_text(const char *in, char *out, size_t size)
{
	static const char *const drop[] = { "pkt_mark=", "recirc_id=",
		"dp_hash=", "skb_priority=", "ct_", "tun_", "vlan_tci1=",
		"in_port=", NULL };
	size_t o = 0, l, i;
	bool skip;

	while (*in) {
		l = strcspn(in, ",");
		skip = l == 3 && !strncmp(in, "eth", 3);
		for (i = 0; !skip && drop[i]; i++)
			skip = !strncmp(in, drop[i], strlen(drop[i]));
		if (!skip && o + l + 2 < size) {
			if (o)
				out[o++] = ',';
			memcpy(out + o, in, l);
			o += l;
		}
		in += l;
		if (*in == ',')
			in++;
	}
	out[o] = '\0';
}

static int mon_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct mon *m = aux;
	const struct genlmsghdr *g;
	const void *hdr, *attrs;
	const struct nlattr *a;
	const char *dp = "", *text = "", *rule = "";
	unsigned table = 0, reason = 0, event = 0;
	unsigned long long cookie = 0, bytes = 0;
	unsigned in_port = 0;
	size_t len, rem, data_len = 0;
	bool json = m->ctx->opts.output == CLI_OUT_JSON;

	if (nl_genl_parse(nlh, 0, &g, &hdr, &attrs, &len) < 0)
		return 0;
	NA_FOR_EACH(a, attrs, len, rem) {
		size_t l = na_len(a);

		switch (na_type(a)) {
		case DPR_ATTR_DP: dp = str_attr(a); break;
		case DPR_ATTR_TEXT: text = str_attr(a); break;
		case DPR_ATTR_RULE: rule = str_attr(a); break;
		case DPR_ATTR_TABLE: if (l >= 1) table = na_get_u8(a); break;
		case DPR_ATTR_REASON: if (l >= 1) reason = na_get_u8(a); break;
		case DPR_ATTR_EVENT: if (l >= 1) event = na_get_u8(a); break;
		case DPR_ATTR_IN_PORT: if (l >= 4) in_port = na_get_u32(a); break;
		case DPR_ATTR_COOKIE: if (l >= 8) cookie = na_get_u64(a); break;
		case DPR_ATTR_BYTES: if (l >= 8) bytes = na_get_u64(a); break;
		case DPR_ATTR_PACKET: data_len = l; break;
		default: break;
		}
	}
	if (strcmp(dp, m->br))
		return 0;
	if (g->cmd == DPR_CMD_PACKET_IN) {
		char flow[1024];

		flow_text(text, flow, sizeof flow);
		text = flow;
		if (json)
			fprintf(m->ctx->out, "{\"event\":\"packet_in\","
				"\"table\":%u,\"cookie\":\"0x%llx\","
				"\"reason\":\"%s\",\"in_port\":%u,"
				"\"total_len\":%llu,\"flow\":\"%s\"}\n", table,
				cookie, reason_name(reason), in_port, bytes,
				text);
		else
			fprintf(m->ctx->out, "NXT_PACKET_IN2 (xid=0x0): "
				"table_id=%u cookie=0x%llx total_len=%llu "
				"in_port=%u (via %s) data_len=%zu (unbuffered)\n"
				"%s\n", table, cookie, bytes, in_port,
				reason_name(reason), data_len, text);
	} else if (g->cmd == DPR_CMD_RULE_EVENT && m->watch) {
		if (json)
			fprintf(m->ctx->out, "{\"event\":\"%s\",\"table\":%u,"
				"\"cookie\":\"0x%llx\",\"rule\":\"%s\"}\n",
				event_name(event), table, cookie, rule);
		else
			fprintf(m->ctx->out, "NXST_FLOW_MONITOR reply "
				"(xid=0x0):\n event=%s table=%u cookie=0x%llx "
				"%s\n", event_name(event), table, cookie, rule);
	}
	fflush(m->ctx->out);
	return 0;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* monitor BRIDGE [watch:]: until interrupted, or for -t SECS. */
int cmd_monitor(struct cli_ctx *ctx, int argc, char **argv)
{
	struct mon m = { ctx, NULL, false };
	struct ofctl_br br;
	struct dp_err err;
	uint32_t group;
	double end = ctx->opts.timeout > 0 ? mono_s() + ctx->opts.timeout : 0;
	int i, rc = ofctl_br_open(ctx, argv[1], &br);

	if (rc)
		return rc;
	for (i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "watch:", 6)) {
			m.watch = true;
		} else {
			ofctl_br_close(&br);
			return cli_usage_error(ctx, "%s: not watch:", argv[i]);
		}
	}
	m.br = br.name;
	dp_err_clear(&err);
	group = nl_family_group(br.fam, DPR_MCGROUP);
	if (!group || nl_join_group(br.sock, group, &err) < 0) {
		rc = group ? ofctl_fail(ctx, &err)
			   : cli_error(ctx, "dpd has no %s group", DPR_MCGROUP);
		ofctl_br_close(&br);
		return rc;
	}
	for (;;) {
		struct pollfd p = { .fd = nl_fd(br.sock), .events = POLLIN };
		int ms = -1, n;

		if (end) {
			double left = end - mono_s();

			if (left <= 0)
				break;
			ms = (int)(left * 1000) + 1;
		}
		n = poll(&p, 1, ms);
		if (n < 0 && errno != EINTR) {
			rc = cli_error(ctx, "poll: %s", strerror(errno));
			break;
		}
		if (n <= 0)
			continue;
		n = nl_recv_msgs(br.sock, false, mon_cb, &m, &err);
		if (n < 0 && n != -EAGAIN && n != -ENOBUFS) {
			rc = ofctl_fail(ctx, &err);
			break;
		}
	}
	ofctl_br_close(&br);
	return rc;
}
