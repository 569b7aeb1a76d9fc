/*
 * Flows from a file: add-flows, mod-flows, del-flows FILE, parse-flows.
 *
 * A line is "[add|modify|delete] FLOW ACTIONS" as ovs-dpctl reads it (the
 * command word may be abbreviated; FLOW is one word), or a whole line as
 * dump-flows or parse-flows prints it ("FLOW, packets:..., actions:A" or
 * "FLOW, actions:A"), so listings can be piped back in.  '#' starts a
 * comment and a trailing backslash continues a line.
 *
 * Unlike ovs-dpctl, which applies each line as it reads it, every line is
 * parsed before anything is applied: one bad line changes nothing.  If the
 * datapath then refuses a flow, the changes already made are undone (flows
 * added are deleted, modified flows get their old actions back, deleted
 * flows are put back, without their statistics).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpctl.h"
#include "odp_key.h"

enum fcmd { FC_ADD, FC_MOD, FC_DEL };

static const char *const fcmd_names[] = { "add", "modify", "delete" };

struct fline {
	int lineno;
	enum fcmd cmd;
	bool bad;                       /* did not parse: 'err' says why */
	struct dp_err err;
	struct dpctl_flow flow;
	/* Undo information, filled while applying. */
	bool applied;
	bool had_old;
	struct dpctl_flow old;          /* the flow before modify/delete */
};

struct flines {
	struct fline *v;
	size_t n;
	const char *file;               /* as shown in messages */
};

static void flines_free(struct flines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		dpctl_flow_free(&l->v[i].flow);
		dpctl_flow_free(&l->v[i].old);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static char *trim(char *s)
{
	char *e;

	s += strspn(s, " \t\r\n");
	e = s + strlen(s);
	while (e > s && strchr(" \t\r\n", e[-1]))
		*--e = '\0';
	return s;
}

/* The "actions:" that separates a listing's flow from its actions. */
static char *find_actions(char *s)
{
	char *p = s;

	while ((p = strstr(p, "actions:"))) {
		if (p == s || p[-1] == ' ' || p[-1] == ',' || p[-1] == '\t')
			return p;
		p++;
	}
	return NULL;
}

/* Split one line (modified) into command, flow and actions text.
 * Returns 1 for a line with a flow, 0 for an empty line, -1 (with 'err')
 * for a malformed one. */
static int split_line(char *line, enum fcmd def, enum fcmd *cmd, char **key,
		      char **acts, struct dp_err *err)
{
	char *s = trim(line), *a, *stats;
	size_t len;
	bool listing;

	*cmd = def;
	*acts = NULL;
	if (!*s)
		return 0;
	len = strcspn(s, ", \t\r\n");
	if (len && !strncmp(s, "add", len) && len <= 3)
		*cmd = FC_ADD;
	else if (len && !strncmp(s, "delete", len) && len <= 6)
		*cmd = FC_DEL;
	else if (len && !strncmp(s, "modify", len) && len <= 6)
		*cmd = FC_MOD;
	else
		len = 0;
	s = trim(s + len);
	a = find_actions(s);
	listing = a != NULL;
	if (listing) {
		*a = '\0';
		*acts = trim(a + 8);
		/* Statistics of a dump-flows line are not part of the flow. */
		stats = strstr(s, ", packets:");
		if (stats)
			*stats = '\0';
		s = trim(s);
		len = strlen(s);
		while (len && s[len - 1] == ',')
			s[--len] = '\0';
	} else {
		len = strcspn(s, " \t");
		if (s[len]) {
			s[len] = '\0';
			*acts = trim(s + len + 1);
		}
	}
	*key = s;
	if (!*s)
		return dp_err_set(err, EINVAL, "no flow"), -1;
	if (*cmd != FC_DEL && (!*acts || !**acts) && !listing)
		return dp_err_set(err, EINVAL, "%s needs actions",
				  fcmd_names[*cmd]), -1;
	if (*cmd == FC_DEL) {
		if (*acts && **acts && !listing)
			return dp_err_set(err, EINVAL, "delete takes no actions "
					  "('%s')", *acts), -1;
		*acts = NULL;
	}
	if (*acts && !**acts)
		*acts = (char *)"drop";
	return 1;
}

static struct fline *add_line(struct flines *l, int lineno, enum fcmd cmd)
{
	struct fline *v = realloc(l->v, (l->n + 1) * sizeof *v);

	if (!v)
		return NULL;
	l->v = v;
	v += l->n++;
	memset(v, 0, sizeof *v);
	v->lineno = lineno;
	v->cmd = cmd;
	dpctl_flow_init(&v->flow);
	dpctl_flow_init(&v->old);
	return v;
}

/* Read and parse every line of 'path'.  A line that does not parse is kept,
 * marked bad with its reason, so errors can be reported in line order. */
static int read_flows(struct cli_ctx *ctx, const char *path, enum fcmd def,
		      const struct odp_names *names, struct flines *l)
{
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	char *line = NULL, *key, *acts;
	struct buf text = BUF_INIT;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, start = 0, r, rc = CLI_OK;
	struct dp_err err;
	struct fline *fl;
	enum fcmd cmd;

	memset(l, 0, sizeof *l);
	l->file = is_stdin ? "stdin" : path;
	if (!f)
		return cli_error(ctx, "%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *hash;

		lineno++;
		if (!text.len)
			start = lineno;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		n = (ssize_t)strlen(line);
		while (n && strchr("\r\n", line[n - 1]))
			line[--n] = '\0';
		if (n && line[n - 1] == '\\') {
			buf_put(&text, line, (size_t)n - 1);
			continue;
		}
		buf_puts(&text, line);
		dp_err_clear(&err);
		r = split_line((char *)buf_cstr(&text), def, &cmd, &key, &acts, &err);
		buf_clear(&text);
		if (r == 0)
			continue;
		fl = add_line(l, start, cmd);
		if (!fl) {
			rc = cli_error(ctx, "out of memory");
			break;
		}
		if (r > 0)
			r = dpctl_flow_parse(&fl->flow, key, strlen(key), acts,
					     acts ? strlen(acts) : 0, names, &err);
		if (r < 0) {
			fl->bad = true;
			fl->err = err;
		}
	}
	free(line);
	buf_free(&text);
	if (!is_stdin)
		fclose(f);
	return rc;
}

/* Report the lines that did not parse; CLI_FAIL if there were any. */
static int report_bad(struct cli_ctx *ctx, const struct flines *l)
{
	size_t i;
	int rc = CLI_OK;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].bad)
			rc = cli_error(ctx, "%s:%d: %s", l->file, l->v[i].lineno,
				       dp_err_str(&l->v[i].err));
	}
	return rc;
}

