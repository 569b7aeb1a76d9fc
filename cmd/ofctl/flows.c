/* ofctl's rule commands: add, modify, delete, replace, diff and dump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "nlattr.h"
#include "ofctl.h"
#include "ofp_rules.h"
#include "rules_proto.h"

/* A request datagram stays under dpd's limit (DS_RX_MAX, 256 KiB). */
#define CHUNK_BYTES (192 * 1024)

/* --- flow mods ---------------------------------------------------------------- */

struct fm_counts {
	uint64_t added, modified, deleted;
};

static int count_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct fm_counts *c = aux;
	const struct genlmsghdr *g;
	const void *hdr, *attrs;
	const struct nlattr *a;
	size_t len, rem;

	if (nl_genl_parse(nlh, 0, &g, &hdr, &attrs, &len) < 0)
		return -EINVAL;
	NA_FOR_EACH(a, attrs, len, rem) {
		if (na_len(a) < 4)
			continue;
		if (na_type(a) == DPR_ATTR_ADDED)
			c->added += na_get_u32(a);
		else if (na_type(a) == DPR_ATTR_MODIFIED)
			c->modified += na_get_u32(a);
		else if (na_type(a) == DPR_ATTR_DELETED)
			c->deleted += na_get_u32(a);
	}
	return 0;
}

/* Send lines[0..n) (line numbers first..) as one request. */
static int send_mods(struct ofctl_br *br, uint8_t cmd, enum ofp_fm_command fc,
		     uint32_t flags, char **lines, size_t n, uint32_t first,
		     struct fm_counts *counts, struct dp_err *err)
{
	struct buf b;
	size_t i;
	int e;

	buf_init(&b);
	ofctl_req(br, &b, cmd, 0);
	na_put_u8(&b, DPR_ATTR_COMMAND, (uint8_t)fc);
	na_put_u32(&b, DPR_ATTR_FLAGS, flags);
	if (first)
		na_put_u32(&b, DPR_ATTR_FIRST_LINE, first);
	for (i = 0; i < n; i++)
		na_put_str(&b, DPR_ATTR_LINE, lines[i]);
	e = buf_ok(&b) ? ofctl_transact(br, &b, count_cb, counts, err)
		       : dp_err_set(err, ENOMEM, "out of memory");
	buf_free(&b);
	return e;
}

static int one_mod(struct cli_ctx *ctx, const char *bridge,
		   enum ofp_fm_command fc, const char *line)
{
	struct fm_counts counts = { 0, 0, 0 };
	struct ofctl_br br;
	struct dp_err err;
	char *l = (char *)line;
	int rc = ofctl_br_open(ctx, bridge, &br);

	if (rc)
		return rc;
	dp_err_clear(&err);
	if (send_mods(&br, DPR_CMD_MOD, fc, 0, &l, 1, 0, &counts, &err) < 0)
		rc = ofctl_fail(ctx, &err);
	ofctl_br_close(&br);
	return rc;
}

int cmd_add_flow(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	return one_mod(ctx, argv[1], OFP_FM_ADD, argv[2]);
}

int cmd_mod_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl *o = ofctl_state(ctx);

	(void)argc;
	return one_mod(ctx, argv[1], o->o.strict ? OFP_FM_MODIFY_STRICT
					       : OFP_FM_MODIFY, argv[2]);
}

int cmd_del_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl *o = ofctl_state(ctx);

	return one_mod(ctx, argv[1], o->o.strict ? OFP_FM_DELETE_STRICT
					       : OFP_FM_DELETE,
		       argc > 2 ? argv[2] : "");
}

/* --- flow files ------------------------------------------------------------------ */

struct lines {
	char **v;
	size_t n;
	char *text;
};

static void lines_free(struct lines *l)
{
	free(l->v);
	free(l->text);
	memset(l, 0, sizeof *l);
}

