/* dpctl's flow commands: add-flow, mod-flow, del-flow, get-flow,
 * dump-flows, del-flows. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dpctl.h"
#include "nlattr.h"
#include "odp_key.h"

void dpctl_flow_init(struct dpctl_flow *f)
{
	memset(f, 0, sizeof *f);
	buf_init(&f->key);
	buf_init(&f->mask);
	buf_init(&f->actions);
}

void dpctl_flow_free(struct dpctl_flow *f)
{
	buf_free(&f->key);
	buf_free(&f->mask);
	buf_free(&f->actions);
}

/* Remove attribute 'type' from the stream in 'b'; returns whether it was
 * there, its payload in 'v' (up to 4 bytes). */
static bool take_attr(struct buf *b, uint16_t type, uint32_t *v)
{
	const struct nlattr *a;
	size_t rem, ofs, alen;

	NA_FOR_EACH(a, b->data, b->len, rem) {
		if (na_type(a) != type)
			continue;
		if (v && na_len(a) == 4)
			memcpy(v, na_data(a), 4);
		ofs = (size_t)((const char *)a - (const char *)b->data);
		alen = NLA_ALIGN(a->nla_len);
		if (alen > b->len - ofs)
			alen = b->len - ofs;
		memmove((char *)b->data + ofs, (char *)b->data + ofs + alen,
			b->len - ofs - alen);
		buf_truncate(b, b->len - alen);
		return true;
	}
	return false;
}

/* The kernel has no packet_type attribute: as ovs-dpctl does, drop it
 * when it says Ethernet (eth() carries that), and turn an L3 packet type
 * (ns=1, the id an ethertype) into eth_type.  Other packet types are left
 * for the datapath to refuse. */
static void exclude_packet_type(struct dpctl_flow *f)
{
	const struct nlattr *a = na_find(f->key.data, f->key.len,
					 OVS_KEY_ATTR_PACKET_TYPE);
	uint32_t pt, ptm = 0xffffffff;
	uint16_t ns, id;

	if (!a || na_len(a) != 4)
		return;
	pt = ntohl(na_get_u32(a));
	ns = (uint16_t)(pt >> 16);
	id = (uint16_t)pt;
	if (!(ns == 0 && id == 0) && ns != 1)
		return;
	take_attr(&f->key, OVS_KEY_ATTR_PACKET_TYPE, NULL);
	if (take_attr(&f->mask, OVS_KEY_ATTR_PACKET_TYPE, &ptm))
		ptm = ntohl(ptm);
	if (ns == 1 && (ptm & 0xffff) &&
	    !na_find(f->key.data, f->key.len, OVS_KEY_ATTR_ETHERTYPE)) {
		na_put_u16(&f->key, OVS_KEY_ATTR_ETHERTYPE, htons(id));
		if (f->mask.len)
			na_put_u16(&f->mask, OVS_KEY_ATTR_ETHERTYPE,
				   htons((uint16_t)ptm));
	}
}

int dpctl_flow_parse(struct dpctl_flow *f, const char *key, size_t key_len,
		     const char *actions, size_t actions_len,
		     const struct odp_names *names, struct dp_err *err)
{
	size_t used = 0;
	int error;

	error = odp_ufid_from_text(key, key_len, f->ufid, &used, err);
	if (error)
		return error;
	f->has_ufid = used > 0;
	key += used;
	key_len -= used;
	/* "ufid:X" alone names a flow for del-flow and get-flow. */
	if (key_len || !f->has_ufid) {
		error = odp_key_from_text(key, key_len, &f->key, &f->mask,
					  names, err);
		if (error)
			return error;
		exclude_packet_type(f);
	}
	if (actions) {
		error = odp_actions_from_text(actions, actions_len, &f->actions,
					      names, err);
		if (error) {
			dp_err_prefix(err, "actions");
			return error;
		}
		f->has_actions = true;
	}
	if (!buf_ok(&f->key) || !buf_ok(&f->mask) || !buf_ok(&f->actions))
		return dp_err_set(err, ENOMEM, "out of memory");
	return 0;
}

void dpctl_explain_flow(const struct dpctl_flow *f, struct dp_err *err)
{
	struct dp_key key, mask;
	struct dp_err why;

	/* A datapath that said why (dpd, or a kernel extack) is best. */
	if (err->code != EINVAL || strcmp(err->msg, strerror(EINVAL)))
		return;
	dp_err_clear(&why);
	if (odp_match_from_attrs(f->key.data, f->key.len,
				 f->mask.len ? f->mask.data : NULL, f->mask.len,
				 &key, &mask, &why) < 0) {
		dp_err_set(err, EINVAL, "the datapath refused the flow: %s",
			   dp_err_str(&why));
		return;
	}
	if (f->has_actions &&
	    odp_actions_check(f->actions.data, f->actions.len, &key, &mask,
			      &why) < 0) {
		dp_err_set(err, EINVAL, "the datapath refused the actions: %s",
			   dp_err_str(&why));
		return;
	}
	dp_err_set(err, EINVAL, "the datapath refused the flow as invalid "
		   "(the kernel logs why: see dmesg)");
}