/* --- applying, and undoing ---------------------------------------------------- */

static int save_flow_cb(const struct dpif_flow *f, void *aux)
{
	struct dpctl_flow *old = aux;

	buf_clear(&old->key);
	buf_clear(&old->mask);
	buf_clear(&old->actions);
	buf_put(&old->key, f->key, f->key_len);
	if (f->mask)
		buf_put(&old->mask, f->mask, f->mask_len);
	buf_put(&old->actions, f->actions, f->actions ? f->actions_len : 0);
	old->has_actions = true;
	old->has_ufid = f->has_ufid;
	memcpy(old->ufid, f->ufid, sizeof old->ufid);
	return buf_ok(&old->key) && buf_ok(&old->mask) &&
	       buf_ok(&old->actions) ? 0 : -ENOMEM;
}

static int put(struct dpif *dp, const struct dpctl_flow *f, unsigned flags,
	       struct dp_err *err)
{
	struct dpif_flow_put p = {
		.flags = flags,
		.key = f->key.data, .key_len = f->key.len,
		.mask = f->mask.len ? f->mask.data : NULL, .mask_len = f->mask.len,
		/* An empty list (drop) is sent, unlike no list at all. */
		.actions = f->actions.len ? (const void *)f->actions.data : "",
		.actions_len = f->actions.len,
		.ufid = f->has_ufid ? f->ufid : NULL,
	};

	return dpif_flow_put(dp, &p, err);
}

static int apply_one(struct cli_ctx *ctx, struct dpif *dp, struct fline *fl,
		     struct dp_err *err)
{
	struct dpctl_flow *f = &fl->flow;
	const uint8_t *ufid = f->has_ufid ? f->ufid : NULL;
	unsigned flags;
	int error;

