/*
 * tap.h - the unit tests' reporting: one TAP line per check.
 *
 *   ok(cond, "what was checked %d", x);   one test point
 *   skip("reason");                       a test point that could not run
 *   return done();                        prints the plan, exit status
 *
 * A failed check prints the file and line and, via note(), whatever the
 * test wants to show (expected vs got).
 */
#ifndef DPKIT_TAP_H
#define DPKIT_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *file, int line,
			 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static inline int tap_ok(int cond, const char *file, int line,
			 const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		tap_failed++;
		printf("#   at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static inline void note(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void note(const char *fmt, ...)
{
	va_list ap;

	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline void skip(const char *reason)
{
	printf("ok %d # skip %s\n", ++tap_n, reason);
}

static inline int done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
