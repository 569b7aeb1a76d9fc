/* Unit tests for cli.c: word splitting, command lookup, options. */
#include <string.h>

#include "cli.h"
#include "tap.h"

static int handler(struct cli_ctx *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argv;
	return argc;
}

static const struct cli_cmd cmds[] = {
	{ "add-flow", "F A", 2, 3, handler, true, "h", 0 },
	{ "add-flows", "F", 1, 2, handler, true, "h", 0 },
	{ "dump-flows", "", 0, 2, handler, false, "h", 0 },
	{ "del-dp", "DP", 1, 1, handler, true, "h", 0 },
	{ NULL, NULL, 0, 0, NULL, false, NULL, 0 },
};

int main(void)
{
	struct cli_prog prog = { .name = "t", .cmds = cmds, .err = stderr };
	struct cli_opts o = { .names = -1 };
	char line[256], *w[8];
	char *argv[16];
	bool amb, help, ver;
	int n;

	strcpy(line, "  add-flow 'in_port(1), eth()' \"a\\\"b\" x\\ y # c");
	n = cli_split(line, w, 8);
	ok(n == 4 && !strcmp(w[0], "add-flow") &&
	   !strcmp(w[1], "in_port(1), eth()") && !strcmp(w[2], "a\"b") &&
	   !strcmp(w[3], "x y"), "split: quotes, escapes, comment (%d)", n);
	strcpy(line, "echo 'open");
	ok(cli_split(line, w, 8) == -1, "unterminated quote is an error");
	strcpy(line, "   # only a comment");
	ok(cli_split(line, w, 8) == 0, "comment-only line has no words");
	strcpy(line, "a b c d e f g h i");
	ok(cli_split(line, w, 8) == -1, "too many words is an error");

	ok(cli_find(cmds, "add-flow", &amb) == &cmds[0], "exact match wins over "
	   "a longer command");
	ok(!cli_find(cmds, "add", &amb) && amb, "ambiguous prefix");
	ok(cli_find(cmds, "dump", &amb) == &cmds[2], "unique prefix");
	ok(!cli_find(cmds, "zzz", &amb) && !amb, "unknown command");

	argv[0] = (char *)"-s";
	argv[1] = (char *)"dump-flows";
	argv[2] = (char *)"-mo";
	argv[3] = (char *)"json";
	argv[4] = (char *)"--no-names";
	argv[5] = (char *)"dp0";
	argv[6] = (char *)"--";
	argv[7] = (char *)"-x";
	argv[8] = (char *)"--time=5";
	argv[9] = (char *)"-";
	n = cli_parse_opts(&prog, &o, 10, argv, &help, &ver);
	ok(n == 5 && !strcmp(argv[0], "dump-flows") && !strcmp(argv[1], "dp0") &&
	   !strcmp(argv[2], "-x") && !strcmp(argv[3], "--time=5") &&
	   !strcmp(argv[4], "-"),
	   "options are taken out anywhere, '--' ends them (%d left)", n);
	ok(o.stats && o.more == 1 && o.output == CLI_OUT_JSON && o.names == 0 &&
	   !cli_show_names(&o), "clustered and long options set");
	argv[0] = (char *)"--time=5";
	argv[1] = (char *)"-";
	n = cli_parse_opts(&prog, &o, 2, argv, &help, &ver);
	ok(n == 1 && o.timeout == 5 && !strcmp(argv[0], "-"),
	   "unique long-option prefix with =VALUE; '-' is an argument");
	argv[0] = (char *)"-o";
	argv[1] = (char *)"xml";
	ok(cli_parse_opts(&prog, &o, 2, argv, &help, &ver) == -1,
	   "bad -o value is a usage error");
	argv[0] = (char *)"--n";
	ok(cli_parse_opts(&prog, &o, 1, argv, &help, &ver) == -1,
	   "ambiguous long option (--names, --no-names)");
	argv[0] = (char *)"-t";
	ok(cli_parse_opts(&prog, &o, 1, argv, &help, &ver) == -1,
	   "missing option argument");

	o.read_only = true;
	argv[0] = (char *)"del-dp";
	argv[1] = (char *)"x";
	ok(cli_run(&prog, &o, NULL, 2, argv) == CLI_USAGE,
	   "--read-only refuses a command that changes state");
	o.read_only = false;
	ok(cli_run(&prog, &o, NULL, 2, argv) == 2, "handler runs with argc");
	ok(cli_run(&prog, &o, NULL, 1, argv) == CLI_USAGE, "too few arguments");
	argv[0] = (char *)"dump";
	argv[1] = argv[2] = argv[3] = (char *)"x";
	ok(cli_run(&prog, &o, NULL, 4, argv) == CLI_USAGE, "too many arguments");
	return done();
}
