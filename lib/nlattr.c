#include "nlattr.h"

#include <errno.h>

void *na_put(struct buf *b, uint16_t type, const void *data, size_t len)
{
	size_t total = NA_HDRLEN + len;
	struct nlattr nla;
	uint8_t *p;

	if (total > UINT16_MAX) {
		b->oom = 1;     /* cannot be represented: poison the buffer */
		return NULL;
	}
	p = buf_reserve(b, NA_ALIGN(total));
	if (!p)
		return NULL;
	nla.nla_len = (uint16_t)total;
	nla.nla_type = type;
	memcpy(p, &nla, sizeof nla);
	if (data)
		memcpy(p + NA_HDRLEN, data, len);
	else
		memset(p + NA_HDRLEN, 0, len);
	memset(p + total, 0, NA_ALIGN(total) - total);
	b->len += NA_ALIGN(total);
	return p + NA_HDRLEN;
}

void *na_put_zero(struct buf *b, uint16_t type, size_t len)
{
	return na_put(b, type, NULL, len);
}

void na_put_flag(struct buf *b, uint16_t type)
{
	na_put(b, type, NULL, 0);
}

void na_put_u8(struct buf *b, uint16_t type, uint8_t v)
{
	na_put(b, type, &v, sizeof v);
}

void na_put_u16(struct buf *b, uint16_t type, uint16_t v)
{
	na_put(b, type, &v, sizeof v);
}

void na_put_u32(struct buf *b, uint16_t type, uint32_t v)
{
	na_put(b, type, &v, sizeof v);
}

void na_put_u64(struct buf *b, uint16_t type, uint64_t v)
{
	na_put(b, type, &v, sizeof v);
}

void na_put_str(struct buf *b, uint16_t type, const char *s)
{
	na_put(b, type, s, strlen(s) + 1);
}

size_t na_nest_start(struct buf *b, uint16_t type)
{
	size_t ofs = b->len;

	na_put(b, type | NLA_F_NESTED, NULL, 0);
	return ofs;
}

void na_nest_end(struct buf *b, size_t ofs)
{
	struct nlattr nla;
	size_t len;

	if (b->oom || ofs + sizeof nla > b->len)
		return;
	len = b->len - ofs;
	if (len > UINT16_MAX) {
		b->oom = 1;
		return;
	}
	memcpy(&nla, b->data + ofs, sizeof nla);
	nla.nla_len = (uint16_t)len;
	memcpy(b->data + ofs, &nla, sizeof nla);
}

void na_nest_cancel(struct buf *b, size_t ofs)
{
	buf_truncate(b, ofs);
}

const struct nlattr *na_find(const void *head, size_t len, uint16_t type)
{
	const struct nlattr *a;
	size_t rem;

	NA_FOR_EACH(a, head, len, rem)
		if (na_type(a) == type)
			return a;
	return NULL;
}

static int parse(const struct nlattr *tb[], uint16_t maxtype, const void *head,
		 size_t len, const struct nlattr **bad, bool strict)
{
	const struct nlattr *a;
	size_t rem;

	memset(tb, 0, sizeof(*tb) * ((size_t)maxtype + 1));
	if (bad)
		*bad = NULL;
	NA_FOR_EACH(a, head, len, rem) {
		uint16_t t = na_type(a);

		if (t > maxtype) {
			if (strict) {
				if (bad)
					*bad = a;
				return -EINVAL;
			}
			continue;
		}
		if (tb[t]) {
			if (bad)
				*bad = a;
			return -EINVAL;
		}
		tb[t] = a;
	}
	return rem ? -EINVAL : 0;
}

int na_parse(const struct nlattr *tb[], uint16_t maxtype, const void *head,
	     size_t len, const struct nlattr **bad)
{
	return parse(tb, maxtype, head, len, bad, false);
}

int na_parse_strict(const struct nlattr *tb[], uint16_t maxtype,
		    const void *head, size_t len, const struct nlattr **bad)
{
	return parse(tb, maxtype, head, len, bad, true);
}

bool na_stream_ok(const void *head, size_t len)
{
	const struct nlattr *a;
	size_t rem;

	NA_FOR_EACH(a, head, len, rem)
		;
	return rem == 0;
}
