#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int dp_err_set(struct dp_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (code < 0)
		code = -code;
	if (e) {
		e->code = code;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return -code;
}

void dp_err_prefix(struct dp_err *e, const char *fmt, ...)
{
	char pre[DP_ERR_MSG_MAX], old[DP_ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof pre, fmt, ap);
	va_end(ap);
	snprintf(old, sizeof old, "%s", dp_err_str(e));
	/* Cut to fit: a message longer than DP_ERR_MSG_MAX loses its tail. */
	if (snprintf(e->msg, sizeof e->msg, "%s: %s", pre, old) < 0)
		e->msg[0] = '\0';
}

void dp_err_clear(struct dp_err *e)
{
	if (e) {
		e->code = 0;
		e->msg[0] = '\0';
	}
}

const char *dp_err_str(const struct dp_err *e)
{
	if (!e)
		return "";
	if (e->msg[0])
		return e->msg;
	return e->code ? strerror(e->code) : "no error";
}
