/*
 * trace.h - the story of a translation, told as ovs-appctl ofproto/trace
 * tells it.
 *
 * While it translates, xlate adds nodes to a tree: the bridge, each table
 * it looked up (with the rule it found, or "No match."), each action of
 * that rule, and remarks ("-> no learned MAC for destination, flooding",
 * ">> skipping output to input port").  A resubmit's table becomes a child
 * of the table that resubmitted, so the tree is the call tree of the
 * pipeline.  This module owns the tree and its printing, which follows
 * Open vSwitch's: a node that is not the last of its siblings (and every
 * action or remark) is indented one step and its children two, while the
 * last table of a list continues at its parent's depth, so that a chain
 * of last-action resubmits reads as a flat list.
 *
 * trace_report() prints a whole trace ("Flow:", the tree, "Final flow:",
 * "Megaflow:", "Datapath actions:"), and trace_packet() runs the packet
 * through a bridge, following each recirculation the way ofproto/trace
 * does (resuming conntrack recirculations with ct_state=trk|new), for
 * flowtrace --trace.
 */
#ifndef DPKIT_TRACE_H
#define DPKIT_TRACE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "key.h"

struct json;
struct xlate_bridge;
struct xlate_out;
struct ofp_names;

enum trace_type {
	TRACE_BRIDGE,   /* bridge("br0"), underlined */
	TRACE_TABLE,    /* " 0. ip,nw_dst=10.0.0.2, priority 100" */
	TRACE_THAW,     /* "thaw", "Resuming from table 1" */
	TRACE_ACTION,   /* an action, as ovs-ofctl prints it */
	TRACE_DETAIL,   /* " -> what happened" */
	TRACE_WARN,     /* " >> something was skipped" */
	TRACE_ERROR,    /* " >>>> translation failed <<<<" */
};

#define TRACE_TOP 0             /* the root, parent of the bridge node */

struct trace {
	struct buf nodes;               /* struct trace_node[] (trace.c) */
	struct buf text;
	int cur;                        /* node new nodes go under */
	/* Recirculations met, for trace_packet(): struct trace_recirc[]. */
	struct buf recircs;
};

/* A recirculation as a trace follows it: the packet as the datapath will
 * look it up again. */
struct trace_recirc {
	uint32_t id;
	uint8_t ct;                     /* 1: after ct(), simulate conntrack */
	uint8_t nat;                    /* OFP_NAT_SRC / OFP_NAT_DST, or 0 */
	struct dp_key key;              /* recirc_id set; ct fields as ct() left
					 * them, NAT applied */
	struct dp_key pre_nat;          /* before the NAT simulation */
};

void trace_init(struct trace *tr);
void trace_uninit(struct trace *tr);
void trace_clear(struct trace *tr);

/* Add a node under the current one; returns its index. */
int trace_add(struct trace *tr, enum trace_type type, const char *text,
	      size_t len);
int trace_addf(struct trace *tr, enum trace_type type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Where new nodes go: under node 'node' (TRACE_TOP: the top). */
static inline int trace_cur(const struct trace *tr) { return tr->cur; }
static inline void trace_set_cur(struct trace *tr, int node) { tr->cur = node; }

/* The tree, as ofproto/trace prints it between "bridge(...)" and the
 * blank line before "Final flow:". */
void trace_format_tree(const struct trace *tr, struct buf *out);

/* A whole report for one translation of 'key'. */
void trace_report(struct buf *out, const struct dp_key *key,
		  const struct trace *tr, const struct xlate_out *xo,
		  const struct ofp_names *names);

/* A packet's key from a flow in ovs-ofctl syntax ("in_port=2,tcp,
 * nw_dst=10.0.0.2,tp_dst=80"), as ofproto/trace takes it: fields not
 * given are zero; a VLAN given gets its TPID; an MPLS packet has the
 * labels down to the one with bos=1.  Returns 0 or -EINVAL with the
 * offending token in 'err'. */
int trace_key_from_text(const char *s, size_t len, struct dp_key *key,
			const struct ofp_names *names, struct dp_err *err);

/* Translate 'key' through 'br' with tracing and print the report, then
 * follow every recirculation its actions make (at most 'max_recirc'),
 * as ofproto/trace does: conntrack recirculations resume with
 * ct_state=trk|new, their zone, mark and labels.  The translations have
 * no side effects (XLATE_F_NO_SIDE_EFFECTS).  Returns 0 or -ENOMEM. */
int trace_packet(struct buf *out, const struct xlate_bridge *br,
		 const struct dp_key *key, int64_t now_ms, unsigned max_recirc);

/* The same walk as trace_packet(), as a JSON array value written to 'j':
 * one object per translation (the packet, then each recirculation),
 *   {"recirc_id":0,"flow":"...","trace":[NODE...],"final_flow":"...",
 *    "megaflow":"...","datapath_actions":"...","error":"..."}
 * with "resume":{"recirc_id":N,"conntrack":true,"nat_initial":"...",
 * "nat_modified":"..."} on a recirculation and "final_flow" null when
 * unchanged; a NODE is {"type":"table","text":"0. priority 0",
 * "children":[NODE...]} (types: bridge, table, thaw, action, detail,
 * warn, error; "children" only when there are some).  Returns 0 or
 * -ENOMEM. */
int trace_packet_json(struct json *j, const struct xlate_bridge *br,
		      const struct dp_key *key, int64_t now_ms,
		      unsigned max_recirc);

/* The tree as a JSON array of NODEs (see trace_packet_json()). */
void trace_tree_json(const struct trace *tr, struct json *j);

#endif /* DPKIT_TRACE_H */
