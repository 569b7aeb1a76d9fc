/* log.c - leveled, rate-limited log lines through a sink; see log.h. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const names[] = { "err", "warn", "info", "debug" };

bool dp_log_enabled(const struct dp_log *log, enum dp_log_level level)
{
	return log && log->sink && level <= log->level;
}

static void emit(const struct dp_log *log, enum dp_log_level level,
		 const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof line, fmt, ap);
	log->sink(log->aux, level, line);
}

void dp_log(const struct dp_log *log, enum dp_log_level level,
	    const char *fmt, ...)
{
	va_list ap;

	if (!dp_log_enabled(log, level))
		return;
	va_start(ap, fmt);
	emit(log, level, fmt, ap);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void dp_log_rl(const struct dp_log *log, struct dp_log_rl *rl,
	       enum dp_log_level level, const char *fmt, ...)
{
	uint64_t now;
	va_list ap;

	if (!dp_log_enabled(log, level))
		return;
	now = now_ms();
	if (now - rl->window_ms >= DP_LOG_RL_WINDOW_MS) {
		if (rl->suppressed)
			dp_log(log, level, "(%u similar messages suppressed)",
			       rl->suppressed);
		rl->window_ms = now;
		rl->n = 0;
		rl->suppressed = 0;
	}
	if (rl->n >= DP_LOG_RL_BURST) {
		rl->suppressed++;
		return;
	}
	rl->n++;
	va_start(ap, fmt);
	emit(log, level, fmt, ap);
	va_end(ap);
}

const char *dp_log_level_name(enum dp_log_level level)
{
	return (unsigned)level < sizeof names / sizeof names[0]
	       ? names[level] : "?";
}

int dp_log_level_parse(const char *s, enum dp_log_level *level)
{
	size_t n = strlen(s), i;
	int found = -1;

	if (!n)
		return -EINVAL;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!strncmp(s, names[i], n)) {
			if (found >= 0)
				return -EINVAL;
			found = (int)i;
		}
	}
	if (!strcmp(s, "error"))
		found = DP_LOG_ERR;
	else if (!strcmp(s, "warning"))
		found = DP_LOG_WARN;
	if (found < 0)
		return -EINVAL;
	*level = (enum dp_log_level)found;
	return 0;
}
