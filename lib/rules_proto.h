/*
 * rules_proto.h - "dpkit_rules", the generic netlink family through which
 * ofctl drives the rule tables of dpd's datapaths.
 *
 * dpd serves it on its unix socket beside the openvswitch families (found
 * through nlctrl the same way, no family header).  Rules travel as text in
 * ovs-ofctl syntax, one flow mod per DPR_ATTR_LINE attribute, so that dpd
 * parses with the datapath's port names and every error names the token
 * and its column; replies carry the canonical text dump-flows prints plus
 * the numbers, for JSON.
 *
 *   DPR_CMD_MOD      (CAP_NET_ADMIN) DP, LINE..., COMMAND (u8, enum
 *                    ofp_fm_command, the default verb), FLAGS.  Every line
 *                    is parsed before any is applied: a bad one changes
 *                    nothing and the extended ACK says "line N: ...".
 *                    With DPR_F_CHECK nothing is applied at all.  The reply
 *                    carries ADDED, MODIFIED, DELETED.
 *   DPR_CMD_REPLACE  (CAP_NET_ADMIN) DP, LINE...: the tables become exactly
 *                    these entries (replace-flows); reply as MOD.
 *   DPR_CMD_GET      dump: DP, optional LINE (a dump-flows filter), FLAGS,
 *                    SORT (field name, "" for priority).  One message per
 *                    rule: TEXT, RULE, TABLE, PRIORITY, COOKIE, PACKETS,
 *                    BYTES, DURATION_MS, IDLE_AGE_MS.
 *   DPR_CMD_TABLES   dump: DP.  One message per table with rules and for
 *                    table 0: TABLE, N_RULES, LOOKUPS, MATCHED.
 *   DPR_CMD_STATS    DP: the slow path's counters (upcalls, megaflows).
 *   DPR_CMD_ATTACH   (CAP_NET_ADMIN) DP: make a bare datapath a bridge (rule
 *                    tables, and dpd handles the misses nobody listens
 *                    for); a no-op on a bridge.  Every other command
 *                    refuses a bare datapath with EOPNOTSUPP.
 *   DPR_CMD_DETACH   (CAP_NET_ADMIN) DP, SYSTEM: a kernel datapath is no
 *                    bridge any more: its ports' upcall pids go back to 0
 *                    and the megaflows dpd installed are removed.
 *
 * With the flag SYSTEM, DP names a kernel datapath (system@DP): ATTACH
 * opens it and dpd takes its ports' misses over generic netlink.
 *
 * Members of the multicast group DPR_MCGROUP (ofctl monitor) hear of
 *   DPR_CMD_PACKET_IN   a controller action's packet: DP, TABLE, COOKIE,
 *                       REASON, IN_PORT, BYTES (its length), TEXT (its flow),
 *                       PACKET;
 *   DPR_CMD_RULE_EVENT  a rule added, modified or removed: DP, EVENT, TABLE,
 *                       COOKIE, RULE.
 */
#ifndef DPKIT_RULES_PROTO_H
#define DPKIT_RULES_PROTO_H

#define DPR_FAMILY   "dpkit_rules"
#define DPR_VERSION  1
#define DPR_MCGROUP  "dpkit_rules"     /* packet-ins and rule changes */

enum {
	DPR_CMD_UNSPEC,
	DPR_CMD_MOD,
	DPR_CMD_REPLACE,
	DPR_CMD_GET,
	DPR_CMD_TABLES,
	DPR_CMD_STATS,
	DPR_CMD_ATTACH,
	DPR_CMD_PACKET_IN,      /* notification */
	DPR_CMD_RULE_EVENT,     /* notification */
	DPR_CMD_DETACH,
};

enum {
	DPR_ATTR_UNSPEC,
	DPR_ATTR_DP,            /* string: datapath name (no "netdev@") */
	DPR_ATTR_LINE,          /* string: a flow mod or filter */
	DPR_ATTR_COMMAND,       /* u8: enum ofp_fm_command */
	DPR_ATTR_FLAGS,         /* u32: DPR_F_* */
	DPR_ATTR_SORT,          /* string */
	DPR_ATTR_TEXT,          /* string: the dump-flows line */
	DPR_ATTR_RULE,          /* string: the entry, as flow files hold it */
	DPR_ATTR_TABLE,         /* u8 */
	DPR_ATTR_PRIORITY,      /* u16 */
	DPR_ATTR_COOKIE,        /* u64 */
	DPR_ATTR_PACKETS,       /* u64 */
	DPR_ATTR_BYTES,         /* u64 */
	DPR_ATTR_DURATION_MS,   /* u64 */
	DPR_ATTR_IDLE_AGE_MS,   /* u64 */
	DPR_ATTR_ADDED,         /* u32 */
	DPR_ATTR_MODIFIED,      /* u32 */
	DPR_ATTR_DELETED,       /* u32 */
	DPR_ATTR_N_RULES,       /* u32 */
	DPR_ATTR_LOOKUPS,       /* u64 */
	DPR_ATTR_MATCHED,       /* u64 */
	DPR_ATTR_FIRST_LINE,    /* u32: line number of the first LINE */
	DPR_ATTR_STAT,          /* nested: one counter (STAT_NAME, STAT_VALUE) */
	DPR_ATTR_STAT_NAME,     /* string */
	DPR_ATTR_STAT_VALUE,    /* u64 */
	DPR_ATTR_EVENT,         /* u8: enum ofp_rule_event */
	DPR_ATTR_REASON,        /* u8: enum ofp_pin_reason */
	DPR_ATTR_IN_PORT,       /* u32: datapath port */
	DPR_ATTR_PACKET,        /* binary: the frame */
	DPR_ATTR_SYSTEM,        /* flag: DP is system@DP */
	__DPR_ATTR_MAX
};
#define DPR_ATTR_MAX (__DPR_ATTR_MAX - 1)

enum {
	DPR_F_VERBS     = 1 << 0,       /* lines may start with add, delete... */
	DPR_F_CHECK     = 1 << 1,       /* parse only */
	DPR_F_STRICT    = 1 << 2,       /* GET: the filter is strict */
	DPR_F_NO_STATS  = 1 << 3,       /* GET: TEXT without counters */
	DPR_F_DESCEND   = 1 << 4,       /* GET: --rsort */
	DPR_F_NAMES     = 1 << 5,       /* GET: port names in TEXT */
};

#endif /* DPKIT_RULES_PROTO_H */
