/*
 * ofp_flow_mod.h - one rule line of ovs-ofctl syntax: what add-flow,
 * mod-flows, del-flows and dump-flows take.
 *
 *   [add|modify|modify_strict|delete|delete_strict] [table=N,]
 *   [priority=N,][cookie=V[/MASK],][idle_timeout=N,][hard_timeout=N,]
 *   [importance=N,][send_flow_rem,check_overlap,reset_counts,
 *   no_packet_counts,no_byte_counts,][out_port=P,] MATCH [actions=ACTIONS]
 *
 * struct ofp_flow_mod is that line parsed: a command with its match,
 * priority, table, cookie (to set, or to select with a mask), timeouts,
 * flags and actions.  Which keywords a command takes follows ovs-ofctl (a
 * cookie mask only selects, so "add" refuses it; del-flows takes out_port
 * and no actions...).  The same struct describes one entry of a flow file
 * for replace-flows and diff-flows (ofp_rules.h).  Errors name the token
 * and its column; the actions are checked against the match.
 */
#ifndef DPKIT_OFP_FLOW_MOD_H
#define DPKIT_OFP_FLOW_MOD_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "ofp_match.h"
#include "ofp_parse.h"

#define OFP_N_TABLES  255       /* tables 0..254 */
#define OFP_TABLE_ALL 255

enum ofp_fm_command {
	OFP_FM_ADD,
	OFP_FM_MODIFY,
	OFP_FM_MODIFY_STRICT,
	OFP_FM_DELETE,
	OFP_FM_DELETE_STRICT,
	OFP_FM_QUERY,           /* dump-flows filter: match, table, cookie/mask,
				 * out_port */
};

/* Rule flags. */
enum {
	OFP_FF_SEND_FLOW_REM  = 1 << 0,
	OFP_FF_CHECK_OVERLAP  = 1 << 1,
	OFP_FF_RESET_COUNTS   = 1 << 2,
	OFP_FF_NO_PKT_COUNTS  = 1 << 3,
	OFP_FF_NO_BYT_COUNTS  = 1 << 4,
};

struct ofp_flow_mod {
	enum ofp_fm_command command;
	struct ofp_match match;
	uint16_t priority;              /* default 32768 */
	uint8_t table_id;               /* OFP_TABLE_ALL: all (mod/del/query),
					 * table 0 for add */
	uint64_t cookie;                /* selection, with cookie_mask */
	uint64_t cookie_mask;
	uint64_t new_cookie;            /* to set, if modify_cookie (add: always) */
	bool modify_cookie;
	uint16_t idle_timeout;
	uint16_t hard_timeout;
	uint16_t importance;
	uint16_t flags;                 /* OFP_FF_* */
	uint16_t out_port;              /* delete/query filter; OFPP_NONE: any */
	struct buf actions;             /* action records (ofp_actions.h) */
};

void ofp_flow_mod_init(struct ofp_flow_mod *fm, enum ofp_fm_command cmd);
void ofp_flow_mod_uninit(struct ofp_flow_mod *fm);
/* Deep copy (dst must not be initialized). */
void ofp_flow_mod_clone(struct ofp_flow_mod *dst, const struct ofp_flow_mod *src);

/* Parse one line (s[0..len), no trailing newline needed).  'cmd' is the
 * command; with 'allow_verb' the line may start with add, modify,
 * modify_strict, delete or delete_strict, which overrides it (add-flows
 * files).  Text after a '#' is a comment.  Initializes *fm even on
 * failure (uninit it either way). */
int ofp_flow_mod_parse(struct ofp_flow_mod *fm, const char *s, size_t len,
		       enum ofp_fm_command cmd, bool allow_verb,
		       const struct ofp_names *names, struct dp_err *err);

const char *ofp_fm_command_name(enum ofp_fm_command cmd);
/* "send_flow_rem check_overlap " ... each flag followed by a space. */
void ofp_flags_format(struct buf *out, uint16_t flags);

#endif /* DPKIT_OFP_FLOW_MOD_H */
