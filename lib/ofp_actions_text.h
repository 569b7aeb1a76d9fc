/*
 * ofp_actions_text.h - actions and instructions in ovs-ofctl syntax.
 *
 * Parsing (ofp_actions_parse.c) takes what ovs-ofctl takes after
 * "actions=": "output:2,mod_vlan_vid:5,ct(commit,zone=NXM_NX_REG0[0..15],
 * exec(set_field:1->ct_mark)),resubmit(,3),goto_table:4".  Every error
 * names the offending action and its 1-based column:
 *     column 9: mod_vlan_vid:6000: not a valid VLAN VID
 *
 * Printing (ofp_actions_format.c) gives what ovs-ofctl 3.1 dump-flows
 * prints with its default protocol (OpenFlow 1.0 with Nicira extensions):
 * set_field of a field OpenFlow 1.0 has an action for prints as that action
 * (mod_nw_src:...), any other field write as load:...->NXM_...[...] split
 * into runs of at most 64 bits, mod_nw_ttl as load:...->NXM_NX_IP_TTL[],
 * pop_vlan as strip_vlan, notes padded as the switch pads them.  Where
 * OpenFlow 1.0 cannot carry a thing (goto_table, write_actions,
 * clear_actions, push_vlan, a masked set_field of a field it has an action
 * for), dpkit prints what the rule really holds, as ovs-ofctl -O
 * OpenFlow13 would, instead of what ovs-ofctl turns it into.
 */
#ifndef DPKIT_OFP_ACTIONS_TEXT_H
#define DPKIT_OFP_ACTIONS_TEXT_H

#include "ofp_actions.h"
#include "ofp_parse.h"

/* Parse s[0..len) (columns counted from col0) and append the records to
 * 'out'.  "drop" (alone) or an empty string is the empty list.  Nothing is
 * appended on failure.  The result is not yet checked against a match:
 * that is ofpacts_check(). */
int ofpacts_from_text(const char *s, size_t len, size_t col0,
		      struct buf *out, const struct ofp_names *names,
		      struct dp_err *err);

/* Print a stream ("drop" if empty). */
void ofpacts_format(struct buf *out, const void *acts, size_t len,
		    const struct ofp_names *names);

#endif /* DPKIT_OFP_ACTIONS_TEXT_H */