int dpctl_check_in_port(const struct dpctl_flow *f,
			const struct dpctl_ports *ports, struct dp_err *err)
{
	const struct nlattr *a = na_find(f->key.data, f->key.len,
					 OVS_KEY_ATTR_IN_PORT);
	uint32_t port;

	if (!a || na_len(a) < 4)
		return 0;
	port = na_get_u32(a);
	if (!dpctl_port_by_no(ports, port))
		return dp_err_set(err, ENOENT, "in_port(%u): no such port", port);
	return 0;
}

/* --- add-flow, mod-flow ---------------------------------------------------- */

static void print_stats(struct cli_ctx *ctx, const struct dpif_flow_stats *st)
{
	struct buf b = BUF_INIT;

	dpctl_stats_text(&b, st, dpctl_now_ms());
	fprintf(ctx->out, "%s\n", buf_cstr(&b));
	buf_free(&b);
}

int dpctl_open_ports(struct cli_ctx *ctx, const char *name, struct dpif **dp,
		     struct dpctl_ports *ports)
{
	struct dp_err err;
	int rc = dpctl_open(ctx, name, dp);

	memset(ports, 0, sizeof *ports);
	if (rc)
		return rc;
	dp_err_clear(&err);
	if (dpctl_ports_load(*dp, ports, &err) < 0) {
		rc = dpctl_fail(ctx, &err);
		dpif_close(*dp);
		*dp = NULL;
	}
	return rc;
}

static int put_flow(struct cli_ctx *ctx, int argc, char **argv, unsigned flags)
{
	const char *key = argv[argc - 2], *acts = argv[argc - 1];
	struct dpif_flow_stats stats;
	struct dpctl_ports ports;
	struct dpif_flow_put put;
	struct dpctl_flow f;
	struct dp_err err;
	struct dpif *dp;
	int rc;

	rc = dpctl_open_ports(ctx, argc == 4 ? argv[1] : NULL, &dp, &ports);
	if (rc)
		return rc;
	dp_err_clear(&err);
	dpctl_flow_init(&f);
	if (dpctl_flow_parse(&f, key, strlen(key), acts, strlen(acts),
			     &ports.names, &err) < 0 ||
	    dpctl_check_in_port(&f, &ports, &err) < 0) {
		rc = dpctl_fail(ctx, &err);
		goto out;
	}
	memset(&put, 0, sizeof put);
	put.flags = flags;
	put.key = f.key.data;
	put.key_len = f.key.len;
	put.mask = f.mask.len ? f.mask.data : NULL;
	put.mask_len = f.mask.len;
	/* "drop" is an empty list, which must still be sent. */
	put.actions = f.actions.len ? (const void *)f.actions.data : "";
	put.actions_len = f.actions.len;
	put.ufid = f.has_ufid ? f.ufid : NULL;
	put.stats = ctx->opts.stats ? &stats : NULL;
	if (dpif_flow_put(dp, &put, &err) < 0) {
		dpctl_explain_flow(&f, &err);
		rc = cli_error(ctx, "%s%s", dp_err_str(&err),
			       err.code == ENOENT && !(flags & DPIF_FP_CREATE) ?
			       " (--may-create adds it)" :
			       err.code == EEXIST ? " (mod-flow changes it)" : "");
		goto out;
	}
	if (ctx->opts.stats)
		print_stats(ctx, &stats);
out:
	dpctl_flow_free(&f);
	dpctl_ports_free(&ports);
	dpif_close(dp);
	return rc;
}

int cmd_add_flow(struct cli_ctx *ctx, int argc, char **argv)
{
	return put_flow(ctx, argc, argv, DPIF_FP_CREATE);
}

int cmd_mod_flow(struct cli_ctx *ctx, int argc, char **argv)
{
	unsigned flags = DPIF_FP_MODIFY;

	if (ctx->opts.may_create)
		flags |= DPIF_FP_CREATE;
	if (ctx->opts.clear)
		flags |= DPIF_FP_ZERO_STATS;
	return put_flow(ctx, argc, argv, flags);
}

/* --- del-flow, get-flow ----------------------------------------------------- */

int cmd_del_flow(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *key = argv[argc - 1];
	struct dpif_flow_stats stats;
	struct dpctl_ports ports;
	struct dpctl_flow f;
	struct dp_err err;
	struct dpif *dp;
	int rc;

	rc = dpctl_open_ports(ctx, argc == 3 ? argv[1] : NULL, &dp, &ports);
	if (rc)
		return rc;
	dp_err_clear(&err);
	dpctl_flow_init(&f);
	if (dpctl_flow_parse(&f, key, strlen(key), NULL, 0, &ports.names,
			     &err) < 0) {
		rc = dpctl_fail(ctx, &err);
		goto out;
	}
	if (dpif_flow_del(dp, f.key.data, f.key.len, f.has_ufid ? f.ufid : NULL,
			  ctx->opts.stats ? &stats : NULL, &err) < 0) {
		/* A flow installed with a ufid is indexed by it alone. */
		rc = cli_error(ctx, "%s%s", dp_err_str(&err),
			       err.code == ENOENT && !f.has_ufid ?
			       " (a flow added with a ufid is found only by its "
			       "ufid)" : "");
		goto out;
	}
	if (ctx->opts.stats)
		print_stats(ctx, &stats);
out:
	dpctl_flow_free(&f);
	dpctl_ports_free(&ports);
	dpif_close(dp);
	return rc;
}

