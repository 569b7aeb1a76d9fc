/*
 * odp_cases.h - the unit tests' cases, for the kernel comparison.
 *
 * When $ODP_CASES names a file, each test that reads a key, a mask and
 * actions appends them to it; tests/kernel/odp_kdiff then sends the same
 * bytes to the kernel's openvswitch module and compares its answers with
 * odp_key's.  Record: u32 flags (1: has mask), u32 key, mask and actions
 * lengths, then the three byte strings.
 */
#ifndef DPKIT_TEST_ODP_CASES_H
#define DPKIT_TEST_ODP_CASES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"

static inline void case_dump(const struct buf *k, const struct buf *m,
			     const struct buf *acts)
{
	static const uint8_t out1[8] = { 8, 0, 1, 0, 1, 0, 0, 0 };  /* output(1) */
	const char *path = getenv("ODP_CASES");
	uint32_t h[4];
	FILE *f;

	if (!path || !*path || !(f = fopen(path, "ab")))
		return;
	h[0] = m ? 1 : 0;
	h[1] = (uint32_t)k->len;
	h[2] = m ? (uint32_t)m->len : 0;
	h[3] = acts ? (uint32_t)acts->len : sizeof out1;
	fwrite(h, sizeof h, 1, f);
	if (k->len)
		fwrite(k->data, k->len, 1, f);
	if (m && m->len)
		fwrite(m->data, m->len, 1, f);
	if (acts && acts->len)
		fwrite(acts->data, acts->len, 1, f);
	else if (!acts)
		fwrite(out1, sizeof out1, 1, f);
	fclose(f);
}

#endif
