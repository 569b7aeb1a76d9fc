#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLI_MAX_WORDS 512

enum {
	OPT_OUTPUT = -100, OPT_STATS, OPT_MORE, OPT_NAMES, OPT_NO_NAMES,
	OPT_CLEAR, OPT_MAY_CREATE, OPT_READ_ONLY, OPT_TIMEOUT, OPT_BATCH,
	OPT_FORCE, OPT_HELP, OPT_VERSION,
};

static const struct cli_option common_opts[] = {
	{ "output", 'o', true, "-o, --output=text|json   output format "
	  "(json: one object per line)", OPT_OUTPUT },
	{ "statistics", 's', false, "-s, --statistics         print "
	  "statistics", OPT_STATS },
	{ "more", 'm', false, "-m, --more               more detail "
	  "(repeatable)", OPT_MORE },
	{ "names", 0, false, "    --names              show port names "
	  "(default with -m)", OPT_NAMES },
	{ "no-names", 0, false, "    --no-names           show port numbers",
	  OPT_NO_NAMES },
	{ "clear", 0, false, "    --clear              reset the statistics of "
	  "modified flows", OPT_CLEAR },
	{ "may-create", 0, false, "    --may-create         mod-flow creates "
	  "missing flows", OPT_MAY_CREATE },
	{ "read-only", 0, false, "    --read-only          refuse commands "
	  "that change anything", OPT_READ_ONLY },
	{ "timeout", 't', true, "-t, --timeout=SECS       give up waiting for "
	  "a reply after SECS", OPT_TIMEOUT },
	{ "batch", 'b', true, "-b, --batch=FILE|-       run the commands in "
	  "FILE, one per line", OPT_BATCH },
	{ "force", 'f', false, "-f, --force              in a batch, go on "
	  "after a failed command", OPT_FORCE },
	{ "help", 'h', false, "-h, --help               this help", OPT_HELP },
	{ "version", 'V', false, "-V, --version            version",
	  OPT_VERSION },
	{ NULL, 0, false, NULL, 0 },
};

static FILE *err_stream(const struct cli_prog *p)
{
	return p->err ? p->err : stderr;
}

static FILE *out_stream(const struct cli_prog *p)
{
	return p->out ? p->out : stdout;
}

static void vreport(struct cli_ctx *ctx, const char *fmt, va_list ap)
{
	FILE *f = ctx->err;

	/* Keep output and errors in order on a terminal or a shared pipe. */
	if (ctx->out)
		fflush(ctx->out);
	fprintf(f, "%s: ", ctx->prog->name);
	if (ctx->where)
		fprintf(f, "%s: ", ctx->where);
	if (ctx->cmd)
		fprintf(f, "%s: ", ctx->cmd->name);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

int cli_error(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, fmt, ap);
	va_end(ap);
	return CLI_FAIL;
}

int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

bool cli_show_names(const struct cli_opts *opts)
{
	return opts->names >= 0 ? opts->names > 0 : opts->more > 0;
}

/* --- commands ------------------------------------------------------------- */

const struct cli_cmd *cli_find(const struct cli_cmd *cmds, const char *name,
			       bool *ambiguous)
{
	const struct cli_cmd *c, *found = NULL;
	size_t n = strlen(name);
	int hits = 0;

	*ambiguous = false;
	if (!n)
		return NULL;
	for (c = cmds; c->name; c++) {
		if (!strcmp(c->name, name))
			return c;
		if (!strncmp(c->name, name, n)) {
			found = c;
			hits++;
		}
	}
	if (hits > 1) {
		*ambiguous = true;
		return NULL;
	}
	return found;
}