/* Every line of FILE (or stdin for "-"), newlines removed. */
static int lines_read(const char *path, struct lines *l, struct dp_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	struct buf b;
	char chunk[65536];
	size_t r, cap = 0;
	char *p, *nl;

	memset(l, 0, sizeof *l);
	if (!f)
		return dp_err_set(err, errno, "%s: %s", path, strerror(errno));
	buf_init(&b);
	while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_put(&b, chunk, r);
	if (ferror(f)) {
		if (f != stdin)
			fclose(f);
		buf_free(&b);
		return dp_err_set(err, EIO, "%s: read error", path);
	}
	if (f != stdin)
		fclose(f);
	buf_put(&b, "", 1);
	if (!buf_ok(&b)) {
		buf_free(&b);
		return dp_err_set(err, ENOMEM, "out of memory");
	}
	l->text = (char *)b.data;       /* taken from the buf */
	for (p = l->text; *p; p = nl + 1) {
		if (l->n == cap) {
			char **v;

			cap = cap ? cap * 2 : 1024;
			v = realloc(l->v, cap * sizeof *v);
			if (!v)
				return dp_err_set(err, ENOMEM, "out of memory");
			l->v = v;
		}
		l->v[l->n++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
	}
	return 0;
}

/* Send a file's lines in requests of CHUNK_BYTES.  With more than one
 * request, all are checked first, so that a bad line anywhere changes
 * nothing. */
static int send_file(struct ofctl_br *br, uint8_t cmd, const struct lines *l,
		     struct fm_counts *counts, struct dp_err *err)
{
	size_t start, i, bytes;
	int pass, e;
	bool multi = false;

	for (i = 0, bytes = 0; i < l->n; i++)
		bytes += strlen(l->v[i]) + 8;
	multi = bytes > CHUNK_BYTES;
	for (pass = multi ? 0 : 1; pass < 2; pass++) {
		uint32_t flags = DPR_F_VERBS | (pass == 0 ? DPR_F_CHECK : 0);

		for (start = 0; start < l->n || (start == 0 && !l->n);) {
			for (i = start, bytes = 0; i < l->n && bytes < CHUNK_BYTES;
			     i++)
				bytes += strlen(l->v[i]) + 8;
			e = send_mods(br, cmd, OFP_FM_ADD, flags, l->v + start,
				      i - start, (uint32_t)start + 1, counts,
				      err);
			if (e < 0)
				return e;
			if (i == start)
				break;
			start = i;
		}
	}
	return 0;
}

static int file_cmd(struct cli_ctx *ctx, int argc, char **argv, uint8_t cmd)
{
	struct fm_counts counts = { 0, 0, 0 };
	struct ofctl_br br;
	struct lines l;
	struct dp_err err;
	int rc;

	(void)argc;
	dp_err_clear(&err);
	if (lines_read(argv[2], &l, &err) < 0) {
		lines_free(&l);
		return ofctl_fail(ctx, &err);
	}
	rc = ofctl_br_open(ctx, argv[1], &br);
	if (rc) {
		lines_free(&l);
		return rc;
	}
	if (cmd == DPR_CMD_REPLACE) {
		if (send_mods(&br, cmd, OFP_FM_ADD, DPR_F_VERBS, l.v, l.n, 1,
			      &counts, &err) < 0)
			rc = cli_error(ctx, "%s: %s", argv[2], dp_err_str(&err));
	} else if (send_file(&br, cmd, &l, &counts, &err) < 0) {
		rc = cli_error(ctx, "%s: %s", argv[2], dp_err_str(&err));
	}
	if (rc == CLI_OK && ctx->opts.output == CLI_OUT_JSON)
		fprintf(ctx->out, "{\"added\":%llu,\"modified\":%llu,"
			"\"deleted\":%llu}\n", (unsigned long long)counts.added,
			(unsigned long long)counts.modified,
			(unsigned long long)counts.deleted);
	ofctl_br_close(&br);
	lines_free(&l);
	return rc;
}

int cmd_add_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	return file_cmd(ctx, argc, argv, DPR_CMD_MOD);
}

int cmd_replace_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	return file_cmd(ctx, argc, argv, DPR_CMD_REPLACE);
}

/* --- dump-flows ------------------------------------------------------------------- */

struct rule_msg {
	const char *text, *rule;
	uint8_t table;
	uint16_t priority;
	uint64_t cookie, packets, bytes, duration_ms, idle_age_ms;
};

static int rule_parse(const struct nlmsghdr *nlh, struct rule_msg *m)
{
	const struct genlmsghdr *g;
	const void *hdr, *attrs;
	const struct nlattr *a;
	size_t len, rem;

	memset(m, 0, sizeof *m);
	if (nl_genl_parse(nlh, 0, &g, &hdr, &attrs, &len) < 0)
		return -EINVAL;
	NA_FOR_EACH(a, attrs, len, rem) {
		size_t l = na_len(a);

		switch (na_type(a)) {
		case DPR_ATTR_TEXT:
			if (l && memchr(na_data(a), 0, l))
				m->text = na_data(a);
			break;
		case DPR_ATTR_RULE:
			if (l && memchr(na_data(a), 0, l))
				m->rule = na_data(a);
			break;
		case DPR_ATTR_TABLE:
			if (l >= 1)
				m->table = na_get_u8(a);
			break;
		case DPR_ATTR_PRIORITY:
			if (l >= 2)
				m->priority = na_get_u16(a);
			break;
		case DPR_ATTR_COOKIE:
		case DPR_ATTR_PACKETS:
		case DPR_ATTR_BYTES:
		case DPR_ATTR_DURATION_MS:
		case DPR_ATTR_IDLE_AGE_MS: {
			uint64_t v = l >= 8 ? na_get_u64(a) : 0;

			if (na_type(a) == DPR_ATTR_COOKIE)
				m->cookie = v;
			else if (na_type(a) == DPR_ATTR_PACKETS)
				m->packets = v;
			else if (na_type(a) == DPR_ATTR_BYTES)
				m->bytes = v;
			else if (na_type(a) == DPR_ATTR_DURATION_MS)
				m->duration_ms = v;
			else
				m->idle_age_ms = v;
			break;
		}
		default:
			break;
		}
	}
	return m->text && m->rule ? 0 : -EINVAL;
}

