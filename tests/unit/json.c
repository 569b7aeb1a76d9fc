/* Unit tests for json.c: structure and string escaping. */
#include <string.h>

#include "buf.h"
#include "json.h"
#include "tap.h"

static const char *esc(struct buf *b, const char *s, size_t n)
{
	buf_clear(b);
	json_escape(b, s, n);
	return buf_cstr(b);
}

int main(void)
{
	struct buf b = BUF_INIT;
	struct json j;

	json_init(&j, &b);
	json_obj_start(&j);
	json_kv_str(&j, "name", "system@dp0");
	json_kv_u64(&j, "flows", 18446744073709551615ULL);
	json_kv_i64(&j, "neg", -5);
	json_key(&j, "ports");
	json_arr_start(&j);
	json_obj_start(&j);
	json_kv_u64(&j, "port_no", 0);
	json_obj_end(&j);
	json_obj_start(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "used");
	json_null(&j);
	json_key(&j, "avg");
	json_double(&j, 1.0 / 3, 2);
	json_kv_bool(&j, "ok", true);
	json_key(&j, "empty");
	json_arr_start(&j);
	json_arr_end(&j);
	json_obj_end(&j);
	ok(!strcmp(buf_cstr(&b), "{\"name\":\"system@dp0\",\"flows\":"
		   "18446744073709551615,\"neg\":-5,\"ports\":[{\"port_no\":0},{}],"
		   "\"used\":null,\"avg\":0.33,\"ok\":true,\"empty\":[]}"),
	   "nested objects and arrays get their separators: %s", buf_cstr(&b));

	ok(!strcmp(esc(&b, "a\"b\\c", 5), "\"a\\\"b\\\\c\""), "quote and backslash");
	ok(!strcmp(esc(&b, "\n\t\r\b\f", 5), "\"\\n\\t\\r\\b\\f\""),
	   "short escapes");
	ok(!strcmp(esc(&b, "\x01\x1f\x7f", 3), "\"\\u0001\\u001f\\u007f\""),
	   "other control characters as \\u00XX");
	ok(!strcmp(esc(&b, "a\0b", 3), "\"a\\u0000b\""), "embedded NUL");
	ok(!strcmp(esc(&b, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 14),
		   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""),
	   "valid UTF-8 (2, 3, 4 bytes) passes through");
	ok(!strcmp(esc(&b, "\xff\xc3", 2), "\"\\ufffd\\ufffd\""),
	   "invalid and truncated UTF-8 become U+FFFD");
	ok(!strcmp(esc(&b, "\xc0\xaf\xed\xa0\x80", 5),
		   "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\""),
	   "overlong forms and surrogates are refused");
	ok(!strcmp(esc(&b, "", 0), "\"\""), "empty string");

	buf_clear(&b);
	json_init(&j, &b);
	json_double(&j, 0.0 / 0.0, 3);
	ok(!strcmp(buf_cstr(&b), "null"), "NaN prints null");
	buf_free(&b);
	return done();
}