struct print_ctx {
	struct cli_ctx *ctx;
	const struct odp_names *names;
	const struct dpctl_filter *filter;
	uint64_t now;
	size_t unreadable;
	struct buf line;
};

static int print_flow(const struct dpif_flow *f, void *aux)
{
	struct print_ctx *p = aux;
	int m;

	if (p->filter) {
		m = dpctl_filter_match(p->filter, f);
		if (m < 0)
			p->unreadable++;
		if (m <= 0)
			return 0;
	}
	buf_clear(&p->line);
	if (p->ctx->opts.output == CLI_OUT_JSON)
		dpctl_flow_json(&p->line, f, &p->ctx->opts, p->names, true,
				p->now, NULL);
	else
		dpctl_flow_text(&p->line, f, &p->ctx->opts, p->names, true, p->now);
	buf_putc(&p->line, '\n');
	if (p->line.len)
		fwrite(p->line.data, 1, p->line.len, p->ctx->out);
	return 0;
}

int cmd_get_flow(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *arg = argv[argc - 1];
	struct print_ctx p = { ctx, NULL, NULL, 0, 0, BUF_INIT };
	struct dpctl_ports ports;
	uint8_t ufid[16];
	struct dp_err err;
	struct dpif *dp;
	size_t used = 0;
	int rc;

	dp_err_clear(&err);
	if (odp_ufid_from_text(arg, strlen(arg), ufid, &used, &err) < 0)
		return dpctl_fail(ctx, &err);
	if (!used)
		return cli_usage_error(ctx, "'%s' is not a ufid (ufid:UUID)", arg);
	rc = dpctl_open_ports(ctx, argc == 3 ? argv[1] : NULL, &dp, &ports);
	if (rc)
		return rc;
	p.names = cli_show_names(&ctx->opts) ? &ports.names : NULL;
	p.now = dpctl_now_ms();
	if (dpif_flow_get(dp, NULL, 0, ufid, print_flow, &p, &err) < 0)
		rc = dpctl_fail(ctx, &err);
	dpctl_ports_free(&ports);
	buf_free(&p.line);
	dpif_close(dp);
	return rc;
}

/* --- dump-flows, del-flows -------------------------------------------------- */

int cmd_dump_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	struct print_ctx p = { ctx, NULL, NULL, 0, 0, BUF_INIT };
	struct dpctl_filter *filter = NULL;
	const char *filter_s = NULL, *dpname = NULL;
	struct dpctl_ports ports;
	struct dp_err err;
	struct dpif *dp;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "filter=", 7) && !filter_s)
			filter_s = argv[i] + 7;
		else if (!strncmp(argv[i], "type=", 5))
			return cli_usage_error(ctx, "type= is not supported: "
					       "dpkit's datapaths have no "
					       "offloaded flows");
		else if (!dpname)
			dpname = argv[i];
		else
			return cli_usage_error(ctx, "unexpected argument '%s'",
					       argv[i]);
	}
	rc = dpctl_open_ports(ctx, dpname, &dp, &ports);
	if (rc)
		return rc;
	dp_err_clear(&err);
	if (filter_s && dpctl_filter_parse(filter_s, &ports, &filter, &err) < 0) {
		rc = cli_error(ctx, "filter: %s", dp_err_str(&err));
		goto out;
	}
	p.names = cli_show_names(&ctx->opts) ? &ports.names : NULL;
	p.filter = filter;
	p.now = dpctl_now_ms();
	if (dpif_flow_dump(dp, 0, print_flow, &p, &err) < 0)
		rc = dpctl_fail(ctx, &err);
	if (p.unreadable)
		fprintf(ctx->err, "dpctl: dump-flows: %zu flow%s could not be "
			"checked against the filter and %s not shown\n",
			p.unreadable, p.unreadable == 1 ? "" : "s",
			p.unreadable == 1 ? "was" : "were");
out:
	dpctl_filter_free(filter);
	dpctl_ports_free(&ports);
	buf_free(&p.line);
	dpif_close(dp);
	return rc;
}

int cmd_del_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	struct dp_err err;
	struct dpif *dp;
	int rc;

	if (argc == 3)
		return dpctl_del_flows_file(ctx, argv[1], argv[2]);
	if (argc == 2 && !dpctl_dp_exists(ctx, argv[1]))
		return dpctl_del_flows_file(ctx, NULL, argv[1]);
	rc = dpctl_open(ctx, argc == 2 ? argv[1] : NULL, &dp);
	if (rc)
		return rc;
	dp_err_clear(&err);
	if (dpif_flow_flush(dp, &err) < 0)
		rc = dpctl_fail(ctx, &err);
	dpif_close(dp);
	return rc;
}
