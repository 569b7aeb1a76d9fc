/* ofctl's read-only bridge commands: show, dump-ports, dump-tables, stats. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "nlattr.h"
#include "ofctl.h"
#include "rules_proto.h"

/* The port's MAC address from sysfs (ports are devices of dpd's network
 * namespace, usually ours). */
static void port_addr(const char *name, char *out, size_t size)
{
	char path[128];
	FILE *f;

	snprintf(out, size, "00:00:00:00:00:00");
	snprintf(path, sizeof path, "/sys/class/net/%s/address", name);
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(out, (int)size, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

static void port_label(char *out, size_t size, uint32_t no)
{
	if (no == 0)
		snprintf(out, size, "LOCAL");
	else
		snprintf(out, size, "%u", no);
}

int cmd_show(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl_br br;
	char addr[32], label[16];
	size_t i;
	int rc = ofctl_br_open(ctx, argv[1], &br);

	(void)argc;
	if (rc)
		return rc;
	if (ctx->opts.output == CLI_OUT_JSON) {
		for (i = 0; i < br.n_ports; i++) {
			port_addr(br.ports[i].name, addr, sizeof addr);
			port_label(label, sizeof label, br.ports[i].no);
			fprintf(ctx->out, "{\"port\":\"%s\",\"name\":\"%s\","
				"\"addr\":\"%s\"}\n", label, br.ports[i].name,
				addr);
		}
		ofctl_br_close(&br);
		return CLI_OK;
	}
	fprintf(ctx->out, "bridge %s: datapath %s\n", br.name, dpif_name(br.dp));
	fprintf(ctx->out, "n_tables:254, n_buffers:0\n");
	/* Port order as ovs-ofctl: numbered ports, then LOCAL. */
	for (i = 0; i <= br.n_ports; i++) {
		const struct ofctl_port *p = i < br.n_ports ? &br.ports[i]
							    : &br.ports[0];

		if ((i < br.n_ports && p->no == 0) ||
		    (i == br.n_ports && (!br.n_ports || p->no != 0)))
			continue;
		port_addr(p->name, addr, sizeof addr);
		port_label(label, sizeof label, p->no);
		fprintf(ctx->out, " %s(%s): addr:%s\n", label, p->name, addr);
	}
	ofctl_br_close(&br);
	return CLI_OK;
}

int cmd_dump_ports(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl_br br;
	char label[16];
	size_t i, n = 0;
	long want = -1;
	int rc;

	if (argc > 2) {
		char *end;

		if (!strcmp(argv[2], "LOCAL")) {
			want = 0;
		} else {
			want = strtol(argv[2], &end, 10);
			if (*end || want <= 0 || want > 0xfeff)
				return cli_usage_error(ctx, "%s: not a port "
						       "number", argv[2]);
		}
	}
	rc = ofctl_br_open(ctx, argv[1], &br);
	if (rc)
		return rc;
	for (i = 0; i < br.n_ports; i++)
		if (want < 0 || br.ports[i].no == (uint32_t)want)
			n++;
	if (want >= 0 && !n) {
		ofctl_br_close(&br);
		return cli_error(ctx, "%s: no port %s", br.name, argv[2]);
	}
	if (ctx->opts.output != CLI_OUT_JSON)
		fprintf(ctx->out, "OFPST_PORT reply (xid=0x2): %zu ports\n", n);
	for (i = 0; i < br.n_ports; i++) {
		const struct ofctl_port *p = &br.ports[i];
		const struct ovs_vport_stats *s = &p->stats;

		if (want >= 0 && p->no != (uint32_t)want)
			continue;
		port_label(label, sizeof label, p->no);
		if (ctx->opts.output == CLI_OUT_JSON) {
			fprintf(ctx->out, "{\"port\":\"%s\",\"name\":\"%s\","
				"\"rx_packets\":%llu,\"rx_bytes\":%llu,"
				"\"rx_dropped\":%llu,\"rx_errors\":%llu,"
				"\"tx_packets\":%llu,\"tx_bytes\":%llu,"
				"\"tx_dropped\":%llu,\"tx_errors\":%llu}\n",
				label, p->name,
				(unsigned long long)s->rx_packets,
				(unsigned long long)s->rx_bytes,
				(unsigned long long)s->rx_dropped,
				(unsigned long long)s->rx_errors,
				(unsigned long long)s->tx_packets,
				(unsigned long long)s->tx_bytes,
				(unsigned long long)s->tx_dropped,
				(unsigned long long)s->tx_errors);
			continue;
		}
		fprintf(ctx->out, "  port %2s: rx pkts=%llu, bytes=%llu, "
			"drop=%llu, errs=%llu, frame=0, over=0, crc=0\n"
			"           tx pkts=%llu, bytes=%llu, drop=%llu, "
			"errs=%llu, coll=0\n", label,
			(unsigned long long)s->rx_packets,
			(unsigned long long)s->rx_bytes,
			(unsigned long long)s->rx_dropped,
			(unsigned long long)s->rx_errors,
			(unsigned long long)s->tx_packets,
			(unsigned long long)s->tx_bytes,
			(unsigned long long)s->tx_dropped,
			(unsigned long long)s->tx_errors);
	}
	ofctl_br_close(&br);
	return CLI_OK;
}

/* --- dump-tables and stats ------------------------------------------------------- */

static int table_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct cli_ctx *ctx = aux;
	const struct genlmsghdr *g;
	const void *hdr, *attrs;
	const struct nlattr *a;
	size_t len, rem;
	unsigned table = 0, n = 0;

	if (nl_genl_parse(nlh, 0, &g, &hdr, &attrs, &len) < 0)
		return -EINVAL;
	NA_FOR_EACH(a, attrs, len, rem) {
		if (na_type(a) == DPR_ATTR_TABLE && na_len(a) >= 1)
			table = na_get_u8(a);
		else if (na_type(a) == DPR_ATTR_N_RULES && na_len(a) >= 4)
			n = na_get_u32(a);
	}
	if (ctx->opts.output == CLI_OUT_JSON)
		fprintf(ctx->out, "{\"table\":%u,\"active\":%u}\n", table, n);
	else
		fprintf(ctx->out, "  table %u:\n    active=%u\n", table, n);
	return 0;
}

/* One request about a bridge, its replies to 'cb' (with the context),
 * after 'header' if not NULL and not -o json. */
static int br_request(struct cli_ctx *ctx, const char *bridge, uint8_t cmd,
		      uint16_t flags, nl_msg_cb cb, const char *header)
{
	struct ofctl_br br;
	struct dp_err err;
	struct buf b;
	int rc = ofctl_br_open(ctx, bridge, &br);

	if (rc)
		return rc;
	if (header && ctx->opts.output != CLI_OUT_JSON)
		fputs(header, ctx->out);
	buf_init(&b);
	dp_err_clear(&err);
	ofctl_req(&br, &b, cmd, flags);
	if (ofctl_transact(&br, &b, cb, ctx, &err) < 0)
		rc = ofctl_fail(ctx, &err);
	buf_free(&b);
	ofctl_br_close(&br);
	return rc;
}

int cmd_dump_tables(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return br_request(ctx, argv[1], DPR_CMD_TABLES, NLM_F_DUMP, table_cb,
			  "OFPST_TABLE reply (xid=0x2):\n");
}

static int stats_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct cli_ctx *ctx = aux;
	const struct genlmsghdr *g;
	const void *hdr, *attrs;
	const struct nlattr *a, *b;
	size_t len, rem, rem2;
	bool json = ctx->opts.output == CLI_OUT_JSON;
	int n = 0;

	if (nl_genl_parse(nlh, 0, &g, &hdr, &attrs, &len) < 0)
		return -EINVAL;
	if (json)
		fputc('{', ctx->out);
	NA_FOR_EACH(a, attrs, len, rem) {
		const char *name = NULL;
		uint64_t v = 0;

		if (na_type(a) != DPR_ATTR_STAT)
			continue;
		NA_FOR_EACH_NESTED(b, a, rem2) {
			if (na_type(b) == DPR_ATTR_STAT_NAME && na_len(b) &&
			    memchr(na_data(b), 0, na_len(b)))
				name = na_data(b);
			else if (na_type(b) == DPR_ATTR_STAT_VALUE &&
				 na_len(b) >= 8)
				v = na_get_u64(b);
		}
		if (!name)
			continue;
		if (json)
			fprintf(ctx->out, "%s\"%s\":%llu", n++ ? "," : "", name,
				(unsigned long long)v);
		else
			fprintf(ctx->out, "%s: %llu\n", name,
				(unsigned long long)v);
	}
	if (json)
		fputs("}\n", ctx->out);
	return 0;
}

int cmd_stats(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return br_request(ctx, argv[1], DPR_CMD_STATS, 0, stats_cb, NULL);
}
