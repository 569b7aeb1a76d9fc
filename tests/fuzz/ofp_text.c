/*
 * ofp_text.c - libFuzzer target for the rule text parser (ofp_flow_mod.c,
 * ofp_match_text.c, ofp_actions_parse.c).
 *
 * The input is one rule line.  It is parsed as each command; whatever
 * parses must also go into tables, print as dump-flows does, and parse back
 * from that print to the same print (the dump form is valid input).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ofp_flow_mod.h"
#include "ofp_rules.h"

static void roundtrip(const struct ofp_flow_mod *fm)
{
	struct ofp_tables t;
	struct ofp_flow_mod q, again;
	struct ofp_rule **rs;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct dp_err err;
	size_t n, i;

	ofp_tables_init(&t);
	if (ofp_tables_apply(&t, fm, 0, NULL, &err))
		goto out;
	ofp_flow_mod_init(&q, OFP_FM_QUERY);
	n = ofp_tables_select(&t, &q, false, &rs);
	for (i = 0; i < n; i++) {
		buf_clear(&a);
		buf_clear(&b);
		ofp_rule_format(&a, rs[i], 0, 0, NULL);
		if (ofp_flow_mod_parse(&again, (const char *)a.data, a.len,
				       OFP_FM_ADD, false, NULL, &err))
			__builtin_trap();       /* our own output must parse */
		ofp_fte_format(&b, &again, NULL);
		buf_clear(&a);
		{
			/* dump-flows does not show importance. */
			struct ofp_flow_mod shown = *fm;

			shown.importance = 0;
			ofp_fte_format(&a, &shown, NULL);
		}
		if (a.len != b.len || memcmp(a.data, b.data, a.len))
			__builtin_trap();       /* and mean the same */
		ofp_flow_mod_uninit(&again);
	}
	free(rs);
	ofp_flow_mod_uninit(&q);
out:
	ofp_tables_destroy(&t);
	buf_free(&a);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ofp_fm_command cmds[] = {
		OFP_FM_ADD, OFP_FM_MODIFY, OFP_FM_DELETE_STRICT, OFP_FM_QUERY,
	};
	struct ofp_flow_mod fm;
	struct dp_err err;
	size_t i;

	if (size > 4096)
		return 0;
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		int r = ofp_flow_mod_parse(&fm, (const char *)data, size, cmds[i],
					   i == 0, NULL, &err);

		if (!r && fm.command == OFP_FM_ADD)
			roundtrip(&fm);
		ofp_flow_mod_uninit(&fm);
	}
	return 0;
}
