/*
 * Fuzz target: arbitrary datapath key and mask bytes -> ovs-ofctl match
 * text (ofp_match_format_dp(), what flowtrace -f of prints with).
 *
 * Keys from real packets only reach a few of the formatter's paths; this
 * one feeds it any key and any mask (the input is the key, then the mask,
 * zero-filled), so every field's masked form is printed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "key.h"
#include "ofp_match_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dp_key k, m;
	struct buf b = BUF_INIT;
	size_t n;

	memset(&k, 0, sizeof k);
	memset(&m, 0, sizeof m);
	n = size < sizeof k ? size : sizeof k;
	memcpy(&k, data, n);
	if (size > sizeof k)
		memcpy(&m, data + sizeof k,
		       size - sizeof k < sizeof m ? size - sizeof k : sizeof m);

	ofp_match_format_dp(&b, &k, &m, NULL);
	if (!buf_ok(&b))
		abort();
	buf_clear(&b);
	ofp_match_format_dp(&b, &k, NULL, NULL);
	if (!buf_ok(&b))
		abort();
	buf_free(&b);
	return 0;
}
