/*
 * json.h - a tiny JSON writer for "-o json".
 *
 * Writes one JSON value (usually an object: one per line for listings) into
 * a struct buf, handling separators and string escaping so callers only say
 * what goes in.  Strings are escaped per RFC 8259; bytes that are not valid
 * UTF-8 become U+FFFD so the output is always valid JSON whatever a name or
 * a netlink message contained.  No parsing: jq reads what this writes.
 *
 *     struct json j;
 *     json_init(&j, &out);
 *     json_obj_start(&j);
 *     json_kv_str(&j, "name", "dp0");
 *     json_kv_u64(&j, "flows", 3);
 *     json_obj_end(&j);          -> {"name":"dp0","flows":3}
 */
#ifndef DPKIT_JSON_H
#define DPKIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define JSON_MAX_DEPTH 32

struct json {
	struct buf *out;
	int depth;
	bool after_key;                 /* a key was written, value expected */
	bool nonempty[JSON_MAX_DEPTH];  /* container at depth has members */
};

void json_init(struct json *j, struct buf *out);

void json_obj_start(struct json *j);
void json_obj_end(struct json *j);
void json_arr_start(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);

void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
/* A number printed with printf's "%.*f"; non-finite values print null. */
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key + value in one call. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_u64(struct json *j, const char *key, uint64_t v);
void json_kv_i64(struct json *j, const char *key, int64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

/* Append s[0..n) as a quoted, escaped JSON string. */
void json_escape(struct buf *out, const char *s, size_t n);

#endif