struct dump_ctx {
	struct cli_ctx *ctx;
	struct buf line;
};

static int dump_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct dump_ctx *d = aux;
	struct rule_msg m;
	const char *acts;
	struct json j;

	if (rule_parse(nlh, &m) < 0)
		return -EINVAL;
	if (d->ctx->opts.output != CLI_OUT_JSON) {
		fprintf(d->ctx->out, " %s\n", m.text);
		return 0;
	}
	acts = strstr(m.rule, "actions=");
	buf_clear(&d->line);
	json_init(&j, &d->line);
	json_obj_start(&j);
	json_kv_u64(&j, "table", m.table);
	json_kv_u64(&j, "priority", m.priority);
	json_key(&j, "cookie");
	{
		char c[24];

		snprintf(c, sizeof c, "0x%llx", (unsigned long long)m.cookie);
		json_str(&j, c);
	}
	json_kv_u64(&j, "n_packets", m.packets);
	json_kv_u64(&j, "n_bytes", m.bytes);
	json_kv_u64(&j, "duration_ms", m.duration_ms);
	json_kv_u64(&j, "idle_age_ms", m.idle_age_ms);
	json_key(&j, "match");
	if (acts)
		json_strn(&j, m.rule, (size_t)(acts - m.rule) -
			  (acts > m.rule && acts[-1] == ' '));
	else
		json_str(&j, m.rule);
	json_kv_str(&j, "actions", acts ? acts + 8 : "");
	json_kv_str(&j, "rule", m.rule);
	json_obj_end(&j);
	fprintf(d->ctx->out, "%.*s\n", (int)d->line.len,
		(const char *)d->line.data);
	return 0;
}

static void put_dump_args(struct ofctl *o, struct cli_ctx *ctx, struct buf *b,
			  const char *filter)
{
	uint32_t flags = 0;

	if (o->o.strict)
		flags |= DPR_F_STRICT;
	if (o->o.no_stats)
		flags |= DPR_F_NO_STATS;
	if (o->o.rsort)
		flags |= DPR_F_DESCEND;
	if (cli_show_names(&ctx->opts))
		flags |= DPR_F_NAMES;
	na_put_u32(b, DPR_ATTR_FLAGS, flags);
	if (filter)
		na_put_str(b, DPR_ATTR_LINE, filter);
	if (o->o.sort || o->o.rsort)
		na_put_str(b, DPR_ATTR_SORT, o->o.sort_field ? o->o.sort_field : "");
}

int cmd_dump_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl *o = ofctl_state(ctx);
	const char *filter = argc > 2 ? argv[2] : NULL;
	struct dump_ctx d = { ctx, BUF_INIT };
	struct ofctl_br br;
	struct dp_err err;
	struct buf b;
	int rc = ofctl_br_open(ctx, argv[1], &br);

	if (rc)
		return rc;
	buf_init(&b);
	dp_err_clear(&err);
	/* A bad filter or sort field is named by the check; a dump could
	 * only end with an errno. */
	ofctl_req(&br, &b, DPR_CMD_GET, 0);
	put_dump_args(o, ctx, &b, filter);
	if (ofctl_transact(&br, &b, NULL, NULL, &err) < 0) {
		rc = ofctl_fail(ctx, &err);
		goto out;
	}
	ofctl_req(&br, &b, DPR_CMD_GET, NLM_F_DUMP);
	put_dump_args(o, ctx, &b, filter);
	if (ofctl_transact(&br, &b, dump_cb, &d, &err) < 0)
		rc = ofctl_fail(ctx, &err);
out:
	buf_free(&b);
	buf_free(&d.line);
	ofctl_br_close(&br);
	return rc;
}

/* --- diff-flows ------------------------------------------------------------------- */

struct fm_set {
	struct ofp_flow_mod *v;
	size_t n;
};