void cli_usage(const struct cli_prog *p, FILE *f)
{
	const struct cli_cmd *c;
	const struct cli_option *o;
	char head[128];

	fprintf(f, "%s: %s\n", p->name, p->summary);
	fprintf(f, "usage: %s [OPTIONS] COMMAND [ARG...]\n", p->name);
	fprintf(f, "       %s [OPTIONS] -b FILE|-     (commands from FILE)\n",
		p->name);
	fprintf(f, "       %s [OPTIONS]               (interactive, on a "
		"terminal)\n\nCommands:\n", p->name);
	for (c = p->cmds; c->name; c++) {
		snprintf(head, sizeof head, "%s %s", c->name, c->args);
		if (strlen(head) > 34)
			fprintf(f, "  %s\n  %-34s %s\n", head, "", c->help);
		else
			fprintf(f, "  %-34s %s\n", head, c->help);
	}
	fprintf(f, "Commands may be abbreviated to a unique prefix.\n\n"
		"Options:\n");
	for (o = common_opts; o->name; o++)
		fprintf(f, "  %s\n", o->help);
	for (o = p->options; o && o->name; o++)
		fprintf(f, "  %s\n", o->help);
}

int cli_run(const struct cli_prog *prog, const struct cli_opts *opts,
	    const char *where, int argc, char **argv)
{
	struct cli_ctx ctx = {
		.prog = prog, .opts = *opts, .where = where,
		.out = out_stream(prog), .err = err_stream(prog),
	};
	const struct cli_cmd *c, *k;
	bool ambiguous;
	int n = argc - 1, rc;

	if (argc < 1)
		return cli_usage_error(&ctx, "missing command; use --help for help");
	c = cli_find(prog->cmds, argv[0], &ambiguous);
	if (!c && ambiguous) {
		size_t len = strlen(argv[0]);
		char list[512] = "";

		for (k = prog->cmds; k->name; k++) {
			if (strncmp(k->name, argv[0], len))
				continue;
			if (strlen(list) + strlen(k->name) + 3 < sizeof list) {
				if (list[0])
					strcat(list, ", ");
				strcat(list, k->name);
			}
		}
		return cli_usage_error(&ctx, "'%s' is ambiguous (%s)", argv[0],
				       list);
	}
	if (!c)
		return cli_usage_error(&ctx, "unknown command '%s'; use --help "
				       "for help", argv[0]);
	ctx.cmd = c;
	if (n < c->min_args || (c->max_args >= 0 && n > c->max_args)) {
		if (n < c->min_args)
			return cli_usage_error(&ctx, "needs at least %d "
					       "argument%s (usage: %s %s)",
					       c->min_args,
					       c->min_args == 1 ? "" : "s",
					       c->name, c->args);
		return cli_usage_error(&ctx, "takes at most %d argument%s "
				       "(usage: %s %s)", c->max_args,
				       c->max_args == 1 ? "" : "s", c->name,
				       c->args);
	}
	if (c->rw && opts->read_only)
		return cli_usage_error(&ctx, "not allowed with --read-only");
	rc = c->handler(&ctx, argc, argv);
	fflush(ctx.out);
	return rc;
}

/* --- options -------------------------------------------------------------- */

static const struct cli_option *find_long(const struct cli_prog *p,
					  const char *name, size_t len,
					  bool *ambiguous)
{
	const struct cli_option *sets[2] = { common_opts, p->options }, *o;
	const struct cli_option *found = NULL;
	int s, hits = 0;

	*ambiguous = false;
	for (s = 0; s < 2; s++) {
		for (o = sets[s]; o && o->name; o++) {
			if (strlen(o->name) == len && !strncmp(o->name, name, len))
				return o;
			if (!strncmp(o->name, name, len)) {
				found = o;
				hits++;
			}
		}
	}
	if (hits > 1) {
		*ambiguous = true;
		return NULL;
	}
	return found;
}

static const struct cli_option *find_short(const struct cli_prog *p, char c)
{
	const struct cli_option *sets[2] = { common_opts, p->options }, *o;
	int s;

	for (s = 0; s < 2; s++)
		for (o = sets[s]; o && o->name; o++)
			if (o->short_name && o->short_name == c)
				return o;
	return NULL;
}

