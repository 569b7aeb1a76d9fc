/*
 * nlattr.h - netlink attributes in a struct buf.
 *
 * Flow keys, masks and actions travel as streams of netlink attributes
 * (struct nlattr: 16-bit length, 16-bit type, payload, padding to 4 bytes).
 * These helpers build such streams in a struct buf, with or without a
 * netlink message around them, and read them back with bounds checks: a
 * reader never trusts a length it was given.  The prefix is na_ so as not to
 * clash with libnl-3's nla_ symbols, which programs link too.
 */
#ifndef DPKIT_NLATTR_H
#define DPKIT_NLATTR_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

#define NA_ALIGN(len)   (((len) + 3u) & ~3u)
#define NA_HDRLEN       ((size_t)NA_ALIGN(sizeof(struct nlattr)))

/* Building. Each returns the payload's address in the buffer (valid until
 * the next append) or NULL if the buffer ran out of memory. */
void *na_put(struct buf *b, uint16_t type, const void *data, size_t len);
void *na_put_zero(struct buf *b, uint16_t type, size_t len);
void na_put_flag(struct buf *b, uint16_t type);
void na_put_u8(struct buf *b, uint16_t type, uint8_t v);
void na_put_u16(struct buf *b, uint16_t type, uint16_t v);
void na_put_u32(struct buf *b, uint16_t type, uint32_t v);
void na_put_u64(struct buf *b, uint16_t type, uint64_t v);
void na_put_str(struct buf *b, uint16_t type, const char *s);
/* Open a nested attribute; returns its offset in the buffer, to pass to
 * na_nest_end(), which fixes its length. */
size_t na_nest_start(struct buf *b, uint16_t type);
void na_nest_end(struct buf *b, size_t ofs);
/* Drop a nest that turned out empty (or anything appended since ofs). */
void na_nest_cancel(struct buf *b, size_t ofs);

/* Reading. */
static inline uint16_t na_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}
static inline const void *na_data(const struct nlattr *a)
{
	return (const char *)a + NA_HDRLEN;
}
static inline size_t na_len(const struct nlattr *a)   /* payload length */
{
	return a->nla_len - NA_HDRLEN;
}
/* Is 'a' a whole attribute within the 'rem' bytes left? */
static inline bool na_ok(const struct nlattr *a, size_t rem)
{
	return rem >= sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= rem;
}
static inline const struct nlattr *na_next(const struct nlattr *a, size_t *rem)
{
	size_t step = NA_ALIGN(a->nla_len);

	*rem = step < *rem ? *rem - step : 0;
	return (const struct nlattr *)(const void *)((const char *)a + step);
}
/* for each whole attribute in [head, head+len): 'a' the attribute, 'rem' a
 * size_t the loop owns.  After the loop, rem != 0 means trailing garbage. */
#define NA_FOR_EACH(a, head, len, rem) \
	for ((rem) = (len), (a) = (const struct nlattr *)(const void *)(head); \
	     na_ok((a), (rem)); (a) = na_next((a), &(rem)))
#define NA_FOR_EACH_NESTED(a, nest, rem) \
	NA_FOR_EACH(a, na_data(nest), na_len(nest), rem)

static inline uint8_t na_get_u8(const struct nlattr *a)
{
	return *(const uint8_t *)na_data(a);
}
static inline uint16_t na_get_u16(const struct nlattr *a)
{
	uint16_t v;
	memcpy(&v, na_data(a), sizeof v);
	return v;
}
static inline uint32_t na_get_u32(const struct nlattr *a)
{
	uint32_t v;
	memcpy(&v, na_data(a), sizeof v);
	return v;
}
static inline uint64_t na_get_u64(const struct nlattr *a)
{
	uint64_t v;
	memcpy(&v, na_data(a), sizeof v);
	return v;
}

/* First attribute of 'type' in the stream, or NULL. */
const struct nlattr *na_find(const void *head, size_t len, uint16_t type);

/* Index the stream into tb[0..maxtype] (zeroed first).  Returns 0, or
 * -EINVAL if the stream is malformed (a bad length, trailing bytes) or an
 * attribute appears twice; *bad, if not NULL, then points at the culprit.
 * Attributes above maxtype are ignored (the caller decides whether unknown
 * attributes are an error: see na_parse_strict). */
int na_parse(const struct nlattr *tb[], uint16_t maxtype, const void *head,
	     size_t len, const struct nlattr **bad);
/* Like na_parse but an attribute above maxtype is -EINVAL too. */
int na_parse_strict(const struct nlattr *tb[], uint16_t maxtype,
		    const void *head, size_t len, const struct nlattr **bad);

/* Is the stream well formed (all lengths consistent, nothing trailing)? */
bool na_stream_ok(const void *head, size_t len);

#endif