static void fm_set_free(struct fm_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		ofp_flow_mod_uninit(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static int fm_set_add(struct fm_set *s, const char *line,
		      const struct ofp_names *names, struct dp_err *err)
{
	struct ofp_flow_mod *v = realloc(s->v, (s->n + 1) * sizeof *v);
	int e;

	if (!v)
		return dp_err_set(err, ENOMEM, "out of memory");
	s->v = v;
	e = ofp_flow_mod_parse(&v[s->n], line, strlen(line), OFP_FM_ADD, false,
			       names, err);
	if (e < 0) {
		ofp_flow_mod_uninit(&v[s->n]);
		return e;
	}
	s->n++;
	return 0;
}

struct snap_ctx {
	struct fm_set *set;
	struct dp_err *err;
};

static int snap_cb(const struct nlmsghdr *nlh, void *aux)
{
	struct snap_ctx *c = aux;
	struct rule_msg m;

	if (rule_parse(nlh, &m) < 0)
		return -EINVAL;
	return fm_set_add(c->set, m.rule, NULL, c->err);
}

static int load_bridge(struct ofctl_br *br, struct fm_set *s,
		       struct dp_err *err)
{
	struct snap_ctx c = { s, err };
	struct buf b;
	int e;

	buf_init(&b);
	ofctl_req(br, &b, DPR_CMD_GET, NLM_F_DUMP);
	na_put_u32(&b, DPR_ATTR_FLAGS, DPR_F_NO_STATS);
	e = ofctl_transact(br, &b, snap_cb, &c, err);
	buf_free(&b);
	return e;
}

static bool blank(const char *s)
{
	s += strspn(s, " \t");
	return !*s || *s == '#';
}

static int load_file(const char *path, struct fm_set *s,
		     const struct ofp_names *names, struct dp_err *err)
{
	struct lines l;
	struct dp_err e2;
	size_t i;
	int e = lines_read(path, &l, err);

	for (i = 0; e == 0 && i < l.n; i++) {
		if (blank(l.v[i]))
			continue;
		dp_err_clear(&e2);
		e = fm_set_add(s, l.v[i], names, &e2);
		if (e < 0)
			dp_err_set(err, -e, "%s: line %zu: %s", path, i + 1,
				   dp_err_str(&e2));
	}
	lines_free(&l);
	return e;
}

/* As ovs-ofctl: a name starting with / or . is a file, one with ':' a
 * bridge, else a file if there is one by that name. */
static bool source_is_file(struct cli_ctx *ctx, const char *s)
{
	if (s[0] == '/' || s[0] == '.' || !strcmp(s, "-"))
		return true;
	if (strchr(s, ':') || strchr(s, '@'))
		return false;
	if (access(s, F_OK) == 0)
		return true;
	return !ofctl_is_bridge(ctx, s);
}

struct diff_out {
	struct cli_ctx *ctx;
	const struct ofp_names *names;
	struct buf line;
};

static void diff_print(struct diff_out *d, char sign,
		       const struct ofp_flow_mod *fm)
{
	buf_clear(&d->line);
	ofp_fte_format(&d->line, fm, NULL);
	fprintf(d->ctx->out, "%c%.*s\n", sign, (int)d->line.len,
		(const char *)d->line.data);
}

static void diff_cb(void *aux, const struct ofp_flow_mod *old,
		    const struct ofp_flow_mod *new)
{
	struct diff_out *d = aux;

	if (old)
		diff_print(d, '-', old);
	if (new)
		diff_print(d, '+', new);
}

int cmd_diff_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	struct ofctl_br br[2];
	struct fm_set set[2];
	struct diff_out d = { ctx, NULL, BUF_INIT };
	const struct ofp_names *names = NULL;
	bool is_file[2];
	struct dp_err err;
	size_t n;
	int i, rc = CLI_OK;

	(void)argc;
	memset(br, 0, sizeof br);
	memset(set, 0, sizeof set);
	for (i = 0; i < 2; i++) {
		is_file[i] = source_is_file(ctx, argv[i + 1]);
		if (is_file[i])
			continue;
		rc = ofctl_br_open(ctx, argv[i + 1], &br[i]);
		if (rc)
			goto out;
		if (!names)
			names = &br[i].names;
	}
	for (i = 0; i < 2; i++) {
		dp_err_clear(&err);
		if ((is_file[i] ? load_file(argv[i + 1], &set[i], names, &err)
				: load_bridge(&br[i], &set[i], &err)) < 0) {
			rc = ofctl_fail(ctx, &err);
			goto out;
		}
	}
	n = ofp_diff(set[0].v, set[0].n, set[1].v, set[1].n, diff_cb, &d);
	/* As ovs-ofctl: 2 when they differ, like diff(1)'s 1. */
	rc = n ? 2 : CLI_OK;
out:
	for (i = 0; i < 2; i++) {
		fm_set_free(&set[i]);
		if (br[i].dp)
			ofctl_br_close(&br[i]);
	}
	buf_free(&d.line);
	return rc;
}
