/*
 * slowpath.h - the slow path of one userspace datapath: its rule tables,
 * the handler that answers misses with megaflows, and the revalidator that
 * keeps those megaflows true to the rules.
 *
 * A struct sp_bridge is what an Open vSwitch bridge is to its datapath:
 * 255 rule tables (ofp_rules.h; a fresh bridge has table 0
 * "priority=0,actions=normal"), a MAC learning table, a recirculation
 * table and the xlate view of the datapath's ports.  It owns the records
 * of the megaflows it installed (identified by ufids it makes up) and no
 * others: flows a user added with dpctl are never touched.
 *
 *  - sp_handle_upcall(): a miss is translated (xlate.h) into datapath
 *    actions and a megaflow mask; the megaflow (the upcall's key under that
 *    mask) goes into the datapath's flow table, unless the table is at the
 *    flow limit, and the packet is executed with the actions.  What normal
 *    learned goes into the MAC table.
 *  - sp_run(): the revalidator, on a period (sp_config.reval_ms) and soon
 *    after any rule or MAC table change.  Each pass walks the datapath's
 *    flows: the packets a megaflow counted since the last pass are
 *    credited to the rules its translation goes through (so dump-flows'
 *    n_packets move), megaflows idle for sp_config.idle_ms go, and
 *    megaflows translated for older rules or an older MAC table are
 *    translated again: kept if nothing changed, given new actions if only
 *    the actions did, removed (the next packet misses) if the mask did.
 *    Rules whose idle or hard timeout passed are removed.
 *
 * Every call that touches the datapath comes in two forms: one for the
 * userspace datapath in this process (struct dp) and one, named _on, for
 * any datapath behind a struct sp_datapath (sp_datapath.h), the kernel's
 * included.
 *
 * Time is the caller's (milliseconds on CLOCK_MONOTONIC, as the flow
 * table's "used" times).  A bridge belongs to the thread that runs its
 * datapath (lib/dp's rule: no locks).
 */
#ifndef DPKIT_SLOWPATH_H
#define DPKIT_SLOWPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp.h"
#include "err.h"
#include "ofp_flow_mod.h"
#include "ofp_rules.h"
#include "sp_datapath.h"
#include "xlate.h"

#define SP_IDLE_MS_DEFAULT     10000
#define SP_FLOW_LIMIT_DEFAULT  200000
#define SP_REVAL_MS_DEFAULT    500

struct sp_config {
	int64_t idle_ms;                /* megaflow idle expiry; 0: default */
	uint32_t flow_limit;            /* megaflows installed; 0: default */
	int64_t reval_ms;               /* revalidation period; 0: default */
	uint32_t upcall_pid;            /* the pid of userspace() actions */
};

struct sp_stats {
	uint64_t n_misses;              /* upcalls handled */
	uint64_t n_installed;           /* megaflows installed */
	uint64_t n_limited;             /* not installed: flow limit */
	uint64_t n_install_failed;
	uint64_t n_exec_failed;
	uint64_t n_xlate_errors;
	uint64_t n_expired;             /* idle megaflows removed */
	uint64_t n_fixed;               /* given new actions by revalidation */
	uint64_t n_deleted;             /* removed by revalidation */
	uint64_t n_passes;              /* revalidation passes */
	uint64_t n_pins;                /* controller packet-ins */
	uint64_t n_flows;               /* megaflows of ours in the table */
};

struct sp_bridge;

int sp_create(struct sp_bridge **out, const char *name,
	      const struct sp_config *cfg, int64_t now_ms, struct dp_err *err);
void sp_destroy(struct sp_bridge *sp);

/* Take the datapath's port list again (after ports came or went). */
int sp_sync_ports(struct sp_bridge *sp, const struct dp *dp,
		  struct dp_err *err);

/* The rule tables, read-only: for dumps. */
const struct ofp_tables *sp_tables(const struct sp_bridge *sp);
/* Port names for rule text ("in_port=eth0"); valid until the next
 * sp_sync_ports(). */
void sp_names(const struct sp_bridge *sp, struct ofp_names *names);

/* Apply flow mods in order.  Stops at the first that fails (the ones
 * before it stay applied) and returns its error; *res sums what they
 * did.  What the datapath's megaflows counted so far is first credited
 * to the rules they were translated with; the megaflows follow the new
 * rules at the next sp_run(). */
int sp_flow_mods(struct sp_bridge *sp, struct dp *dp,
		 const struct ofp_flow_mod *fms,
		 size_t n, int64_t now_ms, struct ofp_fm_result *res,
		 struct dp_err *err);
/* replace-flows: make the tables hold exactly fms[0..n) (entries as
 * ofp_tables_snapshot() gives them); *res says what changed. */
int sp_replace_flows(struct sp_bridge *sp, struct dp *dp,
		     const struct ofp_flow_mod *fms,
		     size_t n, int64_t now_ms, struct ofp_fm_result *res,
		     struct dp_err *err);

/* Handle one upcall the datapath queued for the bridge's pid: a miss is
 * translated, installed and executed; a controller action is counted (and
 * given to 'pin_cb' if set).  Returns 0 or a negative errno (the packet
 * is then dropped). */
int sp_handle_upcall(struct sp_bridge *sp, struct dp *dp,
		     const struct dp_upcall *u, int64_t now_ms);

typedef void sp_pin_cb(void *aux, const struct dp_upcall *u,
		       const struct xlate_pin *pin);
void sp_set_pin_cb(struct sp_bridge *sp, sp_pin_cb *cb, void *aux);
/* Hear of every rule added, modified or removed (ofp_rules.h observer). */
void sp_set_rule_cb(struct sp_bridge *sp,
		    void (*cb)(void *aux, enum ofp_rule_event,
			       const struct ofp_rule *),
		    void *aux);

/* Revalidate if it is due (or 'force').  Returns the time of the next
 * pass due, for the caller's poll timeout. */
int64_t sp_run(struct sp_bridge *sp, struct dp *dp, int64_t now_ms,
	       bool force);

int sp_sync_ports_on(struct sp_bridge *sp, struct sp_datapath *spd,
		     struct dp_err *err);
int sp_flow_mods_on(struct sp_bridge *sp, struct sp_datapath *spd,
		    const struct ofp_flow_mod *fms,
		    size_t n, int64_t now_ms, struct ofp_fm_result *res,
		    struct dp_err *err);
int sp_replace_flows_on(struct sp_bridge *sp, struct sp_datapath *spd,
			const struct ofp_flow_mod *fms,
			size_t n, int64_t now_ms, struct ofp_fm_result *res,
			struct dp_err *err);
int sp_handle_upcall_on(struct sp_bridge *sp, struct sp_datapath *spd,
			const struct dp_upcall *u, int64_t now_ms);
int64_t sp_run_on(struct sp_bridge *sp, struct sp_datapath *spd,
		  int64_t now_ms, bool force);

/* Remove every megaflow this bridge (or an earlier one: the ufids say
 * "ours") installed in the datapath. */
void sp_flush_on(struct sp_bridge *sp, struct sp_datapath *spd,
		 int64_t now_ms);

void sp_get_stats(const struct sp_bridge *sp, struct sp_stats *s);
void sp_set_idle(struct sp_bridge *sp, int64_t idle_ms);

#endif /* DPKIT_SLOWPATH_H */
