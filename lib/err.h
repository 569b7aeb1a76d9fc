/*
 * err.h - errors that carry their own explanation.
 *
 * libdpkit never prints and never exits.  A function that can fail returns
 * 0 or a negative errno and, when given a struct dp_err, fills it with a
 * one-line explanation naming what was wrong: the offending token and its
 * position for a parser ("in_port(99): no such port", "syntax error at
 * 'ipv4(src=1.2.3)': bad IPv4 address"), the kernel's extended ACK text for
 * a netlink request.  The program decides how to print it:
 *     dpctl: add-flow: in_port(99): no such port
 * Passing NULL for the error is always allowed.
 */
#ifndef DPKIT_ERR_H
#define DPKIT_ERR_H

#define DP_ERR_MSG_MAX 512

struct dp_err {
	int code;                       /* positive errno, 0 if none */
	char msg[DP_ERR_MSG_MAX];       /* "" if none */
};

/* Record an error (if 'e' is not NULL) and return -code, so a function can
 * end with: return dp_err_set(err, EINVAL, "bad port '%s'", tok); */
int dp_err_set(struct dp_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix an existing message: "ctx: old message". */
void dp_err_prefix(struct dp_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void dp_err_clear(struct dp_err *e);
/* The message, or strerror(code) if there is no message. */
const char *dp_err_str(const struct dp_err *e);

#endif
