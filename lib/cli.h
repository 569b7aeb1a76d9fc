/*
 * cli.h - the common frame of dpkit's programs.
 *
 * A program describes itself with one table of commands (name, arguments,
 * min/max count, handler, read-only or not, one-line help, what its
 * arguments complete to) and hands argv to cli_main(), which
 *   - parses the options every program shares (-o json|text, -s, -m,
 *     --names/--no-names, --clear, --may-create, --read-only, -t SECS,
 *     -b FILE, -f/--force, -h/--help, -V/--version) plus the program's own;
 *   - finds the command by name or unique prefix, as iproute2 does
 *     ("dpctl dump-f" is dump-flows; "dpctl d" is ambiguous);
 *   - runs one command from argv, a batch of commands from a file (-b FILE,
 *     -b - for stdin: one per line, '#' comments, quotes as in sh, errors
 *     reported with FILE:LINE, stop at the first error unless --force), or,
 *     with no command on a terminal, an interactive readline shell with
 *     history in ~/.dpkit_history and completion of commands, datapath
 *     names and flow keywords.
 * The table is also the --help text and the completion list.
 *
 * Exit codes: 0 success, 1 a command failed, 2 usage error.  Handlers
 * return these too.  This is the one library module that prints (it is
 * the programs' front end): messages go to the program's stderr as
 * "prog: command: message".  It never exits.
 */
#ifndef DPKIT_CLI_H
#define DPKIT_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

enum cli_output { CLI_OUT_TEXT, CLI_OUT_JSON };

/* Options shared by every program, as parsed for one command. */
struct cli_opts {
	enum cli_output output;         /* -o text|json */
	bool stats;                     /* -s, --statistics */
	int more;                       /* -m, --more (repeatable) */
	int names;                      /* --names 1, --no-names 0, unset -1 */
	bool clear;                     /* --clear */
	bool may_create;                /* --may-create */
	bool read_only;                 /* --read-only */
	int timeout;                    /* -t, --timeout SECS; 0: none */
	const char *batch;              /* -b, --batch FILE */
	bool force;                     /* -f, --force: go on after errors */
};

/* What a command's arguments complete to in the shell. */
enum {
	CLI_C_DP = 1 << 0,              /* the first argument is a datapath */
	CLI_C_FLOW = 1 << 1,            /* later ones are flow text */
	CLI_C_IFACE = 1 << 2,           /* later ones are network devices */
	CLI_C_FILE = 1 << 3,            /* later ones are file names */
	CLI_C_DPS = 1 << 4,             /* every argument is a datapath */
};

struct cli_ctx;

struct cli_cmd {
	const char *name;
	const char *args;               /* "DP [IFACE...]" */
	int min_args;
	int max_args;                   /* -1: no limit */
	int (*handler)(struct cli_ctx *ctx, int argc, char **argv);
	bool rw;                        /* changes state: refused with --read-only */
	const char *help;               /* one line */
	unsigned complete;              /* CLI_C_* */
};

/* A program-specific option: "--name[=ARG]" and optionally "-c". */
struct cli_option {
	const char *name;
	char short_name;                /* 0: none */
	bool has_arg;
	const char *help;               /* one line for --help */
	int id;                         /* passed to cli_prog.option() */
};

struct cli_prog {
	const char *name;               /* "dpctl" */
	const char *summary;            /* one line for --help */
	const char *version;
	const struct cli_cmd *cmds;     /* terminated by a NULL name */
	const struct cli_option *options;       /* NULL-name terminated, or NULL */
	/* A program option was given; CLI_USAGE to refuse its argument. */
	int (*option)(void *aux, int id, const char *arg);
	/* Completion sources for the shell, each may be NULL: names of
	 * datapaths and network devices (a malloc'd NULL-terminated array of
	 * malloc'd strings); flow keywords (static arrays). */
	char **(*list_dps)(void *aux);
	const char *const *key_keywords;
	const char *const *action_keywords;
	void *aux;                      /* the program's state */
	FILE *out, *err;                /* default stdout, stderr */
};

struct cli_ctx {
	const struct cli_prog *prog;
	const struct cli_cmd *cmd;
	struct cli_opts opts;
	const char *where;              /* "FILE:LINE" in a batch, else NULL */
	FILE *out, *err;
};

/* Run the program: returns the exit code. */
int cli_main(const struct cli_prog *prog, int argc, char **argv);

/* "prog: [where: ]command: message" on the error stream; returns CLI_FAIL. */
int cli_error(struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Same, for a usage error; returns CLI_USAGE. */
int cli_usage_error(struct cli_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Port names shown: --names / --no-names, else only with -m. */
bool cli_show_names(const struct cli_opts *opts);

/* --- pieces, exposed for tests and for programs with their own loop --- */

/* Find a command by exact name or unique prefix.  NULL if none; *ambiguous
 * set when several commands start with 'name'. */
const struct cli_cmd *cli_find(const struct cli_cmd *cmds, const char *name,
			       bool *ambiguous);
/* Split a line into words as sh does with quotes ('...' "..." and \x); the
 * words point into 'line', which is modified.  '#' at a word start begins a
 * comment.  Returns the count, or -1 for an unterminated quote. */
int cli_split(char *line, char **words, int max);
/* Parse options out of argv[0..argc) into 'opts' (which keeps values not
 * given), leaving the other words, in order, in argv; returns their count,
 * or -1 after printing a usage error. */
int cli_parse_opts(const struct cli_prog *prog, struct cli_opts *opts,
		   int argc, char **argv, bool *help, bool *version);
/* Run one command line (words after option parsing). */
int cli_run(const struct cli_prog *prog, const struct cli_opts *opts,
	    const char *where, int argc, char **argv);
/* Split a line and run it (options and command); for the shell. */
int cli_run_line(const struct cli_prog *prog, const struct cli_opts *opts,
		 char *line);
/* Print the usage text derived from the table. */
void cli_usage(const struct cli_prog *prog, FILE *f);

/* The readline shell (cli_shell.c). */
int cli_shell(const struct cli_prog *prog, const struct cli_opts *opts);

#endif
