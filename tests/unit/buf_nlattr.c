/* Unit tests for buf.c and nlattr.c: building and reading attribute streams. */
#include <errno.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "nlattr.h"
#include "tap.h"

static void test_buf(void)
{
	struct buf b = BUF_INIT;
	int i;

	for (i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	ok(buf_ok(&b) && strncmp(buf_cstr(&b), "0,1,2,", 6) == 0, "buf_printf grows");
	ok(b.len == strlen(buf_cstr(&b)), "buf_cstr terminates without counting");
	buf_clear(&b);
	buf_put_hex(&b, "\x01\xab", 2);
	ok(strcmp(buf_cstr(&b), "01ab") == 0, "buf_put_hex");
	buf_free(&b);
}

static void test_attrs(void)
{
	const struct nlattr *tb[8], *a, *bad;
	struct buf b = BUF_INIT;
	size_t nest, rem;
	int n = 0;

	na_put_u32(&b, 1, 0xdeadbeef);
	nest = na_nest_start(&b, 2);
	na_put_u8(&b, 1, 7);
	na_put_flag(&b, 3);
	na_nest_end(&b, nest);
	na_put_str(&b, 4, "hello");
	ok(na_stream_ok(b.data, b.len), "built stream is well formed");
	ok(na_parse(tb, 7, b.data, b.len, NULL) == 0, "parse");
	ok(tb[1] && na_get_u32(tb[1]) == 0xdeadbeef, "u32 round trip");
	ok(tb[4] && strcmp(na_data(tb[4]), "hello") == 0, "string round trip");
	NA_FOR_EACH_NESTED(a, tb[2], rem)
		n++;
	ok(n == 2 && rem == 0, "nested iteration sees 2 attributes");

	/* A duplicate attribute is refused and named. */
	na_put_u32(&b, 1, 1);
	ok(na_parse(tb, 7, b.data, b.len, &bad) == -EINVAL && bad && na_type(bad) == 1,
	   "duplicate attribute rejected");
	/* Truncated stream: the reader never walks past the end. */
	ok(!na_stream_ok(b.data, b.len - 1), "truncated stream detected");
	ok(na_parse_strict(tb, 3, b.data, 8, NULL) == 0, "strict parse of first attr");
	buf_free(&b);
}

static void test_err(void)
{
	struct dp_err e;

	dp_err_clear(&e);
	ok(dp_err_set(&e, EINVAL, "bad token '%s'", "x") == -EINVAL, "dp_err_set returns -code");
	dp_err_prefix(&e, "add-flow");
	ok(strcmp(dp_err_str(&e), "add-flow: bad token 'x'") == 0, "dp_err_prefix");
	ok(dp_err_set(NULL, ENOENT, "ignored") == -ENOENT, "NULL error is allowed");
}

int main(void)
{
	test_buf();
	test_attrs();
	test_err();
	return done();
}
