/*
 * log.h - leveled log lines for code that runs inside a daemon.
 *
 * libdpkit never prints: a module that runs inside dpd (the uapi server,
 * lib/dpserv) reports what happens through a struct dp_log the program
 * gives it.  The struct holds the threshold and a sink, a function that
 * takes one finished line (no trailing newline) and puts it somewhere:
 * stderr, syslog, a test's buffer.  No state is global; a NULL log means
 * silence.
 *
 * A hostile or broken peer can make a server log on every message, so
 * lines that peers can provoke go through a struct dp_log_rl: at most
 * DP_LOG_RL_BURST lines per DP_LOG_RL_WINDOW_MS window, then one line
 * saying how many were suppressed.
 */
#ifndef DPKIT_LOG_H
#define DPKIT_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum dp_log_level {
	DP_LOG_ERR,
	DP_LOG_WARN,
	DP_LOG_INFO,
	DP_LOG_DBG,
};

typedef void dp_log_sink(void *aux, enum dp_log_level level,
			 const char *line);

struct dp_log {
	enum dp_log_level level;        /* lines above this are dropped */
	dp_log_sink *sink;
	void *aux;
};

#define DP_LOG_RL_BURST     20
#define DP_LOG_RL_WINDOW_MS 5000

struct dp_log_rl {
	uint64_t window_ms;             /* start of the current window */
	unsigned n;                     /* lines in it */
	unsigned suppressed;
};

bool dp_log_enabled(const struct dp_log *log, enum dp_log_level level);
void dp_log(const struct dp_log *log, enum dp_log_level level,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Rate-limited by 'rl'. */
void dp_log_rl(const struct dp_log *log, struct dp_log_rl *rl,
	       enum dp_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "err", "warn", "info", "debug". */
const char *dp_log_level_name(enum dp_log_level level);
/* Parse a level name (or a unique prefix of one): 0 or -EINVAL. */
int dp_log_level_parse(const char *s, enum dp_log_level *level);

#endif
