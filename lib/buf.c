#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_clear(struct buf *b)
{
	b->len = 0;
	b->oom = 0;
}

void *buf_reserve_grow(struct buf *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (n > b->cap - b->len || !b->data) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *p;

		while (cap - b->len < n + 1) {  /* +1: room for buf_cstr's NUL */
			if (cap > SIZE_MAX / 2) {
				b->oom = 1;
				return NULL;
			}
			cap *= 2;
		}
		p = realloc(b->data, cap);
		if (!p) {
			b->oom = 1;
			return NULL;
		}
		b->data = p;
		b->cap = cap;
	}
	return b->data + b->len;
}

void *buf_put_zeros(struct buf *b, size_t n)
{
	return buf_put(b, NULL, n);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	char *p;
	int n;

	va_copy(ap2, ap);
	p = buf_reserve(b, 64);
	if (!p) {
		va_end(ap2);
		return;
	}
	n = vsnprintf(p, b->cap - b->len, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		p = buf_reserve(b, (size_t)n + 1);
		if (!p) {
			va_end(ap2);
			return;
		}
		vsnprintf(p, b->cap - b->len, fmt, ap2);
	}
	va_end(ap2);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len)
		b->len = len;
}

const char *buf_cstr(struct buf *b)
{
	if (!buf_reserve(b, 1))
		return "";
	b->data[b->len] = '\0';
	return (const char *)b->data;
}

void buf_put_hex(struct buf *b, const void *data, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *d = data;
	char *p = buf_reserve(b, n * 2);
	size_t i;

	if (!p)
		return;
	for (i = 0; i < n; i++) {
		p[2 * i] = hex[d[i] >> 4];
		p[2 * i + 1] = hex[d[i] & 15];
	}
	b->len += n * 2;
}
