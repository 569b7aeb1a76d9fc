#include "json.h"

#include <math.h>
#include <string.h>

void json_init(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
}

/* Separator before a value or a key at the current level. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth > 0 && j->depth <= JSON_MAX_DEPTH) {
		if (j->nonempty[j->depth - 1])
			buf_putc(j->out, ',');
		j->nonempty[j->depth - 1] = true;
	}
}

static void open_container(struct json *j, char c)
{
	sep(j);
	buf_putc(j->out, c);
	if (j->depth < JSON_MAX_DEPTH)
		j->nonempty[j->depth] = false;
	j->depth++;
}

static void close_container(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	buf_putc(j->out, c);
}

void json_obj_start(struct json *j) { open_container(j, '{'); }
void json_obj_end(struct json *j) { close_container(j, '}'); }
void json_arr_start(struct json *j) { open_container(j, '['); }
void json_arr_end(struct json *j) { close_container(j, ']'); }

void json_key(struct json *j, const char *key)
{
	sep(j);
	json_escape(j->out, key, strlen(key));
	buf_putc(j->out, ':');
	j->after_key = true;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

void json_escape(struct buf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, l;

	buf_putc(out, '"');
	while (i < n) {
		unsigned char c = p[i];

		switch (c) {
		case '"':  buf_puts(out, "\\\""); i++; continue;
		case '\\': buf_puts(out, "\\\\"); i++; continue;
		case '\b': buf_puts(out, "\\b"); i++; continue;
		case '\f': buf_puts(out, "\\f"); i++; continue;
		case '\n': buf_puts(out, "\\n"); i++; continue;
		case '\r': buf_puts(out, "\\r"); i++; continue;
		case '\t': buf_puts(out, "\\t"); i++; continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			buf_printf(out, "\\u%04x", c);
			i++;
			continue;
		}
		l = utf8_len(p + i, n - i);
		if (!l) {
			buf_puts(out, "\\ufffd");
			i++;
			continue;
		}
		buf_put(out, p + i, l);
		i += l;
	}
	buf_putc(out, '"');
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_strn(j, s, strlen(s));
}

void json_strn(struct json *j, const char *s, size_t n)
{
	sep(j);
	json_escape(j->out, s, n);
}

void json_u64(struct json *j, uint64_t v)
{
	sep(j);
	buf_printf(j->out, "%llu", (unsigned long long)v);
}

void json_i64(struct json *j, int64_t v)
{
	sep(j);
	buf_printf(j->out, "%lld", (long long)v);
}

void json_double(struct json *j, double v, int decimals)
{
	sep(j);
	if (!isfinite(v))
		buf_puts(j->out, "null");
	else
		buf_printf(j->out, "%.*f", decimals, v);
}

void json_bool(struct json *j, bool v)
{
	sep(j);
	buf_puts(j->out, v ? "true" : "false");
}

void json_null(struct json *j)
{
	sep(j);
	buf_puts(j->out, "null");
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

void json_kv_i64(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_i64(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
