/* The interactive shell of cli.h: readline, history, completion. */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HISTORY_MAX 1000

/*
 * readline's completion hooks take no context argument, so the program
 * being run and the current candidate list have to live here.  They are
 * set only while cli_shell() runs and cleared when it returns.
 */
static struct {
	const struct cli_prog *prog;
	char **list;                    /* candidates for this completion */
	size_t n, next;
} shell;

static void list_free(void)
{
	size_t i;

	for (i = 0; i < shell.n; i++)
		free(shell.list[i]);
	free(shell.list);
	shell.list = NULL;
	shell.n = shell.next = 0;
}

static void list_add(const char *s)
{
	char **p = realloc(shell.list, (shell.n + 1) * sizeof *p);
	char *d = strdup(s);

	if (!p || !d) {
		free(d);
		if (p)
			shell.list = p;
		return;
	}
	shell.list = p;
	shell.list[shell.n++] = d;
}

static char *generate(const char *text, int state)
{
	size_t len = strlen(text);

	if (!state)
		shell.next = 0;
	while (shell.next < shell.n) {
		const char *c = shell.list[shell.next++];

		if (!strncmp(c, text, len))
			return strdup(c);
	}
	return NULL;
}

static void add_words(const char *const *words)
{
	for (; words && *words; words++)
		list_add(*words);
}

static void add_ifaces(void)
{
	DIR *d = opendir("/sys/class/net");
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			list_add(e->d_name);
	closedir(d);
}

static void add_dps(void)
{
	char **dps;
	size_t i;

	if (!shell.prog->list_dps)
		return;
	dps = shell.prog->list_dps(shell.prog->aux);
	for (i = 0; dps && dps[i]; i++) {
		list_add(dps[i]);
		free(dps[i]);
	}
	free(dps);
}

/* The command and the index of the argument being completed. */
static const struct cli_cmd *context(int start, int *argi)
{
	char *copy = strndup(rl_line_buffer, (size_t)start);
	const struct cli_cmd *cmd = NULL;
	char *save = NULL, *w;
	bool amb;
	int n = 0;

	*argi = -1;
	if (!copy)
		return NULL;
	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (w[0] == '-' && w[1])
			continue;
		if (n++ == 0)
			cmd = cli_find(shell.prog->cmds, w, &amb);
	}
	free(copy);
	*argi = n - 1;
	return cmd;
}

static char **complete(const char *text, int start, int end)
{
	const struct cli_cmd *cmd, *c;
	int argi;

	(void)end;
	list_free();
	rl_attempted_completion_over = 1;
	rl_completion_append_character = ' ';
	cmd = context(start, &argi);
	if (argi < 0) {
		for (c = shell.prog->cmds; c->name; c++)
			list_add(c->name);
		list_add("help");
		list_add("quit");
	} else if (!cmd) {
		return NULL;
	} else if ((cmd->complete & CLI_C_DPS) ||
		   ((cmd->complete & CLI_C_DP) && argi == 0)) {
		add_dps();
	} else if (cmd->complete & CLI_C_FLOW) {
		add_words(shell.prog->key_keywords);
		add_words(shell.prog->action_keywords);
		rl_completion_append_character = '(';
	} else if (cmd->complete & CLI_C_IFACE) {
		add_ifaces();
	} else if (cmd->complete & CLI_C_FILE) {
		rl_attempted_completion_over = 0;
		return NULL;
	}
	return rl_completion_matches(text, generate);
}

static void history_path(char *buf, size_t size)
{
	const char *home = getenv("HOME");

	snprintf(buf, size, "%s/.dpkit_history", home && *home ? home : ".");
}

int cli_shell(const struct cli_prog *prog, const struct cli_opts *opts)
{
	char path[4096], prompt[64];
	char *line;

	shell.prog = prog;
	rl_readline_name = prog->name;
	rl_attempted_completion_function = complete;
	/* '@' and ':' stay in words: "system@dp0", "ufid:...". */
	rl_basic_word_break_characters = " \t\n\"',()=";
	history_path(path, sizeof path);
	using_history();
	if (read_history(path) == ENOENT)
		write_history(path);
	snprintf(prompt, sizeof prompt, "%s> ", prog->name);
	while ((line = readline(prompt))) {
		char *p = line + strspn(line, " \t");

		if (*p) {
			add_history(line);
			append_history(1, path);
		}
		if (!strcmp(p, "quit") || !strcmp(p, "exit")) {
			free(line);
			break;
		}
		if (!strcmp(p, "help") || !strcmp(p, "?"))
			cli_usage(prog, prog->out ? prog->out : stdout);
		else
			cli_run_line(prog, opts, p);
		free(line);
	}
	if (!line)
		fputc('\n', prog->out ? prog->out : stdout);
	history_truncate_file(path, HISTORY_MAX);
	list_free();
	shell.prog = NULL;
	/* Errors were shown as they happened; leaving the shell is success. */
	return CLI_OK;
}