	if (fl->cmd != FC_ADD) {
		/* Remember the flow as it is, to put it back on failure. */
		fl->had_old = !dpif_flow_get(dp, f->key.data, f->key.len, ufid,
					     save_flow_cb, &fl->old, NULL);
	}
	switch (fl->cmd) {
	case FC_ADD:
		error = put(dp, f, DPIF_FP_CREATE, err);
		break;
	case FC_MOD:
		flags = DPIF_FP_MODIFY;
		if (ctx->opts.may_create)
			flags |= DPIF_FP_CREATE;
		if (ctx->opts.clear)
			flags |= DPIF_FP_ZERO_STATS;
		error = put(dp, f, flags, err);
		break;
	default:
		error = dpif_flow_del(dp, f->key.data, f->key.len, ufid, NULL, err);
		break;
	}
	if (error == -EINVAL)
		dpctl_explain_flow(f, err);
	fl->applied = !error;
	return error;
}

static int undo_one(struct dpif *dp, struct fline *fl, struct dp_err *err)
{
	struct dpctl_flow *f = &fl->flow;
	const uint8_t *ufid = f->has_ufid ? f->ufid : NULL;

	if (!fl->had_old)       /* it did not exist: it was created */
		return dpif_flow_del(dp, f->key.data, f->key.len, ufid, NULL, err);
	if (fl->cmd == FC_DEL)
		return put(dp, &fl->old, DPIF_FP_CREATE, err);
	/* Only the actions changed: the flow keeps its key and mask. */
	{
		struct dpctl_flow back = *f;

		back.actions = fl->old.actions;
		return put(dp, &back, DPIF_FP_MODIFY, err);
	}
}

static int apply_all(struct cli_ctx *ctx, struct dpif *dp, struct flines *l)
{
	struct dp_err err, uerr;
	size_t i, j, undone = 0;
	int failed_undo = 0;

	for (i = 0; i < l->n; i++) {
		dp_err_clear(&err);
		if (!apply_one(ctx, dp, &l->v[i], &err))
			continue;
		for (j = i; j-- > 0;) {
			dp_err_clear(&uerr);
			if (undo_one(dp, &l->v[j], &uerr) < 0)
				failed_undo++;
			else
				undone++;
		}
		if (failed_undo)
			return cli_error(ctx, "%s:%d: %s; undoing the %zu "
					 "change%s before it failed for %d of "
					 "them (last: %s)", l->file,
					 l->v[i].lineno, dp_err_str(&err), i,
					 i == 1 ? "" : "s", failed_undo,
					 dp_err_str(&uerr));
		return cli_error(ctx, "%s:%d: %s%s", l->file, l->v[i].lineno,
				 dp_err_str(&err), undone ?
				 " (the changes before it were undone)" : "");
	}
	return CLI_OK;
}

static int process(struct cli_ctx *ctx, const char *dpname, const char *path,
		   enum fcmd def)
{
	struct dpctl_ports ports;
	struct flines l = { NULL, 0, NULL };
	struct dp_err err;
	struct dpif *dp;
	int rc;

	rc = dpctl_open_ports(ctx, dpname, &dp, &ports);
	if (rc)
		return rc;
	dp_err_clear(&err);
	rc = read_flows(ctx, path, def, &ports.names, &l);
	if (!rc)
		rc = report_bad(ctx, &l);
	if (!rc) {
		size_t i;

		for (i = 0; i < l.n && !rc; i++) {
			if (l.v[i].cmd != FC_DEL &&
			    dpctl_check_in_port(&l.v[i].flow, &ports, &err) < 0)
				rc = cli_error(ctx, "%s:%d: %s", l.file,
					       l.v[i].lineno, dp_err_str(&err));
		}
	}
	if (!rc)
		rc = apply_all(ctx, dp, &l);
	else
		fprintf(ctx->err, "dpctl: %s: nothing was changed\n",
			ctx->cmd->name);
	flines_free(&l);
	dpctl_ports_free(&ports);
	dpif_close(dp);
	return rc;
}

int cmd_add_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	return process(ctx, argc == 3 ? argv[1] : NULL, argv[argc - 1], FC_ADD);
}

int cmd_mod_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	return process(ctx, argc == 3 ? argv[1] : NULL, argv[argc - 1], FC_MOD);
}

