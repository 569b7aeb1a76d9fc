/*
 * buf.h - a growable byte buffer.
 *
 * The one buffer type of libdpkit: netlink messages and attribute streams
 * are built in it (nlattr.h), text is formatted into it (buf_printf), files
 * and sockets are read into it.  It owns its storage; buf_free() releases it.
 * Allocation failure is reported once, through 'oom': every later append is
 * a no-op and buf_ok() turns false, so callers check once at the end instead
 * of after every append.
 */
#ifndef DPKIT_BUF_H
#define DPKIT_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int oom;                /* an allocation failed: contents incomplete */
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_clear(struct buf *b);          /* len = 0, keeps storage */
static inline int buf_ok(const struct buf *b) { return !b->oom; }

/* Make room for 'n' more bytes; returns a pointer to them (not yet counted
 * in len) or NULL on allocation failure. */
void *buf_reserve_grow(struct buf *b, size_t n);
static inline void *buf_reserve(struct buf *b, size_t n)
{
	/* room for n bytes and buf_cstr()'s NUL: no call on the common path */
	if (b->data && !b->oom && n < b->cap - b->len)
		return b->data + b->len;
	return buf_reserve_grow(b, n);
}
/* Append 'n' bytes (zeroed if 'data' is NULL); returns where they went. */
static inline void *buf_put(struct buf *b, const void *data, size_t n)
{
	uint8_t *p = (uint8_t *)buf_reserve(b, n);

	if (!p)
		return NULL;
	if (data)
		memcpy(p, data, n);
	else
		memset(p, 0, n);
	b->len += n;
	return p;
}
void *buf_put_zeros(struct buf *b, size_t n);
static inline void buf_putc(struct buf *b, char c)
{
	if (b->data && !b->oom && b->cap - b->len > 1)
		b->data[b->len++] = (uint8_t)c;
	else
		buf_put(b, &c, 1);
}
static inline void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
void buf_truncate(struct buf *b, size_t len);
/* NUL-terminate (not counted in len) and return the text. */
const char *buf_cstr(struct buf *b);
/* Hex dump of 'n' bytes, lowercase, no separators. */
void buf_put_hex(struct buf *b, const void *data, size_t n);

#endif