static int apply_opt(const struct cli_prog *p, struct cli_ctx *ctx,
		     struct cli_opts *opts, const struct cli_option *o,
		     const char *arg, bool *help, bool *version)
{
	char *end;
	long v;

	switch (o->id) {
	case OPT_OUTPUT:
		if (!strcmp(arg, "json"))
			opts->output = CLI_OUT_JSON;
		else if (!strcmp(arg, "text"))
			opts->output = CLI_OUT_TEXT;
		else
			return cli_usage_error(ctx, "unknown output format "
					       "'%s' (text or json)", arg);
		return 0;
	case OPT_STATS: opts->stats = true; return 0;
	case OPT_MORE: opts->more++; return 0;
	case OPT_NAMES: opts->names = 1; return 0;
	case OPT_NO_NAMES: opts->names = 0; return 0;
	case OPT_CLEAR: opts->clear = true; return 0;
	case OPT_MAY_CREATE: opts->may_create = true; return 0;
	case OPT_READ_ONLY: opts->read_only = true; return 0;
	case OPT_FORCE: opts->force = true; return 0;
	case OPT_HELP: *help = true; return 0;
	case OPT_VERSION: *version = true; return 0;
	case OPT_BATCH: opts->batch = arg; return 0;
	case OPT_TIMEOUT:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v <= 0 || v > 86400)
			return cli_usage_error(ctx, "bad timeout '%s' (seconds, "
					       "1 to 86400)", arg);
		opts->timeout = (int)v;
		return 0;
	default:
		if (p->option)
			return p->option(p->aux, o->id, arg);
		return 0;
	}
}

int cli_parse_opts(const struct cli_prog *p, struct cli_opts *opts,
		   int argc, char **argv, bool *help, bool *version)
{
	struct cli_ctx ctx = { .prog = p, .out = out_stream(p), .err = err_stream(p) };
	const struct cli_option *o;
	bool no_more_opts = false, amb;
	int i, n = 0;

	*help = *version = false;
	for (i = 0; i < argc; i++) {
		char *a = argv[i];

		if (no_more_opts || a[0] != '-' || !a[1]) {
			argv[n++] = a;
			continue;
		}
		if (!strcmp(a, "--")) {
			no_more_opts = true;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			const char *arg = eq ? eq + 1 : NULL;

			o = find_long(p, name, len, &amb);
			if (!o) {
				cli_usage_error(&ctx, "%s option '%s'", amb ?
						"ambiguous" : "unrecognized", a);
				return -1;
			}
			if (o->has_arg && !arg) {
				if (i + 1 >= argc) {
					cli_usage_error(&ctx, "option '--%s' needs "
							"an argument", o->name);
					return -1;
				}
				arg = argv[++i];
			} else if (!o->has_arg && arg) {
				cli_usage_error(&ctx, "option '--%s' takes no "
						"argument", o->name);
				return -1;
			}
			if (apply_opt(p, &ctx, opts, o, arg, help, version))
				return -1;
			continue;
		}
		for (a++; *a; a++) {
			o = find_short(p, *a);
			if (!o) {
				cli_usage_error(&ctx, "unrecognized option '-%c'", *a);
				return -1;
			}
			if (o->has_arg) {
				const char *arg = a[1] ? a + 1 : NULL;

				if (!arg) {
					if (i + 1 >= argc) {
						cli_usage_error(&ctx, "option '-%c' "
								"needs an argument", *a);
						return -1;
					}
					arg = argv[++i];
				}
				if (apply_opt(p, &ctx, opts, o, arg, help, version))
					return -1;
				break;
			}
			if (apply_opt(p, &ctx, opts, o, NULL, help, version))
				return -1;
		}
	}
	return n;
}

/* --- batch ---------------------------------------------------------------- */

