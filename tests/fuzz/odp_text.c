/* libFuzzer target for lib/odp_text.
 *
 * The first byte picks what the rest is:
 *   0  key text: read with a mask; what reads must print in -m form and
 *      read back to the same -m text;
 *   1  action text: likewise, printed and read back to the same text;
 *   2  attribute bytes as a key, the second half of them as its mask:
 *      printed short and -m (a formatter must survive any stream);
 *   3  attribute bytes as actions, printed;
 *   4  a ufid.
 * A crash, an out-of-bounds read or a text that does not read back is a
 * bug. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "odp_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *port_name(void *aux, uint32_t port)
{
	(void)aux;
	return port == 1 ? "br0" : NULL;
}

static int port_number(void *aux, const char *name, uint32_t *port)
{
	(void)aux;
	if (strcmp(name, "br0"))
		return -ENOENT;
	*port = 1;
	return 0;
}

static const struct odp_names names = { port_name, port_number, NULL };

static void key_text(const char *s, size_t n)
{
	struct buf k = BUF_INIT, m = BUF_INIT, t = BUF_INIT;
	struct buf k2 = BUF_INIT, m2 = BUF_INIT, t2 = BUF_INIT;
	struct dp_err err;

	if (!odp_key_from_text(s, n, &k, &m, &names, &err)) {
		odp_key_to_text(&t, k.data, k.len, m.data, m.len, 0, &names);
		buf_clear(&t);
		odp_key_to_text(&t, k.data, k.len, m.data, m.len,
				ODP_FMT_VERBOSE, NULL);
		if (k.len) {
			if (odp_key_from_text((const char *)t.data, t.len, &k2,
					      &m2, NULL, &err))
				abort();
			odp_key_to_text(&t2, k2.data, k2.len, m2.data, m2.len,
					ODP_FMT_VERBOSE, NULL);
			if (strcmp(buf_cstr(&t), buf_cstr(&t2)))
				abort();
		}
	} else if (k.len || m.len) {
		abort();        /* a refusal must append nothing */
	}
	buf_free(&k);
	buf_free(&m);
	buf_free(&t);
	buf_free(&k2);
	buf_free(&m2);
	buf_free(&t2);
}

static void action_text(const char *s, size_t n)
{
	struct buf a = BUF_INIT, t = BUF_INIT, a2 = BUF_INIT, t2 = BUF_INIT;
	struct dp_err err;

	if (!odp_actions_from_text(s, n, &a, &names, &err)) {
		odp_actions_to_text(&t, a.data, a.len, 0, NULL);
		if (odp_actions_from_text((const char *)t.data, t.len, &a2, NULL,
					  &err))
			abort();
		odp_actions_to_text(&t2, a2.data, a2.len, 0, NULL);
		if (strcmp(buf_cstr(&t), buf_cstr(&t2)))
			abort();
	} else if (a.len) {
		abort();
	}
	buf_free(&a);
	buf_free(&t);
	buf_free(&a2);
	buf_free(&t2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf t = BUF_INIT;
	uint8_t ufid[16];
	size_t used, half;
	void *copy;

	if (!size)
		return 0;
	/* A private copy, exactly as long as the input: reads past it are
	 * caught. */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	size--;
	half = size / 2 & ~(size_t)3;   /* attribute streams are 4-aligned */
	switch (data[0] % 5) {
	case 0:
		key_text(copy, size);
		break;
	case 1:
		action_text(copy, size);
		break;
	case 2:
		odp_key_to_text(&t, copy, half, (uint8_t *)copy + half,
				size - half, 0, &names);
		odp_key_to_text(&t, copy, size, (uint8_t *)copy + half,
				size - half, ODP_FMT_VERBOSE | ODP_FMT_NAMES,
				&names);
		odp_key_to_text(&t, copy, size, NULL, 0, 0, NULL);
		break;
	case 3:
		odp_actions_to_text(&t, copy, size, ODP_FMT_NAMES, &names);
		break;
	default:
		odp_ufid_from_text(copy, size, ufid, &used, NULL);
		if (used > size)
			abort();
		break;
	}
	buf_free(&t);
	free(copy);
	return 0;
}