int dpctl_del_flows_file(struct cli_ctx *ctx, const char *dp, const char *file)
{
	return process(ctx, dp, file, FC_DEL);
}

/* --- parse-flows -------------------------------------------------------------- */

/* The flow as a datapath would report it after taking it. */
static int canonical(const struct fline *fl, struct buf *k, struct buf *m,
		     struct buf *a, struct dp_err *err)
{
	const struct dpctl_flow *f = &fl->flow;
	struct dp_key key, mask, masked;

	if (!f->key.len && f->has_ufid)
		return 0;               /* a flow named by its ufid alone */
	if (odp_match_from_attrs(f->key.data, f->key.len,
				 f->mask.len ? f->mask.data : NULL, f->mask.len,
				 &key, &mask, err) < 0)
		return -EINVAL;
	if (f->has_actions &&
	    odp_actions_check(f->actions.data, f->actions.len, &key, &mask,
			      err) < 0) {
		dp_err_prefix(err, "actions");
		return -EINVAL;
	}
	/* The kernel reports a flow's key as it was given, unless the flow
	 * has a ufid: then the key is not kept and the masked one is shown. */
	if (f->has_ufid)
		dp_key_apply_mask(&masked, &key, &mask);
	else
		masked = key;
	odp_key_to_attrs(k, &masked);
	odp_mask_to_attrs(m, &masked, &mask);
	if (f->has_actions)
		odp_actions_to_kernel_form(a, f->actions.data, f->actions.len);
	if (!buf_ok(k) || !buf_ok(m) || !buf_ok(a))
		return dp_err_set(err, ENOMEM, "out of memory");
	return 0;
}

int cmd_parse_flows(struct cli_ctx *ctx, int argc, char **argv)
{
	struct buf k = BUF_INIT, m = BUF_INIT, a = BUF_INIT, out = BUF_INIT;
	struct flines l;
	struct dp_err err;
	size_t i;
	int rc, bad = 0;

	(void)argc;
	rc = read_flows(ctx, argv[1], FC_ADD, NULL, &l);
	for (i = 0; i < l.n; i++) {
		const struct fline *fl = &l.v[i];
		struct dpif_flow df;
		const char *cmd = fl->cmd == FC_ADD ? NULL : fcmd_names[fl->cmd];

		buf_clear(&k);
		buf_clear(&m);
		buf_clear(&a);
		buf_clear(&out);
		dp_err_clear(&err);
		if (fl->bad) {
			cli_error(ctx, "%s:%d: %s", l.file, fl->lineno,
				  dp_err_str(&fl->err));
			bad++;
			continue;
		}
		if (canonical(fl, &k, &m, &a, &err) < 0) {
			cli_error(ctx, "%s:%d: %s", l.file, fl->lineno,
				  dp_err_str(&err));
			bad++;
			continue;
		}
		memset(&df, 0, sizeof df);
		df.key = k.data;
		df.key_len = k.len;
		df.mask = m.data;
		df.mask_len = m.len;
		df.actions = a.data;
		df.actions_len = a.len;
		df.has_ufid = fl->flow.has_ufid;
		memcpy(df.ufid, fl->flow.ufid, sizeof df.ufid);
		if (ctx->opts.output == CLI_OUT_JSON) {
			dpctl_flow_json(&out, &df, &ctx->opts, NULL, false, 0, cmd);
		} else if (fl->cmd == FC_DEL) {
			buf_puts(&out, "delete ");
			if ((ctx->opts.more || !k.len) && df.has_ufid) {
				odp_ufid_to_text(&out, df.ufid);
				if (k.len)
					buf_puts(&out, ", ");
			}
			odp_key_to_text(&out, df.key, df.key_len, df.mask,
					df.mask_len,
					ctx->opts.more ? ODP_FMT_VERBOSE : 0, NULL);
		} else {
			if (cmd)
				buf_printf(&out, "%s ", cmd);
			dpctl_flow_text(&out, &df, &ctx->opts, NULL, false, 0);
		}
		buf_putc(&out, '\n');
		if (out.len)
			fwrite(out.data, 1, out.len, ctx->out);
	}
	flines_free(&l);
	buf_free(&k);
	buf_free(&m);
	buf_free(&a);
	buf_free(&out);
	return rc || bad ? CLI_FAIL : CLI_OK;
}