int cli_split(char *line, char **words, int max)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		char quote = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			break;
		if (n == max)
			return -1;
		words[n++] = w;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
				} else if (*r == '\\' && quote == '"' && r[1] &&
					   strchr("\"\\$`", r[1])) {
					*w++ = *++r;
				} else {
					*w++ = *r;
				}
			} else if (*r == '\'' || *r == '"') {
				quote = *r;
			} else if (*r == '\\' && r[1]) {
				*w++ = *++r;
			} else if (*r == ' ' || *r == '\t' || *r == '\n' ||
				   *r == '\r') {
				break;
			} else {
				*w++ = *r;
			}
		}
		if (quote)
			return -1;
		if (*r)
			r++;
		*w++ = '\0';
	}
	return n;
}

/* Run one line's words: options first or anywhere, then the command. */
static int run_words(const struct cli_prog *p, const struct cli_opts *base,
		     const char *where, int argc, char **argv)
{
	struct cli_opts opts = *base;
	struct cli_ctx ctx = { .prog = p, .where = where, .out = out_stream(p), .err = err_stream(p) };
	bool help, version;
	int n;

	opts.batch = NULL;
	n = cli_parse_opts(p, &opts, argc, argv, &help, &version);
	if (n < 0)
		return CLI_USAGE;
	if (opts.batch)
		return cli_usage_error(&ctx, "-b is not allowed inside a batch");
	if (help) {
		cli_usage(p, out_stream(p));
		return CLI_OK;
	}
	return cli_run(p, &opts, where, n, argv);
}

static int run_batch(const struct cli_prog *p, const struct cli_opts *opts)
{
	struct cli_ctx ctx = { .prog = p, .out = out_stream(p), .err = err_stream(p) };
	const char *path = opts->batch;
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	char *line = NULL, *words[CLI_MAX_WORDS], where[512];
	size_t cap = 0;
	int lineno = 0, worst = CLI_OK, rc, n;

	if (!f)
		return cli_error(&ctx, "%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		snprintf(where, sizeof where, "%s:%d", is_stdin ? "stdin" : path,
			 lineno);
		n = cli_split(line, words, CLI_MAX_WORDS);
		if (n == 0)
			continue;
		if (n < 0) {
			ctx.where = where;
			rc = cli_usage_error(&ctx, "unterminated quote or too "
					     "many words");
		} else {
			rc = run_words(p, opts, where, n, words);
		}
		if (rc > worst)
			worst = rc;
		if (rc && !opts->force)
			break;
	}
	free(line);
	if (!is_stdin)
		fclose(f);
	return worst;
}

int cli_main(const struct cli_prog *p, int argc, char **argv)
{
	struct cli_opts opts = { .output = CLI_OUT_TEXT, .names = -1 };
	struct cli_ctx ctx = { .prog = p, .out = out_stream(p), .err = err_stream(p) };
	bool help, version;
	int n;

	n = cli_parse_opts(p, &opts, argc - 1, argv + 1, &help, &version);
	if (n < 0)
		return CLI_USAGE;
	if (help) {
		cli_usage(p, out_stream(p));
		return CLI_OK;
	}
	if (version) {
		fprintf(out_stream(p), "%s (dpkit) %s\n", p->name, p->version);
		return CLI_OK;
	}
	if (opts.batch) {
		if (n > 0)
			return cli_usage_error(&ctx, "-b takes no command "
					       "arguments ('%s')", argv[1]);
		return run_batch(p, &opts);
	}
	if (n == 0) {
		if (isatty(STDIN_FILENO))
			return cli_shell(p, &opts);
		return cli_usage_error(&ctx, "missing command; use --help for "
				       "help");
	}
	return cli_run(p, &opts, NULL, n, argv + 1);
}

int cli_run_line(const struct cli_prog *p, const struct cli_opts *opts,
		 char *line)
{
	struct cli_ctx ctx = { .prog = p, .out = out_stream(p), .err = err_stream(p) };
	char *words[CLI_MAX_WORDS];
	int n = cli_split(line, words, CLI_MAX_WORDS);

	if (n == 0)
		return CLI_OK;
	if (n < 0)
		return cli_usage_error(&ctx, "unterminated quote or too many "
				       "words");
	return run_words(p, opts, NULL, n, words);
}
