/*
 * flowtrace-odp - read flowtrace's default output back the way dpctl
 * add-flows reads a flow file, for tests/bats/flowtrace.bats.
 *
 * Each line "FLOW ACTIONS" is split as ovs-dpctl splits it (the flow is
 * the first word), the flow parsed as ovs-dpctl text (lib/odp_text), read
 * with the kernel's rules (lib/odp_key, as OVS_FLOW_CMD_NEW would take it),
 * reported back as the kernel reports a flow (key and mask) and printed
 * again, then the actions parsed.  The output is the line as it comes back, so it must
 * equal the input; "#" lines are copied.  A line that does not parse comes
 * out as "! reason", and the exit status is then 1.
 *
 * With -f of, each key read back is printed in ovs-ofctl syntax instead
 * (lib/ofp_match_text), to compare with what flowtrace -f of printed for
 * the same packet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "key.h"
#include "odp_key.h"
#include "odp_text.h"
#include "ofp_match_text.h"

int main(int argc, char **argv)
{
	int of = argc == 3 && !strcmp(argv[1], "-f") && !strcmp(argv[2], "of");
	struct buf attrs = BUF_INIT, again = BUF_INIT, text = BUF_INIT;
	struct buf acts = BUF_INIT, mattrs = BUF_INIT, magain = BUF_INIT;
	char *line = NULL;
	size_t cap = 0;
	int status = 0;
	ssize_t len;

	while ((len = getline(&line, &cap, stdin)) > 0) {
		struct dp_err err = { 0, "" };
		struct dp_key key, mask;
		size_t klen;
		char *sp;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#') {
			puts(line);
			continue;
		}
		sp = strchr(line, ' ');
		klen = sp ? (size_t)(sp - line) : (size_t)len;
		buf_clear(&attrs);
		buf_clear(&again);
		buf_clear(&text);
		buf_clear(&acts);
		buf_clear(&mattrs);
		buf_clear(&magain);
		if (odp_key_from_text(line, klen, &attrs, &mattrs, NULL, &err) ||
		    odp_match_from_attrs(attrs.data, attrs.len, mattrs.data,
					 mattrs.len, &key, &mask, &err) ||
		    (sp && odp_actions_from_text(sp + 1, strlen(sp + 1), &acts,
						 NULL, &err))) {
			printf("! %s\n", dp_err_str(&err));
			status = 1;
			continue;
		}
		if (of) {
			ofp_match_format_dp(&text, &key, NULL, NULL);
			puts(buf_cstr(&text));
			continue;
		}
		odp_key_to_attrs(&again, &key);
		odp_mask_to_attrs(&magain, &key, &mask);
		odp_key_to_text(&text, again.data, again.len, magain.data,
				magain.len, 0, NULL);
		if (sp) {
			buf_putc(&text, ' ');
			odp_actions_to_text(&text, acts.data, acts.len, 0, NULL);
		}
		puts(buf_cstr(&text));
	}
	free(line);
	buf_free(&attrs);
	buf_free(&again);
	buf_free(&text);
	buf_free(&acts);
	buf_free(&mattrs);
	buf_free(&magain);
	return status;
}
