/*
 * ofp_rules.h - the 255 rule tables of a switch, with OpenFlow's flow-mod
 * semantics, statistics, timeouts, dump-flows output and the comparison
 * behind replace-flows and diff-flows.
 *
 * struct ofp_tables owns every rule (struct ofp_rule: match, priority,
 * cookie, timeouts, flags, importance, actions, counters, times); each
 * table is a classifier (classifier.h) for lookups.  ofp_tables_apply()
 * performs one flow mod the way an Open vSwitch bridge does:
 *
 *  - add: a rule with the same match and priority in that table is
 *    replaced (its counters start over, as with OpenFlow 1.0's add);
 *    check_overlap refuses an add that overlaps a rule of the same
 *    priority; table 255 (none given) means table 0.
 *  - modify: every rule whose match is at least as specific as the
 *    request's (OpenFlow's non-strict selection) and whose cookie agrees
 *    under cookie_mask gets the new actions (and the new cookie if one was
 *    given, and zeroed counters with reset_counts); timeouts are kept.  If
 *    nothing was selected and no cookie mask was given, it adds the rule.
 *    modify_strict selects the rule with exactly that match and priority.
 *  - delete: the same selection, plus out_port (rules that output to that
 *    port); delete_strict, exact match and priority.  Table 255: all.
 *
 * An optional observer hears of every rule added, modified and removed
 * (for ofctl monitor and send_flow_rem), with the reason.  'version' goes
 * up on every change, so the revalidator can tell that rules changed;
 * each classifier's gen says which table did.
 *
 * Time is the caller's: every function that needs "now" takes it in
 * milliseconds, so tests can run a clock of their own.
 */
#ifndef DPKIT_OFP_RULES_H
#define DPKIT_OFP_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "classifier.h"
#include "err.h"
#include "ofp_flow_mod.h"

struct ofp_rule {
	struct cls_rule cr;             /* in its table's classifier */
	uint8_t table_id;
	uint16_t priority;
	uint16_t idle_timeout;
	uint16_t hard_timeout;
	uint16_t importance;
	uint16_t flags;                 /* OFP_FF_* */
	uint64_t cookie;
	void *acts;                     /* action records, owned */
	size_t acts_len;
	uint64_t n_packets;
	uint64_t n_bytes;
	int64_t created_ms;
	int64_t modified_ms;            /* last add/modify (hard_age) */
	int64_t used_ms;                /* last packet, or created (idle_age) */
};

enum ofp_rule_event {
	OFP_RULE_ADDED,
	OFP_RULE_MODIFIED,
	OFP_RULE_DELETED,               /* by a flow mod */
	OFP_RULE_IDLE_TIMEOUT,
	OFP_RULE_HARD_TIMEOUT,
	OFP_RULE_REPLACED,              /* by an add of the same match */
};

struct ofp_table {
	struct classifier cls;
};

struct ofp_tables {
	struct ofp_table tables[OFP_N_TABLES];
	uint64_t next_seq;
	uint64_t version;               /* bumped by every change */
	size_t n_rules;
	void (*observer)(void *aux, enum ofp_rule_event,
			 const struct ofp_rule *);
	void *observer_aux;
};

struct ofp_fm_result {
	size_t added, modified, deleted;
};

void ofp_tables_init(struct ofp_tables *t);
void ofp_tables_destroy(struct ofp_tables *t);

/* Perform a flow mod.  Returns 0, -EEXIST (check_overlap), -ENOMEM. */
int ofp_tables_apply(struct ofp_tables *t, const struct ofp_flow_mod *fm,
		     int64_t now_ms, struct ofp_fm_result *res,
		     struct dp_err *err);

/* The rule of 'table' for a packet (see classifier_lookup() for 'wc'). */
const struct ofp_rule *ofp_tables_lookup(const struct ofp_tables *t,
					 uint8_t table,
					 const struct ofp_flow *flow,
					 struct ofp_flow *wc);
/* Count traffic on a rule, as the revalidator credits it. */
void ofp_rule_credit(struct ofp_rule *r, uint64_t packets, uint64_t bytes,
		     int64_t used_ms);

/* Remove rules whose idle or hard timeout has passed; returns how many. */
size_t ofp_tables_expire(struct ofp_tables *t, int64_t now_ms);

/* The rules a query selects (OFP_FM_QUERY or a delete/modify flow mod:
 * table, non-strict or strict match, cookie/mask, out_port), into a
 * malloc'd array; returns the count. */
size_t ofp_tables_select(const struct ofp_tables *t,
			 const struct ofp_flow_mod *q, bool strict,
			 struct ofp_rule ***out);

/* --- dump-flows ----------------------------------------------------------- */

enum {
	OFP_FMT_STATS = 1 << 0,         /* cookie, duration, n_packets... */
	OFP_FMT_FLAGS = 1 << 1,         /* flags and importance (OpenFlow 1.3+) */
};

/* One dump-flows line as ovs-ofctl 3.1 prints it (without its leading
 * space and newline):
 *   cookie=0x0, duration=1.234s, table=0, n_packets=0, n_bytes=0,
 *   idle_timeout=10, idle_age=1, priority=100,tcp,nw_dst=10.0.0.2
 *   actions=output:2
 * Without OFP_FMT_STATS: only what differs from the defaults. */
void ofp_rule_format(struct buf *out, const struct ofp_rule *r,
		     int64_t now_ms, unsigned flags,
		     const struct ofp_names *names);

/* Sort criteria of --sort[=FIELD] / --rsort[=FIELD]: field NULL sorts by
 * priority.  Rules missing a field sort last either way. */
struct ofp_sort_key {
	const struct ofp_field *field;
	bool descending;
};
void ofp_rules_sort(struct ofp_rule **rules, size_t n,
		    const struct ofp_sort_key *keys, size_t n_keys);

/* --- replace-flows and diff-flows ---------------------------------------- */

/* The flow entries of the tables, as flow mods (command add), for diffing
 * against a file; returns the count, *out malloc'd (free each with
 * ofp_flow_mod_uninit(), then the array). */
size_t ofp_tables_snapshot(const struct ofp_tables *t,
			   struct ofp_flow_mod **out);

/* One difference: old only (delete), new only (add), or both with
 * different cookie, timeouts, importance or actions (modify). */
typedef void ofp_diff_cb(void *aux, const struct ofp_flow_mod *old,
			 const struct ofp_flow_mod *new);
/* Compare two sets of entries keyed by table, match and priority; calls
 * 'cb' for each difference in a stable order (table, then priority from
 * high to low, then match).  Returns the number of differences. */
size_t ofp_diff(const struct ofp_flow_mod *old, size_t n_old,
		const struct ofp_flow_mod *new, size_t n_new,
		ofp_diff_cb *cb, void *aux);
/* The flow mods that turn 'old' into 'new' as replace-flows sends them:
 * first delete_strict of the entries only in 'old', then add of the new
 * and changed ones.  Returns the count, *out malloc'd. */
size_t ofp_diff_flow_mods(const struct ofp_flow_mod *old, size_t n_old,
			  const struct ofp_flow_mod *new, size_t n_new,
			  struct ofp_flow_mod **out);
/* An entry as diff-flows prints it: "[table=N ]MATCH[ cookie=..]
 * [ idle_timeout=..][ hard_timeout=..][ importance=..] actions=...". */
void ofp_fte_format(struct buf *out, const struct ofp_flow_mod *fte,
		    const struct ofp_names *names);

#endif /* DPKIT_OFP_RULES_H */
